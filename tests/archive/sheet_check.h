// Checks of printed sheets as a reader meets them: is every character the
// pages draw really in the embedded font, and does OCR of the rendered page
// read the text back.
#pragma once

#include <string>
#include <vector>

namespace dossier::testing {

struct DrawnText {
  int characters = 0;                 // characters drawn, all pages
  std::vector<std::string> fonts;     // BaseFont of every font used
  std::vector<std::string> problems;  // empty when every glyph is there
};

// Parses the PDF (qpdf), follows every text-showing operator of every page
// and looks each character code up in its font: the font must be an
// embedded TrueType (FontFile2), and the glyph its CIDToGIDMap names must
// have an outline in that font file (HarfBuzz draws it). Spaces are exempt.
DrawnText CheckDrawnGlyphs(const std::string& pdf_bytes);

// Renders page 1 with `pdftoppm -r dpi -gray` and reads it with Tesseract
// (chi_sim+eng). The text comes back with all white space removed, since
// Tesseract puts spaces between Chinese characters.
std::string OcrFirstPage(const std::string& pdf_bytes, int dpi);

// `s` with all ASCII white space removed.
std::string WithoutSpaces(const std::string& s);

}  // namespace dossier::testing
