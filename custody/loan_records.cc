// What each loan step records (custody/loan_records.h).
#include "custody/loan_records.h"

#include <fmt/format.h>

#include <algorithm>

namespace dossier::custody {
namespace {

std::string Stored(LoanState state) { return std::string(ToString(state)); }

LoanChange StatusChange(const storage::Loan& loan, LoanState next) {
  return {"status", loan.status, Stored(next)};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> NewLoanFields(
    const storage::LoanRequest& request, const std::string& item,
    LoanState status) {
  return {{"item", item},
          {"kind", request.electronic ? "electronic" : "paper"},
          {"purpose", request.purpose},
          {"recipient", request.recipient},
          {"external", request.external ? "1" : "0"},
          {"due_date", request.due_date},
          {"status", Stored(status)}};
}

std::vector<LoanChange> DecisionChanges(const storage::Loan& loan,
                                        const LoanDecisionStep& step) {
  switch (step.event) {
    case LoanEvent::kApprove:
    case LoanEvent::kReject:
      return {StatusChange(loan, step.next)};
    case LoanEvent::kRejectRenewal:
      return {StatusChange(loan, step.next),
              {"requested_due", loan.requested_due, std::nullopt}};
    case LoanEvent::kApproveRenewal:
      return {{"due_date", loan.due_date, loan.requested_due},
              {"requested_due", loan.requested_due, std::nullopt},
              StatusChange(loan, step.next)};
    default:
      // A partial approval (the approval row is the record); DecideLoan
      // returns none of the other events.
      return {};
  }
}

std::vector<LoanChange> CheckoutChanges(const storage::Loan& loan,
                                        LoanState next,
                                        const std::string& actor,
                                        const std::string& at) {
  return {StatusChange(loan, next),
          {"checked_out_at", std::nullopt, at},
          {"checked_out_by", std::nullopt, actor}};
}

std::vector<LoanChange> RenewalChanges(const storage::Loan& loan,
                                       LoanState next,
                                       const std::string& new_due) {
  return {{"requested_due", std::nullopt, new_due},
          {"round", std::to_string(loan.round), std::to_string(loan.round + 1)},
          StatusChange(loan, next)};
}

std::vector<LoanChange> ReturnChanges(const storage::Loan& loan, LoanState next,
                                      const storage::ReturnRequest& request,
                                      const std::string& at) {
  return {{"return_pages", std::nullopt, std::to_string(request.pages_counted)},
          {"return_note", std::nullopt, request.condition},
          {"returned_at", std::nullopt, at},
          {"returned_by", std::nullopt, request.actor},
          StatusChange(loan, next)};
}

std::vector<LoanChange> ResolveChanges(const storage::Loan& loan,
                                       LoanState next,
                                       const std::string& note) {
  return {{"resolution", std::nullopt, note}, StatusChange(loan, next)};
}

Result<std::string> OriginalToLend(const std::string& item,
                                   std::vector<storage::Original> originals) {
  if (IsOriginalBarcode(item)) return item;
  std::erase_if(originals, [](const storage::Original& o) {
    return o.state == "destroyed";
  });
  if (originals.size() != 1) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("{} has {} paper originals; give the barcode of "
                    "the one to lend",
                    item, originals.size()));
  }
  return originals.front().barcode;
}

Status CheckLendable(const storage::Original& original) {
  if (original.state == "destroyed") {
    return MakeError(ErrorCode::kConflict,
                     "original " + original.barcode + " is destroyed");
  }
  if (!original.loan_id.empty()) {
    return MakeError(ErrorCode::kConflict, "original " + original.barcode +
                                               " is already lent (" +
                                               original.loan_id + ")");
  }
  return Ok();
}

Status CheckCopyLendable(const storage::DocumentRecord& document,
                         const std::string& item) {
  if (document.status == "destroyed") {
    return MakeError(
        ErrorCode::kConflict,
        "document " + item + " is destroyed; there is no copy to lend");
  }
  return Ok();
}

}  // namespace dossier::custody
