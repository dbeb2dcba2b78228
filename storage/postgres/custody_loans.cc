// PgCustody (storage/postgres/custody.h): loans (借阅), manual 3.4.
//
// As on SQLite (storage/sqlite/custody_loans.cc): every status change asks
// the transition table (custody/loan_states.h) through custody::Step, who
// may decide and what a request, renewal or return must satisfy is
// custody/lending.h; here a loan is loaded, the rule asked, and the step
// written with its approvals, history and custody events in one
// transaction.
#include <fmt/format.h>

#include <algorithm>

#include "custody/lending.h"
#include "custody/loan_records.h"
#include "custody/loan_states.h"
#include "storage/postgres/common.h"
#include "storage/postgres/custody.h"
#include "storage/postgres/custody_internal.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records_internal.h"
#include "storage/records_codec.h"

namespace dossier::storage::postgres {

using namespace custody_pg;
using custody::LoanDecision;
using custody::LoanEvent;
using custody::LoanState;
using custody::Step;

namespace {

#define DOSSIER_PG_LOAN_SELECT                                         \
  "SELECT n.id, n.kind, coalesce(o.barcode, ''), "                     \
  "coalesce(n.document_id, o.document_id, 0), coalesce(d.title, ''), " \
  "n.requester, n.purpose, n.recipient, n.external, n.due_date, "      \
  "coalesce(n.requested_due, ''), n.status, n.round, n.requested_at, " \
  "coalesce(n.checked_out_at, ''), coalesce(n.returned_at, ''), "      \
  "coalesce(n.return_pages, -1), coalesce(n.return_note, ''), "        \
  "coalesce(n.resolution, ''), coalesce(n.original_id, 0), "           \
  "coalesce(o.page_count, -1) "                                        \
  "FROM loans n LEFT JOIN originals o ON o.id = n.original_id "        \
  "LEFT JOIN documents d ON d.id = coalesce(n.document_id, o.document_id) "

const Sql kLoanById{"custody.loan_by_id",
                    DOSSIER_PG_LOAN_SELECT "WHERE n.id = $1"};
#undef DOSSIER_PG_LOAN_SELECT

const Sql kApprovals{
    "custody.approvals",
    "SELECT round, approver, decision, note, at FROM loan_approvals "
    "WHERE loan_id = $1 ORDER BY id"};
const Sql kAllLoanIds{"custody.all_loan_ids",
                      "SELECT id FROM loans ORDER BY id"};
const Sql kLoanIdsIn{
    "custody.loan_ids_in",
    "SELECT id FROM loans WHERE status = ANY($1::text[]) ORDER BY id"};
const Sql kLoanIdsNotIn{
    "custody.loan_ids_not_in",
    "SELECT id FROM loans WHERE status <> ALL($1::text[]) ORDER BY id"};
const Sql kOverdueLoanIds{"custody.overdue_loan_ids",
                          "SELECT id FROM loans WHERE status = ANY($1::text[]) "
                          "AND due_date < $2 ORDER BY id"};
const Sql kInsertLoan{"custody.insert_loan",
                      "INSERT INTO loans (id, kind, original_id, document_id, "
                      "requester, purpose, "
                      "recipient, external, due_date, status, requested_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
const Sql kInsertApproval{
    "custody.insert_approval",
    "INSERT INTO loan_approvals (loan_id, round, approver, decision, note, at) "
    "VALUES ($1, $2, $3, $4, $5, $6)"};
const Sql kSetOriginalState{"custody.set_original_state",
                            "UPDATE originals SET state = $1 WHERE id = $2"};
const Sql kOriginalLocation{"custody.original_location",
                            "SELECT location_id FROM originals WHERE id = $1"};
const Sql kBlockingLoans{
    "custody.blocking_loans",
    "SELECT l.id, l.status FROM loans l WHERE (l.document_id = $1 OR "
    "l.original_id IN (SELECT id FROM originals WHERE document_id = $1)) "
    "AND l.status <> ALL($2::text[]) ORDER BY l.id"};
const Sql kBlockingOriginals{
    "custody.blocking_originals",
    "SELECT barcode, state FROM originals WHERE document_id = $1 AND "
    "state NOT IN ('in-place', 'destroyed') ORDER BY id"};
const Sql kApprovedCopy{
    "custody.approved_copy",
    "SELECT min(id) FROM loans WHERE kind = 'electronic' AND document_id = $1 "
    "AND requester = $2 AND status = ANY($3::text[])"};

// The loan columns a step sets; each its own prepared statement.
// clang-format off
#define DOSSIER_PG_LOAN_SET(column, cast)                     \
  {#column, Sql{"custody.loan_set_" #column,                  \
                "UPDATE loans SET " #column " = $1" cast      \
                " WHERE id = $2"}}
// clang-format on
const std::pair<std::string_view, Sql> kLoanSetters[] = {
    DOSSIER_PG_LOAN_SET(status, ""),
    DOSSIER_PG_LOAN_SET(due_date, ""),
    DOSSIER_PG_LOAN_SET(requested_due, ""),
    DOSSIER_PG_LOAN_SET(round, "::integer"),
    DOSSIER_PG_LOAN_SET(checked_out_at, ""),
    DOSSIER_PG_LOAN_SET(checked_out_by, ""),
    DOSSIER_PG_LOAN_SET(returned_at, ""),
    DOSSIER_PG_LOAN_SET(returned_by, ""),
    DOSSIER_PG_LOAN_SET(return_pages, "::integer"),
    DOSSIER_PG_LOAN_SET(return_note, ""),
    DOSSIER_PG_LOAN_SET(resolution, ""),
};
#undef DOSSIER_PG_LOAN_SET

// The stored texts of `states` as a PostgreSQL text[] literal.
std::string StatusArray(const std::vector<LoanState>& states) {
  std::string out = "{";
  for (LoanState s : states) {
    if (out.size() > 1) out += ',';
    out += fmt::format("\"{}\"", custody::ToString(s));
  }
  return out + "}";
}

Loan ReadLoan(const pqxx::row& row) {
  Loan l;
  l.id = Int(row[0]);
  l.display_id = custody::LoanId(l.id);
  l.kind = Text(row[1]);
  l.barcode = Text(row[2]);
  const std::int64_t doc = Int(row[3]);
  if (doc != 0) l.document_display_id = DisplayId(doc);
  l.title = doc != 0 ? Text(row[4]) : "customer folder";
  l.requester = Text(row[5]);
  l.purpose = Text(row[6]);
  l.recipient = Text(row[7]);
  l.external = row[8].as<bool>();
  l.due_date = Text(row[9]);
  l.requested_due = Text(row[10]);
  l.status = Text(row[11]);
  l.round = static_cast<int>(Int(row[12]));
  l.requested_at = Text(row[13]);
  l.checked_out_at = Text(row[14]);
  l.returned_at = Text(row[15]);
  l.return_pages = static_cast<int>(Int(row[16]));
  l.return_note = Text(row[17]);
  l.resolution = Text(row[18]);
  l.original_pages = static_cast<int>(Int(row[20]));
  return l;
}

struct LoanRow {
  Loan loan;
  std::int64_t original_id = 0;
};

Result<LoanRow> ReadLoanRowById(Tx& tx, const LendingPolicy& policy,
                                std::int64_t id) {
  auto rows = tx.Exec(kLoanById, id);
  if (rows.empty())
    return MakeError(ErrorCode::kNotFound, "no loan " + custody::LoanId(id));
  LoanRow r{ReadLoan(rows[0]), Int(rows[0][19])};
  r.loan.approvals_needed = custody::ApprovalsNeeded(policy, r.loan.external);
  for (const auto& a : tx.Exec(kApprovals, id)) {
    r.loan.approvals.push_back({static_cast<int>(Int(a[0])), Text(a[1]),
                                Text(a[2]), Text(a[3]), Text(a[4])});
  }
  return r;
}

Result<LoanRow> ReadLoanRow(Tx& tx, const LendingPolicy& policy,
                            const std::string& key) {
  auto id = custody::ParseDisplayId(key, "L");
  if (!id) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "'" + key + "' is not a loan id (e.g. L000012)");
  }
  return ReadLoanRowById(tx, policy, *id);
}

