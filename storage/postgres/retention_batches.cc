// PgRetention (storage/postgres/retention.h): destruction batches from
// proposal to shredding, their tombstones, certificates and the purge of
// the destroyed documents' files.
//
// As on SQLite (storage/sqlite/retention.cc): an approval re-checks every
// blocker, then in its one transaction marks the documents destroyed and
// purges their content from the catalog (page text, OCR words, fields, the
// search rows); the files leave the file store after the commit
// (FinishPurges), so a lost connection or a refused approval never loses
// a file the catalog still names.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "core/text.h"
#include "governance/retention_rules.h"
#include "storage/postgres/common.h"
#include "storage/postgres/custody_internal.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records_internal.h"
#include "storage/postgres/retention.h"
#include "storage/postgres/retention_internal.h"
#include "storage/records_codec.h"

namespace dossier::storage::postgres {

using namespace retention_pg;

namespace {

const Sql kBatchExists{"retention.batch_exists",
                       "SELECT 1 FROM destruction_batches WHERE id = $1"};
const Sql kBatch{
    "retention.batch",
    "SELECT status, reason, proposed_by, proposed_at, "
    "coalesce(approved_by, ''), coalesce(approved_at, ''), "
    "coalesce(cancelled_by, ''), coalesce(cancelled_at, ''), "
    "coalesce(certificate_sha256, '') FROM destruction_batches WHERE id = $1"};
const Sql kItems{
    "retention.items",
    "SELECT display_id, archive_number, customer_code, customer_name, type, "
    "title, page_count, pdf_sha256, created_at, filed_at, event, event_date, "
    "retention_years, due_on, coalesce(destroyed_at, ''), "
    "coalesce(file_purged_at, '') FROM destruction_items WHERE batch_id = $1 "
    "ORDER BY document_id"};
const Sql kBatchOriginals{
    "retention.batch_originals",
    "SELECT o.barcode, i.document_id, coalesce(s.shredded_by, ''), "
    "coalesce(s.witness, ''), coalesce(s.shredded_at, ''), "
    "coalesce(s.method, '') FROM destruction_items i "
    "JOIN originals o ON o.document_id = i.document_id "
    "LEFT JOIN shredding_records s ON s.original_id = o.id "
    "AND s.batch_id = i.batch_id "
    "WHERE i.batch_id = $1 ORDER BY o.id"};
const Sql kBatchIds{"retention.batch_ids",
                    "SELECT id FROM destruction_batches ORDER BY id"};
const Sql kInsertBatch{
    "retention.insert_batch",
    "INSERT INTO destruction_batches (id, status, reason, proposed_by, "
    "proposed_at) VALUES ($1, 'proposed', $2, $3, $4)"};
const Sql kInsertItem{
    "retention.insert_item",
    "INSERT INTO destruction_items (batch_id, document_id, display_id, "
    "archive_number, customer_code, customer_name, type, title, page_count, "
    "pdf_sha256, created_at, filed_at, event, event_date, retention_years, "
    "due_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
    "$14, $15, $16)"};
const Sql kDocumentCustomer{"retention.document_customer",
                            "SELECT customer_id FROM documents WHERE id = $1"};
// The purge of one document's content; the row stays as its tombstone.
const Sql kPurge[] = {
    {"retention.purge_search",
     "DELETE FROM page_search WHERE document_id = $1"},
    {"retention.purge_words",
     "DELETE FROM words WHERE page_id IN (SELECT id FROM pages "
     "WHERE document_id = $1)"},
    {"retention.purge_pages",
     "UPDATE pages SET text = '', source_file = '' WHERE document_id = $1"},
    {"retention.purge_fields",
     "DELETE FROM document_fields WHERE document_id = $1"},
    {"retention.purge_document",
     "UPDATE documents SET status = 'destroyed', warnings = '[]', "
     "search_meta = '' WHERE id = $1"},
};
const Sql kMarkDestroyed{
    "retention.mark_destroyed",
    "UPDATE destruction_items SET destroyed_at = $3 WHERE batch_id = $1 "
    "AND document_id = $2"};
const Sql kApprove{
    "retention.approve",
    "UPDATE destruction_batches SET status = $2, approved_by = $3, "
    "approved_at = $4 WHERE id = $1 AND status = 'proposed'"};
const Sql kCancel{
    "retention.cancel",
    "UPDATE destruction_batches SET status = 'cancelled', cancelled_by = $2, "
    "cancelled_at = $3 WHERE id = $1 AND status = 'proposed'"};
const Sql kComplete{"retention.complete",
                    "UPDATE destruction_batches SET status = 'completed' "
                    "WHERE id = $1 AND status = 'approved'"};
const Sql kInsertShredding{
    "retention.insert_shredding",
    "INSERT INTO shredding_records (batch_id, original_id, barcode, "
    "shredded_by, witness, shredded_at, method, recorded_by, recorded_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
const Sql kDestroyedBy{
    "retention.destroyed_by",
    "SELECT b.id FROM destruction_items i JOIN destruction_batches b ON "
    "b.id = i.batch_id WHERE i.document_id = $1 AND b.status IN "
    "('approved', 'completed') ORDER BY b.id LIMIT 1"};
const Sql kCertificate{
    "retention.certificate",
    "UPDATE destruction_batches SET certificate_sha256 = $2, "
    "certificate_at = $3 WHERE id = $1"};
const Sql kUnpurged{
    "retention.unpurged",
    "SELECT id, pdf_sha256 FROM destruction_items WHERE destroyed_at IS NOT "
    "NULL AND file_purged_at IS NULL ORDER BY id"};
const Sql kMarkPurged{
    "retention.mark_purged",
    "UPDATE destruction_items SET file_purged_at = $2 WHERE id = $1 "
    "AND file_purged_at IS NULL"};
const Sql kKeptOfDestroyed{
    "retention.kept_of_destroyed",
    "SELECT DISTINCT f.sha256 FROM document_files f JOIN documents d ON "
    "d.id = f.document_id WHERE d.status = 'destroyed' ORDER BY f.sha256"};
// The status of every document naming the bytes, as its PDF or a kept
// file: governance::MayPurgeFile decides from them.
const Sql kStatusesNaming{
    "retention.statuses_naming",
    "SELECT status FROM documents WHERE pdf_sha256 = $1 UNION ALL "
    "SELECT d.status FROM document_files f JOIN documents d ON "
    "d.id = f.document_id WHERE f.sha256 = $1"};

// The batch's row id; kInvalidArgument for a malformed id, kNotFound if
// absent.
Result<std::int64_t> BatchRowId(Tx& tx, const std::string& text) {
  auto id = custody::ParseDisplayId(text, "DB");
  if (!id) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("'{}' is not a destruction batch id (DB000001)", text));
  }
  if (tx.Exec(kBatchExists, *id).empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "no destruction batch " + BatchDisplayId(*id));
  }
  return *id;
}

