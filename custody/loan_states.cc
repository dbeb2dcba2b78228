#include "custody/loan_states.h"

#include <algorithm>
#include <string>

namespace dossier::custody {
namespace {

struct StateText {
  LoanState state;
  std::string_view text;
};
// The stored texts; they are in the catalog, so they never change.
constexpr StateText kStateTexts[] = {
    {LoanState::kRequested, "requested"},
    {LoanState::kApproved, "approved"},
    {LoanState::kRejected, "rejected"},
    {LoanState::kCheckedOut, "checked-out"},
    {LoanState::kRenewalRequested, "renewal-requested"},
    {LoanState::kReturnFlagged, "return-flagged"},
    {LoanState::kReturned, "returned"},
    {LoanState::kExported, "exported"},
};

struct EventText {
  LoanEvent event;
  std::string_view name;
  std::string_view refused;  // completes "a loan that is X cannot ..."
};
constexpr EventText kEventTexts[] = {
    {LoanEvent::kRequest, "request",
     "be requested (a request makes a new loan)"},
    {LoanEvent::kApprovePartial, "approve_partial", "be approved"},
    {LoanEvent::kApprove, "approve", "be approved"},
    {LoanEvent::kReject, "reject", "be rejected"},
    {LoanEvent::kCheckout, "checkout", "be checked out"},
    {LoanEvent::kExport, "export", "be exported"},
    {LoanEvent::kRequestRenewal, "request_renewal", "be renewed"},
    {LoanEvent::kApproveRenewalPartial, "approve_renewal_partial",
     "have a renewal approved"},
    {LoanEvent::kApproveRenewal, "approve_renewal", "have a renewal approved"},
    {LoanEvent::kRejectRenewal, "reject_renewal", "have a renewal rejected"},
    {LoanEvent::kReturnOk, "return_ok", "be returned"},
    {LoanEvent::kReturnFlagged, "return_flagged", "be returned"},
    {LoanEvent::kResolve, "resolve", "have a flagged return resolved"},
};

// Every enumerator has exactly one text, in declaration order.
constexpr bool TextsMatchEnums() {
  if (std::size(kStateTexts) != std::size(kLoanStates) ||
      std::size(kEventTexts) != std::size(kLoanEvents)) {
    return false;
  }
  for (size_t i = 0; i < std::size(kLoanStates); ++i) {
    if (kStateTexts[i].state != kLoanStates[i] ||
        static_cast<size_t>(kLoanStates[i]) != i) {
      return false;
    }
  }
  for (size_t i = 0; i < std::size(kLoanEvents); ++i) {
    if (kEventTexts[i].event != kLoanEvents[i] ||
        static_cast<size_t>(kLoanEvents[i]) != i) {
      return false;
    }
  }
  return true;
}
static_assert(TextsMatchEnums(),
              "kStateTexts/kEventTexts must list every enumerator in order");

// At most one row per (from, event): the table is a function.
constexpr bool TableIsDeterministic() {
  for (size_t i = 0; i < std::size(kLoanTransitionTable); ++i) {
    for (size_t j = i + 1; j < std::size(kLoanTransitionTable); ++j) {
      if (kLoanTransitionTable[i].from == kLoanTransitionTable[j].from &&
          kLoanTransitionTable[i].event == kLoanTransitionTable[j].event) {
        return false;
      }
    }
  }
  return true;
}
static_assert(TableIsDeterministic(),
              "kLoanTransitionTable has two rows for one (from, event)");

// A request makes a loan; it never applies to an existing one.
constexpr bool RequestOnlyCreates() {
  for (const LoanTransition& t : kLoanTransitionTable) {
    if (t.event == kLoanCreation.event) return false;
  }
  return true;
}
static_assert(RequestOnlyCreates(),
              "the request event must not appear between states");

const EventText& TextOf(LoanEvent event) {
  return kEventTexts[static_cast<size_t>(event)];
}

}  // namespace

std::span<const LoanTransition> LoanTransitions() {
  return kLoanTransitionTable;
}

std::string_view ToString(LoanState state) {
  return kStateTexts[static_cast<size_t>(state)].text;
}

std::string_view ToString(LoanEvent event) { return TextOf(event).name; }

Result<LoanState> ParseLoanState(std::string_view text) {
  std::string known;
  for (const StateText& s : kStateTexts) {
    if (s.text == text) return s.state;
    if (!known.empty()) known += ", ";
    known += s.text;
  }
  return MakeError(
      ErrorCode::kInvalidArgument,
      "'" + std::string(text) + "' is not a loan status (" + known + ")");
}

Result<LoanEvent> ParseLoanEvent(std::string_view name) {
  std::string known;
  for (const EventText& e : kEventTexts) {
    if (e.name == name) return e.event;
    if (!known.empty()) known += ", ";
    known += e.name;
  }
  return MakeError(
      ErrorCode::kInvalidArgument,
      "'" + std::string(name) + "' is not a loan event (" + known + ")");
}

std::optional<LoanTransition> FindLoanTransition(LoanState from,
                                                 LoanEvent event) {
  for (const LoanTransition& t : kLoanTransitionTable) {
    if (t.from == from && t.event == event) return t;
  }
  return std::nullopt;
}

Result<LoanState> NextLoanState(LoanState from, LoanEvent event) {
  if (auto t = FindLoanTransition(from, event)) return t->to;
  return MakeError(ErrorCode::kConflict,
                   "a loan that is " + std::string(ToString(from)) +
                       " cannot " + std::string(TextOf(event).refused));
}

std::vector<LoanState> LoanStatesAllowing(LoanEvent event) {
  std::vector<LoanState> states;
  for (LoanState s : kLoanStates) {
    if (FindLoanTransition(s, event)) states.push_back(s);
  }
  return states;
}

bool IsFinalLoanState(LoanState state) {
  return std::none_of(
      std::begin(kLoanTransitionTable), std::end(kLoanTransitionTable),
      [state](const LoanTransition& t) { return t.from == state; });
}

std::vector<LoanState> FinalLoanStates() {
  std::vector<LoanState> states;
  for (LoanState s : kLoanStates) {
    if (IsFinalLoanState(s)) states.push_back(s);
  }
  return states;
}

LoanEvent DecisionEvent(LoanState from, LoanDecision decision, int approvals,
                        int needed) {
  const bool renewal = from == LoanState::kRenewalRequested;
  if (decision == LoanDecision::kReject) {
    return renewal ? LoanEvent::kRejectRenewal : LoanEvent::kReject;
  }
  if (approvals >= needed) {
    return renewal ? LoanEvent::kApproveRenewal : LoanEvent::kApprove;
  }
  return renewal ? LoanEvent::kApproveRenewalPartial
                 : LoanEvent::kApprovePartial;
}

}  // namespace dossier::custody
