#include "archive/text_layer.h"

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace dossier::archive {
namespace {

constexpr double kMinFontSize = 0.5;  // points; libharu rejects size 0
constexpr double kMaxFontSize = 600;  // HPDF_MAX_FONTSIZE
// Widest gap left between two words of one line, in font sizes.
constexpr double kMaxWordGap = 0.8;
// Narrowest separating space, as a fraction of a glyph.
constexpr double kMinSpaceWidth = 0.05;
// Gap kept between words that a space separates, as a fraction of the font
// size; poppler breaks words at about 0.1.
constexpr double kMinWordGap = 0.25;
// Extractors gather lines into blocks (a column, a paragraph) and read a
// block whole before the next one. poppler joins two lines into a block
// only when their font sizes differ by at most 5% and their baselines are at
// most 1.5 font sizes apart. An ink box is smaller than the font's em, so
// the lines of a column spaced 1.5-2 times their ink height would each be a
// block of its own, and a two-column page would be read across the gutter
// row by row. So the lines of one OCR block share one font size, raised
// until their pitch is at most kMaxLinePitch font sizes, but never above
// kMaxSizeGrowth times the ink height.
constexpr double kMaxLinePitch = 1.4;
constexpr double kMaxSizeGrowth = 2.0;
// Lines whose ink height is within this fraction of their block's typical
// line are body text and share its size; a heading in the block keeps its own.
constexpr double kSameSizeTolerance = 0.25;

struct WordGeometry {
  std::u32string cps;
  int line = 0;
  int block = 0;
  double left = 0, right = 0, top = 0, bottom = 0,
         baseline = 0;  // pt, top-down
};

// The joining rule of NormalizeText (core/text.cc): no space between a CJK
// character and a CJK character or one of these punctuation marks, so that
// the text layer extracts to the same text as OcrPage::text.
bool JoinsCjk(char32_t cp) {
  return IsCjkCodepoint(cp) || cp == U',' || cp == U':' || cp == U';' ||
         cp == U'(' || cp == U')' || cp == U'!' || cp == U'?';
}

bool JoinWithoutSpace(char32_t left, char32_t right) {
  return (IsCjkCodepoint(left) && JoinsCjk(right)) ||
         (IsCjkCodepoint(right) && JoinsCjk(left));
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Splits the words into text lines: same OcrWord::line, and within that,
// vertically overlapping (an engine that leaves every line index 0 still
// gets one line per row). Each line is sorted left to right.
std::vector<std::vector<const WordGeometry*>> SplitLines(
    const std::vector<WordGeometry>& words) {
  std::vector<const WordGeometry*> sorted;
  for (const WordGeometry& w : words) sorted.push_back(&w);
  auto center = [](const WordGeometry* w) { return (w->top + w->bottom) / 2; };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const WordGeometry* a, const WordGeometry* b) {
                     if (a->line != b->line) return a->line < b->line;
                     return center(a) < center(b);
                   });
  std::vector<std::vector<const WordGeometry*>> lines;
  double band_bottom = 0;
  for (const WordGeometry* w : sorted) {
    if (lines.empty() || lines.back().front()->line != w->line ||
        center(w) > band_bottom) {
      lines.emplace_back();
      band_bottom = w->bottom;
    }
    lines.back().push_back(w);
    band_bottom = std::max(band_bottom, w->bottom);
  }
  for (auto& line : lines) {
    std::stable_sort(line.begin(), line.end(),
                     [](const WordGeometry* a, const WordGeometry* b) {
                       return a->left < b->left;
                     });
  }
  return lines;
}

// One text line as the layer places it.
struct LineGeometry {
  std::vector<const WordGeometry*> words;  // left to right
  double ink_height = 0;  // pt, the median word box height
  double baseline = 0;    // pt, top-down, the median word baseline
  int block = 0;
  double font_size = 0;
};

// Gives each line its font size: the body lines of an OCR block share one
// (see kMaxLinePitch); other lines keep their ink height.
void AssignFontSizes(std::vector<LineGeometry>& lines) {
  for (LineGeometry& l : lines) l.font_size = l.ink_height;
  std::vector<int> blocks;
  for (const LineGeometry& l : lines) blocks.push_back(l.block);
  std::sort(blocks.begin(), blocks.end());
  blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
  for (int block : blocks) {
    std::vector<LineGeometry*> members;
    std::vector<double> heights;
    for (LineGeometry& l : lines) {
      if (l.block == block) heights.push_back(l.ink_height);
    }
    const double body = Median(heights);
    for (LineGeometry& l : lines) {
      if (l.block == block &&
          std::abs(l.ink_height - body) <= kSameSizeTolerance * body) {
        members.push_back(&l);
      }
    }
    std::sort(members.begin(), members.end(),
              [](const LineGeometry* a, const LineGeometry* b) {
                return a->baseline < b->baseline;
              });
    std::vector<double> pitches;
    for (std::size_t i = 1; i < members.size(); ++i) {
      const double d = members[i]->baseline - members[i - 1]->baseline;
      if (d > body / 2) pitches.push_back(d);  // not two lines on one row
    }
    double size = body;
    if (!pitches.empty()) {
      size = std::clamp(Median(pitches) / kMaxLinePitch, body, kMaxSizeGrowth * body);
    }
    for (LineGeometry* l : members) l->font_size = size;
  }
  for (LineGeometry& l : lines) {
    l.font_size = std::clamp(l.font_size, kMinFontSize, kMaxFontSize);
  }
}

}  // namespace

