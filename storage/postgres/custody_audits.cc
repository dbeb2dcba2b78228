// PgCustody (storage/postgres/custody.h): cabinet audits (盘点).
//
// The reconciliation and its categories are custody/audit_reconcile.h's,
// as on SQLite: the audited subtree's originals and the scans are loaded,
// reconciled, and the lines kept in audit_results when the audit closes.
// A preview writes them under a savepoint, reads them back with their
// titles and codes, and rolls back to it: nothing of it stays.
#include <fmt/format.h>

#include "custody/audit_reconcile.h"
#include "custody/lending.h"
#include "storage/postgres/common.h"
#include "storage/postgres/custody.h"
#include "storage/postgres/custody_internal.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records_internal.h"

namespace dossier::storage::postgres {

using namespace custody_pg;
using custody::AuditId;

namespace {

const Sql kAuditById{
    "custody.audit_by_id",
    "SELECT a.id, a.location_id, l.code, a.status, a.started_at, a.started_by, "
    "coalesce(a.closed_at, ''), coalesce(a.closed_by, ''), "
    "coalesce(a.moves_applied_at, ''), coalesce(a.moves_applied_by, ''), "
    "(SELECT count(*) FROM audit_scans s WHERE s.audit_id = a.id) "
    "FROM audits a JOIN locations l ON l.id = a.location_id WHERE a.id = $1"};
const Sql kAuditCounts{"custody.audit_counts",
                       "SELECT category, count(*) FROM audit_results "
                       "WHERE audit_id = $1 GROUP BY category"};
const Sql kOpenAudit{"custody.open_audit",
                     "SELECT max(id) FROM audits WHERE location_id = $1 AND "
                     "status = 'open'"};
const Sql kAuditsOf{"custody.audits_of",
                    "SELECT id FROM audits WHERE location_id = $1 ORDER BY id"};
const Sql kInsertAudit{
    "custody.insert_audit",
    "INSERT INTO audits (id, location_id, status, started_at, "
    "started_by) VALUES ($1, $2, 'open', $3, $4)"};
const Sql kScannedLocation{"custody.scanned_location",
                           "SELECT id FROM locations WHERE barcode = $1"};
const Sql kInsertScan{
    "custody.insert_scan",
    "INSERT INTO audit_scans (audit_id, barcode, "
    "context_location_id, source, at) VALUES ($1, $2, $3, $4, $5)"};
const Sql kCloseAudit{"custody.close_audit",
                      "UPDATE audits SET status = 'closed', closed_at = $1, "
                      "closed_by = $2 WHERE id = $3"};
const Sql kMovesApplied{"custody.moves_applied",
                        "UPDATE audits SET moves_applied_at = $1, "
                        "moves_applied_by = $2 WHERE id = $3"};
const Sql kExpected{
    "custody.audit_expected",
    "WITH RECURSIVE sub(id) AS (SELECT $1::bigint UNION ALL SELECT l.id FROM "
    "locations l JOIN sub ON l.parent_id = sub.id) "
    "SELECT o.id, o.barcode, o.location_id, o.state FROM originals o "
    "WHERE o.location_id IN (SELECT id FROM sub) AND o.state <> 'destroyed' "
    "ORDER BY o.id"};
const Sql kScans{"custody.audit_scans",
                 "SELECT barcode, context_location_id FROM audit_scans "
                 "WHERE audit_id = $1 ORDER BY id"};
const Sql kScannedOriginals{
    "custody.audit_scanned_originals",
    "SELECT o.id, o.barcode, o.location_id, o.state FROM originals o "
    "WHERE o.barcode IN (SELECT barcode FROM audit_scans WHERE audit_id = $1)"};
const Sql kInsertResult{
    "custody.insert_result",
    "INSERT INTO audit_results (audit_id, category, barcode, original_id, "
    "registered_location_id, found_location_id, suggested_location_id, "
    "scan_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
const Sql kReportLines{
    "custody.report_lines",
    "SELECT r.category, r.barcode, coalesce(c.code, ''), coalesce(c.name, ''), "
    "CASE WHEN o.id IS NULL THEN '' WHEN o.document_id IS NULL "
    " THEN 'customer folder' ELSE coalesce(d.title, '') END, "
    "coalesce(rl.code, ''), coalesce(fl.code, ''), coalesce(sl.code, ''), "
    "r.scan_count FROM audit_results r "
    "LEFT JOIN originals o ON o.id = r.original_id "
    "LEFT JOIN customers c ON c.id = o.customer_id "
    "LEFT JOIN documents d ON d.id = o.document_id "
    "LEFT JOIN locations rl ON rl.id = r.registered_location_id "
    "LEFT JOIN locations fl ON fl.id = r.found_location_id "
    "LEFT JOIN locations sl ON sl.id = r.suggested_location_id "
    "WHERE r.audit_id = $1 ORDER BY CASE r.category "
    " WHEN 'missing' THEN 0 WHEN 'misplaced' THEN 1 WHEN 'unknown' THEN 2 "
    " WHEN 'duplicate' THEN 3 WHEN 'on-loan' THEN 4 ELSE 5 END, "
    "r.barcode COLLATE \"C\""};
const Sql kSuggestedMoves{
    "custody.suggested_moves",
    "SELECT sl.code, r.barcode FROM audit_results r "
    "JOIN locations sl ON sl.id = r.suggested_location_id "
    "WHERE r.audit_id = $1 AND r.category = 'misplaced' "
    "ORDER BY sl.code COLLATE \"C\", r.barcode COLLATE \"C\""};

Result<Audit> AuditById(Tx& tx, std::int64_t id) {
  auto rows = tx.Exec(kAuditById, id);
  if (rows.empty())
    return MakeError(ErrorCode::kNotFound, "no audit " + AuditId(id));
  const auto& row = rows[0];
  Audit a;
  a.id = Int(row[0]);
  a.display_id = AuditId(a.id);
  a.location_id = Int(row[1]);
  a.location_code = Text(row[2]);
  a.status = Text(row[3]);
  a.started_at = Text(row[4]);
  a.started_by = Text(row[5]);
  a.closed_at = Text(row[6]);
  a.closed_by = Text(row[7]);
  a.moves_applied_at = Text(row[8]);
  a.moves_applied_by = Text(row[9]);
  a.scans = static_cast<int>(Int(row[10]));
  a.location_path = LocationPath(tx, a.location_id);
  for (const auto& count : tx.Exec(kAuditCounts, a.id)) {
    custody::CountCategory(a, Text(count[0]), static_cast<int>(Int(count[1])));
  }
  return a;
}

Result<Audit> ReadAudit(Tx& tx, const std::string& key) {
  auto id = custody::ParseDisplayId(key, "AU");
  if (!id) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "'" + key + "' is not an audit id (e.g. AU000003)");
  }
  return AuditById(tx, *id);
}

Result<std::optional<Audit>> OpenAuditIn(Tx& tx, const Location& loc) {
  auto rows = tx.Exec(kOpenAudit, loc.id);
  if (rows.empty() || rows[0][0].is_null()) return std::optional<Audit>();
  auto audit = AuditById(tx, Int(rows[0][0]));
  if (!audit) return std::unexpected(audit.error());
  return std::optional<Audit>(std::move(*audit));
}

custody::AuditOriginal ReadAuditOriginal(const pqxx::row& row) {
  return {Int(row[0]), Text(row[1]), Int(row[2]), Text(row[3])};
}

// The reconciliation of the audit as it stands, into audit_results.
void Reconcile(Tx& tx, const Audit& audit) {
  custody::AuditInput input;
  input.audited_location_id = audit.location_id;
  input.subtree = Subtree(tx, audit.location_id);
  for (const auto& row : tx.Exec(kExpected, audit.location_id)) {
    input.expected.push_back(ReadAuditOriginal(row));
  }
  for (const auto& row : tx.Exec(kScans, audit.id)) {
    custody::AuditScan scan{Text(row[0]), std::nullopt};
    if (!row[1].is_null()) scan.context = Int(row[1]);
    input.scans.push_back(std::move(scan));
  }
  for (const auto& row : tx.Exec(kScannedOriginals, audit.id)) {
    custody::AuditOriginal o = ReadAuditOriginal(row);
    input.scanned.emplace(o.barcode, o);
  }
  for (const custody::ReconciledLine& line : custody::ReconcileAudit(input)) {
    tx.Exec(kInsertResult, audit.id, line.category, line.barcode,
            line.original_id, line.registered_location_id,
            line.found_location_id, line.suggested_location_id,
            line.scan_count);
  }
}

std::vector<AuditLine> ReportLines(Tx& tx, const Audit& audit) {
  std::vector<AuditLine> lines;
  for (const auto& row : tx.Exec(kReportLines, audit.id)) {
    lines.push_back({Text(row[0]), Text(row[1]), Text(row[2]), Text(row[3]),
                     Text(row[4]), Text(row[5]), Text(row[6]), Text(row[7]),
                     static_cast<int>(Int(row[8]))});
  }
  return lines;
}

}  // namespace