Result<DestructionBatch> LoadBatch(Tx& tx, std::int64_t id) {
  auto rows = tx.Exec(kBatch, id);
  if (rows.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "no destruction batch " + BatchDisplayId(id));
  }
  const auto& b = rows[0];
  DestructionBatch batch;
  batch.id = id;
  batch.display_id = BatchDisplayId(id);
  batch.status = Text(b[0]);
  batch.reason = Text(b[1]);
  batch.proposed_by = Text(b[2]);
  batch.proposed_at = Text(b[3]);
  batch.approved_by = Text(b[4]);
  batch.approved_at = Text(b[5]);
  batch.cancelled_by = Text(b[6]);
  batch.cancelled_at = Text(b[7]);
  batch.certificate_sha256 = Text(b[8]);
  for (const auto& row : tx.Exec(kItems, id)) {
    DestructionItem i;
    i.document = Text(row[0]);
    i.archive_number = Text(row[1]);
    i.customer_code = Text(row[2]);
    i.customer_name = Text(row[3]);
    i.type = Text(row[4]);
    i.title = Text(row[5]);
    i.page_count = static_cast<int>(Int(row[6]));
    i.pdf_sha256 = Text(row[7]);
    i.created_at = Text(row[8]);
    i.filed_at = Text(row[9]);
    i.event = Text(row[10]);
    i.event_date = Text(row[11]);
    i.retention_years = static_cast<int>(Int(row[12]));
    i.due_on = Text(row[13]);
    i.destroyed_at = Text(row[14]);
    i.file_purged_at = Text(row[15]);
    batch.items.push_back(std::move(i));
  }
  for (const auto& row : tx.Exec(kBatchOriginals, id)) {
    ShreddingRecord s;
    s.barcode = Text(row[0]);
    s.document = DisplayId(Int(row[1]));
    s.shredded_by = Text(row[2]);
    s.witness = Text(row[3]);
    s.shredded_at = Text(row[4]);
    s.method = Text(row[5]);
    batch.originals.push_back(std::move(s));
  }
  return batch;
}

