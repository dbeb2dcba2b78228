// Internal: a small libharu document wrapper shared by the label sheets
// (labels.cc) and the audit report (report.cc). Not the archival writer:
// these PDFs are printed, not archived, so they are plain PDF 1.4 with an
// embedded subset of a CJK TrueType font.
//
// Errors: libharu's error handler records the first error (no longjmp,
// nothing thrown through C); Check() turns it into a kPdf Error naming
// where it happened.
#pragma once

#include <hpdf.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier::archive::internal {

// The CJK font used when none is given (fonts-wqy-microhei).
inline constexpr char kDefaultCjkFont[] =
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

constexpr double MmToPt(double mm) { return mm * 72.0 / 25.4; }

class PdfDoc {
 public:
  // Creates the document; loads font_path (TrueType or .ttc index 0) for
  // text, falling back to Helvetica with non-ASCII shown as '?' when the
  // file is missing or unusable.
  static Result<std::unique_ptr<PdfDoc>> Create(const std::string& font_path,
                                                const std::string& title);
  ~PdfDoc();
  PdfDoc(const PdfDoc&) = delete;
  PdfDoc& operator=(const PdfDoc&) = delete;

  HPDF_Doc doc() const { return doc_; }
  // A new page of the size in points.
  Result<HPDF_Page> AddPage(double width_pt, double height_pt);

  // Draws text with its baseline at (x, y) in points, shortened with an
  // ellipsis to fit max_width (0: no limit). mono: Courier-Bold (ASCII).
  void Text(HPDF_Page page, double x, double y, double size,
            std::string_view utf8, double max_width, bool mono = false);
  double TextWidth(HPDF_Page page, double size, std::string_view utf8,
                   bool mono = false);

  Status Check(bool ok, std::string_view where);
  Result<std::string> Save();

 private:
  PdfDoc() = default;
  std::string Printable(std::string_view utf8) const;

  HPDF_Doc doc_ = nullptr;
  HPDF_STATUS error_ = HPDF_OK;
  HPDF_STATUS detail_ = 0;
  HPDF_Font text_font_ = nullptr;
  HPDF_Font mono_font_ = nullptr;
  bool unicode_ = false;

  friend void HPDF_STDCALL RecordReportError(HPDF_STATUS, HPDF_STATUS, void*);
};

}  // namespace dossier::archive::internal
