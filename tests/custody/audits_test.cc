// Cabinet audits (盘点): reconciliation categories, report, applying moves.
#include <map>

#include "tests/custody/custody_fixture.h"

namespace dossier::storage::testing {
namespace {

class AuditsTest : public CustodyTest {
 protected:
  void SetUp() override {
    CustodyTest::SetUp();
    in_place_ = Register(docs_[0], "A-01-1-001");
    missing_ = Register(docs_[1], "A-01-1-002");
    wrong_box_ = Register(docs_[2], "A-01-1-001");
    elsewhere_ = Register(docs_[3], "A-02-1-001");
    lent_ = Register(customer_, "A-01-2-001");
    auto loan = custody_->RequestLoan(
        {lent_, false, "审计", "asker", false, "2999-01-01", "asker"});
    ASSERT_TRUE(loan);
    ASSERT_TRUE(custody_->ApproveLoan(loan->display_id, "boss", ""));
    ASSERT_TRUE(custody_->CheckoutLoan(loan->display_id, lent_, "desk"));
  }
  std::map<std::string, std::vector<std::string>> ByCategory(
      const std::vector<AuditLine>& lines) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& l : lines) out[l.category].push_back(l.barcode);
    return out;
  }
  std::string in_place_, missing_, wrong_box_, elsewhere_, lent_;
};

TEST_F(AuditsTest, ReconcilesEveryCategory) {
  auto audit = custody_->StartAudit("A-01", "auditor");
  ASSERT_TRUE(audit) << audit.error().message;
  EXPECT_EQ(audit->status, "open");
  auto again = custody_->StartAudit("A-01", "auditor");
  EXPECT_FALSE(again);
  const std::string box1 = custody_->GetLocation("A-01-1-001")->barcode;
  const std::string box3 = custody_->GetLocation("A-01-1-003")->barcode;
  auto scans = custody_->AddScans(
      audit->display_id,
      {box1, in_place_, in_place_, "", box3, wrong_box_, elsewhere_,
       "OR12345678X", "hello"},
      "stdin");
  ASSERT_TRUE(scans) << scans.error().message;
  EXPECT_EQ(scans->contexts, 2);
  EXPECT_EQ(scans->items, 6);
  EXPECT_EQ(scans->ignored, 1);
  auto closed = custody_->CloseAudit(audit->display_id, "auditor");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->status, "closed");
  EXPECT_EQ(closed->found, 1);
  EXPECT_EQ(closed->missing, 1);
  EXPECT_EQ(closed->misplaced, 2);
  EXPECT_EQ(closed->unknown, 2);
  EXPECT_EQ(closed->on_loan, 1);
  EXPECT_EQ(closed->duplicates, 1);
  auto report = custody_->AuditReport(audit->display_id);
  ASSERT_TRUE(report);
  auto by = ByCategory(*report);
  EXPECT_EQ(by["found"], std::vector<std::string>{in_place_});
  EXPECT_EQ(by["missing"], std::vector<std::string>{missing_});
  EXPECT_EQ(by["on-loan"], std::vector<std::string>{lent_});
  EXPECT_EQ(by["duplicate"], std::vector<std::string>{in_place_});
  EXPECT_EQ(by["unknown"], (std::vector<std::string>{"HELLO", "OR12345678X"}));
  ASSERT_EQ(by["misplaced"].size(), 2u);
  for (const auto& l : *report) {
    if (l.category == "misplaced") {
      EXPECT_EQ(l.suggested_to, "A-01-1-003") << l.barcode;
      EXPECT_EQ(l.found_at, "A-01-1-003");
    }
  }
  // Closed audits take no more scans and do not close twice.
  EXPECT_FALSE(custody_->AddScans(audit->display_id, {in_place_}, "stdin"));
  EXPECT_FALSE(custody_->CloseAudit(audit->display_id, "auditor"));
  auto history = custody_->AuditHistory("A-01");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().misplaced, 2);
}

TEST_F(AuditsTest, SuggestedMovesApplyInOneApprovedStep) {
  auto audit = custody_->StartAudit("A-01", "auditor");
  ASSERT_TRUE(audit);
  const std::string box3 = custody_->GetLocation("A-01-1-003")->barcode;
  ASSERT_TRUE(custody_->AddScans(audit->display_id,
                                 {box3, wrong_box_, elsewhere_}, "photo.jpg"));
  EXPECT_FALSE(custody_->ApplyAuditMoves(audit->display_id, "boss"));  // open
  ASSERT_TRUE(custody_->CloseAudit(audit->display_id, "auditor"));
  auto own = custody_->ApplyAuditMoves(audit->display_id, "auditor");
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kConflict);
  auto applied = custody_->ApplyAuditMoves(audit->display_id, "boss");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->moved, 2);
  EXPECT_EQ(custody_->GetOriginal(wrong_box_)->location_code, "A-01-1-003");
  EXPECT_EQ(custody_->GetOriginal(elsewhere_)->location_code, "A-01-1-003");
  const auto h = custody_->Where(elsewhere_)->front().history;
  EXPECT_NE(h.back().reason.find(audit->display_id), std::string::npos);
  // Twice: refused, saying when in the archive's zone.
  ASSERT_TRUE(catalog_->SetZone("Asia/Shanghai", "root"));
  auto twice = custody_->ApplyAuditMoves(audit->display_id, "boss");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_NE(twice.error().message.find(" +08:00 by boss"), std::string::npos)
      << twice.error().message;
}

TEST_F(AuditsTest, SuggestedMovesThatNoLongerFitChangeNothing) {
  // Box A-01-1-003 holds 3; fill it with two, then suggest two more.
  auto audit = custody_->StartAudit("A-01", "auditor");
  ASSERT_TRUE(audit);
  const std::string box3 = custody_->GetLocation("A-01-1-003")->barcode;
  ASSERT_TRUE(custody_->AddScans(audit->display_id,
                                 {box3, wrong_box_, elsewhere_, in_place_},
                                 "stdin"));
  ASSERT_TRUE(custody_->CloseAudit(audit->display_id, "auditor"));
  auto c = catalog_->AddCustomer("Other", "company", "clerk");
  ASSERT_TRUE(c);
  for (int i = 0; i < 1; ++i) {
    auto d = catalog_->AddDocument(MakeDocument(c->code, "x", {"a"}));
    ASSERT_TRUE(d);
    Register(d->display_id, "A-01-1-003");
  }
  auto applied = custody_->ApplyAuditMoves(audit->display_id, "boss");
  ASSERT_FALSE(applied);
  EXPECT_EQ(custody_->GetOriginal(wrong_box_)->location_code, "A-01-1-001");
  EXPECT_EQ(custody_->GetOriginal(elsewhere_)->location_code, "A-02-1-001");
}

TEST_F(AuditsTest, ScansWithoutBoxContextCountAsFoundInTheSubtree) {
  auto audit = custody_->StartAudit("A-01-1", "auditor");
  ASSERT_TRUE(audit);
  ASSERT_TRUE(custody_->AddScans(audit->display_id,
                                 {in_place_, wrong_box_, missing_}, "file"));
  auto closed = custody_->CloseAudit(audit->display_id, "auditor");
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->found, 3);
  EXPECT_EQ(closed->missing, 0);
  EXPECT_EQ(closed->misplaced, 0);
}

}  // namespace
}  // namespace dossier::storage::testing
