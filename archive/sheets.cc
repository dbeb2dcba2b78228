// Table sheet layout, A4 (portrait or landscape), units of 1/72 inch:
//   title (18 pt) and subtitle, the facts as label/value lines, then the
//   table: a header row with a rule under it, one 13 pt row per entry,
//   cells cut with an ellipsis to their column. Column widths are scaled to
//   the page's text width. A new page repeats the header row; the footer
//   names the sheet, its subject, when it was printed and the page. The
//   signature lines come last, moved to a new page if they do not fit.
#include "archive/sheets.h"

#include <numeric>

#include "archive/report_pdf_doc.h"

namespace dossier::archive {

using internal::MmToPt;

Result<std::string> WriteTableSheetPdf(const TableSheetData& sheet) {
  for (const auto& row : sheet.rows) {
    if (row.size() > sheet.columns.size()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       sheet.subtitle + ": a row has " +
                           std::to_string(row.size()) + " cells for " +
                           std::to_string(sheet.columns.size()) + " columns");
    }
  }
  auto created = internal::PdfDoc::Create(
      sheet.font_path,
      "Dossier " + sheet.subtitle + " " + sheet.id);
  if (!created) return std::unexpected(created.error());
  internal::PdfDoc& pdf = **created;
  const double page_w = MmToPt(sheet.landscape ? 297 : 210);
  const double page_h = MmToPt(sheet.landscape ? 210 : 297);
  const double margin = MmToPt(15);
  const double text_w = page_w - 2 * margin;
  const double row_h = 13;

  std::vector<double> x, w;
  const double total_mm = std::accumulate(
      sheet.columns.begin(), sheet.columns.end(), 0.0,
      [](double sum, const SheetColumn& c) { return sum + c.width_mm; });
  double at = margin;
  for (const SheetColumn& c : sheet.columns) {
    x.push_back(at);
    w.push_back(total_mm > 0 ? c.width_mm / total_mm * text_w : 0);
    at += w.back();
  }

  HPDF_Page page = nullptr;
  double y = 0;
  int page_number = 0;
  auto new_page = [&]() -> Status {
    auto p = pdf.AddPage(page_w, page_h);
    if (!p) return std::unexpected(p.error());
    page = *p;
    ++page_number;
    y = page_h - margin;
    pdf.Text(page, margin, MmToPt(8), 7,
             "Dossier " + sheet.subtitle + " " + sheet.id +
                 (sheet.printed_at.empty() ? "" : "  ·  " + sheet.printed_at) +
                 "  ·  第 " + std::to_string(page_number) + " 页 page " +
                 std::to_string(page_number),
             text_w);
    return Ok();
  };
  auto cell = [&](size_t i, double size, const std::string& text) {
    const SheetColumn& c = sheet.columns[i];
    const double room = w[i] - 4;
    if (c.right) {
      const double tw = std::min(pdf.TextWidth(page, size, text), room);
      pdf.Text(page, x[i] + room - tw, y, size, text, room);
    } else {
      pdf.Text(page, x[i], y, size, text, room);
    }
  };
  // Headings "序号 No.": the Chinese on the first line, the English under it.
  auto header_row = [&]() {
    for (size_t i = 0; i < sheet.columns.size(); ++i) {
      const std::string& heading = sheet.columns[i].heading;
      const size_t space = heading.find(' ');
      const double room = w[i] - 4;
      pdf.Text(page, x[i], y, 8.5, heading.substr(0, space), room);
      if (space != std::string::npos) {
        pdf.Text(page, x[i], y - 9, 7, heading.substr(space + 1), room);
      }
    }
    pdf.Rule(page, margin, page_w - margin, y - 13);
    y -= row_h + 12;
  };

  if (auto s = new_page(); !s) return std::unexpected(s.error());
  pdf.Text(page, margin, y - 16, 18, sheet.title, 0);
  pdf.Text(page, margin + pdf.TextWidth(page, 18, sheet.title + " "), y - 16,
           13, sheet.subtitle, 0);
  y -= 40;
  for (const auto& [label, value] : sheet.facts) {
    pdf.Text(page, margin, y, 10, label, MmToPt(40));
    pdf.Text(page, margin + MmToPt(42), y, 10, value, text_w - MmToPt(42));
    y -= 14;
  }
  y -= 10;
  header_row();
  if (sheet.rows.empty() && !sheet.empty_text.empty()) {
    pdf.Text(page, margin, y, 10, sheet.empty_text, text_w);
    y -= row_h;
  }
  for (const auto& row : sheet.rows) {
    if (y < margin + row_h) {
      if (auto s = new_page(); !s) return std::unexpected(s.error());
      header_row();
    }
    for (size_t i = 0; i < row.size(); ++i) cell(i, 9, row[i]);
    y -= row_h;
  }
  if (!sheet.signatures.empty()) {
    const double needed = 40 + 28.0 * ((sheet.signatures.size() + 1) / 2);
    if (y - needed < margin + 12) {
      if (auto s = new_page(); !s) return std::unexpected(s.error());
    }
    y -= 12;
    pdf.Rule(page, margin, page_w - margin, y);
    y -= 18;
    pdf.Text(page, margin, y, 10, "签字 Signatures", 0);
    y -= 30;
    // Two per line: "label ______".
    for (size_t i = 0; i < sheet.signatures.size(); ++i) {
      const double sx = margin + (i % 2) * text_w / 2;
      pdf.Text(page, sx, y, 9.5, sheet.signatures[i], text_w / 2);
      const double lx = sx + pdf.TextWidth(page, 9.5, sheet.signatures[i]) + 6;
      pdf.Rule(page, lx, sx + text_w / 2 - 14, y - 2, 0.6);
      if (i % 2 == 1 || i + 1 == sheet.signatures.size()) y -= 28;
    }
  }
  if (auto s = pdf.Check(true, sheet.subtitle); !s) {
    return std::unexpected(s.error());
  }
  return pdf.Save();
}

}  // namespace dossier::archive
