#include "archive/report.h"

#include "archive/report_pdf_doc.h"
#include "core/text.h"

namespace dossier::archive {
namespace {

using internal::MmToPt;

// Controls escaped, formulas defused, quoted as needed (core/text.h).
std::string CsvField(const std::string& s) { return CsvCell(s); }

}  // namespace

std::string WriteAuditReportCsv(const AuditReportData& report) {
  std::string out =
      "audit,category,barcode,customer,title,registered_at,found_at,"
      "suggested_to,scan_count\r\n";
  for (const AuditReportLine& l : report.lines) {
    for (const std::string* f :
         {&report.audit_id, &l.category, &l.barcode, &l.customer, &l.title,
          &l.registered_at, &l.found_at, &l.suggested_to}) {
      out += CsvField(*f) + ",";
    }
    out += std::to_string(l.scan_count) + "\r\n";
  }
  return out;
}

Result<std::string> WriteAuditReportPdf(const AuditReportData& report) {
  auto pdf = internal::PdfDoc::Create(report.font_path.empty()
                                          ? internal::kDefaultCjkFont
                                          : report.font_path,
                                      "Audit report " + report.audit_id);
  if (!pdf) return std::unexpected(pdf.error());
  const double page_w = MmToPt(210);
  const double page_h = MmToPt(297);
  const double margin = MmToPt(15);
  const double line_h = 11;
  // Columns: category, barcode, registered, found, suggested, customer/title.
  const double cols[] = {0, 52, 125, 185, 245, 305};
  const double widths[] = {50, 71, 58, 58, 58, page_w - 2 * margin - 305};
  HPDF_Page page = nullptr;
  double y = 0;
  int page_number = 0;
  auto new_page = [&]() -> Status {
    auto p = (*pdf)->AddPage(page_w, page_h);
    if (!p) return std::unexpected(p.error());
    page = *p;
    ++page_number;
    y = page_h - margin;
    (*pdf)->Text(page, margin, MmToPt(8), 7,
                 "Dossier audit report " + report.audit_id + " - page " +
                     std::to_string(page_number),
                 0);
    return Ok();
  };
  auto header_row = [&]() {
    const char* heads[] = {"category",  "barcode",   "registered",
                           "found at",  "suggested", "customer / title"};
    for (int i = 0; i < 6; ++i) {
      (*pdf)->Text(page, margin + cols[i], y, 8, heads[i], widths[i]);
    }
    HPDF_Page_SetLineWidth(page, 0.5f);
    HPDF_Page_MoveTo(page, static_cast<HPDF_REAL>(margin),
                     static_cast<HPDF_REAL>(y - 3));
    HPDF_Page_LineTo(page, static_cast<HPDF_REAL>(page_w - margin),
                     static_cast<HPDF_REAL>(y - 3));
    HPDF_Page_Stroke(page);
    y -= line_h + 2;
  };
  if (auto s = new_page(); !s) return std::unexpected(s.error());
  (*pdf)->Text(page, margin, y - 14, 16, "盘点报告 Audit report " + report.audit_id, 0);
  y -= 36;
  (*pdf)->Text(page, margin, y, 10, "Location: " + report.location_path,
               page_w - 2 * margin);
  y -= 14;
  (*pdf)->Text(page, margin, y, 10, "Started: " + report.started, 0);
  y -= 14;
  (*pdf)->Text(page, margin, y, 10, "Closed: " + report.closed, 0);
  y -= 20;
  for (const auto& [category, count] : report.counts) {
    (*pdf)->Text(page, margin, y, 10, category, 0);
    (*pdf)->Text(page, margin + 90, y, 10, std::to_string(count), 0, true);
    y -= 13;
  }
  y -= 10;
  header_row();
  for (const AuditReportLine& l : report.lines) {
    if (y < margin + line_h) {
      if (auto s = new_page(); !s) return std::unexpected(s.error());
      header_row();
    }
    const std::string category =
        l.scan_count > 1 ? l.category + " x" + std::to_string(l.scan_count)
                         : l.category;
    const std::string who =
        l.customer + (l.title.empty() ? "" : " " + l.title);
    const std::string fields[] = {category,    l.barcode,      l.registered_at,
                                  l.found_at,  l.suggested_to, who};
    for (int i = 0; i < 6; ++i) {
      (*pdf)->Text(page, margin + cols[i], y, 8, fields[i], widths[i] - 3,
                   i == 1);
    }
    y -= line_h;
  }
  return (*pdf)->Save();
}

}  // namespace dossier::archive
