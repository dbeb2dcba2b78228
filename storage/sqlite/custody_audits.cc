// Custody: cabinet audits (盘点).
//
// The reconciliation and its categories are custody/audit_reconcile.h's:
// this file loads the audited subtree's originals and the scans, asks it,
// and keeps the lines in audit_results (closing) or reads them back and
// rolls them back (a preview).
#include "custody/audit_reconcile.h"
#include "storage/sqlite/custody_internal.h"

namespace dossier::storage {

using namespace custody_internal;

namespace {

constexpr std::string_view kAuditSelect =
    "SELECT a.id, a.location_id, l.code, a.status, a.started_at, a.started_by,"
    " COALESCE(a.closed_at, ''), COALESCE(a.closed_by, ''),"
    " COALESCE(a.moves_applied_at, ''), COALESCE(a.moves_applied_by, ''),"
    " (SELECT COUNT(*) FROM audit_scans s WHERE s.audit_id = a.id)"
    " FROM audits a JOIN locations l ON l.id = a.location_id ";

Audit ReadAudit(const Statement& s) {
  Audit a;
  a.id = s.ColumnInt64(0);
  a.display_id = AuditId(a.id);
  a.location_id = s.ColumnInt64(1);
  a.location_code = s.ColumnText(2);
  a.status = s.ColumnText(3);
  a.started_at = s.ColumnText(4);
  a.started_by = s.ColumnText(5);
  a.closed_at = s.ColumnText(6);
  a.closed_by = s.ColumnText(7);
  a.moves_applied_at = s.ColumnText(8);
  a.moves_applied_by = s.ColumnText(9);
  a.scans = s.ColumnInt(10);
  return a;
}

Status FillCounts(const Database& db, Audit& a) {
  auto stmt = db.Prepare(
      "SELECT category, COUNT(*) FROM audit_results WHERE audit_id = ?1"
      " GROUP BY category",
      "counting the results of " + a.display_id);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, a.id);
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    custody::CountCategory(a, stmt->ColumnText(0), stmt->ColumnInt(1));
  }
  return Ok();
}

Result<Audit> ReadAuditById(const Database& db, const std::string& key) {
  auto id = ParseDisplayId(key, "AU");
  if (!id) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "'" + key + "' is not an audit id (e.g. AU000003)");
  }
  auto stmt = db.Prepare(std::string(kAuditSelect) + "WHERE a.id = ?1",
                         "reading audit " + AuditId(*id));
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, *id);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no audit " + AuditId(*id));
  Audit a = ReadAudit(*stmt);
  stmt->Reset();
  auto path = LocationPath(db, a.location_id);
  if (!path) return std::unexpected(path.error());
  a.location_path = *path;
  CUSTODY_TRY(FillCounts(db, a));
  return a;
}

