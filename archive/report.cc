#include "archive/report.h"

#include <algorithm>

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

namespace {

// A category as printed: Chinese first, the stored English name second.
std::string CategoryLabel(const std::string& category) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"found", "已找到"},   {"missing", "缺失"},    {"misplaced", "错位"},
      {"unknown", "未登记"}, {"on-loan", "借出"},    {"on loan", "借出"},
      {"duplicate", "重复"}, {"duplicates", "重复"},
  };
  for (const auto& [en, zh] : kNames) {
    if (category == en) return std::string(zh) + " " + category;
  }
  return category;
}

}  // namespace

Result<std::string> WriteAuditReportPdf(const AuditReportData& report) {
  auto pdf = internal::PdfDoc::Create(report.font_path,
                                      "Audit report " + report.audit_id);
  if (!pdf) return std::unexpected(pdf.error());
  internal::PdfDoc& doc = **pdf;
  const double page_w = MmToPt(210);
  const double page_h = MmToPt(297);
  const double margin = MmToPt(15);
  const double text_w = page_w - 2 * margin;
  const double line_h = 11;
  // Columns: category, barcode, registered, found, suggested, customer/title.
  const double cols[] = {0, 64, 130, 183, 236, 289};
  const double widths[] = {64, 66, 53, 53, 53, text_w - 289};
  HPDF_Page page = nullptr;
  double y = 0;
  int page_number = 0;
  auto new_page = [&]() -> Status {
    auto p = doc.AddPage(page_w, page_h);
    if (!p) return std::unexpected(p.error());
    page = *p;
    ++page_number;
    y = page_h - margin;
    doc.Text(page, margin, MmToPt(8), 7,
             "Dossier 盘点报告 audit report " + report.audit_id + "  ·  第 " +
                 std::to_string(page_number) + " 页 page " +
                 std::to_string(page_number),
             0);
    return Ok();
  };
  // Headings "类别 category": the Chinese on the first line, the English
  // under it, so neither is cut.
  auto header_row = [&]() {
    const char* heads[][2] = {
        {"类别", "category"},       {"条码", "barcode"},
        {"登记位置", "registered"}, {"发现位置", "found at"},
        {"建议", "suggested"},      {"客户 / 题名", "customer / title"}};
    for (int i = 0; i < 6; ++i) {
      doc.Text(page, margin + cols[i], y, 8, heads[i][0], widths[i] - 3);
      doc.Text(page, margin + cols[i], y - 8.5, 7, heads[i][1], widths[i] - 3);
    }
    doc.Rule(page, margin, page_w - margin, y - 12);
    y -= line_h + 11;
  };

  if (auto s = new_page(); !s) return std::unexpected(s.error());
  doc.Text(page, margin, y - 14, 18, "盘点报告", 0);
  doc.Text(page, margin + doc.TextWidth(page, 18, "盘点报告 "), y - 14, 13,
           "Audit report " + report.audit_id, 0);
  y -= 36;
  // Facts and counts on the left; the signature lines (auditor, records
  // manager, date) on the right of the same block, so they take no page of
  // their own.
  const double top = y;
  const double half = text_w / 2;
  const std::pair<std::string, std::string> facts[] = {
      {"位置 Location", report.location_path},
      {"开始 Started", report.started},
      {"结束 Closed", report.closed},
  };
  for (const auto& [label, value] : facts) {
    doc.Text(page, margin, y, 10, label, 0);
    doc.Text(page, margin + 90, y, 10, value, half - 100);
    y -= 14;
  }
  y -= 6;
  for (const auto& [category, count] : report.counts) {
    doc.Text(page, margin, y, 10, CategoryLabel(category), 0);
    doc.Text(page, margin + 90, y, 10, std::to_string(count), 0, true);
    y -= 13;
  }
  const double sx = margin + half + 10;
  double sy = top;
  doc.Text(page, sx, sy, 10, "签字 Signatures", 0);
  for (const char* signer :
       {"盘点人 Auditor", "档案管理员 Records manager", "日期 Date"}) {
    sy -= 26;
    doc.Text(page, sx, sy, 9.5, signer, half - 10);
    const double lx = sx + doc.TextWidth(page, 9.5, signer) + 6;
    doc.Rule(page, lx, page_w - margin, sy - 2, 0.6);
  }
  y = std::min(y, sy - 14);
  y -= 10;
  header_row();
  for (const AuditReportLine& l : report.lines) {
    if (y < margin + line_h) {
      if (auto s = new_page(); !s) return std::unexpected(s.error());
      header_row();
    }
    const std::string category =
        l.scan_count > 1
            ? CategoryLabel(l.category) + " x" + std::to_string(l.scan_count)
            : CategoryLabel(l.category);
    const std::string who = l.customer + (l.title.empty() ? "" : " " + l.title);
    const std::string fields[] = {category,   l.barcode,      l.registered_at,
                                  l.found_at, l.suggested_to, who};
    for (int i = 0; i < 6; ++i) {
      doc.Text(page, margin + cols[i], y, 8, fields[i], widths[i] - 3);
    }
    y -= line_h;
  }
  return doc.Save();
}

}  // namespace dossier::archive