std::string ProblemList(const std::vector<std::string>& problems) {
  std::string list;
  for (const auto& p : problems) list += "\n  " + p;
  return list;
}

}  // namespace

Result<RetentionPolicy> PgRetention::GetPolicy() {
  return catalog_.db().Transact(
      "reading the retention policy", [](Tx& tx) -> Result<RetentionPolicy> {
        return governance::ParseRetentionPolicy(GetSetting(tx, "retention"));
      });
}

Result<DestructionBatch> PgRetention::Propose(
    const std::vector<std::string>& documents, const std::string& today,
    const std::string& reason, const std::string& actor) {
  if (auto s = CheckDay(today); !s) return std::unexpected(s.error());
  if (TrimSpace(actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "proposing a destruction: the acting user is unknown");
  }
  return catalog_.db().Transact(
      "proposing a destruction batch", [&](Tx& tx) -> Result<DestructionBatch> {
        LockCounter(tx, "retention_counters");
        std::vector<Candidate> chosen;
        if (documents.empty()) {
          for (Candidate& c : Candidates(tx, today)) {
            if (!governance::MayFallDue(c.document_status) || !c.status.due) {
              continue;
            }
            if (Blockers(tx, c.id, c.customer_id, 0).empty()) {
              chosen.push_back(std::move(c));
            }
          }
          if (chosen.empty()) {
            return MakeError(ErrorCode::kInvalidArgument,
                             fmt::format("nothing to propose: no document is "
                                         "due on {} and free of holds and "
                                         "loans",
                                         today));
          }
        } else {
          std::vector<std::string> problems;
          std::set<std::int64_t> seen;
          for (const std::string& text : documents) {
            auto doc = DocumentByText(tx, text);
            if (!doc) return std::unexpected(doc.error());
            if (!seen.insert(doc->id).second) continue;
            std::optional<Candidate> c = CandidateOf(tx, doc->id, today);
            if (auto problem = governance::NotProposable(
                    doc->display_id, doc->status, doc->type,
                    c ? std::optional(c->status) : std::nullopt)) {
              problems.push_back(std::move(*problem));
              continue;
            }
            const auto blockers = Blockers(tx, c->id, c->customer_id, 0);
            for (const std::string& p : blockers) {
              problems.push_back(doc->display_id +
                                 " cannot be destroyed: " + p);
            }
            if (blockers.empty()) chosen.push_back(std::move(*c));
          }
          if (!problems.empty()) {
            return MakeError(ErrorCode::kConflict,
                             "destruction not proposed; nothing changed:" +
                                 ProblemList(problems));
          }
        }
        const std::string now = NowUtc();
        const std::int64_t batch_id = NextNumber(tx, "batches");
        tx.Exec(kInsertBatch, batch_id, TrimSpace(reason), actor, now);
        for (const Candidate& c : chosen) {
          const RetentionStatus& s = c.status;
          tx.Exec(kInsertItem, batch_id, c.id, s.document, s.archive_number,
                  s.customer_code, c.customer_name, s.type, s.title,
                  c.page_count, c.pdf_sha256, c.created_at, c.filed_at, s.event,
                  s.event_date, s.years, s.due_on);
        }
        WriteHistory(tx, "destruction_batches", batch_id, "status",
                     std::nullopt, "proposed", actor, now);
        return LoadBatch(tx, batch_id);
      });
}