Result<std::vector<Loan>> LoansOf(Tx& tx, const LendingPolicy& policy,
                                  const pqxx::result& ids) {
  std::vector<Loan> loans;
  for (const auto& row : ids) {
    auto r = ReadLoanRowById(tx, policy, Int(row[0]));
    if (!r) return std::unexpected(r.error());
    loans.push_back(std::move(r->loan));
  }
  return loans;
}

// Sets a loan column and records it in history.
void SetLoanField(Tx& tx, const Loan& loan, std::string_view column,
                  const std::optional<std::string>& old_value,
                  const std::optional<std::string>& value,
                  const std::string& actor, const std::string& at) {
  const auto* setter =
      std::find_if(std::begin(kLoanSetters), std::end(kLoanSetters),
                   [&](const auto& s) { return s.first == column; });
  // Columns are this file's constants; one not in the table is a bug.
  if (setter == std::end(kLoanSetters)) {
    throw std::logic_error("no setter for loans." + std::string(column));
  }
  tx.Exec(setter->second, value, loan.id);
  WriteHistory(tx, "loans", loan.id, std::string(column), old_value,
               value.value_or(""), actor, at);
}

// Writes a step's changes (custody/loan_records.h), each with history.
void ApplyLoanChanges(Tx& tx, const Loan& loan,
                      const std::vector<custody::LoanChange>& changes,
                      const std::string& actor, const std::string& at) {
  for (const custody::LoanChange& c : changes) {
    SetLoanField(tx, loan, c.column, c.old_value, c.new_value, actor, at);
  }
}

