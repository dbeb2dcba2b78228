// Retention rules, legal holds and destruction batches (storage/retention.h).
#include "storage/sqlite/retention.h"

#include "storage/retention_codec.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "core/text.h"
#include "governance/retention_rules.h"
#include "records/vocabulary.h"
#include "storage/sqlite/catalog_impl.h"
#include "storage/sqlite/custody.h"
#include "storage/sqlite/custody_internal.h"
#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage {

using custody_internal::ParseDisplayId;

namespace {


#define RETENTION_TRY(expr)                                        \
  do {                                                             \
    if (auto _s = (expr); !_s) return std::unexpected(_s.error()); \
  } while (0)

using Candidate = RetentionCandidate;

// Every document with a rule for its type; which of them a rule counts
// is governance::MayFallDue's. ?2 is the contract-end field's name
// (governance::kContractEndField), ?1 a document in "WHERE d.id = ?1".
constexpr std::string_view kCandidateSelect =
    "SELECT d.id, d.customer_id, COALESCE(d.archive_number, ''), c.code, "
    "c.name, d.type, d.title, d.reviewed_at, d.created_at, d.pdf_sha256, "
    "d.page_count, r.event, r.years, c.relationship_ended_on, "
    "COALESCE(f.value, ''), COALESCE(f.problem, ''), d.status "
    "FROM documents d JOIN customers c ON c.id = d.customer_id "
    "JOIN retention_rules r ON r.document_type = d.type "
    "LEFT JOIN document_fields f ON f.document_id = d.id AND f.name = ?2 ";

Candidate ReadCandidate(const Statement& s, const std::string& today) {
  Candidate c;
  c.id = s.ColumnInt64(0);
  c.customer_id = s.ColumnInt64(1);
  RetentionStatus& r = c.status;
  r.document = DisplayId(c.id);
  r.archive_number = s.ColumnText(2);
  r.customer_code = s.ColumnText(3);
  c.customer_name = s.ColumnText(4);
  r.type = s.ColumnText(5);
  r.title = s.ColumnText(6);
  c.filed_at = s.ColumnText(7);
  c.created_at = s.ColumnText(8);
  c.pdf_sha256 = s.ColumnText(9);
  c.page_count = s.ColumnInt(10);
  r.event = s.ColumnText(11);
  r.years = s.ColumnInt(12);
  c.document_status = s.ColumnText(16);
  SetDue(c, {s.ColumnText(13), s.ColumnText(14), s.ColumnText(15)}, today);
  return c;
}

// Why the document cannot be destroyed now. except_batch: ignore
// membership of this batch (when approving it).
Result<std::vector<std::string>> Blockers(Catalog& catalog,
                                          const Database& db,
                                          std::int64_t document_id,
                                          std::int64_t customer_id,
                                          std::int64_t except_batch) {
  std::vector<std::string> out;
  const std::string what =
      "checking what blocks destroying " + DisplayId(document_id);
  auto holds = db.Prepare(
      "SELECT h.id, h.reason, COALESCE(c.code, '') FROM legal_holds h "
      "LEFT JOIN customers c ON c.id = h.customer_id "
      "WHERE h.released_at IS NULL AND (h.document_id = ?1 OR "
      "h.customer_id = ?2) ORDER BY h.id",
      what);
  if (!holds) return std::unexpected(holds.error());
  holds->Bind(1, document_id).Bind(2, customer_id);
  if (auto s = holds->ForEachRow([&] {
        out.push_back(HoldBlocker(holds->ColumnInt64(0), holds->ColumnText(2),
                                  holds->ColumnText(1)));
      });
      !s) {
    return std::unexpected(s.error());
  }
  // Loans and originals are custody's: it says what of its own blocks.
  auto custody = Custody(catalog).DestructionBlockers(document_id);
  if (!custody) return std::unexpected(custody.error());
  out.insert(out.end(), custody->begin(), custody->end());
  auto batches = db.Prepare(
      "SELECT b.id FROM destruction_items i JOIN destruction_batches b ON "
      "b.id = i.batch_id WHERE i.document_id = ?1 AND b.status = 'proposed' "
      "AND b.id <> ?2",
      what);
  if (!batches) return std::unexpected(batches.error());
  batches->Bind(1, document_id).Bind(2, except_batch);
  if (auto s = batches->ForEachRow([&] {
        out.push_back(BatchBlocker(batches->ColumnInt64(0)));
      });
      !s) {
    return std::unexpected(s.error());
  }
  return out;
}

Result<std::int64_t> BatchRowId(const Database& db, const std::string& text) {
  auto id = ParseDisplayId(text, "DB");
  if (!id) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("'{}' is not a destruction batch id (DB000001)", text));
  }
  auto stmt = db.Prepare("SELECT 1 FROM destruction_batches WHERE id = ?1",
                         "looking up batch " + text);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, *id);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return MakeError(ErrorCode::kNotFound,
                     "no destruction batch " + BatchDisplayId(*id));
  }
  return *id;
}

