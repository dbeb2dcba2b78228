#include "samples/page_renderer.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

namespace dossier::samples {
namespace {

constexpr int kMarginLeft = 300;
constexpr int kMarginRight = 300;
constexpr int kMarginTop = 320;
constexpr int kFooterBaseline = kPageHeightPx - 210;
constexpr int kTextWidth = kPageWidthPx - kMarginLeft - kMarginRight;
// Printed toner is never pure black; a scanner reads it as dark grey.
const cv::Scalar kInk(38, 36, 34);
const cv::Scalar kHairlineInk(120, 120, 120);
// CJK glyphs sit about 0.85 em above the baseline; this is where a line's
// baseline goes below the top of its line box.
constexpr double kAscent = 0.88;

// Splits UTF-8 into code points, each kept as its UTF-8 byte sequence.
std::vector<std::string> CodePoints(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

bool IsWide(const std::string& cp) { return static_cast<unsigned char>(cp[0]) >= 0xE0; }

// Chinese typesetting (禁则) keeps closing punctuation off the start of a line
// and opening punctuation off its end.
bool IsClosingPunct(const std::string& cp) {
  static const std::vector<std::string> kClosing = {"，", "。", "、", "；", "：", "）",
                                                    "》", "”", "！", "？", "」"};
  return std::ranges::find(kClosing, cp) != kClosing.end();
}
bool IsOpeningPunct(const std::string& cp) {
  static const std::vector<std::string> kOpening = {"（", "《", "“", "「"};
  return std::ranges::find(kOpening, cp) != kOpening.end();
}

// Breakable units: one CJK character (with attached punctuation), one Latin
// word, or one space.
std::vector<std::string> BreakUnits(const std::string& text) {
  std::vector<std::string> units;
  bool glue_next = false;  // previous unit ended with opening punctuation
  for (const std::string& cp : CodePoints(text)) {
    const bool space = cp == " ";
    const bool wide = IsWide(cp);
    const bool extend_word = !units.empty() && !space && !wide && units.back() != " " &&
                             !IsWide(CodePoints(units.back()).back());
    if (!units.empty() && (glue_next || IsClosingPunct(cp) || extend_word)) {
      units.back() += cp;
    } else {
      units.push_back(cp);
    }
    glue_next = IsOpeningPunct(cp);
  }
  return units;
}

std::string Trim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  const auto first = s.find_first_not_of(' ');
  return first == std::string::npos ? std::string() : s.substr(first);
}

}  // namespace

PageRenderer::PageRenderer(const std::string& font_path)
    : font_(cv::freetype::createFreeType2()) {
  try {
    font_->loadFontData(font_path, 0);
  } catch (const cv::Exception& e) {
    throw std::runtime_error(fmt::format("cannot load font {}: {}", font_path, e.what()));
  }
}

int PageRenderer::TextWidth(const std::string& text, int font_px) const {
  int baseline = 0;
  return font_->getTextSize(text, font_px, -1, &baseline).width;
}

void PageRenderer::DrawText(cv::Mat& img, const std::string& text, cv::Point baseline_left,
                            int font_px) const {
  // bottomLeftOrigin=true makes `org` the left end of the baseline.
  font_->putText(img, text, baseline_left, font_px, kInk, -1, cv::LINE_AA, true);
}

std::vector<std::string> PageRenderer::Wrap(const std::string& text, int font_px,
                                            int first_width, int next_width) const {
  std::vector<std::string> lines;
  std::string current;
  for (const std::string& unit : BreakUnits(text)) {
    const int width = lines.empty() ? first_width : next_width;
    const std::string candidate = current + unit;
    if (current.empty() || TextWidth(Trim(candidate), font_px) <= width) {
      current = candidate;
      continue;
    }
    lines.push_back(Trim(current));
    current = unit == " " ? "" : unit;
  }
  if (!Trim(current).empty()) lines.push_back(Trim(current));
  return lines;
}

void PageRenderer::DrawSeal(cv::Mat& img, const Seal& seal, cv::Point center,
                            cv::RNG& rng) const {
  const int d = seal.diameter_px;
  const int size = d + 40;
  const cv::Point c(size / 2, size / 2);
  // The seal is drawn as a coverage mask first so the ink can be blended
  // multiplicatively: black text under red ink stays black, as on paper.
  cv::Mat mask(size, size, CV_8UC1, cv::Scalar(0));
  const int ring = std::max(6, d * 32 / 1000);
  cv::circle(mask, c, d / 2 - ring / 2, cv::Scalar(255), ring, cv::LINE_AA);

  // Five-pointed star in the middle.
  std::vector<cv::Point> star;
  const double outer = d * 0.17;
  const double inner = outer * 0.382;
  for (int i = 0; i < 10; ++i) {
    const double r = i % 2 == 0 ? outer : inner;
    const double a = std::numbers::pi / 2 + i * std::numbers::pi / 5;
    star.emplace_back(c.x + static_cast<int>(std::lround(r * std::cos(a))),
                      c.y - static_cast<int>(std::lround(r * std::sin(a))));
  }
  cv::fillPoly(mask, star, cv::Scalar(255), cv::LINE_AA);

  // Company name along the upper arc, each character upright pointing away
  // from the centre, read clockwise.
  const std::vector<std::string> chars = CodePoints(seal.company);
  const int glyph_px = static_cast<int>(d * 0.125);
  const double text_radius = d / 2.0 - ring - glyph_px * 0.72;
  const double span_deg = std::min(250.0, 22.0 * (chars.size() - 1));
  const int tile = glyph_px * 2;
  for (size_t i = 0; i < chars.size(); ++i) {
    const double theta_deg =
        90.0 + span_deg / 2 - (chars.size() > 1 ? span_deg * i / (chars.size() - 1) : 0.0);
    const double theta = theta_deg * std::numbers::pi / 180;
    cv::Mat glyph(tile, tile, CV_8UC3, cv::Scalar(0, 0, 0));
    const int w = TextWidth(chars[i], glyph_px);
    font_->putText(glyph, chars[i], cv::Point((tile - w) / 2, tile / 2 + glyph_px * 38 / 100),
                   glyph_px, cv::Scalar(255, 255, 255), -1, cv::LINE_AA, true);
    cv::Mat glyph_mask;
    cv::extractChannel(glyph, glyph_mask, 0);
    cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(tile / 2.0f, tile / 2.0f),
                                        theta_deg - 90.0, 1.0);
    m.at<double>(0, 2) += c.x + text_radius * std::cos(theta) - tile / 2.0;
    m.at<double>(1, 2) += c.y - text_radius * std::sin(theta) - tile / 2.0;
    cv::Mat placed;
    cv::warpAffine(glyph_mask, placed, m, mask.size(), cv::INTER_LINEAR);
    mask = cv::max(mask, placed);
  }