// The reconciliation (custody/audit_reconcile.h) of the audit as it
// stands, written to audit_results inside the caller's transaction.
Status Reconcile(const Database& db, std::int64_t audit_id,
                 std::int64_t location_id) {
  const std::string what = "reconciling " + AuditId(audit_id);
  custody::AuditInput input;
  input.audited_location_id = location_id;
  auto subtree = Subtree(db, location_id);
  if (!subtree) return std::unexpected(subtree.error());
  input.subtree = std::move(*subtree);
  auto read_original = [](const Statement& s) {
    return custody::AuditOriginal{s.ColumnInt64(0), s.ColumnText(1),
                                  s.ColumnInt64(2), s.ColumnText(3)};
  };
  auto expected = db.Prepare(
      "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT l.id FROM"
      " locations l JOIN sub ON l.parent_id = sub.id)"
      " SELECT o.id, o.barcode, o.location_id, o.state FROM originals o"
      " WHERE o.location_id IN (SELECT id FROM sub) AND o.state <> 'destroyed'"
      " ORDER BY o.id",
      what);
  if (!expected) return std::unexpected(expected.error());
  expected->Bind(1, location_id);
  CUSTODY_TRY(expected->ForEachRow(
      [&] { input.expected.push_back(read_original(*expected)); }));
  auto scans = db.Prepare(
      "SELECT barcode, context_location_id FROM audit_scans WHERE audit_id = ?1"
      " ORDER BY id",
      what);
  if (!scans) return std::unexpected(scans.error());
  scans->Bind(1, audit_id);
  CUSTODY_TRY(scans->ForEachRow([&] {
    custody::AuditScan scan{scans->ColumnText(0), std::nullopt};
    if (!scans->ColumnIsNull(1)) scan.context = scans->ColumnInt64(1);
    input.scans.push_back(std::move(scan));
  }));
  auto scanned = db.Prepare(
      "SELECT o.id, o.barcode, o.location_id, o.state FROM originals o"
      " WHERE o.barcode IN (SELECT barcode FROM audit_scans WHERE audit_id = ?1)",
      what);
  if (!scanned) return std::unexpected(scanned.error());
  scanned->Bind(1, audit_id);
  CUSTODY_TRY(scanned->ForEachRow([&] {
    custody::AuditOriginal o = read_original(*scanned);
    input.scanned.emplace(o.barcode, o);
  }));
  auto insert = db.Prepare(
      "INSERT INTO audit_results (audit_id, category, barcode, original_id,"
      " registered_location_id, found_location_id, suggested_location_id,"
      " scan_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      what);
  if (!insert) return std::unexpected(insert.error());
  for (const custody::ReconciledLine& line : custody::ReconcileAudit(input)) {
    insert->Reset();
    insert->Bind(1, audit_id).Bind(2, line.category).Bind(3, line.barcode);
    const std::optional<std::int64_t> ids[] = {
        line.original_id, line.registered_location_id, line.found_location_id,
        line.suggested_location_id};
    for (int i = 0; i < 4; ++i) {
      if (ids[i]) {
        insert->Bind(4 + i, *ids[i]);
      } else {
        insert->BindNull(4 + i);
      }
    }
    insert->Bind(8, line.scan_count);
    CUSTODY_TRY(insert->Run());
  }
  return Ok();
}

}  // namespace

Result<Audit> Custody::StartAudit(const std::string& location,
                                  const std::string& actor) {
  const Database& db = *db_;
  if (NormalizeScan(actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "an audit needs an auditor");
  }
  auto tx = Transaction::Begin(db, "starting an audit of " + location);
  if (!tx) return std::unexpected(tx.error());
  auto loc = FindLocation(db, location);
  if (!loc) return std::unexpected(loc.error());
  auto open = OpenAuditAt(loc->code);
  if (!open) return std::unexpected(open.error());
  if (*open) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} already has an open audit, {}", loc->code,
                                 (*open)->display_id));
  }
  const UtcNow now = CurrentUtc();
  auto insert = db.Prepare(
      "INSERT INTO audits (location_id, status, started_at, started_by)"
      " VALUES (?1, 'open', ?2, ?3)",
      "starting an audit of " + loc->code);
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, loc->id).Bind(2, now.iso8601).Bind(3, actor);
  CUSTODY_TRY(insert->Run());
  const std::int64_t id = sqlite3_last_insert_rowid(db.get());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  CUSTODY_TRY(history->Write("audits", id, "location", std::nullopt, loc->code,
                             actor, now.iso8601));
  CUSTODY_TRY(history->Write("audits", id, "status", std::nullopt, "open",
                             actor, now.iso8601));
  CUSTODY_TRY(tx->Commit());
  return ReadAuditById(db, AuditId(id));
}

Result<std::optional<Audit>> Custody::OpenAuditAt(const std::string& location) {
  const Database& db = *db_;
  auto loc = FindLocation(db, location);
  if (!loc) return std::unexpected(loc.error());
  auto id = db.Prepare(
      "SELECT MAX(id) FROM audits WHERE location_id = ?1 AND status = 'open'",
      "looking for an open audit of " + loc->code);
  if (!id) return std::unexpected(id.error());
  id->Bind(1, loc->id);
  auto row = id->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row || id->ColumnIsNull(0)) return std::optional<Audit>();
  const std::string key = AuditId(id->ColumnInt64(0));
  id->Reset();
  auto audit = ReadAuditById(db, key);
  if (!audit) return std::unexpected(audit.error());
  return std::optional<Audit>(*audit);
}

Result<Audit> Custody::GetAudit(const std::string& audit) {
  return ReadAuditById(*db_, audit);
}

