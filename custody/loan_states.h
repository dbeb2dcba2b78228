// Loans (借阅, manual 3.4) as a transition table: state x event -> state,
// with the permission each step needs. Pure data and functions on core: no
// catalog, no I/O. The store (storage/custody_loans.cc) asks this table
// whether a step is allowed and which status it leads to; it keeps the
// records (approvals, due dates, custody events) that go with each step.
// Every function here is pure and safe to call from any thread.
//
// The rows are kLoanTransitionTable below; docs/custody.md draws them.
//
// The count rule. A round (the first request, then one per renewal) needs a
// number of approvals from distinct approvers: 1 for an internal loan, at
// least 2 for an external one (外部提供; LendingPolicy in storage/custody.h).
// The approval that reaches the number is `approve` (or `approve_renewal`);
// every earlier one is `approve_partial` (`approve_renewal_partial`) and
// leaves the state as it is. DecisionEvent applies the rule. Who may decide
// (never the requester, each approver once a round) is the store's check.
//
// rejected, returned and exported are final: no event leaves them.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dossier::custody {

// A loan's status. The stored form (the `loans.status` column, Loan::status)
// is the ToString text: "requested", "checked-out", ...
enum class LoanState {
  kRequested,         // asked for; waiting for approvals
  kApproved,          // approved; not yet handed out
  kRejected,          // refused (final)
  kCheckedOut,        // paper original handed out
  kRenewalRequested,  // out, and a later due date asked for
  kReturnFlagged,     // came back with pages missing or extra; to resolve
  kReturned,          // back in place (final)
  kExported,          // electronic copy handed out (final)
};

// What happens to a loan. Its name (docs, tests) is the ToString
// text: "request", "approve_partial", ...
enum class LoanEvent {
  kRequest,                // a new loan is asked for
  kApprovePartial,         // an approval, more are needed this round
  kApprove,                // the approval that completes the round
  kReject,                 // an approver refuses the request
  kCheckout,               // a paper original is handed out
  kExport,                 // an electronic copy is handed out
  kRequestRenewal,         // a later due date is asked for
  kApproveRenewalPartial,  // an approval of the renewal, more needed
  kApproveRenewal,         // the approval that completes the renewal round
  kRejectRenewal,          // an approver refuses the renewal
  kReturnOk,               // the original came back with every page
  kReturnFlagged,          // the original came back with a page count off
  kResolve,                // an approver settles a flagged return
};

// Every state and every event, in declaration order.
inline constexpr LoanState kLoanStates[] = {
    LoanState::kRequested,        LoanState::kApproved,
    LoanState::kRejected,         LoanState::kCheckedOut,
    LoanState::kRenewalRequested, LoanState::kReturnFlagged,
    LoanState::kReturned,         LoanState::kExported,
};
inline constexpr LoanEvent kLoanEvents[] = {
    LoanEvent::kRequest,        LoanEvent::kApprovePartial,
    LoanEvent::kApprove,        LoanEvent::kReject,
    LoanEvent::kCheckout,       LoanEvent::kExport,
    LoanEvent::kRequestRenewal, LoanEvent::kApproveRenewalPartial,
    LoanEvent::kApproveRenewal, LoanEvent::kRejectRenewal,
    LoanEvent::kReturnOk,       LoanEvent::kReturnFlagged,
    LoanEvent::kResolve,
};

// The permissions (governance/policy.h) the steps of a loan need.
inline constexpr std::string_view kLoanRequestPermission = "loan.request";
inline constexpr std::string_view kLoanApprovePermission = "loan.approve";
inline constexpr std::string_view kLoanHandlePermission = "loan.handle";

// One row of the table: in state `from`, `event` leads to `to` and needs
// `permission`.
struct LoanTransition {
  LoanState from;
  LoanEvent event;
  LoanState to;
  std::string_view permission;
};

// How a loan begins: it has no state before the request, so this step is
// kept apart from the rows between states.
struct LoanCreation {
  LoanEvent event;
  LoanState to;
  std::string_view permission;
};
inline constexpr LoanCreation kLoanCreation = {
    LoanEvent::kRequest, LoanState::kRequested, kLoanRequestPermission};

