// Lists as CSV files for spreadsheets (operations customer.export-csv,
// document.export-csv, loan.export-csv, review.export-csv,
// retention.export-due-csv; each needs the permission of its list).
//
// RFC 4180: comma-separated, CRLF line ends, a field with a comma, a quote,
// CR or LF is quoted and its quotes doubled; the first row names the
// columns. UTF-8; with bom a UTF-8 byte order mark comes first, which Excel
// needs to read Chinese correctly. Values are masked for the caller as on
// screen (ID numbers and phones without customer.pii), times are in the
// archive's zone. One access-log entry per export. The file is written by
// core/output_file.h (never inside the archive; --force to replace).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app/station.h"
#include "core/result.h"

namespace dossier::app {

// The kinds of list, as named on the command line.
const std::vector<std::string>& CsvKinds();

struct CsvExportInput {
  std::string kind;  // customers, documents, loans, review, retention-due
  std::filesystem::path to;
  bool force = false;
  bool bom = false;
  std::string customer;  // documents: only this customer's ('' = all)
  std::string status;    // documents, loans, review: only this status
};
struct CsvExportResult {
  std::filesystem::path written;
  int rows = 0;  // without the header
};
Result<CsvExportResult> ExportCsv(Station& station, const Caller& caller,
                                  const CsvExportInput& input);

// One CSV file's text from a header and rows (RFC 4180, CRLF).
std::string CsvText(const std::vector<std::vector<std::string>>& rows,
                    bool bom);

}  // namespace dossier::app