Result<DestructionBatch> LoadBatch(const Database& db, std::int64_t id) {
  const std::string what = "reading destruction batch " + BatchDisplayId(id);
  auto b = db.Prepare(
      "SELECT status, reason, proposed_by, proposed_at, "
      "COALESCE(approved_by, ''), COALESCE(approved_at, ''), "
      "COALESCE(cancelled_by, ''), COALESCE(cancelled_at, ''), "
      "COALESCE(certificate_sha256, '') FROM destruction_batches WHERE id = ?1",
      what);
  if (!b) return std::unexpected(b.error());
  b->Bind(1, id);
  auto row = b->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row)
    return MakeError(ErrorCode::kNotFound,
                     "no destruction batch " + BatchDisplayId(id));
  DestructionBatch batch;
  batch.id = id;
  batch.display_id = BatchDisplayId(id);
  batch.status = b->ColumnText(0);
  batch.reason = b->ColumnText(1);
  batch.proposed_by = b->ColumnText(2);
  batch.proposed_at = b->ColumnText(3);
  batch.approved_by = b->ColumnText(4);
  batch.approved_at = b->ColumnText(5);
  batch.cancelled_by = b->ColumnText(6);
  batch.cancelled_at = b->ColumnText(7);
  batch.certificate_sha256 = b->ColumnText(8);

  auto items = db.Prepare(
      "SELECT display_id, archive_number, customer_code, customer_name, type, "
      "title, page_count, pdf_sha256, created_at, filed_at, event, event_date, "
      "retention_years, due_on, COALESCE(destroyed_at, ''), "
      "COALESCE(file_purged_at, '') FROM destruction_items WHERE batch_id = ?1 "
      "ORDER BY document_id",
      what);
  if (!items) return std::unexpected(items.error());
  items->Bind(1, id);
  if (auto s = items->ForEachRow([&] {
        DestructionItem i;
        i.document = items->ColumnText(0);
        i.archive_number = items->ColumnText(1);
        i.customer_code = items->ColumnText(2);
        i.customer_name = items->ColumnText(3);
        i.type = items->ColumnText(4);
        i.title = items->ColumnText(5);
        i.page_count = items->ColumnInt(6);
        i.pdf_sha256 = items->ColumnText(7);
        i.created_at = items->ColumnText(8);
        i.filed_at = items->ColumnText(9);
        i.event = items->ColumnText(10);
        i.event_date = items->ColumnText(11);
        i.retention_years = items->ColumnInt(12);
        i.due_on = items->ColumnText(13);
        i.destroyed_at = items->ColumnText(14);
        i.file_purged_at = items->ColumnText(15);
        batch.items.push_back(std::move(i));
      });
      !s) {
    return std::unexpected(s.error());
  }

  auto originals = db.Prepare(
      "SELECT o.barcode, d.id, COALESCE(s.shredded_by, ''), "
      "COALESCE(s.witness, ''), COALESCE(s.shredded_at, ''), "
      "COALESCE(s.method, '') FROM destruction_items i "
      "JOIN originals o ON o.document_id = i.document_id "
      "JOIN documents d ON d.id = i.document_id "
      "LEFT JOIN shredding_records s ON s.original_id = o.id "
      "AND s.batch_id = i.batch_id "
      "WHERE i.batch_id = ?1 ORDER BY o.id",
      what);
  if (!originals) return std::unexpected(originals.error());
  originals->Bind(1, id);
  if (auto s = originals->ForEachRow([&] {
        ShreddingRecord s;
        s.barcode = originals->ColumnText(0);
        s.document = DisplayId(originals->ColumnInt64(1));
        s.shredded_by = originals->ColumnText(2);
        s.witness = originals->ColumnText(3);
        s.shredded_at = originals->ColumnText(4);
        s.method = originals->ColumnText(5);
        batch.originals.push_back(std::move(s));
      });
      !s) {
    return std::unexpected(s.error());
  }
  return batch;
}

Status SetBatchStatus(const Database& db, std::int64_t id,
                      const std::string& old_status,
                      const std::string& new_status, const std::string& actor,
                      const std::string& at) {
  auto stmt =
      db.Prepare("UPDATE destruction_batches SET status = ?2 WHERE id = ?1",
                 "changing the status of batch " + BatchDisplayId(id));
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, id).Bind(2, new_status);
  RETENTION_TRY(stmt->Run());
  return WriteHistory(db, "destruction_batches", id, "status", old_status,
                      new_status, actor, at);
}

}  // namespace

Retention::Retention(Catalog& catalog, FileStore& files)
    : catalog_(catalog), files_(files), db_(&catalog.impl_->db) {}

// --- rules -------------------------------------------------------------------