Result<ScanOutcome> Custody::AddScans(const std::string& key,
                                      const std::vector<std::string>& lines,
                                      const std::string& source) {
  const Database& db = *db_;
  auto tx = Transaction::Begin(db, "recording scans for " + key);
  if (!tx) return std::unexpected(tx.error());
  auto audit = ReadAuditById(db, key);
  if (!audit) return std::unexpected(audit.error());
  if (audit->status != "open") {
    return MakeError(ErrorCode::kConflict,
                     audit->display_id + " is closed; start a new audit");
  }
  auto insert = db.Prepare(
      "INSERT INTO audit_scans (audit_id, barcode, context_location_id,"
      " source, at) VALUES (?1, ?2, ?3, ?4, ?5)",
      "recording scans for " + audit->display_id);
  if (!insert) return std::unexpected(insert.error());
  auto location = db.Prepare("SELECT id FROM locations WHERE barcode = ?1",
                             "looking up a scanned location");
  if (!location) return std::unexpected(location.error());
  auto batch = custody::ReadScanLines(
      lines,
      [&](const std::string& code) -> Result<std::optional<std::int64_t>> {
        location->Reset();
        location->Bind(1, code);
        auto row = location->Step();
        if (!row) return std::unexpected(row.error());
        if (!*row) return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(location->ColumnInt64(0));
      });
  if (!batch) return std::unexpected(batch.error());
  const UtcNow now = CurrentUtc();
  for (const custody::AuditScan& scan : batch->items) {
    insert->Reset();
    insert->Bind(1, audit->id).Bind(2, scan.barcode);
    if (scan.context) {
      insert->Bind(3, *scan.context);
    } else {
      insert->BindNull(3);
    }
    insert->Bind(4, source).Bind(5, now.iso8601);
    CUSTODY_TRY(insert->Run());
  }
  CUSTODY_TRY(tx->Commit());
  return batch->outcome;
}

Result<Audit> Custody::CloseAudit(const std::string& key,
                                  const std::string& actor) {
  const Database& db = *db_;
  auto tx = Transaction::Begin(db, "closing audit " + key);
  if (!tx) return std::unexpected(tx.error());
  auto audit = ReadAuditById(db, key);
  if (!audit) return std::unexpected(audit.error());
  if (audit->status != "open") {
    return MakeError(ErrorCode::kConflict,
                     audit->display_id + " is already closed");
  }
  CUSTODY_TRY(Reconcile(db, audit->id, audit->location_id));
  const UtcNow now = CurrentUtc();
  auto update = db.Prepare(
      "UPDATE audits SET status = 'closed', closed_at = ?1, closed_by = ?2"
      " WHERE id = ?3",
      "closing " + audit->display_id);
  if (!update) return std::unexpected(update.error());
  update->Bind(1, now.iso8601).Bind(2, actor).Bind(3, audit->id);
  CUSTODY_TRY(update->Run());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  CUSTODY_TRY(history->Write("audits", audit->id, "status", "open", "closed",
                             actor, now.iso8601));
  CUSTODY_TRY(tx->Commit());
  return ReadAuditById(db, key);
}

namespace {

// The lines of an audit's results, in the report's order.
Result<std::vector<AuditLine>> ReadAuditLines(const Database& db, const Audit& audit) {
  auto stmt = db.Prepare(
      "SELECT r.category, r.barcode, COALESCE(c.code, ''),"
      " COALESCE(c.name, ''),"
      " CASE WHEN o.id IS NULL THEN '' WHEN o.document_id IS NULL"
      "  THEN 'customer folder' ELSE COALESCE(d.title, '') END,"
      " COALESCE(rl.code, ''), COALESCE(fl.code, ''), COALESCE(sl.code, ''),"
      " r.scan_count"
      " FROM audit_results r"
      " LEFT JOIN originals o ON o.id = r.original_id"
      " LEFT JOIN customers c ON c.id = o.customer_id"
      " LEFT JOIN documents d ON d.id = o.document_id"
      " LEFT JOIN locations rl ON rl.id = r.registered_location_id"
      " LEFT JOIN locations fl ON fl.id = r.found_location_id"
      " LEFT JOIN locations sl ON sl.id = r.suggested_location_id"
      " WHERE r.audit_id = ?1 ORDER BY CASE r.category"
      "  WHEN 'missing' THEN 0 WHEN 'misplaced' THEN 1 WHEN 'unknown' THEN 2"
      "  WHEN 'duplicate' THEN 3 WHEN 'on-loan' THEN 4 ELSE 5 END, r.barcode",
      "reading the report of " + audit.display_id);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, audit.id);
  std::vector<AuditLine> lines;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    lines.push_back({stmt->ColumnText(0), stmt->ColumnText(1),
                     stmt->ColumnText(2), stmt->ColumnText(3),
                     stmt->ColumnText(4), stmt->ColumnText(5),
                     stmt->ColumnText(6), stmt->ColumnText(7),
                     stmt->ColumnInt(8)});
  }
  return lines;
}

}  // namespace

