// The lending rules (custody/lending.h).
#include "custody/lending.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "custody/barcodes.h"

namespace dossier::custody {

using storage::LendingPolicy;
using storage::Loan;
using storage::LoanApproval;

Result<LendingPolicy> ParseLendingPolicy(
    const std::optional<std::string>& setting) {
  LendingPolicy policy;
  if (!setting) return policy;
  auto j = nlohmann::json::parse(*setting, nullptr, false);
  auto bad = [](std::string_view what) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("setting lending: {}", what));
  };
  if (!j.is_object()) return bad("must be a JSON object");
  if (j.contains("approvers")) {
    if (!j["approvers"].is_array()) return bad("approvers must be a list");
    for (const auto& a : j["approvers"]) {
      if (!a.is_string()) return bad("approvers must be names");
      policy.approvers.push_back(a.get<std::string>());
    }
  }
  if (j.contains("internal_approvals")) {
    if (!j["internal_approvals"].is_number_integer()) {
      return bad("internal_approvals must be a number");
    }
    policy.internal_approvals = std::max(1, j["internal_approvals"].get<int>());
  }
  if (j.contains("external_approvals")) {
    if (!j["external_approvals"].is_number_integer()) {
      return bad("external_approvals must be a number");
    }
    // 外部提供 always needs a second approval, whatever is configured.
    policy.external_approvals = std::max(2, j["external_approvals"].get<int>());
  }
  if (j.contains("export_requires_approval")) {
    if (!j["export_requires_approval"].is_boolean()) {
      return bad("export_requires_approval must be true or false");
    }
    policy.export_requires_approval = j["export_requires_approval"].get<bool>();
  }
  return policy;
}

// Roles will replace the approver list; this is the one place to change.
Status CheckApprover(const LendingPolicy& policy, const std::string& user,
                     const std::string& requester, std::string_view what) {
  if (NormalizeScan(user).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no approver given");
  }
  if (user == requester) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{}: {} made the request and cannot approve "
                                 "or decide it themselves",
                                 what, user));
  }
  if (!policy.approvers.empty() &&
      std::find(policy.approvers.begin(), policy.approvers.end(), user) ==
          policy.approvers.end()) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{}: {} is not an approver (setting "
                                 "lending.approvers)",
                                 what, user));
  }
  return Ok();
}

int ApprovalsNeeded(const LendingPolicy& policy, bool external) {
  return external ? policy.external_approvals : policy.internal_approvals;
}

bool IsDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int month = (d[5] - '0') * 10 + (d[6] - '0');
  const int day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Result<LoanState> StoredState(const Loan& loan) {
  auto state = ParseLoanState(loan.status);
  if (!state) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("loan {} has status '{}', which no step "
                                 "applies to",
                                 loan.display_id, loan.status));
  }
  return *state;
}

Result<LoanState> Step(const Loan& loan, LoanEvent event) {
  auto from = StoredState(loan);
  if (!from) return std::unexpected(from.error());
  auto to = NextLoanState(*from, event);
  if (!to) {
    return MakeError(
        ErrorCode::kConflict,
        fmt::format("loan {}: {}", loan.display_id, to.error().message));
  }
  return *to;
}

Status CheckLoanRequest(const storage::LoanRequest& request,
                        std::string_view item_view, std::string_view today) {
  const std::string item(item_view);
  if (NormalizeScan(request.requester).empty() ||
      NormalizeScan(request.purpose).empty() ||
      NormalizeScan(request.recipient).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "loan of " + item +
                         ": requester, purpose and recipient are required");
  }
  if (!IsDate(request.due_date)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "loan of " + item + ": due date '" + request.due_date +
                         "' must be YYYY-MM-DD");
  }
  if (request.due_date < today) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "loan of " + item + ": due date " + request.due_date +
                         " is in the past");
  }
  return Ok();
}

Result<LoanDecisionStep> DecideLoan(const Loan& loan,
                                    const LendingPolicy& policy,
                                    const std::string& approver,
                                    LoanDecision decision) {
  // This round's approvals so far; this decision, if an approval, adds one.
  const int approvals = static_cast<int>(
      std::count_if(loan.approvals.begin(), loan.approvals.end(),
                    [&loan](const LoanApproval& a) {
                      return a.round == loan.round && a.decision == "approve";
                    }));
  auto from = StoredState(loan);
  if (!from) return std::unexpected(from.error());
  const LoanEvent event =
      DecisionEvent(*from, decision, approvals + 1, loan.approvals_needed);
  auto next = Step(loan, event);
  if (!next) return std::unexpected(next.error());
  if (auto s = CheckApprover(policy, approver, loan.requester,
                             "loan " + loan.display_id);
      !s) {
    return std::unexpected(s.error());
  }
  for (const LoanApproval& a : loan.approvals) {
    if (a.round == loan.round && a.approver == approver) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("loan {}: {} already decided this round "
                                   "({}); a further approval must come from "
                                   "someone else",
                                   loan.display_id, approver, a.decision));
    }
  }
  return LoanDecisionStep{event, *next};
}

Status CheckScannedOriginal(const Loan& loan, const std::string& scanned) {
  if (scanned != loan.barcode) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("loan {} is for original {}, but {} was "
                                 "scanned",
                                 loan.display_id, loan.barcode,
                                 scanned.empty() ? "nothing" : scanned));
  }
  return Ok();
}

Status CheckRenewal(const Loan& loan, const std::string& actor,
                    const std::string& new_due) {
  // Only the borrower asks for more time; anyone else could then approve
  // their own request, as they are not the loan's requester.
  if (actor != loan.requester) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("loan {}: only its requester {} may ask for "
                                 "a renewal",
                                 loan.display_id, loan.requester));
  }
  if (!IsDate(new_due) || new_due <= loan.due_date) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("loan {}: the new due date '{}' must be "
                                 "YYYY-MM-DD after {}",
                                 loan.display_id, new_due, loan.due_date));
  }
  return Ok();
}

Result<ReturnInspection> InspectReturn(const Loan& loan,
                                       const storage::ReturnRequest& request,
                                       const std::string& scanned,
                                       int original_pages) {
  if (loan.kind != "paper") {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("loan {} is of an electronic copy; nothing "
                                 "to return",
                                 loan.display_id));
  }
  if (auto s = CheckScannedOriginal(loan, scanned); !s) {
    return std::unexpected(s.error());
  }
  if (request.pages_counted < 0 || NormalizeScan(request.condition).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "return of " + loan.display_id +
                         " needs the counted pages and a condition note");
  }
  ReturnInspection out;
  out.complete = request.pages_counted == original_pages;
  out.event = out.complete ? LoanEvent::kReturnOk : LoanEvent::kReturnFlagged;
  out.original_state = out.complete ? "in-place" : "returned-flagged";
  out.reason =
      out.complete ? "returned, " + std::to_string(request.pages_counted) +
                         " pages: " + request.condition
                   : fmt::format("returned with {} of {} pages (flagged): {}",
                                 request.pages_counted, original_pages,
                                 request.condition);
  return out;
}

Status CheckResolution(const LendingPolicy& policy, const Loan& loan,
                       const std::string& actor, const std::string& note) {
  if (auto s = CheckApprover(policy, actor, loan.requester,
                             "resolving loan " + loan.display_id);
      !s) {
    return s;
  }
  if (NormalizeScan(note).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "resolving " + loan.display_id +
                         " needs a note saying what was found");
  }
  return Ok();
}

}  // namespace dossier::custody