void SetOriginalState(Tx& tx, std::int64_t original_id, const std::string& from,
                      const std::string& to, const std::string& actor,
                      const std::string& at) {
  tx.Exec(kSetOriginalState, to, original_id);
  WriteHistory(tx, "originals", original_id, "state", from, to, actor, at);
}

std::int64_t OriginalLocation(Tx& tx, std::int64_t id) {
  return Int(tx.Exec(kOriginalLocation, id)[0][0]);
}

Result<Loan> CheckoutIn(Tx& tx, const LendingPolicy& policy,
                        const std::string& key, const std::string& barcode,
                        const std::string& actor) {
  auto row = ReadLoanRow(tx, policy, key);
  if (!row) return std::unexpected(row.error());
  const Loan& loan = row->loan;
  // A paper original is checked out; an electronic copy is exported.
  auto next = Step(
      loan, loan.kind == "paper" ? LoanEvent::kCheckout : LoanEvent::kExport);
  if (!next) return std::unexpected(next.error());
  const std::string now = NowUtc();
  if (loan.kind == "paper") {
    const std::string scanned = NormalizeScan(barcode);
    if (auto s = custody::CheckScannedOriginal(loan, scanned); !s) {
      return std::unexpected(s.error());
    }
    auto original = FindOriginal(tx, scanned);
    if (!original) return std::unexpected(original.error());
    if (original->state != "in-place") {
      return MakeError(ErrorCode::kConflict,
                       "original " + scanned + " is " + original->state);
    }
    SetOriginalState(tx, original->id, "in-place", "on-loan", actor, now);
    WriteCustodyEvent(tx, original->id, "checkout", original->location_id,
                      std::nullopt, loan.id, actor, now, loan.purpose);
  }
  ApplyLoanChanges(tx, loan, custody::CheckoutChanges(loan, *next, actor, now),
                   actor, now);
  auto done = ReadLoanRowById(tx, policy, loan.id);
  if (!done) return std::unexpected(done.error());
  return done->loan;
}

Result<Loan> Decide(Tx& tx, const std::string& key, const std::string& approver,
                    const std::string& note, LoanDecision decision) {
  auto policy = LendingPolicyIn(tx);
  if (!policy) return std::unexpected(policy.error());
  const std::string verb =
      decision == LoanDecision::kApprove ? "approve" : "reject";
  auto row = ReadLoanRow(tx, *policy, key);
  if (!row) return std::unexpected(row.error());
  const Loan& loan = row->loan;
  auto step = custody::DecideLoan(loan, *policy, approver, decision);
  if (!step) return std::unexpected(step.error());
  const std::string now = NowUtc();
  tx.Exec(kInsertApproval, loan.id, loan.round, approver, verb, note, now);
  WriteHistory(tx, "loans", loan.id,
               fmt::format("{}-round-{}", verb, loan.round), std::nullopt, note,
               approver, now);
  ApplyLoanChanges(tx, loan, custody::DecisionChanges(loan, *step), approver,
                   now);
  auto done = ReadLoanRowById(tx, *policy, loan.id);
  if (!done) return std::unexpected(done.error());
  return done->loan;
}

}  // namespace