  if (!seal.bottom_text.empty()) {
    const int px = static_cast<int>(d * 0.085);
    cv::Mat text(size, size, CV_8UC3, cv::Scalar(0, 0, 0));
    const int w = TextWidth(seal.bottom_text, px);
    font_->putText(text, seal.bottom_text, cv::Point(c.x - w / 2, c.y + static_cast<int>(d * 0.33)),
                   px, cv::Scalar(255, 255, 255), -1, cv::LINE_AA, true);
    cv::Mat text_mask;
    cv::extractChannel(text, text_mask, 0);
    mask = cv::max(mask, text_mask);
  }

  // Stamps never ink evenly: modulate coverage with smooth random blotches.
  cv::Mat blotch(8, 8, CV_32F);
  rng.fill(blotch, cv::RNG::UNIFORM, 0.55, 1.0);
  cv::resize(blotch, blotch, mask.size(), 0, 0, cv::INTER_CUBIC);
  cv::Mat alpha;
  mask.convertTo(alpha, CV_32F, 1.0 / 255);
  alpha = alpha.mul(blotch);

  const cv::Vec3f ink(48, 36, 205);  // BGR seal red
  const int x0 = center.x - size / 2;
  const int y0 = center.y - size / 2;
  for (int y = 0; y < size; ++y) {
    const int py = y0 + y;
    if (py < 0 || py >= img.rows) continue;
    for (int x = 0; x < size; ++x) {
      const int px = x0 + x;
      const float a = std::clamp(alpha.at<float>(y, x), 0.0f, 1.0f);
      if (px < 0 || px >= img.cols || a <= 0) continue;
      cv::Vec3b& p = img.at<cv::Vec3b>(py, px);
      for (int ch = 0; ch < 3; ++ch) {
        p[ch] = cv::saturate_cast<uchar>(p[ch] * (1.0f - a * (1.0f - ink[ch] / 255.0f)));
      }
    }
  }
}

