// PgRetention (storage/postgres/retention.h): retention rules, the end of a
// customer relationship, what is due, legal holds, and the lookups the
// destruction batches share (retention_batches.cc).
#include "storage/postgres/retention.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "governance/retention_rules.h"
#include "storage/postgres/common.h"
#include "storage/postgres/custody_internal.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records_internal.h"
#include "storage/postgres/retention_internal.h"
#include "storage/records_codec.h"

namespace dossier::storage::postgres {

using namespace retention_pg;

namespace {

// Every document with a rule for its type; $1 is the contract-end field's
// name (governance::kContractEndField).
#define DOSSIER_PG_CANDIDATE_SELECT                                      \
  "SELECT d.id, d.customer_id, coalesce(d.archive_number, ''), c.code, " \
  "c.name, d.type, d.title, d.reviewed_at, d.created_at, d.pdf_sha256, " \
  "d.page_count, r.event, r.years, c.relationship_ended_on, "            \
  "coalesce(f.value, ''), coalesce(f.problem, ''), d.status "            \
  "FROM documents d JOIN customers c ON c.id = d.customer_id "           \
  "JOIN retention_rules r ON r.document_type = d.type "                  \
  "LEFT JOIN document_fields f ON f.document_id = d.id AND f.name = $1 "

const Sql kCandidates{"retention.candidates",
                      DOSSIER_PG_CANDIDATE_SELECT "ORDER BY d.id"};
const Sql kCandidate{"retention.candidate",
                     DOSSIER_PG_CANDIDATE_SELECT "WHERE d.id = $2"};
#undef DOSSIER_PG_CANDIDATE_SELECT

const Sql kNextNumber{
    "retention.next_number",
    "UPDATE retention_counters SET last_value = last_value + 1 "
    "WHERE name = $1 RETURNING last_value"};
const Sql kActiveHolds{
    "retention.active_holds",
    "SELECT h.id, h.reason, coalesce(c.code, '') FROM legal_holds h "
    "LEFT JOIN customers c ON c.id = h.customer_id "
    "WHERE h.released_at IS NULL AND (h.document_id = $1 OR "
    "h.customer_id = $2) ORDER BY h.id"};
const Sql kOpenBatchesOf{
    "retention.open_batches_of",
    "SELECT b.id FROM destruction_items i JOIN destruction_batches b ON "
    "b.id = i.batch_id WHERE i.document_id = $1 AND b.status = 'proposed' "
    "AND b.id <> $2 ORDER BY b.id"};

const Sql kRule{"retention.rule",
                "SELECT id, event || ' + ' || years || ' years' FROM "
                "retention_rules WHERE document_type = $1"};
const Sql kPutRule{
    "retention.put_rule",
    "INSERT INTO retention_rules (document_type, event, years, updated_at, "
    "updated_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (document_type) DO "
    "UPDATE SET event = excluded.event, years = excluded.years, "
    "updated_at = excluded.updated_at, updated_by = excluded.updated_by "
    "RETURNING id"};
const Sql kRules{"retention.rules",
                 "SELECT document_type, event, years, updated_at, updated_by "
                 "FROM retention_rules ORDER BY document_type COLLATE \"C\""};
const Sql kRelationshipEnd{
    "retention.relationship_end",
    "SELECT relationship_ended_on FROM customers WHERE id = $1"};
const Sql kSetRelationshipEnd{
    "retention.set_relationship_end",
    "UPDATE customers SET relationship_ended_on = $2 WHERE id = $1"};

const Sql kHold{"retention.hold",
                "SELECT h.document_id, coalesce(c.code, ''), h.reason, "
                "h.placed_by, h.placed_at, coalesce(h.released_by, ''), "
                "coalesce(h.released_at, ''), coalesce(h.release_reason, '') "
                "FROM legal_holds h LEFT JOIN customers c ON "
                "c.id = h.customer_id WHERE h.id = $1"};
const Sql kInsertHold{
    "retention.insert_hold",
    "INSERT INTO legal_holds (id, document_id, customer_id, reason, "
    "placed_by, placed_at) VALUES ($1, $2, $3, $4, $5, $6)"};
const Sql kReleaseHold{
    "retention.release_hold",
    "UPDATE legal_holds SET released_by = $2, released_at = $3, "
    "release_reason = $4 WHERE id = $1 AND released_at IS NULL"};
const Sql kAllHoldIds{"retention.all_hold_ids",
                      "SELECT id FROM legal_holds ORDER BY id"};
const Sql kActiveHoldIds{
    "retention.active_hold_ids",
    "SELECT id FROM legal_holds WHERE released_at IS NULL ORDER BY id"};

Candidate ReadCandidate(const pqxx::row& row, const std::string& today) {
  Candidate c;
  c.id = Int(row[0]);
  c.customer_id = Int(row[1]);
  RetentionStatus& r = c.status;
  r.document = DisplayId(c.id);
  r.archive_number = Text(row[2]);
  r.customer_code = Text(row[3]);
  c.customer_name = Text(row[4]);
  r.type = Text(row[5]);
  r.title = Text(row[6]);
  c.filed_at = Text(row[7]);
  c.created_at = Text(row[8]);
  c.pdf_sha256 = Text(row[9]);
  c.page_count = static_cast<int>(Int(row[10]));
  r.event = Text(row[11]);
  r.years = static_cast<int>(Int(row[12]));
  c.document_status = Text(row[16]);
  SetDue(c, {Text(row[13]), Text(row[14]), Text(row[15])}, today);
  return c;
}

Result<LegalHold> LoadHold(Tx& tx, std::int64_t id) {
  auto rows = tx.Exec(kHold, id);
  if (rows.empty()) {
    return MakeError(ErrorCode::kNotFound, "no legal hold " + HoldDisplayId(id));
  }
  const auto& row = rows[0];
  LegalHold h;
  h.id = id;
  h.display_id = HoldDisplayId(id);
  h.target = row[0].is_null() ? Text(row[1]) : DisplayId(Int(row[0]));
  h.reason = Text(row[2]);
  h.placed_by = Text(row[3]);
  h.placed_at = Text(row[4]);
  h.released_by = Text(row[5]);
  h.released_at = Text(row[6]);
  h.release_reason = Text(row[7]);
  return h;
}

}  // namespace

// --- Shared with retention*.cc
// -------------------------------------------------

namespace retention_pg {

std::int64_t NextNumber(Tx& tx, const char* counter) {
  return Int(tx.Exec(kNextNumber, std::string(counter))[0][0]);
}

std::vector<Candidate> Candidates(Tx& tx, const std::string& today) {
  std::vector<Candidate> out;
  for (const auto& row :
       tx.Exec(kCandidates, std::string(governance::kContractEndField))) {
    out.push_back(ReadCandidate(row, today));
  }
  return out;
}

std::optional<Candidate> CandidateOf(Tx& tx, std::int64_t document_id,
                                     const std::string& today) {
  auto rows = tx.Exec(kCandidate, std::string(governance::kContractEndField),
                      document_id);
  if (rows.empty()) return std::nullopt;
  return ReadCandidate(rows[0], today);
}

std::vector<std::string> Blockers(Tx& tx, std::int64_t document_id,
                                  std::int64_t customer_id,
                                  std::int64_t except_batch) {
  std::vector<std::string> out;
  for (const auto& row : tx.Exec(kActiveHolds, document_id, customer_id)) {
    out.push_back(HoldBlocker(Int(row[0]), Text(row[2]), Text(row[1])));
  }
  // Loans and originals are custody's: it says what of its own blocks.
  for (std::string& b : custody_pg::DestructionBlockersIn(tx, document_id)) {
    out.push_back(std::move(b));
  }
  for (const auto& row : tx.Exec(kOpenBatchesOf, document_id, except_batch)) {
    out.push_back(BatchBlocker(Int(row[0])));
  }
  return out;
}

}  // namespace retention_pg

// --- Rules -------------------------------------------------------------------

Result<RetentionRule> PgRetention::SetRule(const std::string& type,
                                           const std::string& event, int years,
                                           const std::string& actor) {
  if (auto s = governance::CheckRetentionRule(type, event, years, actor); !s) {
    return std::unexpected(s.error());
  }
  return catalog_.db().Transact(
      "setting the retention rule for " + type,
      [&](Tx& tx) -> Result<RetentionRule> {
        const std::string now = NowUtc();
        std::optional<std::string> old;
        auto existing = tx.Exec(kRule, type);
        if (!existing.empty()) old = Text(existing[0][1]);
        const std::int64_t id =
            Int(tx.Exec(kPutRule, type, event, years, now, actor)[0][0]);
        WriteHistory(tx, "retention_rules", id, "rule", old,
                     fmt::format("{} + {} years", event, years), actor, now);
        return RetentionRule{type, event, years, now, actor};
      });
}

Result<std::vector<RetentionRule>> PgRetention::ListRules() {
  return catalog_.db().Transact(
      "listing retention rules",
      [&](Tx& tx) -> Result<std::vector<RetentionRule>> {
        std::vector<RetentionRule> out;
        for (const auto& row : tx.Exec(kRules)) {
          out.push_back({Text(row[0]), Text(row[1]),
                         static_cast<int>(Int(row[2])), Text(row[3]),
                         Text(row[4])});
        }
        return out;
      });
}

Status PgRetention::SetRelationshipEnd(const std::string& customer_code,
                                       const std::string& date,
                                       const std::string& actor) {
  if (auto s = CheckRelationshipEnd(customer_code, date); !s) return s;
  auto code = CanonicalCustomerCode(customer_code);
  if (!code) return std::unexpected(code.error());
  return catalog_.db().Transact(
      "recording the relationship end of " + *code, [&](Tx& tx) -> Status {
        auto id = CustomerIdByCode(tx, *code);
        if (!id) return std::unexpected(id.error());
        const std::string old = Text(tx.Exec(kRelationshipEnd, *id)[0][0]);
        if (old == date) return Ok();
        tx.Exec(kSetRelationshipEnd, *id, date);
        WriteHistory(tx, "customers", *id, "relationship_ended_on", old, date,
                     actor, NowUtc());
        return Ok();
      });
}

Result<std::vector<RetentionStatus>> PgRetention::Due(const std::string& today,
                                                      bool all) {
  if (auto s = CheckDay(today); !s) return std::unexpected(s.error());
  return catalog_.db().Transact(
      "listing documents due for destruction",
      [&](Tx& tx) -> Result<std::vector<RetentionStatus>> {
        std::vector<RetentionStatus> out;
        for (Candidate& c : Candidates(tx, today)) {
          if (!governance::MayFallDue(c.document_status)) continue;
          if (!all && !c.status.due) continue;
          c.status.blocked_by = Blockers(tx, c.id, c.customer_id, 0);
          out.push_back(std::move(c.status));
        }
        std::stable_sort(
            out.begin(), out.end(),
            [](const RetentionStatus& a, const RetentionStatus& b) {
              // Unknown due dates last.
              if (a.due_on.empty() != b.due_on.empty()) {
                return b.due_on.empty();
              }
              return a.due_on < b.due_on;
            });
        return out;
      });
}

// --- Legal holds -------------------------------------------------------------

Result<LegalHold> PgRetention::AddHold(const std::string& target,
                                       const std::string& reason,
                                       const std::string& actor) {
  const std::string clean_reason = TrimSpace(reason);
  if (clean_reason.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "legal hold on " + target + ": a reason is required");
  }
  const std::string key = TrimSpace(target);
  return catalog_.db().Transact(
      "placing a legal hold on " + target, [&](Tx& tx) -> Result<LegalHold> {
        LockCounter(tx, "retention_counters");
        std::optional<std::int64_t> document_id;
        std::optional<std::int64_t> customer_id;
        if (ParseDocumentId(key)) {
          auto doc = DocumentByText(tx, key);
          if (!doc) return std::unexpected(doc.error());
          if (doc->status == "destroyed") {
            return MakeError(ErrorCode::kConflict,
                             doc->display_id + " is already destroyed");
          }
          document_id = doc->id;
        } else {
          auto code = CanonicalCustomerCode(key);
          if (!code) {
            return MakeError(ErrorCode::kInvalidArgument,
                             fmt::format("'{}' is neither a document id "
                                         "(D000012) nor a customer code",
                                         target));
          }
          auto id = CustomerIdByCode(tx, *code);
          if (!id) return std::unexpected(id.error());
          customer_id = *id;
        }
        const std::string now = NowUtc();
        const std::int64_t id = NextNumber(tx, "holds");
        tx.Exec(kInsertHold, id, document_id, customer_id, clean_reason, actor,
                now);
        WriteHistory(tx, "legal_holds", id, "placed", std::nullopt,
                     clean_reason, actor, now);
        return LoadHold(tx, id);
      });
}

