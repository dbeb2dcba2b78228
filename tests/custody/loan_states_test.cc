// The loan transition table (custody/loan_states.h): every row, every pair
// that is not a row, the stored texts, the permissions and the count rule.
#include "custody/loan_states.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "governance/policy.h"

namespace dossier::custody {
namespace {

// The table spelled out independently, in stored texts and event names:
// from, event, to, permission.
using Row = std::tuple<std::string, std::string, std::string, std::string>;
const std::vector<Row> kExpectedRows = {
    {"requested", "approve_partial", "requested", "loan.approve"},
    {"requested", "approve", "approved", "loan.approve"},
    {"requested", "reject", "rejected", "loan.approve"},
    {"approved", "checkout", "checked-out", "loan.handle"},
    {"approved", "export", "exported", "loan.handle"},
    {"checked-out", "request_renewal", "renewal-requested", "loan.request"},
    {"renewal-requested", "approve_renewal_partial", "renewal-requested",
     "loan.approve"},
    {"renewal-requested", "approve_renewal", "checked-out", "loan.approve"},
    {"renewal-requested", "reject_renewal", "checked-out", "loan.approve"},
    {"checked-out", "return_ok", "returned", "loan.handle"},
    {"checked-out", "return_flagged", "return-flagged", "loan.handle"},
    {"renewal-requested", "return_ok", "returned", "loan.handle"},
    {"renewal-requested", "return_flagged", "return-flagged", "loan.handle"},
    {"return-flagged", "resolve", "returned", "loan.approve"},
};

Row AsRow(const LoanTransition& t) {
  return {std::string(ToString(t.from)), std::string(ToString(t.event)),
          std::string(ToString(t.to)), std::string(t.permission)};
}

bool InTable(LoanState from, LoanEvent event) {
  const auto rows = LoanTransitions();
  return std::any_of(rows.begin(), rows.end(), [&](const LoanTransition& t) {
    return t.from == from && t.event == event;
  });
}

TEST(LoanStatesTest, TableHasExactlyTheDocumentedRows) {
  std::vector<Row> actual;
  for (const LoanTransition& t : LoanTransitions()) actual.push_back(AsRow(t));
  EXPECT_EQ(actual, kExpectedRows);
}

TEST(LoanStatesTest, EveryRowLeadsWhereTheTableSays) {
  for (const LoanTransition& t : LoanTransitions()) {
    SCOPED_TRACE(std::string(ToString(t.from)) + " --" +
                 std::string(ToString(t.event)) + "-->");
    auto next = NextLoanState(t.from, t.event);
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_EQ(*next, t.to);
    auto found = FindLoanTransition(t.from, t.event);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->to, t.to);
    EXPECT_EQ(found->permission, t.permission);
  }
}

TEST(LoanStatesTest, EveryPairNotInTheTableIsRefused) {
  int refused = 0;
  for (LoanState from : kLoanStates) {
    for (LoanEvent event : kLoanEvents) {
      if (InTable(from, event)) continue;
      SCOPED_TRACE(std::string(ToString(from)) + " x " +
                   std::string(ToString(event)));
      EXPECT_FALSE(FindLoanTransition(from, event).has_value());
      auto next = NextLoanState(from, event);
      ASSERT_FALSE(next);
      EXPECT_EQ(next.error().code, ErrorCode::kConflict);
      EXPECT_EQ(
          next.error().message.rfind(
              "a loan that is " + std::string(ToString(from)) + " cannot ", 0),
          0u)
          << next.error().message;
      ++refused;
    }
  }
  EXPECT_EQ(refused,
            static_cast<int>(std::size(kLoanStates) * std::size(kLoanEvents) -
                             kExpectedRows.size()));
}

TEST(LoanStatesTest, RefusalNamesStateAndEvent) {
  auto checkout = NextLoanState(LoanState::kReturned, LoanEvent::kCheckout);
  ASSERT_FALSE(checkout);
  EXPECT_EQ(checkout.error().message,
            "a loan that is returned cannot be checked out");
  auto approve = NextLoanState(LoanState::kCheckedOut, LoanEvent::kApprove);
  ASSERT_FALSE(approve);
  EXPECT_EQ(approve.error().message,
            "a loan that is checked-out cannot be approved");
  auto renew =
      NextLoanState(LoanState::kRenewalRequested, LoanEvent::kRequestRenewal);
  ASSERT_FALSE(renew);
  EXPECT_EQ(renew.error().message,
            "a loan that is renewal-requested cannot be renewed");
}

TEST(LoanStatesTest, StoredTextsRoundTrip) {
  // These texts are in existing catalogs: they must never change.
  const std::vector<std::string> stored = {
      "requested",         "approved",       "rejected", "checked-out",
      "renewal-requested", "return-flagged", "returned", "exported"};
  ASSERT_EQ(std::size(kLoanStates), stored.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(ToString(kLoanStates[i]), stored[i]);
    auto parsed = ParseLoanState(stored[i]);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, kLoanStates[i]);
  }
  for (LoanEvent event : kLoanEvents) {
    auto parsed = ParseLoanEvent(ToString(event));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, event);
  }
  std::set<std::string> event_names;
  for (LoanEvent event : kLoanEvents) {
    event_names.insert(std::string(ToString(event)));
  }
  EXPECT_EQ(event_names.size(), std::size(kLoanEvents));
}