Result<RetentionRule> Retention::SetRule(const std::string& type,
                                         const std::string& event, int years,
                                         const std::string& actor) {
  RETENTION_TRY(governance::CheckRetentionRule(type, event, years, actor));
  const Database& db = *db_;
  const std::string what = "setting the retention rule for " + type;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  const std::string now = CurrentUtc().iso8601;
  std::optional<std::string> old;
  std::int64_t id = 0;
  {
    auto q = db.Prepare(
        "SELECT id, event || ' + ' || years || ' years' FROM retention_rules "
        "WHERE document_type = ?1",
        what);
    if (!q) return std::unexpected(q.error());
    q->Bind(1, type);
    auto row = q->Step();
    if (!row) return std::unexpected(row.error());
    if (*row) {
      id = q->ColumnInt64(0);
      old = q->ColumnText(1);
    }
  }
  auto up = db.Prepare(
      "INSERT INTO retention_rules (document_type, event, years, updated_at, "
      "updated_by) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (document_type) DO "
      "UPDATE SET event = ?2, years = ?3, updated_at = ?4, updated_by = ?5 "
      "RETURNING id",
      what);
  if (!up) return std::unexpected(up.error());
  up->Bind(1, type).Bind(2, event).Bind(3, years).Bind(4, now).Bind(5, actor);
  auto row = up->Step();
  if (!row) return std::unexpected(row.error());
  if (*row) id = up->ColumnInt64(0);
  up->Reset();
  RETENTION_TRY(WriteHistory(db, "retention_rules", id, "rule", old,
                             fmt::format("{} + {} years", event, years), actor,
                             now));
  RETENTION_TRY(tx->Commit());
  return RetentionRule{type, event, years, now, actor};
}

Result<std::vector<RetentionRule>> Retention::ListRules() {
  auto q = db_->Prepare(
      "SELECT document_type, event, years, updated_at, updated_by FROM "
      "retention_rules ORDER BY document_type",
      "listing retention rules");
  if (!q) return std::unexpected(q.error());
  std::vector<RetentionRule> out;
  if (auto s = q->ForEachRow([&] {
        out.push_back({q->ColumnText(0), q->ColumnText(1), q->ColumnInt(2),
                       q->ColumnText(3), q->ColumnText(4)});
      });
      !s) {
    return std::unexpected(s.error());
  }
  return out;
}

Status Retention::SetRelationshipEnd(const std::string& customer_code,
                                     const std::string& date,
                                     const std::string& actor) {
  if (auto s = CheckRelationshipEnd(customer_code, date); !s) return s;
  auto code = CanonicalCustomerCode(customer_code);
  if (!code) return std::unexpected(code.error());
  const Database& db = *db_;
  const std::string what = "recording the relationship end of " + *code;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto id = CustomerIdByCode(db, *code);
  if (!id) return std::unexpected(id.error());
  auto q = db.Prepare(
      "SELECT relationship_ended_on FROM customers WHERE id = ?1", what);
  if (!q) return std::unexpected(q.error());
  q->Bind(1, *id);
  auto row = q->Step();
  if (!row) return std::unexpected(row.error());
  std::string old = q->ColumnText(0);
  q->Reset();
  if (old == date) return Ok();
  auto up = db.Prepare(
      "UPDATE customers SET relationship_ended_on = ?2 WHERE id = ?1", what);
  if (!up) return std::unexpected(up.error());
  up->Bind(1, *id).Bind(2, date);
  RETENTION_TRY(up->Run());
  RETENTION_TRY(WriteHistory(db, "customers", *id, "relationship_ended_on", old,
                             date, actor, CurrentUtc().iso8601));
  return tx->Commit();
}

Result<std::vector<RetentionStatus>> Retention::Due(const std::string& today,
                                                    bool all) {
  if (auto s = CheckDay(today); !s) return std::unexpected(s.error());
  const Database& db = *db_;
  auto q = db.Prepare(std::string(kCandidateSelect) + "ORDER BY d.id",
                      "listing documents due for destruction");
  if (!q) return std::unexpected(q.error());
  q->Bind(2, governance::kContractEndField);
  std::vector<Candidate> candidates;
  if (auto s = q->ForEachRow([&] {
        Candidate c = ReadCandidate(*q, today);
        if (!governance::MayFallDue(c.document_status)) return;
        if (all || c.status.due) candidates.push_back(std::move(c));
      });
      !s) {
    return std::unexpected(s.error());
  }
  std::vector<RetentionStatus> out;
  for (Candidate& c : candidates) {
    auto blockers = Blockers(catalog_, db, c.id, c.customer_id, 0);
    if (!blockers) return std::unexpected(blockers.error());
    c.status.blocked_by = std::move(*blockers);
    out.push_back(std::move(c.status));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const RetentionStatus& a, const RetentionStatus& b) {
                     // Unknown due dates last.
                     if (a.due_on.empty() != b.due_on.empty()) {
                       return b.due_on.empty();
                     }
                     return a.due_on < b.due_on;
                   });
  return out;
}

// --- holds -------------------------------------------------------------------

