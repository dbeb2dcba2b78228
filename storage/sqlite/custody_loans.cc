// Custody: loans (借阅), manual 3.4.
//
// Which step is allowed in which status, and the status it leads to, is the
// transition table in custody/loan_states.h: every status change here goes
// through Step(), and the status lists of the queries below are read from
// the table. This file adds what the table does not know: who may decide
// (CheckApprover), the approvals counted per round (0, then one per
// renewal; 1 for internal loans, at least 2 distinct approvers for external
// ones, 外部提供), barcodes, due dates, page counts and the records each
// step writes.
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "custody/lending.h"
#include "custody/loan_records.h"
#include "custody/loan_states.h"
#include "storage/sqlite/custody_internal.h"

namespace dossier::storage {

using namespace custody_internal;

namespace {

constexpr std::string_view kLoanSelect =
    "SELECT n.id, n.kind, COALESCE(o.barcode, ''),"
    " COALESCE(n.document_id, o.document_id, 0), COALESCE(d.title, ''),"
    " n.requester, n.purpose, n.recipient, n.external, n.due_date,"
    " COALESCE(n.requested_due, ''), n.status, n.round, n.requested_at,"
    " COALESCE(n.checked_out_at, ''), COALESCE(n.returned_at, ''),"
    " COALESCE(n.return_pages, -1), COALESCE(n.return_note, ''),"
    " COALESCE(n.resolution, ''), COALESCE(n.original_id, 0),"
    " COALESCE(o.page_count, -1)"
    " FROM loans n LEFT JOIN originals o ON o.id = n.original_id"
    " LEFT JOIN documents d ON d.id = COALESCE(n.document_id, o.document_id) ";

Loan ReadLoan(const Statement& s) {
  Loan l;
  l.id = s.ColumnInt64(0);
  l.display_id = LoanId(l.id);
  l.kind = s.ColumnText(1);
  l.barcode = s.ColumnText(2);
  const std::int64_t doc = s.ColumnInt64(3);
  if (doc != 0) l.document_display_id = fmt::format("D{:06d}", doc);
  l.title = doc != 0 ? s.ColumnText(4) : "customer folder";
  l.requester = s.ColumnText(5);
  l.purpose = s.ColumnText(6);
  l.recipient = s.ColumnText(7);
  l.external = s.ColumnInt(8) != 0;
  l.due_date = s.ColumnText(9);
  l.requested_due = s.ColumnText(10);
  l.status = s.ColumnText(11);
  l.round = s.ColumnInt(12);
  l.requested_at = s.ColumnText(13);
  l.checked_out_at = s.ColumnText(14);
  l.returned_at = s.ColumnText(15);
  l.return_pages = s.ColumnInt(16);
  l.return_note = s.ColumnText(17);
  l.resolution = s.ColumnText(18);
  l.original_pages = s.ColumnInt(20);
  return l;
}

using custody::LoanEvent;
using custody::LoanState;
using custody::IsDate;
using custody::Step;
using custody::StoredState;

// "'checked-out', 'renewal-requested'": the stored texts of `states` as an
// SQL list. The texts are the table's own constants, never user input.
std::string SqlStatusList(const std::vector<LoanState>& states) {
  std::vector<std::string> quoted;
  for (LoanState s : states) {
    quoted.push_back(fmt::format("'{}'", custody::ToString(s)));
  }
  return fmt::format("({})", fmt::join(quoted, ", "));
}

struct LoanRow {
  Loan loan;
  std::int64_t original_id = 0;
};

Result<LoanRow> ReadLoanRow(const Database& db, const LendingPolicy& policy,
                            const std::string& key) {
  auto id = ParseDisplayId(key, "L");
  if (!id) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "'" + key + "' is not a loan id (e.g. L000012)");
  }
  auto stmt = db.Prepare(std::string(kLoanSelect) + "WHERE n.id = ?1",
                         "reading loan " + LoanId(*id));
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, *id);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no loan " + LoanId(*id));
  LoanRow r{ReadLoan(*stmt), stmt->ColumnInt64(19)};
  stmt->Reset();
  r.loan.approvals_needed = custody::ApprovalsNeeded(policy, r.loan.external);
  auto approvals = db.Prepare(
      "SELECT round, approver, decision, note, at FROM loan_approvals"
      " WHERE loan_id = ?1 ORDER BY id",
      "reading approvals of " + r.loan.display_id);
  if (!approvals) return std::unexpected(approvals.error());
  approvals->Bind(1, *id);
  while (true) {
    auto a = approvals->Step();
    if (!a) return std::unexpected(a.error());
    if (!*a) break;
    r.loan.approvals.push_back(
        {approvals->ColumnInt(0), approvals->ColumnText(1),
         approvals->ColumnText(2), approvals->ColumnText(3),
         approvals->ColumnText(4)});
  }
  return r;
}

