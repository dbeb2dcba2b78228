// Audit (盘点) reports: the reconciliation of one audit as a PDF for the
// file and as CSV for spreadsheets. Plain data in, bytes out; the archive
// module knows nothing of the catalog.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace dossier::archive {

struct AuditReportLine {
  std::string category;  // found|missing|misplaced|unknown|on-loan|duplicate
  std::string barcode;
  std::string customer;  // code and name
  std::string title;
  std::string registered_at;
  std::string found_at;
  std::string suggested_to;
  int scan_count = 0;
};

struct AuditReportData {
  std::string audit_id;       // AU000003
  std::string location_path;  // A / A-03
  std::string started;        // "2026-03-01T09:30:00Z by clerk"
  std::string closed;
  std::vector<std::pair<std::string, int>> counts;  // category, count
  std::vector<AuditReportLine> lines;
  std::string font_path;      // CJK TrueType/TTC; empty: wqy-microhei
};

// A4 portrait, a summary then one table row per line (found lines are
// listed last). kPdf if libharu fails.
Result<std::string> WriteAuditReportPdf(const AuditReportData& report);

// RFC 4180 CSV, UTF-8 with a header row:
// audit,category,barcode,customer,title,registered_at,found_at,
// suggested_to,scan_count
std::string WriteAuditReportCsv(const AuditReportData& report);

}  // namespace dossier::archive
