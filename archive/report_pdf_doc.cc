#include "archive/report_pdf_doc.h"

#include <filesystem>
#include <vector>

namespace dossier::archive::internal {

void HPDF_STDCALL RecordReportError(HPDF_STATUS error, HPDF_STATUS detail,
                                    void* user_data) {
  auto* doc = static_cast<PdfDoc*>(user_data);
  if (doc->error_ == HPDF_OK) {
    doc->error_ = error;
    doc->detail_ = detail;
  }
}

Result<std::unique_ptr<PdfDoc>> PdfDoc::Create(const std::string& font_path,
                                               const std::string& title) {
  std::unique_ptr<PdfDoc> pdf(new PdfDoc());
  pdf->doc_ = HPDF_New(RecordReportError, pdf.get());
  if (pdf->doc_ == nullptr) {
    return MakeError(ErrorCode::kPdf, "cannot create a PDF (out of memory)");
  }
  HPDF_SetCompressionMode(pdf->doc_, HPDF_COMP_ALL);
  HPDF_SetInfoAttr(pdf->doc_, HPDF_INFO_CREATOR, "Dossier");
  std::string ascii_title;
  for (char c : title) {
    if (static_cast<unsigned char>(c) >= 0x20 &&
        static_cast<unsigned char>(c) < 0x7F)
      ascii_title += c;
  }
  HPDF_SetInfoAttr(pdf->doc_, HPDF_INFO_TITLE, ascii_title.c_str());
  pdf->mono_font_ = HPDF_GetFont(pdf->doc_, "Courier-Bold", nullptr);
  std::error_code ec;
  if (!font_path.empty() && std::filesystem::is_regular_file(font_path, ec)) {
    HPDF_UseUTFEncodings(pdf->doc_);
    const bool ttc = font_path.ends_with(".ttc") || font_path.ends_with(".TTC");
    const char* name =
        ttc ? HPDF_LoadTTFontFromFile2(pdf->doc_, font_path.c_str(), 0,
                                       HPDF_TRUE)
            : HPDF_LoadTTFontFromFile(pdf->doc_, font_path.c_str(), HPDF_TRUE);
    if (name != nullptr) {
      pdf->text_font_ = HPDF_GetFont(pdf->doc_, name, "UTF-8");
    }
    if (pdf->text_font_ != nullptr) {
      pdf->unicode_ = true;
    } else {
      // An unusable font is not fatal: fall back to Helvetica.
      pdf->error_ = HPDF_OK;
      HPDF_ResetError(pdf->doc_);
    }
  }
  if (pdf->text_font_ == nullptr) {
    pdf->text_font_ = HPDF_GetFont(pdf->doc_, "Helvetica", nullptr);
  }
  if (auto s = pdf->Check(pdf->text_font_ && pdf->mono_font_, "loading fonts");
      !s) {
    return std::unexpected(s.error());
  }
  return pdf;
}

PdfDoc::~PdfDoc() {
  if (doc_ != nullptr) HPDF_Free(doc_);
}

Status PdfDoc::Check(bool ok, std::string_view where) {
  if (error_ == HPDF_OK && HPDF_GetError(doc_) != HPDF_OK) {
    error_ = HPDF_GetError(doc_);
    detail_ = HPDF_GetErrorDetail(doc_);
  }
  if (error_ != HPDF_OK) {
    char code[16];
    std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(error_));
    return MakeError(ErrorCode::kPdf,
                     std::string(where) + ": libharu error " + code +
                         " (detail " + std::to_string(detail_) + ")");
  }
  if (!ok) {
    return MakeError(ErrorCode::kPdf,
                     std::string(where) + ": libharu call failed");
  }
  return Ok();
}

Result<HPDF_Page> PdfDoc::AddPage(double width_pt, double height_pt) {
  HPDF_Page page = HPDF_AddPage(doc_);
  if (page != nullptr) {
    HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(width_pt));
    HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(height_pt));
  }
  if (auto s = Check(page != nullptr, "adding a page"); !s) {
    return std::unexpected(s.error());
  }
  return page;
}

std::string PdfDoc::Printable(std::string_view utf8) const {
  if (unicode_) return std::string(utf8);
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += (c >= 0x20 ? static_cast<char>(c) : ' ');
    } else if ((c & 0xC0) != 0x80) {
      out += '?';  // one '?' per non-ASCII character
    }
  }
  return out;
}

double PdfDoc::TextWidth(HPDF_Page page, double size, std::string_view utf8,
                         bool mono) {
  HPDF_Page_SetFontAndSize(page, mono ? mono_font_ : text_font_,
                           static_cast<HPDF_REAL>(size));
  const std::string text = mono ? std::string(utf8) : Printable(utf8);
  return HPDF_Page_TextWidth(page, text.c_str());
}

void PdfDoc::Text(HPDF_Page page, double x, double y, double size,
                  std::string_view utf8, double max_width, bool mono) {
  std::string text = mono ? std::string(utf8) : Printable(utf8);
  if (text.empty()) return;
  HPDF_Font font = mono ? mono_font_ : text_font_;
  HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(size));
  if (max_width > 0 && HPDF_Page_TextWidth(page, text.c_str()) > max_width) {
    // Drop whole UTF-8 characters from the end until text + "..." fits.
    const std::string ellipsis = "...";
    while (!text.empty()) {
      do {
        text.pop_back();
      } while (!text.empty() &&
               (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80);
      if (!text.empty() &&
          (static_cast<unsigned char>(text.back()) & 0x80) != 0) {
        text.pop_back();  // the lead byte of the character just cut
      }
      if (HPDF_Page_TextWidth(page, (text + ellipsis).c_str()) <= max_width) {
        break;
      }
    }
    text += ellipsis;
  }
  HPDF_Page_BeginText(page);
  HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                    text.c_str());
  HPDF_Page_EndText(page);
}

Result<std::string> PdfDoc::Save() {
  if (auto s = Check(true, "building the PDF"); !s) {
    return std::unexpected(s.error());
  }
  HPDF_SaveToStream(doc_);
  if (auto s = Check(true, "saving the PDF"); !s) {
    return std::unexpected(s.error());
  }
  const HPDF_UINT32 size = HPDF_GetStreamSize(doc_);
  std::string bytes(size, '\0');
  HPDF_ResetStream(doc_);
  HPDF_UINT32 read = size;
  HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &read);
  // Reading to the very end reports HPDF_STREAM_EOF; that is success here.
  if (read == size && (error_ == HPDF_STREAM_EOF ||
                       HPDF_GetError(doc_) == HPDF_STREAM_EOF)) {
    error_ = HPDF_OK;
    HPDF_ResetError(doc_);
  }
  if (auto s = Check(read == size && size > 0, "reading the PDF"); !s) {
    return std::unexpected(s.error());
  }
  return bytes;
}

}  // namespace dossier::archive::internal
