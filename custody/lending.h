// The lending rules (借阅, manual 3.4) that go with the transition table of
// custody/loan_states.h: the lending policy and who may approve, the
// approval count of a round, what a request, a checkout scan, a renewal and
// a return must satisfy, and what a return's inspection concludes. Pure
// functions on the store's value types (storage/custody_store.h): the store
// loads a loan, asks these what a step does, and writes the records that go
// with it. Every function here is pure and safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "custody/loan_states.h"
#include "storage/custody_store.h"

namespace dossier::custody {

// The lending policy from the setting section "lending" (nullopt: never
// set, the defaults). kInvalidArgument "setting lending: ..." for a value
// of the wrong shape. External loans (外部提供) need at least 2 approvals
// whatever is configured; internal ones at least 1.
Result<storage::LendingPolicy> ParseLendingPolicy(
    const std::optional<std::string>& json);

// Who may approve or decide: never the requester; with an approver list,
// only a listed user. `what` names the record in the message ("loan
// L000001"). kInvalidArgument for no user, kConflict otherwise.
Status CheckApprover(const storage::LendingPolicy& policy,
                     const std::string& user, const std::string& requester,
                     std::string_view what);

// The approvals a round of this loan needs.
int ApprovalsNeeded(const storage::LendingPolicy& policy, bool external);

// true for YYYY-MM-DD with a month 01..12 and a day 01..31.
bool IsDate(std::string_view text);

// The loan's stored status as a state; kConflict naming the loan if no step
// applies to the status.
Result<LoanState> StoredState(const storage::Loan& loan);
// The state `event` leads `loan` to by the transition table; kConflict
// naming the loan when the table refuses it.
Result<LoanState> Step(const storage::Loan& loan, LoanEvent event);

// A new request: requester, purpose and recipient given; the due date a
// date, not before today (YYYY-MM-DD in the archive's zone). item: the
// normalised item, for the message. kInvalidArgument otherwise.
Status CheckLoanRequest(const storage::LoanRequest& request,
                        std::string_view item, std::string_view today);

// A decision on the loan's current round by `approver`: the event it is
// (partial or final approval, a rejection), the state it leads to, after
// the transition table, the approver rule and "each approver once a round".
struct LoanDecisionStep {
  LoanEvent event;
  LoanState next;
};
Result<LoanDecisionStep> DecideLoan(const storage::Loan& loan,
                                    const storage::LendingPolicy& policy,
                                    const std::string& approver,
                                    LoanDecision decision);

// The original scanned at the desk (checkout or return) must be the loan's;
// kConflict naming both otherwise. scanned: normalised.
Status CheckScannedOriginal(const storage::Loan& loan,
                            const std::string& scanned);

// Only the borrower asks for a renewal (kConflict), for a date after the
// current due date (kInvalidArgument).
Status CheckRenewal(const storage::Loan& loan, const std::string& actor,
                    const std::string& new_due);

// A return is inspected: the counted pages against the original's. A
// complete return puts the original back in place; any difference flags
// it (returned-flagged) until an approver resolves it.
struct ReturnInspection {
  bool complete = false;
  LoanEvent event = LoanEvent::kReturnOk;
  std::string original_state;  // in-place | returned-flagged
  std::string reason;          // for the chain of custody
};
// kConflict for an electronic loan, a wrong original; kInvalidArgument
// without counted pages or a condition note. scanned: normalised.
Result<ReturnInspection> InspectReturn(const storage::Loan& loan,
                                       const storage::ReturnRequest& request,
                                       const std::string& scanned,
                                       int original_pages);

// Resolving a flagged return needs an approver (CheckApprover) and a note.
Status CheckResolution(const storage::LendingPolicy& policy,
                       const storage::Loan& loan, const std::string& actor,
                       const std::string& note);

}  // namespace dossier::custody