// Sets a loan column and records it in history.
Status SetLoanField(const Database& db, HistoryWriter& history,
                    const Loan& loan, std::string_view column,
                    const std::optional<std::string>& old_value,
                    const std::optional<std::string>& value,
                    std::string_view actor, std::string_view at) {
  auto stmt = db.Prepare(
      fmt::format("UPDATE loans SET {} = ?1 WHERE id = ?2", column),
      "updating " + loan.display_id);
  if (!stmt) return std::unexpected(stmt.error());
  if (value) {
    stmt->Bind(1, *value);
  } else {
    stmt->BindNull(1);
  }
  stmt->Bind(2, loan.id);
  CUSTODY_TRY(stmt->Run());
  return history.Write("loans", loan.id, column, old_value,
                       value.value_or(""), actor, at);
}

// Writes a step's changes (custody/loan_records.h), each with history.
Status ApplyLoanChanges(const Database& db, HistoryWriter& history,
                        const Loan& loan,
                        const std::vector<custody::LoanChange>& changes,
                        std::string_view actor, std::string_view at) {
  for (const custody::LoanChange& c : changes) {
    CUSTODY_TRY(SetLoanField(db, history, loan, c.column, c.old_value,
                             c.new_value, actor, at));
  }
  return Ok();
}

Status SetOriginalState(const Database& db, HistoryWriter& history,
                        std::int64_t original_id, const std::string& from,
                        const std::string& to, std::string_view actor,
                        std::string_view at) {
  auto stmt = db.Prepare("UPDATE originals SET state = ?1 WHERE id = ?2",
                         "changing the state of an original");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, to).Bind(2, original_id);
  CUSTODY_TRY(stmt->Run());
  return history.Write("originals", original_id, "state", from, to, actor, at);
}

Result<std::int64_t> OriginalLocation(const Database& db, std::int64_t id) {
  auto stmt = db.Prepare("SELECT location_id FROM originals WHERE id = ?1",
                         "reading an original's location");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "original vanished");
  return stmt->ColumnInt64(0);
}

}  // namespace

namespace custody_internal {

Result<LendingPolicy> ReadLendingPolicy(Catalog& catalog) {
  auto setting = catalog.GetSetting("lending");
  if (!setting) return std::unexpected(setting.error());
  return custody::ParseLendingPolicy(*setting);
}

}  // namespace custody_internal

Result<LendingPolicy> Custody::GetLendingPolicy() {
  return ReadLendingPolicy(catalog_);
}

Result<Loan> Custody::GetLoan(const std::string& loan) {
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  auto row = ReadLoanRow(*db_, *policy, loan);
  if (!row) return std::unexpected(row.error());
  return row->loan;
}

Result<Loan> Custody::RequestLoan(const LoanRequest& request) {
  const Database& db = *db_;
  const std::string item = NormalizeScan(request.item);
  CUSTODY_TRY(custody::CheckLoanRequest(request, item, catalog_.Zone().Today()));
  const std::string what = "requesting a loan of " + item;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  std::optional<std::int64_t> original_id;
  std::optional<std::int64_t> document_id;
  if (request.electronic) {
    auto doc = catalog_.GetDocument(item);
    if (!doc) return std::unexpected(doc.error());
    CUSTODY_TRY(custody::CheckCopyLendable(*doc, item));
    document_id = doc->id;
  } else {
    std::vector<Original> originals;
    if (!IsOriginalBarcode(item)) {
      auto found = Where(item);
      if (!found) return std::unexpected(found.error());
      originals = std::move(*found);
    }
    auto barcode = custody::OriginalToLend(item, std::move(originals));
    if (!barcode) return std::unexpected(barcode.error());
    auto original = FindOriginal(db, *barcode);
    if (!original) return std::unexpected(original.error());
    CUSTODY_TRY(custody::CheckLendable(*original));
    original_id = original->id;
  }
  const UtcNow now = CurrentUtc();
  const std::string status(custody::ToString(custody::kLoanCreation.to));
  auto insert = db.Prepare(
      "INSERT INTO loans (kind, original_id, document_id, requester, purpose,"
      " recipient, external, due_date, status, requested_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
      what);
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, request.electronic ? "electronic" : "paper");
  if (original_id) {
    insert->Bind(2, *original_id);
  } else {
    insert->BindNull(2);
  }
  if (document_id) {
    insert->Bind(3, *document_id);
  } else {
    insert->BindNull(3);
  }
  insert->Bind(4, request.requester).Bind(5, request.purpose);
  insert->Bind(6, request.recipient).Bind(7, request.external ? 1 : 0);
  insert->Bind(8, request.due_date).Bind(9, status).Bind(10, now.iso8601);
  CUSTODY_TRY(insert->Run());
  const std::int64_t id = sqlite3_last_insert_rowid(db.get());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  for (const auto& [field, value] :
       custody::NewLoanFields(request, item, custody::kLoanCreation.to)) {
    CUSTODY_TRY(history->Write("loans", id, field, std::nullopt, value,
                               request.requester, now.iso8601));
  }
  CUSTODY_TRY(tx->Commit());
  return GetLoan(LoanId(id));
}

