// Printable cover sheets: an A4 page with the sheet's QR code and the same
// facts in readable text. The payload is formatted by the caller
// (capture/cover_sheet.h); this module only draws it.
//
// Thread safety: WriteCoverSheetPdf is reentrant.
#pragma once

#include <string>

#include "core/result.h"

namespace dossier::archive {

struct CoverSheetText {
  std::string payload;  // what the QR code carries, ASCII
  std::string customer_code;
  std::string customer_name;  // UTF-8, may be empty
  std::string type;
  std::string title;  // UTF-8, may be empty
  std::string font_path;  // CJK TrueType/TTC; empty: wqy-microhei
};

// Returns the PDF file's bytes, its text in the sheets' embedded CJK font
// (archive/report_pdf_doc.h).
// kPdf names the libharu error; kInvalidArgument for an empty or non-ASCII
// payload.
Result<std::string> WriteCoverSheetPdf(const CoverSheetText& sheet);

}  // namespace dossier::archive
