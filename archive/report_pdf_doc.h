// Internal: the small libharu document wrapper every printed sheet uses
// (label sheets, audit reports, destruction certificates, cover sheets,
// the document index, box contents and overdue lists). Not the archival
// writer: these PDFs are printed, not archived, so they are plain PDF 1.4.
//
// Text. Text is drawn in a CJK TrueType font (fonts-wqy-microhei by
// default), codes and numbers in DejaVu Sans Mono Bold (fonts-dejavu-core:
// a zero unlike the letter O; a mono string with a character it lacks is
// drawn in the CJK font), each embedded as a subset made from exactly the
// strings the sheet draws (archive/sheet_font.h says why
// libharu's own subset is not used). Text is therefore collected while the
// sheet is laid out and written to the pages by Save(), once every
// character is known; widths for layout come from the font's metrics.
// Without the default font file the sheet falls back to Helvetica/Courier
// with non-ASCII shown as '?'.
//
// Errors: libharu's error handler records the first error (no longjmp,
// nothing thrown through C); Check() turns it into a kPdf Error naming
// where it happened.
#pragma once

#include <hpdf.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "archive/sheet_font.h"
#include "core/result.h"

namespace dossier::archive::internal {

// The CJK font used when none is given (fonts-wqy-microhei).
inline constexpr char kDefaultCjkFont[] =
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
// The monospaced font for codes (fonts-dejavu-core); when it is missing,
// face 1 of a .ttc text font (WenQuanYi Micro Hei Mono), else the text font.
inline constexpr char kDefaultMonoFont[] =
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf";

constexpr double MmToPt(double mm) { return mm * 72.0 / 25.4; }

class PdfDoc {
 public:
  // Creates the document; loads font_path (TrueType, or face 0 of a .ttc;
  // '' = kDefaultCjkFont) and the monospaced font. A font the caller named
  // that cannot be used is an error naming the file and why
  // (kNotFound, kInvalidArgument); without the default font the sheet
  // falls back to the base-14 fonts.
  static Result<std::unique_ptr<PdfDoc>> Create(const std::string& font_path,
                                                const std::string& title);
  ~PdfDoc();
  PdfDoc(const PdfDoc&) = delete;
  PdfDoc& operator=(const PdfDoc&) = delete;

  HPDF_Doc doc() const { return doc_; }
  // A new page of the size in points.
  Result<HPDF_Page> AddPage(double width_pt, double height_pt);

  // Draws text with its baseline at (x, y) in points, shortened with an
  // ellipsis to fit max_width (0: no limit). mono: the monospaced face.
  void Text(HPDF_Page page, double x, double y, double size,
            std::string_view utf8, double max_width, bool mono = false);
  double TextWidth(HPDF_Page page, double size, std::string_view utf8,
                   bool mono = false);
  // A horizontal line from x0 to x1 at y.
  void Rule(HPDF_Page page, double x0, double x1, double y, double width = 0.5);

  // Characters drawn so far that the font has no glyph for.
  const std::set<char32_t>& missing() const { return missing_; }

  Status Check(bool ok, std::string_view where);
  // Embeds the fonts, writes the text and returns the PDF bytes.
  Result<std::string> Save();

 private:
  PdfDoc() = default;
  std::string Printable(std::string_view utf8) const;
  double Width(int face, double size, const std::string& text) const;
  // 1 (mono) if asked for and the mono face has every character, else 0.
  int FaceFor(bool mono, const std::string& text) const;
  Result<HPDF_Font> EmbedFont(const SheetFont& font,
                              const std::set<char32_t>& codepoints);
  Status FixToUnicode(HPDF_Font font, const std::set<char32_t>& codepoints);

  struct TextRun {
    HPDF_Page page;
    int face;  // 0 text, 1 mono
    double x, y, size;
    std::string text;
  };

  HPDF_Doc doc_ = nullptr;
  HPDF_STATUS error_ = HPDF_OK;
  HPDF_STATUS detail_ = 0;
  // Embedded faces (text, mono; mono may be the text face), or none.
  std::shared_ptr<const SheetFont> faces_[2];
  // Base-14 fallbacks when there is no usable font file.
  HPDF_Font fallback_[2] = {nullptr, nullptr};
  std::vector<TextRun> runs_;
  std::set<char32_t> missing_;

  friend void HPDF_STDCALL RecordReportError(HPDF_STATUS, HPDF_STATUS, void*);
};

}  // namespace dossier::archive::internal