namespace {

Result<LegalHold> LoadHold(const Database& db, std::int64_t id) {
  auto q = db.Prepare(
      "SELECT h.document_id, COALESCE(c.code, ''), h.reason, h.placed_by, "
      "h.placed_at, COALESCE(h.released_by, ''), COALESCE(h.released_at, ''), "
      "COALESCE(h.release_reason, '') FROM legal_holds h LEFT JOIN customers "
      "c ON c.id = h.customer_id WHERE h.id = ?1",
      "reading legal hold " + HoldDisplayId(id));
  if (!q) return std::unexpected(q.error());
  q->Bind(1, id);
  auto row = q->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row)
    return MakeError(ErrorCode::kNotFound, "no legal hold " + HoldDisplayId(id));
  LegalHold h;
  h.id = id;
  h.display_id = HoldDisplayId(id);
  h.target =
      q->ColumnIsNull(0) ? q->ColumnText(1) : DisplayId(q->ColumnInt64(0));
  h.reason = q->ColumnText(2);
  h.placed_by = q->ColumnText(3);
  h.placed_at = q->ColumnText(4);
  h.released_by = q->ColumnText(5);
  h.released_at = q->ColumnText(6);
  h.release_reason = q->ColumnText(7);
  return h;
}

}  // namespace

Result<LegalHold> Retention::AddHold(const std::string& target,
                                     const std::string& reason,
                                     const std::string& actor) {
  const std::string clean_reason = TrimSpace(reason);
  if (clean_reason.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "legal hold on " + target + ": a reason is required");
  }
  const Database& db = *db_;
  const std::string what = "placing a legal hold on " + target;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  std::optional<std::int64_t> document_id;
  std::optional<std::int64_t> customer_id;
  if (ParseDocumentId(TrimSpace(target))) {
    auto doc = DocumentByText(db, TrimSpace(target));
    if (!doc) return std::unexpected(doc.error());
    if (doc->status == "destroyed") {
      return MakeError(ErrorCode::kConflict,
                       doc->display_id + " is already destroyed");
    }
    document_id = doc->id;
  } else {
    auto code = CanonicalCustomerCode(TrimSpace(target));
    if (!code) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("'{}' is neither a document id (D000012) "
                                   "nor a customer code",
                                   target));
    }
    auto id = CustomerIdByCode(db, *code);
    if (!id) return std::unexpected(id.error());
    customer_id = *id;
  }
  const std::string now = CurrentUtc().iso8601;
  auto ins = db.Prepare(
      "INSERT INTO legal_holds (document_id, customer_id, reason, placed_by, "
      "placed_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
      what);
  if (!ins) return std::unexpected(ins.error());
  if (document_id)
    ins->Bind(1, *document_id);
  else
    ins->BindNull(1);
  if (customer_id)
    ins->Bind(2, *customer_id);
  else
    ins->BindNull(2);
  ins->Bind(3, clean_reason).Bind(4, actor).Bind(5, now);
  auto row = ins->Step();
  if (!row) return std::unexpected(row.error());
  const std::int64_t id = ins->ColumnInt64(0);
  ins->Reset();
  RETENTION_TRY(WriteHistory(db, "legal_holds", id, "placed", std::nullopt,
                             clean_reason, actor, now));
  RETENTION_TRY(tx->Commit());
  return LoadHold(db, id);
}

Result<LegalHold> Retention::ReleaseHold(const std::string& hold,
                                         const std::string& reason,
                                         const std::string& actor) {
  auto id = ParseDisplayId(hold, "H");
  if (!id) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("'{}' is not a legal hold id (H000001)", hold));
  }
  const std::string clean_reason = TrimSpace(reason);
  if (clean_reason.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "releasing " + HoldDisplayId(*id) + ": a reason is required");
  }
  const Database& db = *db_;
  const std::string what = "releasing legal hold " + HoldDisplayId(*id);
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto h = LoadHold(db, *id);
  if (!h) return std::unexpected(h.error());
  if (!h->active()) {
    return MakeError(
        ErrorCode::kConflict,
        fmt::format("{} was already released on {} by {}", h->display_id,
                    catalog_.Zone().DisplayUtc(h->released_at),
                    h->released_by));
  }
  const std::string now = CurrentUtc().iso8601;
  auto up = db.Prepare(
      "UPDATE legal_holds SET released_by = ?2, released_at = ?3, "
      "release_reason = ?4 WHERE id = ?1",
      what);
  if (!up) return std::unexpected(up.error());
  up->Bind(1, *id).Bind(2, actor).Bind(3, now).Bind(4, clean_reason);
  RETENTION_TRY(up->Run());
  RETENTION_TRY(WriteHistory(db, "legal_holds", *id, "released", std::nullopt,
                             clean_reason, actor, now));
  RETENTION_TRY(tx->Commit());
  return LoadHold(db, *id);
}