Result<Audit> PgCustody::StartAudit(const std::string& location,
                                    const std::string& actor) {
  if (NormalizeScan(actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "an audit needs an auditor");
  }
  return catalog_.db().Transact(
      "starting an audit of " + location, [&](Tx& tx) -> Result<Audit> {
        LockCounter(tx, "custody_counters");
        auto loc = FindLocation(tx, location);
        if (!loc) return std::unexpected(loc.error());
        auto open = OpenAuditIn(tx, *loc);
        if (!open) return std::unexpected(open.error());
        if (*open) {
          return MakeError(ErrorCode::kConflict,
                           fmt::format("{} already has an open audit, {}",
                                       loc->code, (*open)->display_id));
        }
        const std::string now = NowUtc();
        const std::int64_t id = NextNumber(tx, "audits");
        tx.Exec(kInsertAudit, id, loc->id, now, actor);
        WriteHistory(tx, "audits", id, "location", std::nullopt, loc->code,
                     actor, now);
        WriteHistory(tx, "audits", id, "status", std::nullopt, "open", actor,
                     now);
        return AuditById(tx, id);
      });
}

Result<std::optional<Audit>> PgCustody::OpenAuditAt(
    const std::string& location) {
  return catalog_.db().Transact("looking for an open audit of " + location,
                                [&](Tx& tx) -> Result<std::optional<Audit>> {
                                  auto loc = FindLocation(tx, location);
                                  if (!loc) return std::unexpected(loc.error());
                                  return OpenAuditIn(tx, *loc);
                                });
}