using custody::LoanDecision;

static Result<Loan> Decide(const Database& db, const LendingPolicy& policy,
                           const std::string& key, const std::string& approver,
                           const std::string& note, LoanDecision decision) {
  const std::string verb =
      decision == LoanDecision::kApprove ? "approve" : "reject";
  auto tx = Transaction::Begin(db, verb + " loan " + key);
  if (!tx) return std::unexpected(tx.error());
  auto row = ReadLoanRow(db, policy, key);
  if (!row) return std::unexpected(row.error());
  const Loan& loan = row->loan;
  auto step = custody::DecideLoan(loan, policy, approver, decision);
  if (!step) return std::unexpected(step.error());
  const UtcNow now = CurrentUtc();
  auto insert = db.Prepare(
      "INSERT INTO loan_approvals (loan_id, round, approver, decision, note,"
      " at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      "recording a loan decision");
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, loan.id).Bind(2, loan.round).Bind(3, approver);
  insert->Bind(4, verb).Bind(5, note).Bind(6, now.iso8601);
  CUSTODY_TRY(insert->Run());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  CUSTODY_TRY(history->Write("loans", loan.id,
                             fmt::format("{}-round-{}", verb, loan.round),
                             std::nullopt, note, approver, now.iso8601));
  CUSTODY_TRY(ApplyLoanChanges(db, *history, loan,
                               custody::DecisionChanges(loan, *step), approver,
                               now.iso8601));
  CUSTODY_TRY(tx->Commit());
  auto done = ReadLoanRow(db, policy, key);
  if (!done) return std::unexpected(done.error());
  return done->loan;
}

Result<Loan> Custody::ApproveLoan(const std::string& loan,
                                  const std::string& approver,
                                  const std::string& note) {
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  return Decide(*db_, *policy, loan, approver, note, LoanDecision::kApprove);
}

Result<Loan> Custody::RejectLoan(const std::string& loan,
                                 const std::string& approver,
                                 const std::string& note) {
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  return Decide(*db_, *policy, loan, approver, note, LoanDecision::kReject);
}

Result<Loan> Custody::CheckoutLoan(const std::string& key,
                                   const std::string& barcode,
                                   const std::string& actor) {
  const Database& db = *db_;
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  auto tx = Transaction::Begin(db, "checking out loan " + key);
  if (!tx) return std::unexpected(tx.error());
  auto row = ReadLoanRow(db, *policy, key);
  if (!row) return std::unexpected(row.error());
  const Loan& loan = row->loan;
  // A paper original is checked out; an electronic copy is exported.
  auto next = Step(
      loan, loan.kind == "paper" ? LoanEvent::kCheckout : LoanEvent::kExport);
  if (!next) return std::unexpected(next.error());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  const UtcNow now = CurrentUtc();
  if (loan.kind == "paper") {
    const std::string scanned = NormalizeScan(barcode);
    CUSTODY_TRY(custody::CheckScannedOriginal(loan, scanned));
    auto original = FindOriginal(db, scanned);
    if (!original) return std::unexpected(original.error());
    if (original->state != "in-place") {
      return MakeError(ErrorCode::kConflict,
                       "original " + scanned + " is " + original->state);
    }
    CUSTODY_TRY(SetOriginalState(db, *history, original->id, "in-place",
                                 "on-loan", actor, now.iso8601));
    CUSTODY_TRY(WriteCustodyEvent(db, original->id, "checkout",
                                  original->location_id, std::nullopt, loan.id,
                                  actor, now.iso8601, loan.purpose));
  }
  CUSTODY_TRY(ApplyLoanChanges(
      db, *history, loan,
      custody::CheckoutChanges(loan, *next, actor, now.iso8601), actor,
      now.iso8601));
  CUSTODY_TRY(tx->Commit());
  return GetLoan(key);
}

