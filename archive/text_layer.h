// Internal to archive/: where each OCR word goes in the invisible text layer.
// Pure geometry, no libharu, so that it can be tested on its own.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace dossier::archive {

// One run of text to show with the glyphless font.
struct PlacedWord {
  std::string text;     // UTF-8, no surrounding spaces
  double x = 0;         // left end of the word, PDF points from the left
  double baseline = 0;  // PDF points from the bottom
  double font_size = 0;
  // Horizontal scale of the text matrix so that the word's glyphs (without
  // the separating space) span exactly `width` points.
  double h_scale = 1;
  double width = 0;
  // When > 0, a space character follows at x + width, this many points wide,
  // separating the word from the next one on its line.
  double space_width = 0;
};

// What the text layer can show for a word: BMP code points only (others
// become U+FFFD, controls and U+FFFF are dropped).
std::u32string TextLayerCodepoints(std::string_view utf8);

// Places the words of `ocr` on a page whose image is image_width x
// image_height pixels at `dpi`. OCR boxes are scaled when the OCR image size
// differs from the page image. `advance` is the glyph advance in 1/1000 em.
//
// Words of one line (same OcrWord::line and overlapping vertically) share
// one baseline and font size (the medians) and are chained: where
// NormalizeText would join them (CJK next to CJK or to , : ; ( ) ! ?) nothing
// is inserted and the first word is stretched to reach the second, so that
// text extraction joins them; otherwise a space character follows the
// first word in the gap, so that extraction separates them. A word never
// reaches into the next one's box.
std::vector<PlacedWord> LayoutTextLayer(const OcrPage& ocr, int image_width,
                                        int image_height, double dpi,
                                        int advance);

// Code points the layout uses (with the space), for building the font.
void CollectCodepoints(const std::vector<PlacedWord>& words,
                       std::set<char32_t>& out);

}  // namespace dossier::archive