Result<LendingPolicy> custody_pg::LendingPolicyIn(Tx& tx) {
  return custody::ParseLendingPolicy(postgres::GetSetting(tx, "lending"));
}

Result<LendingPolicy> PgCustody::GetLendingPolicy() {
  return catalog_.db().Transact("reading the lending policy",
                                [&](Tx& tx) { return LendingPolicyIn(tx); });
}

Result<Loan> PgCustody::GetLoan(const std::string& key) {
  return catalog_.db().Transact("reading loan " + key,
                                [&](Tx& tx) -> Result<Loan> {
                                  auto policy = LendingPolicyIn(tx);
                                  if (!policy)
                                    return std::unexpected(policy.error());
                                  auto row = ReadLoanRow(tx, *policy, key);
                                  if (!row) return std::unexpected(row.error());
                                  return row->loan;
                                });
}

Result<Loan> PgCustody::RequestLoan(const LoanRequest& request) {
  const std::string item = NormalizeScan(request.item);
  return catalog_.db().Transact(
      "requesting a loan of " + item, [&](Tx& tx) -> Result<Loan> {
        LockCounter(tx, "custody_counters");
        if (auto s =
                custody::CheckLoanRequest(request, item, ZoneIn(tx).Today());
            !s) {
          return std::unexpected(s.error());
        }
        std::optional<std::int64_t> original_id;
        std::optional<std::int64_t> document_id;
        if (request.electronic) {
          auto doc = DocumentByText(tx, item);
          if (!doc) return std::unexpected(doc.error());
          if (auto s = custody::CheckCopyLendable(*doc, item); !s) {
            return std::unexpected(s.error());
          }
          document_id = doc->id;
        } else {
          std::vector<Original> originals;
          if (!IsOriginalBarcode(item)) {
            auto found = WhereIn(tx, item);
            if (!found) return std::unexpected(found.error());
            originals = std::move(*found);
          }
          auto barcode = custody::OriginalToLend(item, std::move(originals));
          if (!barcode) return std::unexpected(barcode.error());
          auto original = FindOriginal(tx, *barcode);
          if (!original) return std::unexpected(original.error());
          if (auto s = custody::CheckLendable(*original); !s) {
            return std::unexpected(s.error());
          }
          original_id = original->id;
        }
        const std::string now = NowUtc();
        const std::string status(custody::ToString(custody::kLoanCreation.to));
        const std::string kind = request.electronic ? "electronic" : "paper";
        const std::int64_t id = NextNumber(tx, "loans");
        tx.Exec(kInsertLoan, id, kind, original_id, document_id,
                request.requester, request.purpose, request.recipient,
                request.external, request.due_date, status, now);
        for (const auto& [field, value] :
             custody::NewLoanFields(request, item, custody::kLoanCreation.to)) {
          WriteHistory(tx, "loans", id, field, std::nullopt, value,
                       request.requester, now);
        }
        auto policy = LendingPolicyIn(tx);
        if (!policy) return std::unexpected(policy.error());
        auto row = ReadLoanRowById(tx, *policy, id);
        if (!row) return std::unexpected(row.error());
        return row->loan;
      });
}

Result<Loan> PgCustody::ApproveLoan(const std::string& loan,
                                    const std::string& approver,
                                    const std::string& note) {
  return catalog_.db().Transact("approving loan " + loan, [&](Tx& tx) {
    return Decide(tx, loan, approver, note, LoanDecision::kApprove);
  });
}

Result<Loan> PgCustody::RejectLoan(const std::string& loan,
                                   const std::string& approver,
                                   const std::string& note) {
  return catalog_.db().Transact("rejecting loan " + loan, [&](Tx& tx) {
    return Decide(tx, loan, approver, note, LoanDecision::kReject);
  });
}

Result<Loan> PgCustody::CheckoutLoan(const std::string& key,
                                     const std::string& barcode,
                                     const std::string& actor) {
  return catalog_.db().Transact(
      "checking out loan " + key, [&](Tx& tx) -> Result<Loan> {
        auto policy = LendingPolicyIn(tx);
        if (!policy) return std::unexpected(policy.error());
        return CheckoutIn(tx, *policy, key, barcode, actor);
      });
}