Result<Loan> Custody::RequestRenewal(const std::string& key,
                                     const std::string& new_due,
                                     const std::string& actor) {
  const Database& db = *db_;
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  auto tx = Transaction::Begin(db, "renewing loan " + key);
  if (!tx) return std::unexpected(tx.error());
  auto row = ReadLoanRow(db, *policy, key);
  if (!row) return std::unexpected(row.error());
  const Loan& loan = row->loan;
  auto next = Step(loan, LoanEvent::kRequestRenewal);
  if (!next) return std::unexpected(next.error());
  CUSTODY_TRY(custody::CheckRenewal(loan, actor, new_due));
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  const UtcNow now = CurrentUtc();
  CUSTODY_TRY(ApplyLoanChanges(db, *history, loan,
                               custody::RenewalChanges(loan, *next, new_due),
                               actor, now.iso8601));
  CUSTODY_TRY(tx->Commit());
  return GetLoan(key);
}

Result<Loan> Custody::ReturnLoan(const ReturnRequest& request) {
  const Database& db = *db_;
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  auto tx = Transaction::Begin(db, "returning loan " + request.loan);
  if (!tx) return std::unexpected(tx.error());
  auto row = ReadLoanRow(db, *policy, request.loan);
  if (!row) return std::unexpected(row.error());
  const Loan& loan = row->loan;
  // Whether the pages match is known only after counting them; the table
  // allows return_ok and return_flagged in the same states, so asking for
  // one answers for both (tests/custody/loan_states_test.cc checks this).
  if (auto out = Step(loan, LoanEvent::kReturnOk); !out) {
    return std::unexpected(out.error());
  }
  // The inspection decides on the loan's own original (a wrong scan, or an
  // electronic loan, it refuses before anything is read).
  auto checked = custody::InspectReturn(loan, request,
                                        NormalizeScan(request.barcode), -1);
  if (!checked) return std::unexpected(checked.error());
  auto original = FindOriginal(db, loan.barcode);
  if (!original) return std::unexpected(original.error());
  auto inspection = custody::InspectReturn(
      loan, request, NormalizeScan(request.barcode), original->page_count);
  if (!inspection) return std::unexpected(inspection.error());
  auto next = Step(loan, inspection->event);
  if (!next) return std::unexpected(next.error());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  const UtcNow now = CurrentUtc();
  CUSTODY_TRY(SetOriginalState(db, *history, original->id, original->state,
                               inspection->original_state, request.actor,
                               now.iso8601));
  const std::string& reason = inspection->reason;
  auto home = OriginalLocation(db, original->id);
  if (!home) return std::unexpected(home.error());
  CUSTODY_TRY(WriteCustodyEvent(db, original->id, "return", std::nullopt,
                                *home, loan.id, request.actor, now.iso8601,
                                reason));
  CUSTODY_TRY(ApplyLoanChanges(
      db, *history, loan,
      custody::ReturnChanges(loan, *next, request, now.iso8601), request.actor,
      now.iso8601));
  CUSTODY_TRY(tx->Commit());
  return GetLoan(request.loan);
}

Result<Loan> Custody::ResolveReturn(const std::string& key,
                                    const std::string& actor,
                                    const std::string& note) {
  const Database& db = *db_;
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  auto tx = Transaction::Begin(db, "resolving loan " + key);
  if (!tx) return std::unexpected(tx.error());
  auto row = ReadLoanRow(db, *policy, key);
  if (!row) return std::unexpected(row.error());
  const Loan& loan = row->loan;
  auto next = Step(loan, LoanEvent::kResolve);
  if (!next) return std::unexpected(next.error());
  CUSTODY_TRY(custody::CheckResolution(*policy, loan, actor, note));
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  const UtcNow now = CurrentUtc();
  CUSTODY_TRY(SetOriginalState(db, *history, row->original_id,
                               "returned-flagged", "in-place", actor,
                               now.iso8601));
  auto home = OriginalLocation(db, row->original_id);
  if (!home) return std::unexpected(home.error());
  CUSTODY_TRY(WriteCustodyEvent(db, row->original_id, "resolve", std::nullopt,
                                *home, loan.id, actor, now.iso8601, note));
  CUSTODY_TRY(ApplyLoanChanges(db, *history, loan,
                               custody::ResolveChanges(loan, *next, note), actor,
                               now.iso8601));
  CUSTODY_TRY(tx->Commit());
  return GetLoan(key);
}

