// Loans through the application layer: who acts comes from the principal,
// the permission is checked by operation name, and every call, allowed or
// refused, is one access-log entry.
#include <gtest/gtest.h>

#include "app/loans.h"
#include "tests/app/app_fixture.h"

namespace dossier::app::testing {
namespace {

class LoansAppTest : public AppTest {
 protected:
  storage::Loan Requested() {
    auto loan = RequestLoan(*station_, As("clerk"),
                            {barcode_, false, "合同核对", "", false, "2999-01-31"});
    EXPECT_TRUE(loan) << loan.error().message;
    return loan ? *loan : storage::Loan{};
  }
};

TEST_F(LoansAppTest, ClerkCallingApprovalIsRefusedAndLogged) {
  const storage::Loan loan = Requested();
  EXPECT_EQ(loan.requester, "clerk");
  EXPECT_EQ(loan.recipient, "clerk");
  const size_t before = Log().size();

  auto approved = ApproveLoan(*station_, As("clerk"), loan.display_id, "自批");
  ASSERT_FALSE(approved);
  EXPECT_EQ(approved.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(approved.error().message.find("loan.approve"), std::string::npos);

  auto log = Log();
  ASSERT_EQ(log.size(), before + 1);
  EXPECT_EQ(log.back().actor, "clerk");
  EXPECT_EQ(log.back().command, "loan.approve");
  EXPECT_EQ(log.back().outcome, "denied");
  EXPECT_NE(log.back().records.find(loan.display_id), std::string::npos);
  // Nothing changed.
  EXPECT_EQ(station_->custody().GetLoan(loan.display_id)->status, "requested");
}

TEST_F(LoansAppTest, ApproverIsThePrincipalNeverAPassedName) {
  const storage::Loan loan = Requested();
  auto approved = ApproveLoan(*station_, As("boss"), loan.display_id, "ok");
  ASSERT_TRUE(approved) << approved.error().message;
  ASSERT_EQ(approved->approvals.size(), 1u);
  EXPECT_EQ(approved->approvals.front().approver, "boss");
  auto log = Log();
  EXPECT_EQ(log.back().actor, "boss");
  EXPECT_EQ(log.back().command, "loan.approve");
  EXPECT_EQ(log.back().outcome, "ok");

  // The archivist hands it out; the clerk may not.
  auto by_clerk = CheckoutLoan(*station_, As("clerk"), loan.display_id, barcode_, "");
  ASSERT_FALSE(by_clerk);
  EXPECT_EQ(by_clerk.error().code, ErrorCode::kPermissionDenied);
  auto out = CheckoutLoan(*station_, As("keeper"), loan.display_id, barcode_, "");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->status, "checked-out");
}

TEST_F(LoansAppTest, ARecordsManagerCannotApproveTheirOwnRequest) {
  // An admin holds every permission, so the own-loan rule is custody's,
  // not the role's: the admin's own request still needs someone else.
  auto loan = RequestLoan(*station_, As("root"),
                          {barcode_, false, "自用", "", false, "2999-01-31"});
  ASSERT_TRUE(loan) << loan.error().message;
  auto own = ApproveLoan(*station_, As("root"), loan->display_id, "");
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Log().back().outcome, "error:conflict");
  EXPECT_TRUE(ApproveLoan(*station_, As("boss"), loan->display_id, ""));
}

TEST_F(LoansAppTest, FailuresAreLoggedWithTheirErrorCode) {
  auto missing = ApproveLoan(*station_, As("boss"), "L999999", "");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto log = Log();
  EXPECT_EQ(log.back().outcome, "error:not-found");
  EXPECT_NE(log.back().detail.find("L999999"), std::string::npos);
}

TEST_F(LoansAppTest, OverdueUsesTheArchiveZoneAndReadNeedsLoanRead) {
  const storage::Loan loan = Requested();
  ASSERT_TRUE(ApproveLoan(*station_, As("boss"), loan.display_id, ""));
  ASSERT_TRUE(CheckoutLoan(*station_, As("keeper"), loan.display_id, barcode_, ""));
  auto none = OverdueLoans(*station_, As("boss"), "");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
  auto late = OverdueLoans(*station_, As("boss"), "2999-02-01");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->size(), 1u);
  auto scanner = OverdueLoans(*station_, As("scanner"), "");
  ASSERT_FALSE(scanner);
  EXPECT_EQ(scanner.error().code, ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace dossier::app::testing