Result<Loan> PgCustody::RequestRenewal(const std::string& key,
                                       const std::string& new_due,
                                       const std::string& actor) {
  return catalog_.db().Transact(
      "renewing loan " + key, [&](Tx& tx) -> Result<Loan> {
        auto policy = LendingPolicyIn(tx);
        if (!policy) return std::unexpected(policy.error());
        auto row = ReadLoanRow(tx, *policy, key);
        if (!row) return std::unexpected(row.error());
        const Loan& loan = row->loan;
        auto next = Step(loan, LoanEvent::kRequestRenewal);
        if (!next) return std::unexpected(next.error());
        if (auto s = custody::CheckRenewal(loan, actor, new_due); !s) {
          return std::unexpected(s.error());
        }
        const std::string now = NowUtc();
        ApplyLoanChanges(tx, loan,
                         custody::RenewalChanges(loan, *next, new_due), actor,
                         now);
        auto done = ReadLoanRowById(tx, *policy, loan.id);
        if (!done) return std::unexpected(done.error());
        return done->loan;
      });
}

Result<Loan> PgCustody::ReturnLoan(const ReturnRequest& request) {
  return catalog_.db().Transact(
      "returning loan " + request.loan, [&](Tx& tx) -> Result<Loan> {
        auto policy = LendingPolicyIn(tx);
        if (!policy) return std::unexpected(policy.error());
        auto row = ReadLoanRow(tx, *policy, request.loan);
        if (!row) return std::unexpected(row.error());
        const Loan& loan = row->loan;
        // return_ok and return_flagged are allowed in the same states
        // (tests/custody/loan_states_test.cc), so asking one answers both.
        if (auto out = Step(loan, LoanEvent::kReturnOk); !out) {
          return std::unexpected(out.error());
        }
        const std::string scanned = NormalizeScan(request.barcode);
        // A wrong scan or an electronic loan is refused before anything is
        // read.
        if (auto c = custody::InspectReturn(loan, request, scanned, -1); !c) {
          return std::unexpected(c.error());
        }
        auto original = FindOriginal(tx, loan.barcode);
        if (!original) return std::unexpected(original.error());
        auto inspection = custody::InspectReturn(loan, request, scanned,
                                                 original->page_count);
        if (!inspection) return std::unexpected(inspection.error());
        auto next = Step(loan, inspection->event);
        if (!next) return std::unexpected(next.error());
        const std::string now = NowUtc();
        const std::string& actor = request.actor;
        SetOriginalState(tx, original->id, original->state,
                         inspection->original_state, actor, now);
        WriteCustodyEvent(tx, original->id, "return", std::nullopt,
                          OriginalLocation(tx, original->id), loan.id, actor,
                          now, inspection->reason);
        ApplyLoanChanges(tx, loan,
                         custody::ReturnChanges(loan, *next, request, now),
                         actor, now);
        auto done = ReadLoanRowById(tx, *policy, loan.id);
        if (!done) return std::unexpected(done.error());
        return done->loan;
      });
}

Result<Loan> PgCustody::ResolveReturn(const std::string& key,
                                      const std::string& actor,
                                      const std::string& note) {
  return catalog_.db().Transact(
      "resolving loan " + key, [&](Tx& tx) -> Result<Loan> {
        auto policy = LendingPolicyIn(tx);
        if (!policy) return std::unexpected(policy.error());
        auto row = ReadLoanRow(tx, *policy, key);
        if (!row) return std::unexpected(row.error());
        const Loan& loan = row->loan;
        auto next = Step(loan, LoanEvent::kResolve);
        if (!next) return std::unexpected(next.error());
        if (auto s = custody::CheckResolution(*policy, loan, actor, note); !s) {
          return std::unexpected(s.error());
        }
        const std::string now = NowUtc();
        SetOriginalState(tx, row->original_id, "returned-flagged", "in-place",
                         actor, now);
        WriteCustodyEvent(tx, row->original_id, "resolve", std::nullopt,
                          OriginalLocation(tx, row->original_id), loan.id,
                          actor, now, note);
        ApplyLoanChanges(tx, loan, custody::ResolveChanges(loan, *next, note),
                         actor, now);
        auto done = ReadLoanRowById(tx, *policy, loan.id);
        if (!done) return std::unexpected(done.error());
        return done->loan;
      });
}