RenderedPage PageRenderer::Render(const PageSpec& spec, cv::RNG& rng) const {
  RenderedPage out;
  out.image = cv::Mat(kPageHeightPx, kPageWidthPx, CV_8UC3, cv::Scalar(255, 255, 255));
  std::vector<std::string> footer_lines;
  std::vector<std::pair<Seal, cv::Point>> seals;  // drawn last, over the text
  int y = kMarginTop;  // top of the next line box
  const auto advance = [&](int font_px) {
    y += static_cast<int>(std::lround(font_px * spec.line_spacing));
  };
  const auto baseline = [&](int font_px) {
    return y + static_cast<int>(std::lround(font_px * kAscent));
  };

  for (const Block& block : spec.blocks) {
    if (const auto* line = std::get_if<Line>(&block)) {
      const int w = TextWidth(line->text, line->font_px);
      int x = kMarginLeft + line->indent_px;
      if (line->align == Align::kCenter) x = (kPageWidthPx - w) / 2;
      if (line->align == Align::kRight) x = kPageWidthPx - kMarginRight - w;
      DrawText(out.image, line->text, {x, baseline(line->font_px)}, line->font_px);
      out.lines.push_back(line->text);
      advance(line->font_px);
    } else if (const auto* para = std::get_if<Paragraph>(&block)) {
      const auto lines = Wrap(para->text, para->font_px, kTextWidth - para->first_indent_px,
                              kTextWidth - para->hanging_px);
      for (size_t i = 0; i < lines.size(); ++i) {
        const int indent = i == 0 ? para->first_indent_px : para->hanging_px;
        DrawText(out.image, lines[i], {kMarginLeft + indent, baseline(para->font_px)},
                 para->font_px);
        out.lines.push_back(lines[i]);
        advance(para->font_px);
      }
    } else if (const auto* cols = std::get_if<Columns>(&block)) {
      std::string joined;
      for (const Cell& cell : cols->cells) {
        const int x = kMarginLeft + cell.x_px;
        const int base = baseline(cols->font_px);
        DrawText(out.image, cell.text, {x, base}, cols->font_px);
        if (cell.rule_px > 0) {
          const int start = x + TextWidth(cell.text, cols->font_px) + 16;
          cv::line(out.image, {start, base + 8}, {start + cell.rule_px, base + 8}, kInk, 3,
                   cv::LINE_AA);
        }
        joined += (joined.empty() ? "" : " ") + cell.text;
      }
      out.lines.push_back(joined);
      advance(cols->font_px);
    } else if (const auto* table = std::get_if<FormTable>(&block)) {
      std::vector<int> col_x = {kMarginLeft};
      for (double f : table->column_fractions) {
        col_x.push_back(col_x.back() + static_cast<int>(std::lround(f * kTextWidth)));
      }
      const int top = y;
      const int bottom = top + table->row_height_px * static_cast<int>(table->rows.size());
      for (size_t r = 0; r < table->rows.size(); ++r) {
        const int row_top = top + table->row_height_px * static_cast<int>(r);
        const int base = row_top + table->row_height_px / 2 + table->font_px * 38 / 100;
        std::string joined;
        for (size_t c = 0; c < table->rows[r].size() && c + 1 < col_x.size(); ++c) {
          DrawText(out.image, table->rows[r][c], {col_x[c] + table->cell_padding_px, base},
                   table->font_px);
          joined += (joined.empty() ? "" : " ") + table->rows[r][c];
        }
        out.lines.push_back(joined);
        if (r > 0) {
          cv::line(out.image, {col_x.front(), row_top}, {col_x.back(), row_top},
                   kHairlineInk, table->row_rule_px);
        }
      }
      for (int edge : {top, bottom}) {
        cv::line(out.image, {col_x.front(), edge}, {col_x.back(), edge}, kInk, table->frame_px);
      }
      for (int x : col_x) cv::line(out.image, {x, top}, {x, bottom}, kInk, table->frame_px);
      y = bottom + table->font_px / 2;
    } else if (const auto* seal = std::get_if<Seal>(&block)) {
      seals.emplace_back(*seal, cv::Point(kMarginLeft + seal->center_dx_px,
                                          y + seal->center_dy_px));
    } else if (const auto* gap = std::get_if<Gap>(&block)) {
      y += gap->px;
    } else if (const auto* vertical = std::get_if<VerticalText>(&block)) {
      const int px = vertical->font_px;
      const int per_column = std::max(1, vertical->height_px / px);
      const int pitch = static_cast<int>(std::lround(px * vertical->column_pitch));
      const std::vector<std::string> cps = CodePoints(vertical->text);
      int x = kPageWidthPx - kMarginRight - px;  // left edge of the column
      for (size_t i = 0; i < cps.size(); i += per_column) {
        if (x < kMarginLeft) {
          throw std::runtime_error(
              fmt::format("page {}: vertical text overflows the page", spec.name));
        }
        std::string column;
        for (size_t j = i; j < std::min(cps.size(), i + per_column); ++j) {
          const int row = static_cast<int>(j - i);
          DrawText(out.image, cps[j],
                   {x, y + static_cast<int>(std::lround(px * kAscent)) + row * px}, px);
          column += cps[j];
        }
        out.lines.push_back(column);
        x -= pitch;
      }
      y += per_column * px + px;
    } else if (const auto* footer = std::get_if<Footer>(&block)) {
      const int w = TextWidth(footer->text, footer->font_px);
      DrawText(out.image, footer->text, {(kPageWidthPx - w) / 2, kFooterBaseline},
               footer->font_px);
      footer_lines.push_back(footer->text);
    }
    if (y > kFooterBaseline - 120) {
      throw std::runtime_error(fmt::format("page {}: content overflows the page", spec.name));
    }
  }
  for (const auto& [seal, center] : seals) DrawSeal(out.image, seal, center, rng);
  out.lines.insert(out.lines.end(), footer_lines.begin(), footer_lines.end());
  return out;
}

}  // namespace dossier::samples