// The table. Each (from, event) pair appears at most once (checked at
// compile time in loan_states.cc); a pair that is absent is refused.
inline constexpr LoanTransition kLoanTransitionTable[] = {
    {LoanState::kRequested, LoanEvent::kApprovePartial, LoanState::kRequested,
     kLoanApprovePermission},
    {LoanState::kRequested, LoanEvent::kApprove, LoanState::kApproved,
     kLoanApprovePermission},
    {LoanState::kRequested, LoanEvent::kReject, LoanState::kRejected,
     kLoanApprovePermission},
    {LoanState::kApproved, LoanEvent::kCheckout, LoanState::kCheckedOut,
     kLoanHandlePermission},
    {LoanState::kApproved, LoanEvent::kExport, LoanState::kExported,
     kLoanHandlePermission},
    {LoanState::kCheckedOut, LoanEvent::kRequestRenewal,
     LoanState::kRenewalRequested, kLoanRequestPermission},
    {LoanState::kRenewalRequested, LoanEvent::kApproveRenewalPartial,
     LoanState::kRenewalRequested, kLoanApprovePermission},
    {LoanState::kRenewalRequested, LoanEvent::kApproveRenewal,
     LoanState::kCheckedOut, kLoanApprovePermission},
    {LoanState::kRenewalRequested, LoanEvent::kRejectRenewal,
     LoanState::kCheckedOut, kLoanApprovePermission},
    {LoanState::kCheckedOut, LoanEvent::kReturnOk, LoanState::kReturned,
     kLoanHandlePermission},
    {LoanState::kCheckedOut, LoanEvent::kReturnFlagged,
     LoanState::kReturnFlagged, kLoanHandlePermission},
    {LoanState::kRenewalRequested, LoanEvent::kReturnOk, LoanState::kReturned,
     kLoanHandlePermission},
    {LoanState::kRenewalRequested, LoanEvent::kReturnFlagged,
     LoanState::kReturnFlagged, kLoanHandlePermission},
    {LoanState::kReturnFlagged, LoanEvent::kResolve, LoanState::kReturned,
     kLoanApprovePermission},
};

// The table's rows, for documentation and tests.
std::span<const LoanTransition> LoanTransitions();

// Stored text of a state ("checked-out") or name of an event
// ("request_renewal").
std::string_view ToString(LoanState state);
std::string_view ToString(LoanEvent event);
// The state whose stored text is `text` (exact, case-sensitive);
// kInvalidArgument naming the text and listing the states otherwise.
Result<LoanState> ParseLoanState(std::string_view text);
// The event named `name`; kInvalidArgument otherwise.
Result<LoanEvent> ParseLoanEvent(std::string_view name);

// The row for (from, event); nullopt if the table has none.
std::optional<LoanTransition> FindLoanTransition(LoanState from,
                                                 LoanEvent event);
// The state `event` leads to from `from`. kConflict when the table has no
// row, with a message naming both: "a loan that is returned cannot be
// checked out".
Result<LoanState> NextLoanState(LoanState from, LoanEvent event);

// The states in which `event` is allowed, in kLoanStates order.
std::vector<LoanState> LoanStatesAllowing(LoanEvent event);
// true if no event leaves `state` (rejected, returned, exported).
bool IsFinalLoanState(LoanState state);
// The final states, in kLoanStates order.
std::vector<LoanState> FinalLoanStates();

enum class LoanDecision { kApprove, kReject };

// The event an approver's decision on a loan in `from` is, by the count
// rule above: a renewal round's events when `from` is kRenewalRequested,
// the first round's otherwise. `approvals` counts this round's approvals
// including the one being made (ignored for a rejection); `needed` is the
// number the round needs. The result may not be allowed in `from` (a
// returned loan gets kApprove): pass it to NextLoanState.
LoanEvent DecisionEvent(LoanState from, LoanDecision decision, int approvals,
                        int needed);

}  // namespace dossier::custody