Result<DestructionBatch> PgRetention::Approve(const std::string& batch_text,
                                              const std::string& actor) {
  std::int64_t id = 0;
  auto approved = catalog_.db().Transact(
      "approving destruction batch " + batch_text,
      [&](Tx& tx) -> Result<DestructionBatch> {
        auto policy =
            governance::ParseRetentionPolicy(GetSetting(tx, "retention"));
        if (!policy) return std::unexpected(policy.error());
        auto row_id = BatchRowId(tx, batch_text);
        if (!row_id) return std::unexpected(row_id.error());
        id = *row_id;
        auto batch = LoadBatch(tx, id);
        if (!batch) return std::unexpected(batch.error());
        if (auto s =
                governance::CheckDestructionApproval(*batch, *policy, actor);
            !s) {
          return std::unexpected(s.error());
        }
        // Holds and loans may have appeared since the proposal.
        std::vector<std::string> problems;
        std::map<std::string, std::string> old_status;
        for (const DestructionItem& item : batch->items) {
          auto doc = DocumentByText(tx, item.document);
          if (!doc) return std::unexpected(doc.error());
          old_status[item.document] = doc->status;
          if (doc->status == "destroyed") {
            problems.push_back(item.document + " is already destroyed");
            continue;
          }
          const std::int64_t customer_id =
              Int(tx.Exec(kDocumentCustomer, doc->id)[0][0]);
          for (const auto& p : Blockers(tx, doc->id, customer_id, id)) {
            problems.push_back(item.document + " cannot be destroyed: " + p);
          }
        }
        if (!problems.empty()) {
          return MakeError(
              ErrorCode::kConflict,
              batch->display_id +
                  " not approved; nothing changed:" + ProblemList(problems));
        }
        const std::string now = NowUtc();
        for (const DestructionItem& item : batch->items) {
          const std::int64_t doc_id = *ParseDocumentId(item.document);
          for (const Sql& sql : kPurge) tx.Exec(sql, doc_id);
          WriteHistory(tx, "documents", doc_id, "status",
                       old_status[item.document], "destroyed", actor, now);
          tx.Exec(kMarkDestroyed, id, doc_id, now);
        }
        const std::string next(
            governance::StatusAfterApproval(batch->originals.size()));
        if (tx.Exec(kApprove, id, next, actor, now).affected_rows() != 1) {
          return MakeError(ErrorCode::kConflict,
                           batch->display_id + " changed during the approval");
        }
        WriteHistory(tx, "destruction_batches", id, "status", "proposed", next,
                     actor, now);
        return LoadBatch(tx, id);
      });
  if (!approved) return approved;
  // The files go after the commit: a crash in between leaves a file that
  // FinishPurges (run by every approval and shredding) removes later.
  auto purged = FinishPurges();
  if (!purged) return std::unexpected(purged.error());
  return GetBatch(BatchDisplayId(id));
}