Result<std::vector<AuditLine>> Custody::AuditReport(const std::string& key) {
  const Database& db = *db_;
  auto audit = ReadAuditById(db, key);
  if (!audit) return std::unexpected(audit.error());
  return ReadAuditLines(db, *audit);
}

Result<AuditPreview> Custody::PreviewAudit(const std::string& key) {
  const Database& db = *db_;
  // The reconciliation closing would run, in a transaction that is rolled
  // back: nothing of it stays, and the audit stays open.
  auto tx = Transaction::Begin(db, "reconciling open audit " + key);
  if (!tx) return std::unexpected(tx.error());
  auto audit = ReadAuditById(db, key);
  if (!audit) return std::unexpected(audit.error());
  if (audit->status != "open") {
    return MakeError(ErrorCode::kConflict,
                     audit->display_id + " is closed; read its report");
  }
  CUSTODY_TRY(Reconcile(db, audit->id, audit->location_id));
  AuditPreview preview;
  auto counted = ReadAuditById(db, key);
  if (!counted) return std::unexpected(counted.error());
  preview.audit = std::move(*counted);
  auto lines = ReadAuditLines(db, preview.audit);
  if (!lines) return std::unexpected(lines.error());
  preview.lines = std::move(*lines);
  return preview;
}

Result<std::vector<Audit>> Custody::AuditHistory(const std::string& location) {
  const Database& db = *db_;
  auto loc = FindLocation(db, location);
  if (!loc) return std::unexpected(loc.error());
  auto stmt = db.Prepare(
      "SELECT id FROM audits WHERE location_id = ?1 ORDER BY id",
      "listing audits of " + loc->code);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, loc->id);
  auto ids = stmt->CollectInt64s();
  if (!ids) return std::unexpected(ids.error());
  std::vector<Audit> audits;
  for (std::int64_t id : *ids) {
    auto a = ReadAuditById(db, AuditId(id));
    if (!a) return std::unexpected(a.error());
    audits.push_back(std::move(*a));
  }
  return audits;
}

Result<MoveOutcome> Custody::ApplyAuditMoves(const std::string& key,
                                             const std::string& approver) {
  const Database& db = *db_;
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  auto tx = Transaction::Begin(db, "applying the moves of " + key);
  if (!tx) return std::unexpected(tx.error());
  auto audit = ReadAuditById(db, key);
  if (!audit) return std::unexpected(audit.error());
  CUSTODY_TRY(custody::CheckApplyMoves(*audit, *policy, approver, catalog_.Zone()));
  auto stmt = db.Prepare(
      "SELECT sl.code, r.barcode FROM audit_results r"
      " JOIN locations sl ON sl.id = r.suggested_location_id"
      " WHERE r.audit_id = ?1 AND r.category = 'misplaced'"
      " ORDER BY sl.code, r.barcode",
      "reading the suggested moves of " + audit->display_id);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, audit->id);
  std::vector<custody::SuggestedMove> suggested;
  CUSTODY_TRY(stmt->ForEachRow([&] {
    suggested.push_back({stmt->ColumnText(0), stmt->ColumnText(1)});
  }));
  MoveOutcome total;
  // One transaction for all targets: any refusal leaves everything as it was.
  for (const MoveRequest& move :
       custody::AuditMoves(*audit, approver, suggested)) {
    std::vector<MoveProblem> problems;
    auto moved = MoveInTransaction(db, move, &problems);
    if (!moved) return moved;
    total.moved += moved->moved;
    total.already_there += moved->already_there;
  }
  const UtcNow now = CurrentUtc();
  auto update = db.Prepare(
      "UPDATE audits SET moves_applied_at = ?1, moves_applied_by = ?2"
      " WHERE id = ?3",
      "marking the moves of " + audit->display_id);
  if (!update) return std::unexpected(update.error());
  update->Bind(1, now.iso8601).Bind(2, approver).Bind(3, audit->id);
  CUSTODY_TRY(update->Run());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  CUSTODY_TRY(history->Write("audits", audit->id, "moves_applied",
                             std::nullopt, std::to_string(total.moved),
                             approver, now.iso8601));
  CUSTODY_TRY(tx->Commit());
  return total;
}

}  // namespace dossier::storage