Result<Audit> PgCustody::GetAudit(const std::string& audit) {
  return catalog_.db().Transact("reading audit " + audit,
                                [&](Tx& tx) { return ReadAudit(tx, audit); });
}

Result<ScanOutcome> PgCustody::AddScans(const std::string& key,
                                        const std::vector<std::string>& lines,
                                        const std::string& source) {
  return catalog_.db().Transact(
      "recording scans for " + key, [&](Tx& tx) -> Result<ScanOutcome> {
        auto audit = ReadAudit(tx, key);
        if (!audit) return std::unexpected(audit.error());
        if (audit->status != "open") {
          return MakeError(ErrorCode::kConflict,
                           audit->display_id + " is closed; start a new audit");
        }
        auto batch = custody::ReadScanLines(
            lines,
            [&](const std::string& code)
                -> Result<std::optional<std::int64_t>> {
              auto rows = tx.Exec(kScannedLocation, code);
              if (rows.empty()) return std::optional<std::int64_t>();
              return std::optional<std::int64_t>(Int(rows[0][0]));
            });
        if (!batch) return std::unexpected(batch.error());
        const std::string now = NowUtc();
        for (const custody::AuditScan& scan : batch->items) {
          tx.Exec(kInsertScan, audit->id, scan.barcode, scan.context, source,
                  now);
        }
        return batch->outcome;
      });
}