static Result<std::vector<Loan>> QueryLoans(const Database& db,
                                            const LendingPolicy& policy,
                                            const std::string& where,
                                            const std::string& param) {
  auto stmt = db.Prepare(std::string(kLoanSelect) + where + " ORDER BY n.id",
                         "listing loans");
  if (!stmt) return std::unexpected(stmt.error());
  if (!param.empty()) stmt->Bind(1, param);
  auto ids = stmt->CollectInt64s();
  if (!ids) return std::unexpected(ids.error());
  std::vector<Loan> loans;
  for (std::int64_t id : *ids) {
    auto row = ReadLoanRow(db, policy, LoanId(id));
    if (!row) return std::unexpected(row.error());
    loans.push_back(std::move(row->loan));
  }
  return loans;
}

Result<std::vector<Loan>> Custody::ListLoans(const std::string& status) {
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  if (status.empty()) return QueryLoans(*db_, *policy, "", "");
  if (status == "open") {
    return QueryLoans(*db_, *policy,
                      "WHERE n.status NOT IN " + SqlStatusList(custody::FinalLoanStates()),
                      "");
  }
  // An unknown status is an error that lists the known ones, not an empty
  // list that reads as "no such loans".
  auto state = custody::ParseLoanState(status);
  if (!state) {
    return MakeError(ErrorCode::kInvalidArgument,
                     state.error().message + "; or 'open' for every open loan");
  }
  return QueryLoans(*db_, *policy, "WHERE n.status = ?1", status);
}

Result<std::vector<std::string>> Custody::DestructionBlockers(
    std::int64_t document_id) {
  const Database& db = *db_;
  const std::string what =
      fmt::format("checking the loans and originals of document {}",
                  document_id);
  std::vector<std::string> out;
  auto loans = db.Prepare(
      "SELECT l.id, l.status FROM loans l WHERE (l.document_id = ?1 OR "
      "l.original_id IN (SELECT id FROM originals WHERE document_id = ?1)) "
      "AND l.status NOT IN " + SqlStatusList(custody::FinalLoanStates()) + " ORDER BY l.id",
      what);
  if (!loans) return std::unexpected(loans.error());
  loans->Bind(1, document_id);
  CUSTODY_TRY(loans->ForEachRow([&] {
    out.push_back(fmt::format("open loan {} ({})", LoanId(loans->ColumnInt64(0)),
                              loans->ColumnText(1)));
  }));
  auto originals = db.Prepare(
      "SELECT barcode, state FROM originals WHERE document_id = ?1 AND "
      "state NOT IN ('in-place', 'destroyed') ORDER BY id",
      what);
  if (!originals) return std::unexpected(originals.error());
  originals->Bind(1, document_id);
  CUSTODY_TRY(originals->ForEachRow([&] {
    out.push_back(fmt::format("original {} is {}", originals->ColumnText(0),
                              originals->ColumnText(1)));
  }));
  return out;
}

Result<std::vector<Loan>> Custody::OverdueLoans(const std::string& given_today) {
  const std::string today =
      given_today.empty() ? catalog_.Zone().Today() : given_today;
  if (!IsDate(today)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "date '" + today + "' must be YYYY-MM-DD");
  }
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  // Out: the original can come back, so it is due back.
  return QueryLoans(
      *db_, *policy,
      "WHERE n.status IN " +
          SqlStatusList(custody::LoanStatesAllowing(LoanEvent::kReturnOk)) +
          " AND n.due_date < ?1",
      today);
}

Result<std::optional<Loan>> Custody::AuthorizeExport(
    const std::string& document, const std::string& user) {
  auto policy = ReadLendingPolicy(catalog_);
  if (!policy) return std::unexpected(policy.error());
  auto doc = catalog_.GetDocument(document);
  if (!doc) return std::unexpected(doc.error());
  if (!policy->export_requires_approval) return std::optional<Loan>();
  auto stmt = db_->Prepare(
      "SELECT MIN(id) FROM loans WHERE kind = 'electronic' AND document_id = ?1"
      " AND requester = ?2 AND status IN " +
          SqlStatusList(custody::LoanStatesAllowing(LoanEvent::kExport)),
      "looking for an approved copy of " + doc->display_id);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, doc->id).Bind(2, user);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row || stmt->ColumnIsNull(0)) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("exporting an electronic copy of {} needs an "
                                 "approved loan (setting lending."
                                 "export_requires_approval): dossier loan "
                                 "request {} --electronic ...",
                                 doc->display_id, doc->display_id));
  }
  const std::string id = LoanId(stmt->ColumnInt64(0));
  stmt->Reset();
  auto loan = CheckoutLoan(id, "", user);
  if (!loan) return std::unexpected(loan.error());
  return std::optional<Loan>(*loan);
}

}  // namespace dossier::storage