Result<LegalHold> PgRetention::ReleaseHold(const std::string& hold,
                                           const std::string& reason,
                                           const std::string& actor) {
  auto id = custody::ParseDisplayId(hold, "H");
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
  return catalog_.db().Transact(
      "releasing legal hold " + HoldDisplayId(*id), [&](Tx& tx) -> Result<LegalHold> {
        auto h = LoadHold(tx, *id);
        if (!h) return std::unexpected(h.error());
        if (!h->active()) {
          return MakeError(
              ErrorCode::kConflict,
              fmt::format("{} was already released on {} by {}", h->display_id,
                          ZoneIn(tx).DisplayUtc(h->released_at),
                          h->released_by));
        }
        const std::string now = NowUtc();
        tx.Exec(kReleaseHold, *id, actor, now, clean_reason);
        WriteHistory(tx, "legal_holds", *id, "released", std::nullopt,
                     clean_reason, actor, now);
        return LoadHold(tx, *id);
      });
}

Result<std::vector<LegalHold>> PgRetention::ListHolds(bool active_only) {
  return catalog_.db().Transact(
      "listing legal holds", [&](Tx& tx) -> Result<std::vector<LegalHold>> {
        std::vector<LegalHold> out;
        for (const auto& row :
             tx.Exec(active_only ? kActiveHoldIds : kAllHoldIds)) {
          auto h = LoadHold(tx, Int(row[0]));
          if (!h) return std::unexpected(h.error());
          out.push_back(std::move(*h));
        }
        return out;
      });
}

}  // namespace dossier::storage::postgres