Result<std::vector<LegalHold>> Retention::ListHolds(bool active_only) {
  auto q = db_->Prepare(std::string("SELECT id FROM legal_holds ") +
                            (active_only ? "WHERE released_at IS NULL " : "") +
                            "ORDER BY id",
                        "listing legal holds");
  if (!q) return std::unexpected(q.error());
  auto ids = q->CollectInt64s();
  if (!ids) return std::unexpected(ids.error());
  std::vector<LegalHold> out;
  for (std::int64_t id : *ids) {
    auto h = LoadHold(*db_, id);
    if (!h) return std::unexpected(h.error());
    out.push_back(std::move(*h));
  }
  return out;
}

// --- destruction -------------------------------------------------------------

Result<RetentionPolicy> Retention::GetPolicy() {
  auto value = catalog_.GetSetting("retention");
  if (!value) return std::unexpected(value.error());
  return governance::ParseRetentionPolicy(*value);
}

Result<DestructionBatch> Retention::Propose(
    const std::vector<std::string>& documents, const std::string& today,
    const std::string& reason, const std::string& actor) {
  if (auto s = CheckDay(today); !s) return std::unexpected(s.error());
  if (TrimSpace(actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "proposing a destruction: the acting user is unknown");
  }
  const Database& db = *db_;
  const std::string what = "proposing a destruction batch";
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());

  std::vector<Candidate> chosen;
  std::vector<std::string> problems;
  if (documents.empty()) {
    auto q = db.Prepare(std::string(kCandidateSelect) + "ORDER BY d.id", what);
    if (!q) return std::unexpected(q.error());
    q->Bind(2, governance::kContractEndField);
    if (auto s = q->ForEachRow([&] {
          Candidate c = ReadCandidate(*q, today);
          if (governance::MayFallDue(c.document_status) && c.status.due) {
            chosen.push_back(std::move(c));
          }
        });
        !s) {
      return std::unexpected(s.error());
    }
    std::vector<Candidate> free;
    for (Candidate& c : chosen) {
      auto b = Blockers(catalog_, db, c.id, c.customer_id, 0);
      if (!b) return std::unexpected(b.error());
      if (b->empty()) free.push_back(std::move(c));
    }
    chosen = std::move(free);
    if (chosen.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("nothing to propose: no document is due on "
                                   "{} and free of holds and loans",
                                   today));
    }
  } else {
    std::set<std::int64_t> seen;
    for (const std::string& text : documents) {
      auto doc = DocumentByText(db, text);
      if (!doc) return std::unexpected(doc.error());
      if (!seen.insert(doc->id).second) continue;
      auto q =
          db.Prepare(std::string(kCandidateSelect) + "WHERE d.id = ?1", what);
      if (!q) return std::unexpected(q.error());
      q->Bind(1, doc->id).Bind(2, governance::kContractEndField);
      auto row = q->Step();
      if (!row) return std::unexpected(row.error());
      std::optional<Candidate> candidate;
      if (*row) candidate = ReadCandidate(*q, today);
      q->Reset();
      if (auto problem = governance::NotProposable(
              doc->display_id, doc->status, doc->type,
              candidate ? std::optional(candidate->status) : std::nullopt)) {
        problems.push_back(std::move(*problem));
        continue;
      }
      Candidate c = std::move(*candidate);
      auto b = Blockers(catalog_, db, c.id, c.customer_id, 0);
      if (!b) return std::unexpected(b.error());
      for (const std::string& p : *b) {
        problems.push_back(doc->display_id + " cannot be destroyed: " + p);
      }
      if (b->empty()) chosen.push_back(std::move(c));
    }
    if (!problems.empty()) {
      std::string list;
      for (const auto& p : problems) list += "\n  " + p;
      return MakeError(ErrorCode::kConflict,
                       "destruction not proposed; nothing changed:" + list);
    }
  }

  const std::string now = CurrentUtc().iso8601;
  auto ins = db.Prepare(
      "INSERT INTO destruction_batches (status, reason, proposed_by, "
      "proposed_at) VALUES ('proposed', ?1, ?2, ?3) RETURNING id",
      what);
  if (!ins) return std::unexpected(ins.error());
  ins->Bind(1, TrimSpace(reason)).Bind(2, actor).Bind(3, now);
  auto row = ins->Step();
  if (!row) return std::unexpected(row.error());
  const std::int64_t batch_id = ins->ColumnInt64(0);
  ins->Reset();
  auto item = db.Prepare(
      "INSERT INTO destruction_items (batch_id, document_id, display_id, "
      "archive_number, customer_code, customer_name, type, title, page_count, "
      "pdf_sha256, created_at, filed_at, event, event_date, retention_years, "
      "due_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
      "?14, ?15, ?16)",
      what);
  if (!item) return std::unexpected(item.error());
  for (const Candidate& c : chosen) {
    const RetentionStatus& s = c.status;
    item->Bind(1, batch_id)
        .Bind(2, c.id)
        .Bind(3, s.document)
        .Bind(4, s.archive_number)
        .Bind(5, s.customer_code)
        .Bind(6, c.customer_name)
        .Bind(7, s.type)
        .Bind(8, s.title)
        .Bind(9, c.page_count)
        .Bind(10, c.pdf_sha256)
        .Bind(11, c.created_at)
        .Bind(12, c.filed_at)
        .Bind(13, s.event)
        .Bind(14, s.event_date)
        .Bind(15, s.years)
        .Bind(16, s.due_on);
    RETENTION_TRY(item->Run());
    item->Reset();
  }
  RETENTION_TRY(WriteHistory(db, "destruction_batches", batch_id, "status",
                             std::nullopt, "proposed", actor, now));
  RETENTION_TRY(tx->Commit());
  return LoadBatch(db, batch_id);
}