Result<Audit> PgCustody::CloseAudit(const std::string& key,
                                    const std::string& actor) {
  return catalog_.db().Transact(
      "closing audit " + key, [&](Tx& tx) -> Result<Audit> {
        auto audit = ReadAudit(tx, key);
        if (!audit) return std::unexpected(audit.error());
        if (audit->status != "open") {
          return MakeError(ErrorCode::kConflict,
                           audit->display_id + " is already closed");
        }
        Reconcile(tx, *audit);
        const std::string now = NowUtc();
        tx.Exec(kCloseAudit, now, actor, audit->id);
        WriteHistory(tx, "audits", audit->id, "status", "open", "closed", actor,
                     now);
        return AuditById(tx, audit->id);
      });
}

Result<std::vector<AuditLine>> PgCustody::AuditReport(const std::string& key) {
  return catalog_.db().Transact("reading the report of " + key,
                                [&](Tx& tx) -> Result<std::vector<AuditLine>> {
                                  auto audit = ReadAudit(tx, key);
                                  if (!audit)
                                    return std::unexpected(audit.error());
                                  return ReportLines(tx, *audit);
                                });
}

Result<AuditPreview> PgCustody::PreviewAudit(const std::string& key) {
  return catalog_.db().Transact(
      "reconciling open audit " + key, [&](Tx& tx) -> Result<AuditPreview> {
        auto audit = ReadAudit(tx, key);
        if (!audit) return std::unexpected(audit.error());
        if (audit->status != "open") {
          return MakeError(ErrorCode::kConflict,
                           audit->display_id + " is closed; read its report");
        }
        tx.Run("SAVEPOINT audit_preview");
        Reconcile(tx, *audit);
        AuditPreview preview;
        auto counted = AuditById(tx, audit->id);
        if (!counted) return std::unexpected(counted.error());
        preview.audit = std::move(*counted);
        preview.lines = ReportLines(tx, preview.audit);
        tx.Run("ROLLBACK TO SAVEPOINT audit_preview");
        return preview;
      });
}

Result<std::vector<Audit>> PgCustody::AuditHistory(
    const std::string& location) {
  return catalog_.db().Transact(
      "listing the audits of " + location,
      [&](Tx& tx) -> Result<std::vector<Audit>> {
        auto loc = FindLocation(tx, location);
        if (!loc) return std::unexpected(loc.error());
        std::vector<Audit> audits;
        for (const auto& row : tx.Exec(kAuditsOf, loc->id)) {
          auto a = AuditById(tx, Int(row[0]));
          if (!a) return std::unexpected(a.error());
          audits.push_back(std::move(*a));
        }
        return audits;
      });
}

Result<MoveOutcome> PgCustody::ApplyAuditMoves(const std::string& key,
                                               const std::string& approver) {
  return catalog_.db().Transact(
      "applying the moves of " + key, [&](Tx& tx) -> Result<MoveOutcome> {
        auto policy = LendingPolicyIn(tx);
        if (!policy) return std::unexpected(policy.error());
        auto audit = ReadAudit(tx, key);
        if (!audit) return std::unexpected(audit.error());
        if (auto s =
                custody::CheckApplyMoves(*audit, *policy, approver, ZoneIn(tx));
            !s) {
          return std::unexpected(s.error());
        }
        std::vector<custody::SuggestedMove> suggested;
        for (const auto& row : tx.Exec(kSuggestedMoves, audit->id)) {
          suggested.push_back({Text(row[0]), Text(row[1])});
        }
        // One transaction for all targets: any refusal leaves everything.
        MoveOutcome total;
        for (const MoveRequest& move :
             custody::AuditMoves(*audit, approver, suggested)) {
          std::vector<MoveProblem> problems;
          auto moved = MoveIn(tx, move, &problems, /*apply=*/true);
          if (!moved) return moved;
          total.moved += moved->moved;
          total.already_there += moved->already_there;
        }
        const std::string now = NowUtc();
        tx.Exec(kMovesApplied, now, approver, audit->id);
        WriteHistory(tx, "audits", audit->id, "moves_applied", std::nullopt,
                     std::to_string(total.moved), approver, now);
        return total;
      });
}

}  // namespace dossier::storage::postgres
