// Cover sheet layout, A4 portrait, units of 1/72 inch:
//   heading (Chinese, then English), instruction, the QR code (60 mm, drawn
//   as filled squares, so it is sharp at any printer resolution), then
//   customer, type and title in large type and the raw payload in small
//   monospace for manual entry. Text is drawn with the sheets' embedded CJK
//   font (archive/report_pdf_doc.h).
// The QR code has a quiet zone of at least four modules of white.
#include "archive/cover_sheet_pdf.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <fmt/format.h>
#include <hpdf.h>

#include "archive/report_pdf_doc.h"

namespace dossier::archive {

namespace {

using internal::MmToPt;

bool IsAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

Result<std::string> WriteCoverSheetPdf(const CoverSheetText& sheet) {
  if (sheet.payload.empty() || !IsAscii(sheet.payload)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cover sheet: the payload must be non-empty ASCII");
  }
  ZXing::BitMatrix qr;
  try {
    qr = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
             .setEccLevel(4)
             .setMargin(0)
             .encode(sheet.payload, 0, 0);
  } catch (const std::exception& e) {
    return MakeError(
        ErrorCode::kPdf,
        fmt::format("cover sheet: cannot encode the QR code: {}", e.what()));
  }
  if (qr.width() <= 0) {
    return MakeError(ErrorCode::kPdf, "cover sheet: empty QR code");
  }
  auto doc = internal::PdfDoc::Create(
      sheet.font_path,
      "Dossier cover sheet");
  if (!doc) return std::unexpected(doc.error());
  internal::PdfDoc& pdf = **doc;
  const double width = MmToPt(210);
  const double height = MmToPt(297);
  auto added = pdf.AddPage(width, height);
  if (!added) return std::unexpected(added.error());
  HPDF_Page page = *added;

  const double left = MmToPt(25);
  const double text_w = width - 2 * left;
  double y = height - MmToPt(30);
  pdf.Text(page, left, y, 26, "档案分隔页", 0);
  pdf.Text(page, left + pdf.TextWidth(page, 26, "档案分隔页 "), y, 18,
           "Dossier cover sheet", 0);
  y -= 30;
  pdf.Text(page, left, y, 11,
           "请将本页放在所述文件的最上面，与文件一起扫描。本页不归档。",
           text_w);
  y -= 15;
  pdf.Text(page, left, y, 9,
           "Put this sheet on top of the document it describes and scan the "
           "stack.",
           text_w);
  y -= 12;
  pdf.Text(page, left, y, 9,
           "The station starts a new document here; this sheet is not "
           "archived.",
           text_w);

  // The QR code, 60 mm square, centred.
  const double qr_size = MmToPt(60);
  const double module = qr_size / qr.width();
  const double qr_x = (width - qr_size) / 2;
  const double qr_top = y - MmToPt(25);
  HPDF_Page_SetGrayFill(page, 0);
  for (int r = 0; r < qr.height(); ++r) {
    for (int c = 0; c < qr.width(); ++c) {
      if (!qr.get(c, r)) continue;
      // Slight overlap so no hairlines show between touching modules.
      HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(qr_x + c * module),
                          static_cast<HPDF_REAL>(qr_top - (r + 1) * module),
                          static_cast<HPDF_REAL>(module + 0.05),
                          static_cast<HPDF_REAL>(module + 0.05));
    }
  }
  HPDF_Page_Fill(page);

  const double value_x = left + MmToPt(38);
  const double value_w = width - left - value_x;
  y = qr_top - qr_size - MmToPt(20);
  pdf.Text(page, left, y, 14, "客户 Customer", 0);
  pdf.Text(page, value_x, y, 22, sheet.customer_code, value_w, true);
  if (!sheet.customer_name.empty()) {
    y -= 26;
    pdf.Text(page, value_x, y, 16, sheet.customer_name, value_w);
  }
  y -= 34;
  pdf.Text(page, left, y, 14, "类型 Type", 0);
  pdf.Text(page, value_x, y, 22, sheet.type, value_w);
  y -= 34;
  pdf.Text(page, left, y, 14, "标题 Title", 0);
  pdf.Text(page, value_x, y, 18, sheet.title.empty() ? "(none)" : sheet.title,
           value_w);
  y -= 40;
  pdf.Text(page, left, y, 10, "内容 Payload", 0);
  const size_t per_line = 70;
  for (size_t i = 0; i < sheet.payload.size(); i += per_line) {
    pdf.Text(page, value_x, y, 9, sheet.payload.substr(i, per_line), 0, true);
    y -= 12;
  }
  if (auto s = pdf.Check(true, "cover sheet"); !s) {
    return std::unexpected(s.error());
  }
  return pdf.Save();
}

}  // namespace dossier::archive