Result<DestructionBatch> Retention::Approve(const std::string& batch_text,
                                            const std::string& actor) {
  auto policy = GetPolicy();
  if (!policy) return std::unexpected(policy.error());
  const Database& db = *db_;
  auto id = BatchRowId(db, batch_text);
  if (!id) return std::unexpected(id.error());
  const std::string what = "approving destruction batch " + BatchDisplayId(*id);
  {
    auto tx = Transaction::Begin(db, what);
    if (!tx) return std::unexpected(tx.error());
    auto batch = LoadBatch(db, *id);
    if (!batch) return std::unexpected(batch.error());
    RETENTION_TRY(governance::CheckDestructionApproval(*batch, *policy, actor));
    // Holds and loans may have appeared since the proposal.
    std::vector<std::string> problems;
    std::map<std::string, std::string> old_status;
    for (const DestructionItem& item : batch->items) {
      auto doc = DocumentByText(db, item.document);
      if (!doc) return std::unexpected(doc.error());
      old_status[item.document] = doc->status;
      if (doc->status == "destroyed") {
        problems.push_back(item.document + " is already destroyed");
        continue;
      }
      auto customer_id = CustomerIdByCode(db, item.customer_code);
      if (!customer_id) return std::unexpected(customer_id.error());
      auto b = Blockers(catalog_, db, doc->id, *customer_id, *id);
      if (!b) return std::unexpected(b.error());
      for (const auto& p : *b) {
        problems.push_back(item.document + " cannot be destroyed: " + p);
      }
    }
    if (!problems.empty()) {
      std::string list;
      for (const auto& p : problems) list += "\n  " + p;
      return MakeError(
          ErrorCode::kConflict,
          batch->display_id + " not approved; nothing changed:" + list);
    }
    const std::string now = CurrentUtc().iso8601;
    for (const DestructionItem& item : batch->items) {
      const std::int64_t doc_id = *ParseDocumentId(item.document);
      const std::string doc_what = what + ": purging " + item.document;
      // The search index is external-content: rows are removed with the
      // text they were indexed with, before that text goes.
      RETENTION_TRY(UnindexDocumentPages(db, doc_id));
      for (std::string_view sql : {
               "DELETE FROM words WHERE page_id IN (SELECT id FROM pages "
               "WHERE document_id = ?1)",
               "UPDATE pages SET text = '', source_file = '' WHERE "
               "document_id = ?1",
               "DELETE FROM document_fields WHERE document_id = ?1",
               "UPDATE documents SET status = 'destroyed', warnings = '[]' "
               "WHERE id = ?1",
           }) {
        auto s = db.Prepare(sql, doc_what);
        if (!s) return std::unexpected(s.error());
        s->Bind(1, doc_id);
        RETENTION_TRY(s->Run());
      }
      RETENTION_TRY(WriteHistory(db, "documents", doc_id, "status",
                                 old_status[item.document], "destroyed", actor,
                                 now));
      auto mark = db.Prepare(
          "UPDATE destruction_items SET destroyed_at = ?3 WHERE batch_id = ?1 "
          "AND document_id = ?2",
          doc_what);
      if (!mark) return std::unexpected(mark.error());
      mark->Bind(1, *id).Bind(2, doc_id).Bind(3, now);
      RETENTION_TRY(mark->Run());
    }
    auto up = db.Prepare(
        "UPDATE destruction_batches SET approved_by = ?2, approved_at = ?3 "
        "WHERE id = ?1",
        what);
    if (!up) return std::unexpected(up.error());
    up->Bind(1, *id).Bind(2, actor).Bind(3, now);
    RETENTION_TRY(up->Run());
    const std::string next(
        governance::StatusAfterApproval(batch->originals.size()));
    RETENTION_TRY(SetBatchStatus(db, *id, "proposed", next, actor, now));
    RETENTION_TRY(tx->Commit());
  }
  // The files go after the commit: a crash in between leaves a file that
  // FinishPurges (run by every approval and shredding) removes later.
  auto purged = FinishPurges();
  if (!purged) return std::unexpected(purged.error());
  return LoadBatch(db, *id);
}