std::u32string TextLayerCodepoints(std::string_view utf8) {
  std::u32string out;
  for (char32_t cp : DecodeUtf8(utf8)) {
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFF) continue;
    out.push_back(cp > 0xFFFF ? U'\uFFFD' : cp);
  }
  return out;
}

std::vector<PlacedWord> LayoutTextLayer(const OcrPage& ocr, int image_width,
                                        int image_height, double dpi,
                                        int advance) {
  const double pt_per_px = 72.0 / dpi;
  const double sx =
      (ocr.width > 0 ? double(image_width) / ocr.width : 1.0) * pt_per_px;
  const double sy =
      (ocr.height > 0 ? double(image_height) / ocr.height : 1.0) * pt_per_px;
  const double page_height = image_height * pt_per_px;

  std::vector<WordGeometry> words;
  for (const OcrWord& w : ocr.words) {
    if (w.box.width <= 0 || w.box.height <= 0) continue;
    WordGeometry g;
    g.cps = TextLayerCodepoints(w.text);
    // Surrounding spaces would double the separator the layout adds.
    while (!g.cps.empty() && g.cps.back() == U' ') g.cps.pop_back();
    while (!g.cps.empty() && g.cps.front() == U' ') g.cps.erase(0, 1);
    if (g.cps.empty()) continue;
    g.line = w.line;
    g.block = w.line >= 0 && static_cast<std::size_t>(w.line) < ocr.lines.size()
                  ? ocr.lines[w.line].block
                  : 0;
    g.left = w.box.x * sx;
    g.right = (w.box.x + w.box.width) * sx;
    g.top = w.box.y * sy;
    g.bottom = (w.box.y + w.box.height) * sy;
    // An engine's baseline below the box bottom by more than half the box
    // height is not this word's baseline; fall back to the box bottom.
    const bool baseline_plausible =
        w.baseline > w.box.y && w.baseline <= w.box.y + w.box.height * 3 / 2;
    g.baseline =
        (baseline_plausible ? w.baseline : w.box.y + w.box.height) * sy;
    words.push_back(std::move(g));
  }
  // One font size and baseline per line, as on paper: extractors group
  // glyphs into lines by baseline and size, and a word a little higher than
  // its neighbours would otherwise start a line of its own.
  std::vector<LineGeometry> lines;
  for (auto& words_of_line : SplitLines(words)) {
    LineGeometry l;
    std::vector<double> heights, baselines;
    for (const WordGeometry* g : words_of_line) {
      heights.push_back(g->bottom - g->top);
      baselines.push_back(g->baseline);
    }
    l.ink_height = Median(heights);
    l.baseline = Median(baselines);
    l.block = words_of_line.front()->block;
    l.words = std::move(words_of_line);
    lines.push_back(std::move(l));
  }
  AssignFontSizes(lines);

  std::vector<PlacedWord> out;
  out.reserve(words.size());
  for (const LineGeometry& geometry : lines) {
    const auto& line = geometry.words;
    const double font_size = geometry.font_size;
    const double baseline = page_height - geometry.baseline;
    for (std::size_t k = 0; k < line.size(); ++k) {
      const WordGeometry& g = *line[k];
      const WordGeometry* next = k + 1 < line.size() ? line[k + 1] : nullptr;
      PlacedWord p;
      p.x = g.left;
      p.baseline = baseline;
      p.font_size = font_size;
      p.width = g.right - g.left;
      const double glyph_width = advance / 1000.0 * font_size;  // unstretched
      if (next != nullptr) {
        const double room =
            next->left - g.left;  // up to where the next word starts
        if (JoinWithoutSpace(g.cps.back(), next->cps.front())) {
          // Reach the next word exactly: a gap makes extractors insert a
          // space, an overlap makes them break the line.
          if (room > 0) p.width = room;
        } else {
          // Extractors such as poppler put a space between words only where
          // they see a gap of about a tenth of the font size, whatever the
          // characters; words whose boxes touch are narrowed to leave one.
          const double min_gap = kMinWordGap * font_size;
          if (room > 0 && room - p.width < min_gap) {
            p.width = std::max(room - min_gap, room / 2);
          }
          // A wide gap makes extractors (poppler) cut the line into
          // columns, so a form's "label: value" comes out pages apart.
          // Stretch the word to leave at most kMaxWordGap of the font size:
          // extraction keeps the line whole, at the price of a selection
          // highlight that runs into the gap.
          if (room - p.width > kMaxWordGap * font_size) {
            p.width = room - kMaxWordGap * font_size;
          }
          // A space character in the gap, for extractors that go by it.
          p.space_width = std::clamp(room - p.width,
                                     kMinSpaceWidth * glyph_width, glyph_width);
        }
      }
      p.h_scale = p.width / (g.cps.size() * glyph_width);
      p.text = EncodeUtf8(g.cps);
      out.push_back(std::move(p));
    }
  }
  return out;
}

void CollectCodepoints(const std::vector<PlacedWord>& words,
                       std::set<char32_t>& out) {
  for (const PlacedWord& w : words) {
    for (char32_t cp : DecodeUtf8(w.text)) out.insert(cp);
    if (w.space_width > 0) out.insert(U' ');
  }
}

}  // namespace dossier::archive
