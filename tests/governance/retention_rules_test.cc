// The retention rules both stores ask (governance/retention_rules.h): which
// documents a rule counts, the contract-end field, why a named document is
// not proposed, the state after approval and which files a purge removes.
#include "governance/retention_rules.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace dossier::governance {
namespace {

TEST(RetentionRules, OnlyReviewedDocumentsFallDue) {
  for (const char* status : {"filed", "rejected", "replaced"}) {
    EXPECT_TRUE(MayFallDue(status)) << status;
  }
  for (const char* status : {"pending", "destroyed", ""}) {
    EXPECT_FALSE(MayFallDue(status)) << status;
  }
}

TEST(RetentionRules, AFlaggedContractEndIsNoDate) {
  EXPECT_EQ(kContractEndField, "end_date");
  EXPECT_EQ(ContractEndDate("2030-01-31", ""), "2030-01-31");
  EXPECT_EQ(ContractEndDate("2030-01-31", "not a date"), "");
}

TEST(RetentionRules, NotProposableNamesTheDocumentAndTheReason) {
  storage::RetentionStatus due;
  due.event = "contract-end";
  due.event_date = "2010-01-01";
  due.due_on = "2020-01-01";
  due.due = true;
  EXPECT_EQ(NotProposable("D000001", "filed", "contract", due), std::nullopt);
  EXPECT_EQ(NotProposable("D000001", "destroyed", "contract", due),
            "D000001 is already destroyed");
  EXPECT_EQ(NotProposable("D000001", "pending", "contract", due),
            "D000001 is pending review, never due");
  EXPECT_EQ(NotProposable("D000001", "filed", "form", std::nullopt),
            "D000001: no retention rule for type form");
  storage::RetentionStatus unknown = due;
  unknown.event_date.clear();
  unknown.due_on.clear();
  unknown.due = false;
  EXPECT_EQ(NotProposable("D000001", "filed", "contract", unknown),
            "D000001: the contract-end date is unknown");
  storage::RetentionStatus later = due;
  later.due_on = "2040-01-01";
  later.due = false;
  EXPECT_EQ(NotProposable("D000001", "rejected", "contract", later),
            "D000001 is not due until 2040-01-01");
}

TEST(RetentionRules, ABatchWithoutOriginalsIsCompletedWhenApproved) {
  EXPECT_EQ(StatusAfterApproval(0), "completed");
  EXPECT_EQ(StatusAfterApproval(3), "approved");
}

TEST(RetentionRules, AFileGoesOnlyWhenEveryDocumentNamingItIsDestroyed) {
  EXPECT_TRUE(MayPurgeFile({}));
  EXPECT_TRUE(MayPurgeFile({"destroyed", "destroyed"}));
  EXPECT_FALSE(MayPurgeFile({"destroyed", "filed"}));
  EXPECT_FALSE(MayPurgeFile({"pending"}));
}

}  // namespace
}  // namespace dossier::governance