Result<int> Retention::FinishPurges() {
  const Database& db = *db_;
  // The status of every document naming the bytes, as its PDF or a kept
  // file: governance::MayPurgeFile decides from them.
  auto naming = db.Prepare(
      "SELECT status FROM documents WHERE pdf_sha256 = ?1 UNION ALL "
      "SELECT d.status FROM document_files f JOIN documents d ON "
      "d.id = f.document_id WHERE f.sha256 = ?1",
      "finding the documents that name a destroyed document's file");
  if (!naming) return std::unexpected(naming.error());
  auto may_purge = [&](const std::string& sha256) -> Result<bool> {
    naming->Reset();
    naming->Bind(1, sha256);
    std::vector<std::string> statuses;
    if (auto s = naming->ForEachRow(
            [&] { statuses.push_back(naming->ColumnText(0)); });
        !s) {
      return std::unexpected(s.error());
    }
    return governance::MayPurgeFile(statuses);
  };
  auto q = db.Prepare(
      "SELECT id, pdf_sha256 FROM destruction_items WHERE destroyed_at IS "
      "NOT NULL AND file_purged_at IS NULL",
      "finding destroyed documents whose files remain");
  if (!q) return std::unexpected(q.error());
  std::vector<std::pair<std::int64_t, std::string>> pending;
  if (auto s = q->ForEachRow([&] {
        pending.emplace_back(q->ColumnInt64(0), q->ColumnText(1));
      });
      !s) {
    return std::unexpected(s.error());
  }
  q->Reset();
  int removed = 0;
  for (const auto& [item_id, sha256] : pending) {
    auto purge = may_purge(sha256);
    if (!purge) return std::unexpected(purge.error());
    if (*purge) {
      auto gone = files_.Remove(sha256, "the destroyed document's file");
      if (!gone) return std::unexpected(gone.error());
      removed += *gone ? 1 : 0;
    }
    auto up = db.Prepare(
        "UPDATE destruction_items SET file_purged_at = ?2 WHERE id = ?1",
        "recording the removal of " + sha256);
    if (!up) return std::unexpected(up.error());
    up->Bind(1, item_id).Bind(2, CurrentUtc().iso8601);
    RETENTION_TRY(up->Run());
  }
  // Files kept with destroyed documents (original inputs, dropped pages)
  // go too, by the same rule.
  auto kept = db.Prepare(
      "SELECT DISTINCT f.sha256 FROM document_files f JOIN documents d ON "
      "d.id = f.document_id WHERE d.status = 'destroyed'",
      "finding the kept files of destroyed documents");
  if (!kept) return std::unexpected(kept.error());
  std::vector<std::string> kept_files;
  if (auto s = kept->ForEachRow([&] { kept_files.push_back(kept->ColumnText(0)); });
      !s) {
    return std::unexpected(s.error());
  }
  for (const std::string& sha : kept_files) {
    if (!files_.Contains(sha)) continue;
    auto purge = may_purge(sha);
    if (!purge) return std::unexpected(purge.error());
    if (!*purge) continue;
    auto gone = files_.Remove(sha, "a file kept with a destroyed document");
    if (!gone) return std::unexpected(gone.error());
    removed += *gone ? 1 : 0;
  }
  return removed;
}

Result<DestructionBatch> Retention::Cancel(const std::string& batch_text,
                                           const std::string& actor) {
  const Database& db = *db_;
  auto id = BatchRowId(db, batch_text);
  if (!id) return std::unexpected(id.error());
  const std::string what = "cancelling destruction batch " + BatchDisplayId(*id);
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto batch = LoadBatch(db, *id);
  if (!batch) return std::unexpected(batch.error());
  if (batch->status != "proposed") {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} is {}; only a proposed batch can be "
                                 "cancelled",
                                 batch->display_id, batch->status));
  }
  const std::string now = CurrentUtc().iso8601;
  auto up = db.Prepare(
      "UPDATE destruction_batches SET cancelled_by = ?2, cancelled_at = ?3 "
      "WHERE id = ?1",
      what);
  if (!up) return std::unexpected(up.error());
  up->Bind(1, *id).Bind(2, actor).Bind(3, now);
  RETENTION_TRY(up->Run());
  RETENTION_TRY(SetBatchStatus(db, *id, "proposed", "cancelled", actor, now));
  RETENTION_TRY(tx->Commit());
  return LoadBatch(db, *id);
}

