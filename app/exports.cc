#include "app/exports.h"

#include <fmt/format.h>

#include "app/operation.h"
#include "app/records.h"
#include "core/output_file.h"
#include "governance/masking.h"
#include "storage/archive.h"
#include "storage/records_store.h"
#include "storage/custody_store.h"
#include "storage/retention_store.h"

namespace dossier::app {
namespace {

using Rows = std::vector<std::vector<std::string>>;

std::string Quoted(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct Kind {
  std::string_view name;
  std::string_view operation;
};
constexpr Kind kKinds[] = {
    {"customers", "customer.export-csv"},
    {"documents", "document.export-csv"},
    {"loans", "loan.export-csv"},
    {"review", "review.export-csv"},
    {"retention-due", "retention.export-due-csv"},
};

Rows DocumentRows(const Principal& p, const TimeZone& zone,
                  const std::vector<storage::DocumentRecord>& docs) {
  Rows rows = {{"document", "customer", "customer_name", "type", "title",
                "status", "archive_number", "pages", "scanned_at",
                "scanned_by", "reviewed_by", "reviewed_at", "review_reason"}};
  for (const auto& d : docs) {
    rows.push_back({d.display_id, d.customer_code,
                    governance::MaskTextFor(p, d.customer_name), d.type,
                    governance::MaskTextFor(p, d.title), d.status,
                    d.archive_number, std::to_string(d.page_count),
                    zone.DisplayUtc(d.created_at), d.created_by, d.reviewed_by,
                    d.reviewed_at.empty() ? "" : zone.DisplayUtc(d.reviewed_at),
                    governance::MaskTextFor(p, d.review_reason)});
  }
  return rows;
}

Result<Rows> RowsFor(Station& station, const Principal& p,
                     const CsvExportInput& input) {
  const TimeZone zone = station.Zone();
  if (input.kind == "customers") {
    auto customers = station.records().ListCustomers();
    if (!customers) return std::unexpected(customers.error());
    Rows rows = {{"code", "name", "kind", "group_of", "uscc", "id_number",
                  "phone", "email", "address", "opened_at", "opened_by"}};
    for (auto c : *customers) {
      c = Masked(p, c);
      rows.push_back({c.code, c.name, c.kind, c.parent_code, c.uscc,
                      c.id_number, c.phone, c.email,
                      governance::MaskTextFor(p, c.address),
                      zone.DisplayUtc(c.created_at), c.created_by});
    }
    return rows;
  }
  if (input.kind == "documents" || input.kind == "review") {
    const std::string status =
        input.kind == "review" && input.status.empty() ? "pending" : input.status;
    auto docs = status.empty() ? station.records().ListDocuments(input.customer)
                               : station.records().ListDocumentsByStatus(status);
    if (!docs) return std::unexpected(docs.error());
    if (!status.empty() && !input.customer.empty()) {
      auto customer = station.records().FindCustomer(input.customer);
      if (!customer) return std::unexpected(customer.error());
      std::erase_if(*docs, [&](const auto& d) {
        return d.customer_code != customer->code;
      });
    }
    return DocumentRows(p, zone, *docs);
  }
  if (input.kind == "loans") {
    auto loans = station.custody().ListLoans(input.status);
    if (!loans) return std::unexpected(loans.error());
    Rows rows = {{"loan", "kind", "status", "document", "barcode", "title",
                  "requester", "purpose", "recipient", "external", "due_date",
                  "requested_at", "checked_out_at", "returned_at"}};
    for (const auto& l : *loans) {
      rows.push_back(
          {l.display_id, l.kind, l.status, l.document_display_id, l.barcode,
           governance::MaskTextFor(p, l.title), l.requester,
           governance::MaskTextFor(p, l.purpose),
           governance::MaskTextFor(p, l.recipient), l.external ? "yes" : "no",
           l.due_date, l.requested_at.empty() ? "" : zone.DisplayUtc(l.requested_at),
           l.checked_out_at.empty() ? "" : zone.DisplayUtc(l.checked_out_at),
           l.returned_at.empty() ? "" : zone.DisplayUtc(l.returned_at)});
    }
    return rows;
  }
  if (input.kind == "retention-due") {
    auto due = station.retention().Due(zone.Today(), /*all=*/false);
    if (!due) return std::unexpected(due.error());
    Rows rows = {{"document", "archive_number", "customer", "type", "title",
                  "event", "event_date", "years", "due_on", "blocked_by"}};
    for (const auto& r : *due) {
      std::string blocked;
      for (const auto& b : r.blocked_by) blocked += (blocked.empty() ? "" : "; ") + b;
      rows.push_back({r.document, r.archive_number, r.customer_code, r.type,
                      governance::MaskTextFor(p, r.title), r.event,
                      r.event_date, std::to_string(r.years), r.due_on,
                      governance::MaskTextFor(p, blocked)});
    }
    return rows;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown list '" + input.kind + "'");
}

}  // namespace

const std::vector<std::string>& CsvKinds() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const Kind& k : kKinds) names.emplace_back(k.name);
    return names;
  }();
  return kNames;
}

std::string CsvText(const Rows& rows, bool bom) {
  std::string out = bom ? "\xEF\xBB\xBF" : "";
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      out += Quoted(row[i]);
    }
    out += "\r\n";
  }
  return out;
}

Result<CsvExportResult> ExportCsv(Station& station, const Caller& caller,
                                  const CsvExportInput& input) {
  std::string_view operation = "document.export-csv";
  bool known = false;
  for (const Kind& k : kKinds) {
    if (k.name == input.kind) {
      operation = k.operation;
      known = true;
    }
  }
  Operation op(station, caller, operation);
  op.Record(input.customer);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<CsvExportResult> {
    if (!known) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("unknown list '{}' (one of customers, "
                                   "documents, loans, review, retention-due)",
                                   input.kind));
    }
    const OutputFileOptions out{input.force, station.archive().dir()};
    if (auto s = CheckOutputFile(input.to, out); !s) {
      return std::unexpected(s.error());
    }
    auto rows = RowsFor(station, op.principal(), input);
    if (!rows) return std::unexpected(rows.error());
    if (auto s = WriteOutputFile(input.to, CsvText(*rows, input.bom), out); !s) {
      return std::unexpected(s.error());
    }
    return CsvExportResult{input.to, static_cast<int>(rows->size()) - 1};
  };
  return op.Finish(run());
}

}  // namespace dossier::app