TEST(LoanStatesTest, UnknownTextsAreRefused) {
  for (std::string_view text :
       {"", "open", "Returned", "checked_out", " requested", "destroyed"}) {
    auto state = ParseLoanState(text);
    ASSERT_FALSE(state) << text;
    EXPECT_EQ(state.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(state.error().message.find("'" + std::string(text) + "'"),
              std::string::npos);
  }
  auto event = ParseLoanEvent("return");
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().code, ErrorCode::kInvalidArgument);
}

TEST(LoanStatesTest, PermissionsAreTheThreeLoanPermissions) {
  const std::set<std::string_view> allowed = {"loan.request", "loan.approve",
                                              "loan.handle"};
  for (const LoanTransition& t : LoanTransitions()) {
    EXPECT_TRUE(allowed.contains(t.permission)) << t.permission;
    EXPECT_TRUE(governance::IsPermission(t.permission)) << t.permission;
  }
  EXPECT_TRUE(allowed.contains(kLoanCreation.permission));
  EXPECT_TRUE(governance::IsPermission(kLoanCreation.permission));
}

TEST(LoanStatesTest, AnEventNeedsOnePermissionWhereverItApplies) {
  for (LoanEvent event : kLoanEvents) {
    std::set<std::string_view> permissions;
    for (const LoanTransition& t : LoanTransitions()) {
      if (t.event == event) permissions.insert(t.permission);
    }
    EXPECT_LE(permissions.size(), 1u) << ToString(event);
  }
}

// The application layer checks permissions by operation name
// (governance/policy.cc); the operation that causes each event must need
// the permission the table names.
TEST(LoanStatesTest, PermissionsMatchTheOperationsThatCauseTheEvents) {
  const std::vector<std::pair<LoanEvent, std::string_view>> operations = {
      {LoanEvent::kRequest, "loan.request"},
      {LoanEvent::kApprovePartial, "loan.approve"},
      {LoanEvent::kApprove, "loan.approve"},
      {LoanEvent::kReject, "loan.reject"},
      {LoanEvent::kCheckout, "loan.checkout"},
      {LoanEvent::kExport, "loan.checkout"},
      {LoanEvent::kRequestRenewal, "loan.renew"},
      {LoanEvent::kApproveRenewalPartial, "loan.approve"},
      {LoanEvent::kApproveRenewal, "loan.approve"},
      {LoanEvent::kRejectRenewal, "loan.reject"},
      {LoanEvent::kReturnOk, "loan.return"},
      {LoanEvent::kReturnFlagged, "loan.return"},
      {LoanEvent::kResolve, "loan.resolve"},
  };
  ASSERT_EQ(operations.size(), std::size(kLoanEvents));
  EXPECT_EQ(governance::PermissionForOperation("loan.request"),
            kLoanCreation.permission);
  for (const auto& [event, operation] : operations) {
    for (const LoanTransition& t : LoanTransitions()) {
      if (t.event != event) continue;
      EXPECT_EQ(governance::PermissionForOperation(operation), t.permission)
          << ToString(event) << " by " << operation;
    }
  }
}

TEST(LoanStatesTest, ALoanBeginsRequestedAndRequestNeverAppliesToOne) {
  EXPECT_EQ(kLoanCreation.event, LoanEvent::kRequest);
  EXPECT_EQ(kLoanCreation.to, LoanState::kRequested);
  EXPECT_EQ(kLoanCreation.permission, "loan.request");
  EXPECT_TRUE(LoanStatesAllowing(LoanEvent::kRequest).empty());
}