Result<std::vector<Loan>> PgCustody::ListLoans(const std::string& status) {
  if (!status.empty() && status != "open") {
    // An unknown status is an error that lists the known ones, not an
    // empty list that reads as "no such loans".
    auto state = custody::ParseLoanState(status);
    if (!state) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          state.error().message + "; or 'open' for every open loan");
    }
  }
  return catalog_.db().Transact(
      "listing loans", [&](Tx& tx) -> Result<std::vector<Loan>> {
        auto policy = LendingPolicyIn(tx);
        if (!policy) return std::unexpected(policy.error());
        if (status.empty()) return LoansOf(tx, *policy, tx.Exec(kAllLoanIds));
        if (status == "open") {
          return LoansOf(
              tx, *policy,
              tx.Exec(kLoanIdsNotIn, StatusArray(custody::FinalLoanStates())));
        }
        return LoansOf(tx, *policy,
                       tx.Exec(kLoanIdsIn, "{\"" + status + "\"}"));
      });
}

std::vector<std::string> custody_pg::DestructionBlockersIn(
    Tx& tx, std::int64_t document_id) {
  std::vector<std::string> out;
  for (const auto& row : tx.Exec(kBlockingLoans, document_id,
                                 StatusArray(custody::FinalLoanStates()))) {
    out.push_back(fmt::format("open loan {} ({})", custody::LoanId(Int(row[0])),
                              Text(row[1])));
  }
  for (const auto& row : tx.Exec(kBlockingOriginals, document_id)) {
    out.push_back(fmt::format("original {} is {}", Text(row[0]), Text(row[1])));
  }
  return out;
}

Result<std::vector<std::string>> PgCustody::DestructionBlockers(
    std::int64_t document_id) {
  return catalog_.db().Transact(
      fmt::format("checking the loans and originals of document {}",
                  document_id),
      [&](Tx& tx) -> Result<std::vector<std::string>> {
        return DestructionBlockersIn(tx, document_id);
      });
}

Result<std::vector<Loan>> PgCustody::OverdueLoans(
    const std::string& given_today) {
  return catalog_.db().Transact(
      "listing overdue loans", [&](Tx& tx) -> Result<std::vector<Loan>> {
        const std::string today =
            given_today.empty() ? ZoneIn(tx).Today() : given_today;
        if (!custody::IsDate(today)) {
          return MakeError(ErrorCode::kInvalidArgument,
                           "date '" + today + "' must be YYYY-MM-DD");
        }
        auto policy = LendingPolicyIn(tx);
        if (!policy) return std::unexpected(policy.error());
        // Out: the original can come back, so it is due back.
        return LoansOf(
            tx, *policy,
            tx.Exec(
                kOverdueLoanIds,
                StatusArray(custody::LoanStatesAllowing(LoanEvent::kReturnOk)),
                today));
      });
}

Result<std::optional<Loan>> PgCustody::AuthorizeExport(
    const std::string& document, const std::string& user) {
  return catalog_.db().Transact(
      "authorizing an export of " + document,
      [&](Tx& tx) -> Result<std::optional<Loan>> {
        auto policy = LendingPolicyIn(tx);
        if (!policy) return std::unexpected(policy.error());
        auto doc = DocumentByText(tx, document);
        if (!doc) return std::unexpected(doc.error());
        if (!policy->export_requires_approval) return std::optional<Loan>();
        auto rows = tx.Exec(
            kApprovedCopy, doc->id, user,
            StatusArray(custody::LoanStatesAllowing(LoanEvent::kExport)));
        if (rows.empty() || rows[0][0].is_null()) {
          return MakeError(
              ErrorCode::kConflict,
              fmt::format("exporting an electronic copy of {} needs an "
                          "approved loan (setting lending."
                          "export_requires_approval): dossier loan "
                          "request {} --electronic ...",
                          doc->display_id, doc->display_id));
        }
        auto loan =
            CheckoutIn(tx, *policy, custody::LoanId(Int(rows[0][0])), "", user);
        if (!loan) return std::unexpected(loan.error());
        return std::optional<Loan>(std::move(*loan));
      });
}

}  // namespace dossier::storage::postgres