Result<DestructionBatch> Retention::RecordShredding(
    const ShreddingRequest& request) {
  const Database& db = *db_;
  auto id = BatchRowId(db, request.batch);
  if (!id) return std::unexpected(id.error());
  const std::string barcode = NormalizeScan(request.barcode);
  const std::string what =
      fmt::format("recording the shredding of {} ({})", barcode, BatchDisplayId(*id));
  const std::string witness = TrimSpace(request.witness);
  const std::string actor = TrimSpace(request.actor);
  RETENTION_TRY(governance::CheckShreddingWitness(what, witness, actor));
  const std::string now = CurrentUtc().iso8601;
  auto shredded_at = ShreddingTime(what, TrimSpace(request.at), now);
  if (!shredded_at) return std::unexpected(shredded_at.error());
  const std::string& at = *shredded_at;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto batch = LoadBatch(db, *id);
  if (!batch) return std::unexpected(batch.error());
  if (batch->status != "approved") {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{}: {} is {}; originals are shredded after "
                                 "the destruction is approved",
                                 what, batch->display_id, batch->status));
  }
  auto it = std::find_if(
      batch->originals.begin(), batch->originals.end(),
      [&](const ShreddingRecord& s) { return s.barcode == barcode; });
  if (it == batch->originals.end()) {
    return MakeError(
        ErrorCode::kNotFound,
        fmt::format("{}: not an original of {}", what, batch->display_id));
  }
  if (!it->shredded_by.empty()) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} was already shredded on {} by {}", barcode,
                                 catalog_.Zone().DisplayUtc(it->shredded_at),
                                 it->shredded_by));
  }
  // Custody owns the original: its state, history and custody event.
  auto original = Custody(catalog_).RecordShredding(
      barcode, actor, at,
      fmt::format("shredded, witness {}, batch {}", witness,
                  batch->display_id));
  if (!original) {
    if (original.error().code != ErrorCode::kConflict) {
      return std::unexpected(original.error());
    }
    return MakeError(ErrorCode::kConflict,
                     what + ": " + original.error().message);
  }
  auto ins = db.Prepare(
      "INSERT INTO shredding_records (batch_id, original_id, barcode, "
      "shredded_by, witness, shredded_at, method, recorded_by, recorded_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      what);
  if (!ins) return std::unexpected(ins.error());
  ins->Bind(1, *id)
      .Bind(2, original->id)
      .Bind(3, barcode)
      .Bind(4, actor)
      .Bind(5, witness)
      .Bind(6, at)
      .Bind(7, TrimSpace(request.method))
      .Bind(8, actor)
      .Bind(9, now);
  RETENTION_TRY(ins->Run());
  const bool last =
      std::count_if(
          batch->originals.begin(), batch->originals.end(),
          [](const ShreddingRecord& s) { return s.shredded_by.empty(); }) == 1;
  if (last) {
    RETENTION_TRY(SetBatchStatus(db, *id, "approved", "completed", actor, now));
  }
  RETENTION_TRY(tx->Commit());
  auto purged = FinishPurges();
  if (!purged) return std::unexpected(purged.error());
  return LoadBatch(db, *id);
}

Result<DestructionBatch> Retention::GetBatch(const std::string& batch) {
  auto id = BatchRowId(*db_, batch);
  if (!id) return std::unexpected(id.error());
  return LoadBatch(*db_, *id);
}

Result<std::vector<DestructionBatch>> Retention::ListBatches() {
  auto q = db_->Prepare("SELECT id FROM destruction_batches ORDER BY id",
                        "listing destruction batches");
  if (!q) return std::unexpected(q.error());
  auto ids = q->CollectInt64s();
  if (!ids) return std::unexpected(ids.error());
  std::vector<DestructionBatch> out;
  for (std::int64_t id : *ids) {
    auto b = LoadBatch(*db_, id);
    if (!b) return std::unexpected(b.error());
    out.push_back(std::move(*b));
  }
  return out;
}

Result<std::optional<DestructionBatch>> Retention::DestroyedBy(
    const std::string& document) {
  auto number = ParseDocumentId(document);
  if (!number) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("document id '{}' is not like D000012 or 12",
                                 document));
  }
  auto q = db_->Prepare(
      "SELECT b.id FROM destruction_items i JOIN destruction_batches b ON "
      "b.id = i.batch_id WHERE i.document_id = ?1 AND b.status IN "
      "('approved', 'completed') ORDER BY b.id LIMIT 1",
      "finding the destruction of " + DisplayId(*number));
  if (!q) return std::unexpected(q.error());
  q->Bind(1, *number);
  auto ids = q->CollectInt64s();
  if (!ids) return std::unexpected(ids.error());
  if (ids->empty()) return std::optional<DestructionBatch>();
  auto b = LoadBatch(*db_, ids->front());
  if (!b) return std::unexpected(b.error());
  return std::optional<DestructionBatch>(std::move(*b));
}

Status Retention::RecordCertificate(const std::string& batch,
                                    const std::string& sha256,
                                    const std::string& actor) {
  const Database& db = *db_;
  auto id = BatchRowId(db, batch);
  if (!id) return std::unexpected(id.error());
  const std::string what = "recording the certificate of " + BatchDisplayId(*id);
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  const std::string now = CurrentUtc().iso8601;
  auto up = db.Prepare(
      "UPDATE destruction_batches SET certificate_sha256 = ?2, "
      "certificate_at = ?3 WHERE id = ?1",
      what);
  if (!up) return std::unexpected(up.error());
  up->Bind(1, *id).Bind(2, sha256).Bind(3, now);
  RETENTION_TRY(up->Run());
  RETENTION_TRY(WriteHistory(db, "destruction_batches", *id, "certificate",
                             std::nullopt, sha256, actor, now));
  return tx->Commit();
}

}  // namespace dossier::storage