TEST(LoanStatesTest, FinalStatesAreRejectedReturnedExported) {
  std::vector<LoanState> finals;
  for (LoanState s : kLoanStates) {
    if (IsFinalLoanState(s)) finals.push_back(s);
  }
  EXPECT_EQ(finals,
            (std::vector<LoanState>{LoanState::kRejected, LoanState::kReturned,
                                    LoanState::kExported}));
}

TEST(LoanStatesTest, EveryStateIsReachableAndEveryLoanCanEnd) {
  std::set<LoanState> reached = {kLoanCreation.to};
  for (bool grew = true; grew;) {
    grew = false;
    for (const LoanTransition& t : LoanTransitions()) {
      if (reached.contains(t.from) && reached.insert(t.to).second) grew = true;
    }
  }
  EXPECT_EQ(reached.size(), std::size(kLoanStates));
  for (LoanState start : kLoanStates) {
    std::set<LoanState> seen = {start};
    bool ends = IsFinalLoanState(start);
    for (bool grew = true; grew && !ends;) {
      grew = false;
      for (const LoanTransition& t : LoanTransitions()) {
        if (seen.contains(t.from) && seen.insert(t.to).second) {
          grew = true;
          ends = ends || IsFinalLoanState(t.to);
        }
      }
    }
    EXPECT_TRUE(ends) << ToString(start);
  }
}

// The store checks one event of a pair before it knows which of the two it
// will be (the page count, the approval count); that is sound only while
// both apply in the same states.
TEST(LoanStatesTest, PairedEventsApplyInTheSameStates) {
  const std::pair<LoanEvent, LoanEvent> pairs[] = {
      {LoanEvent::kReturnOk, LoanEvent::kReturnFlagged},
      {LoanEvent::kApprove, LoanEvent::kApprovePartial},
      {LoanEvent::kApproveRenewal, LoanEvent::kApproveRenewalPartial},
  };
  for (const auto& [a, b] : pairs) {
    EXPECT_EQ(LoanStatesAllowing(a), LoanStatesAllowing(b))
        << ToString(a) << " / " << ToString(b);
  }
  // Return is possible exactly while the original is out.
  EXPECT_EQ(LoanStatesAllowing(LoanEvent::kReturnOk),
            (std::vector<LoanState>{LoanState::kCheckedOut,
                                    LoanState::kRenewalRequested}));
}

TEST(LoanStatesTest, PartialApprovalsKeepTheState) {
  for (const LoanTransition& t : LoanTransitions()) {
    if (t.event == LoanEvent::kApprovePartial ||
        t.event == LoanEvent::kApproveRenewalPartial) {
      EXPECT_EQ(t.from, t.to) << ToString(t.event);
    }
  }
}

TEST(LoanStatesTest, DecisionEventAppliesTheCountRule) {
  using enum LoanState;
  const auto approve = LoanDecision::kApprove;
  const auto reject = LoanDecision::kReject;
  // Internal: one approval completes the round.
  EXPECT_EQ(DecisionEvent(kRequested, approve, 1, 1), LoanEvent::kApprove);
  // External: the first of two is partial, the second completes it.
  EXPECT_EQ(DecisionEvent(kRequested, approve, 1, 2),
            LoanEvent::kApprovePartial);
  EXPECT_EQ(DecisionEvent(kRequested, approve, 2, 2), LoanEvent::kApprove);
  EXPECT_EQ(DecisionEvent(kRequested, reject, 0, 2), LoanEvent::kReject);
  EXPECT_EQ(DecisionEvent(kRenewalRequested, approve, 1, 2),
            LoanEvent::kApproveRenewalPartial);
  EXPECT_EQ(DecisionEvent(kRenewalRequested, approve, 2, 2),
            LoanEvent::kApproveRenewal);
  EXPECT_EQ(DecisionEvent(kRenewalRequested, reject, 1, 2),
            LoanEvent::kRejectRenewal);
  // A decision on a loan that waits for none is still named, then refused.
  const LoanEvent late = DecisionEvent(kReturned, approve, 1, 1);
  EXPECT_EQ(late, LoanEvent::kApprove);
  EXPECT_FALSE(NextLoanState(kReturned, late));
  // Walking an external loan through the table.
  auto s = NextLoanState(kRequested, DecisionEvent(kRequested, approve, 1, 2));
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, kRequested);
  s = NextLoanState(*s, DecisionEvent(*s, approve, 2, 2));
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, kApproved);
}

}  // namespace
}  // namespace dossier::custody