Result<int> PgRetention::FinishPurges() {
  return catalog_.db().Transact(
      "removing the files of destroyed documents", [&](Tx& tx) -> Result<int> {
        // No station may file a document naming these bytes while this
        // decides and removes: SHARE conflicts with every write to
        // documents, and the lock comes before the snapshot. Removing a
        // file is idempotent, so a run again (or a lost commit) decides
        // and removes again and nothing is lost.
        tx.Run("LOCK TABLE documents IN SHARE MODE");
        auto may_purge = [&](const std::string& sha256) {
          std::vector<std::string> statuses;
          for (const auto& row : tx.Exec(kStatusesNaming, sha256)) {
            statuses.push_back(Text(row[0]));
          }
          return governance::MayPurgeFile(statuses);
        };
        int removed = 0;
        for (const auto& row : tx.Exec(kUnpurged)) {
          const std::string sha256 = Text(row[1]);
          if (may_purge(sha256)) {
            auto gone = files_.Remove(sha256, "the destroyed document's file");
            if (!gone) return std::unexpected(gone.error());
            removed += *gone ? 1 : 0;
          }
          tx.Exec(kMarkPurged, Int(row[0]), NowUtc());
        }
        // Files kept with destroyed documents (original inputs, dropped
        // pages) go too, by the same rule.
        for (const auto& row : tx.Exec(kKeptOfDestroyed)) {
          const std::string sha256 = Text(row[0]);
          if (!files_.Contains(sha256) || !may_purge(sha256)) continue;
          auto gone = files_.Remove(sha256, "a file kept with a destroyed document");
          if (!gone) return std::unexpected(gone.error());
          removed += *gone ? 1 : 0;
        }
        return removed;
      });
}

Result<DestructionBatch> PgRetention::Cancel(const std::string& batch_text,
                                             const std::string& actor) {
  return catalog_.db().Transact(
      "cancelling destruction batch " + batch_text,
      [&](Tx& tx) -> Result<DestructionBatch> {
        auto id = BatchRowId(tx, batch_text);
        if (!id) return std::unexpected(id.error());
        auto batch = LoadBatch(tx, *id);
        if (!batch) return std::unexpected(batch.error());
        if (batch->status != "proposed") {
          return MakeError(ErrorCode::kConflict,
                           fmt::format("{} is {}; only a proposed batch can "
                                       "be cancelled",
                                       batch->display_id, batch->status));
        }
        const std::string now = NowUtc();
        tx.Exec(kCancel, *id, actor, now);
        WriteHistory(tx, "destruction_batches", *id, "status", "proposed",
                     "cancelled", actor, now);
        return LoadBatch(tx, *id);
      });
}

Result<DestructionBatch> PgRetention::RecordShredding(
    const ShreddingRequest& request) {
  const std::string barcode = NormalizeScan(request.barcode);
  const std::string witness = TrimSpace(request.witness);
  const std::string actor = TrimSpace(request.actor);
  std::int64_t id = 0;
  auto recorded = catalog_.db().Transact(
      fmt::format("recording the shredding of {} ({})", barcode, request.batch),
      [&](Tx& tx) -> Result<DestructionBatch> {
        auto row_id = BatchRowId(tx, request.batch);
        if (!row_id) return std::unexpected(row_id.error());
        id = *row_id;
        const std::string what = fmt::format(
            "recording the shredding of {} ({})", barcode, BatchDisplayId(id));
        if (auto s = governance::CheckShreddingWitness(what, witness, actor);
            !s) {
          return std::unexpected(s.error());
        }
        const std::string now = NowUtc();
        auto shredded_at = ShreddingTime(what, TrimSpace(request.at), now);
        if (!shredded_at) return std::unexpected(shredded_at.error());
        const std::string& at = *shredded_at;
        auto batch = LoadBatch(tx, id);
        if (!batch) return std::unexpected(batch.error());
        if (batch->status != "approved") {
          return MakeError(ErrorCode::kConflict,
                           fmt::format("{}: {} is {}; originals are shredded "
                                       "after the destruction is approved",
                                       what, batch->display_id, batch->status));
        }
        auto it = std::find_if(
            batch->originals.begin(), batch->originals.end(),
            [&](const ShreddingRecord& s) { return s.barcode == barcode; });
        if (it == batch->originals.end()) {
          return MakeError(ErrorCode::kNotFound,
                           fmt::format("{}: not an original of {}", what,
                                       batch->display_id));
        }
        if (!it->shredded_by.empty()) {
          return MakeError(
              ErrorCode::kConflict,
              fmt::format("{} was already shredded on {} by {}", barcode,
                          ZoneIn(tx).DisplayUtc(it->shredded_at),
                          it->shredded_by));
        }
        // Custody owns the original: its state, history and custody event.
        auto original = custody_pg::RecordShreddingIn(
            tx, barcode, actor, at,
            fmt::format("shredded, witness {}, batch {}", witness,
                        batch->display_id));
        if (!original) {
          if (original.error().code != ErrorCode::kConflict) {
            return std::unexpected(original.error());
          }
          return MakeError(ErrorCode::kConflict,
                           what + ": " + original.error().message);
        }
        tx.Exec(kInsertShredding, id, original->id, barcode, actor, witness, at,
                TrimSpace(request.method), actor, now);
        const bool last =
            std::count_if(batch->originals.begin(), batch->originals.end(),
                          [](const ShreddingRecord& s) {
                            return s.shredded_by.empty();
                          }) == 1;
        if (last) {
          tx.Exec(kComplete, id);
          WriteHistory(tx, "destruction_batches", id, "status", "approved",
                       "completed", actor, now);
        }
        return LoadBatch(tx, id);
      });
  if (!recorded) return recorded;
  auto purged = FinishPurges();
  if (!purged) return std::unexpected(purged.error());
  return GetBatch(BatchDisplayId(id));
}

Result<DestructionBatch> PgRetention::GetBatch(const std::string& batch) {
  return catalog_.db().Transact("reading destruction batch " + batch,
                                [&](Tx& tx) -> Result<DestructionBatch> {
                                  auto id = BatchRowId(tx, batch);
                                  if (!id) return std::unexpected(id.error());
                                  return LoadBatch(tx, *id);
                                });
}

Result<std::vector<DestructionBatch>> PgRetention::ListBatches() {
  return catalog_.db().Transact(
      "listing destruction batches",
      [&](Tx& tx) -> Result<std::vector<DestructionBatch>> {
        std::vector<DestructionBatch> out;
        for (const auto& row : tx.Exec(kBatchIds)) {
          auto b = LoadBatch(tx, Int(row[0]));
          if (!b) return std::unexpected(b.error());
          out.push_back(std::move(*b));
        }
        return out;
      });
}

Result<std::optional<DestructionBatch>> PgRetention::DestroyedBy(
    const std::string& document) {
  auto number = ParseDocumentId(document);
  if (!number) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("document id '{}' is not like D000012 or 12", document));
  }
  return catalog_.db().Transact(
      "finding the destruction of " + DisplayId(*number),
      [&](Tx& tx) -> Result<std::optional<DestructionBatch>> {
        auto rows = tx.Exec(kDestroyedBy, *number);
        if (rows.empty()) return std::optional<DestructionBatch>();
        auto b = LoadBatch(tx, Int(rows[0][0]));
        if (!b) return std::unexpected(b.error());
        return std::optional<DestructionBatch>(std::move(*b));
      });
}

Status PgRetention::RecordCertificate(const std::string& batch,
                                      const std::string& sha256,
                                      const std::string& actor) {
  return catalog_.db().Transact(
      "recording the certificate of " + batch, [&](Tx& tx) -> Status {
        auto id = BatchRowId(tx, batch);
        if (!id) return std::unexpected(id.error());
        const std::string now = NowUtc();
        tx.Exec(kCertificate, *id, sha256, now);
        WriteHistory(tx, "destruction_batches", *id, "certificate",
                     std::nullopt, sha256, actor, now);
        return Ok();
      });
}

}  // namespace dossier::storage::postgres
