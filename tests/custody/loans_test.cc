// Loans (借阅): approval rules, checkout, renewal, return inspection.
#include "tests/custody/custody_fixture.h"

namespace dossier::storage::testing {
namespace {

class LoansTest : public CustodyTest {
 protected:
  void SetUp() override {
    CustodyTest::SetUp();
    barcode_ = Register(docs_[0], "A-01-1-001");
  }
  Loan Request(bool external, const std::string& requester = "asker") {
    auto loan = custody_->RequestLoan({barcode_, false, "合同核对",
                                       external ? "外部律所" : requester,
                                       external, "2999-01-31", requester});
    EXPECT_TRUE(loan) << loan.error().message;
    return loan ? *loan : Loan{};
  }
  Loan CheckedOut() {
    Loan loan = Request(false);
    EXPECT_TRUE(custody_->ApproveLoan(loan.display_id, "boss", "ok"));
    auto out = custody_->CheckoutLoan(loan.display_id, barcode_, "desk");
    EXPECT_TRUE(out) << out.error().message;
    return *out;
  }
  std::string barcode_;
};

TEST_F(LoansTest, RequesterCannotApproveOwnLoan) {
  Loan loan = Request(false);
  EXPECT_EQ(loan.status, "requested");
  auto own = custody_->ApproveLoan(loan.display_id, "asker", "");
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kConflict);
  EXPECT_NE(own.error().message.find("cannot approve"), std::string::npos);
  auto reject_own = custody_->RejectLoan(loan.display_id, "asker", "");
  EXPECT_FALSE(reject_own);
  EXPECT_EQ(custody_->GetLoan(loan.display_id)->status, "requested");
  auto ok = custody_->ApproveLoan(loan.display_id, "boss", "fine");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->status, "approved");
}

TEST_F(LoansTest, ConfiguredApproverListIsEnforced) {
  ASSERT_TRUE(catalog_->PutSetting("lending", R"({"approvers": ["boss"]})", "admin"));
  Loan loan = Request(false);
  auto other = custody_->ApproveLoan(loan.display_id, "colleague", "");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("not an approver"), std::string::npos);
  EXPECT_TRUE(custody_->ApproveLoan(loan.display_id, "boss", ""));
}

TEST_F(LoansTest, ExternalLoanNeedsTwoDistinctApprovers) {
  // Even when configured lower, 外部提供 needs two approvals.
  ASSERT_TRUE(catalog_->PutSetting("lending", R"({"external_approvals": 1})", "admin"));
  Loan loan = Request(true);
  EXPECT_TRUE(loan.external);
  EXPECT_EQ(loan.approvals_needed, 2);
  auto first = custody_->ApproveLoan(loan.display_id, "boss", "");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, "requested");
  auto same = custody_->ApproveLoan(loan.display_id, "boss", "again");
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code, ErrorCode::kConflict);
  auto early = custody_->CheckoutLoan(loan.display_id, barcode_, "desk");
  ASSERT_FALSE(early);
  auto second = custody_->ApproveLoan(loan.display_id, "legal", "");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, "approved");
  EXPECT_EQ(second->approvals.size(), 2u);
}

TEST_F(LoansTest, RejectedLoanCannotBeCheckedOut) {
  Loan loan = Request(false);
  auto rejected = custody_->RejectLoan(loan.display_id, "boss", "no");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_FALSE(custody_->CheckoutLoan(loan.display_id, barcode_, "desk"));
  EXPECT_FALSE(custody_->ApproveLoan(loan.display_id, "legal", ""));
}

TEST_F(LoansTest, CheckoutNeedsTheRightBarcodeAndRecordsCustody) {
  Loan loan = Request(false);
  ASSERT_TRUE(custody_->ApproveLoan(loan.display_id, "boss", ""));
  const std::string other = Register(docs_[1], "A-01-1-002");
  auto wrong = custody_->CheckoutLoan(loan.display_id, other, "desk");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kConflict);
  auto out = custody_->CheckoutLoan(loan.display_id, barcode_, "desk");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->status, "checked-out");
  auto o = custody_->GetOriginal(barcode_);
  EXPECT_EQ(o->state, "on-loan");
  EXPECT_EQ(o->loan_id, loan.display_id);
  auto where = custody_->Where(barcode_);
  ASSERT_TRUE(where);
  const auto& h = where->front().history;
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].event, "checkout");
  EXPECT_EQ(h[1].to, "loan " + loan.display_id + " (asker)");
  // A second loan of the same original is refused while it is out.
  auto second = custody_->RequestLoan(
      {barcode_, false, "x", "y", false, "2999-01-01", "other"});
  EXPECT_FALSE(second);
}

TEST_F(LoansTest, LoanedOriginalCannotBeMovedOrDestroyed) {
  CheckedOut();
  const std::string other = Register(docs_[1], "A-01-1-002");
  auto moved = custody_->MoveOriginals({{other, barcode_}, "A-02", "tidy", "boss"});
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kConflict);
  EXPECT_NE(moved.error().message.find("on loan"), std::string::npos);
  // All or nothing: the other original did not move either.
  EXPECT_EQ(custody_->GetOriginal(other)->location_code, "A-01-1-002");
  auto destroy = custody_->CheckCanDestroy(barcode_);
  ASSERT_FALSE(destroy);
  EXPECT_EQ(destroy.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(custody_->CheckCanDestroy(other));
}

TEST_F(LoansTest, RenewalNeedsApprovalAgain) {
  Loan loan = CheckedOut();
  // Only the borrower asks: a third person could otherwise approve their own
  // renewal request, not being the loan's requester.
  auto other = custody_->RequestRenewal(loan.display_id, "3000-06-30", "boss");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kConflict);
  EXPECT_EQ(custody_->GetLoan(loan.display_id)->status, "checked-out");
  auto renew = custody_->RequestRenewal(loan.display_id, "3000-06-30", "asker");
  ASSERT_TRUE(renew) << renew.error().message;
  EXPECT_EQ(renew->status, "renewal-requested");
  EXPECT_EQ(renew->due_date, "2999-01-31");  // not yet
  EXPECT_FALSE(custody_->ApproveLoan(loan.display_id, "asker", ""));
  auto approved = custody_->ApproveLoan(loan.display_id, "boss", "");
  ASSERT_TRUE(approved) << approved.error().message;  // boss again: new round
  EXPECT_EQ(approved->status, "checked-out");
  EXPECT_EQ(approved->due_date, "3000-06-30");
  // A rejected renewal keeps the old due date.
  ASSERT_TRUE(custody_->RequestRenewal(loan.display_id, "3001-01-01", "asker"));
  auto rejected = custody_->RejectLoan(loan.display_id, "boss", "no");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, "checked-out");
  EXPECT_EQ(rejected->due_date, "3000-06-30");
  EXPECT_FALSE(custody_->RequestRenewal(loan.display_id, "2000-01-01", "asker"));
}

TEST_F(LoansTest, ReturnWithAllPagesClosesTheLoan) {
  Loan loan = CheckedOut();
  auto back = custody_->ReturnLoan({loan.display_id, barcode_, 3, "good", "desk"});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->status, "returned");
  EXPECT_EQ(custody_->GetOriginal(barcode_)->state, "in-place");
  EXPECT_TRUE(custody_->MoveOriginals({{barcode_}, "A-02", "tidy", "desk"}));
}

TEST_F(LoansTest, ReturnWithMissingPagesIsFlaggedAndStaysOpen) {
  Loan loan = CheckedOut();
  auto back = custody_->ReturnLoan(
      {loan.display_id, barcode_, 2, "page 3 missing", "desk"});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->status, "return-flagged");
  EXPECT_EQ(back->return_pages, 2);
  EXPECT_EQ(custody_->GetOriginal(barcode_)->state, "returned-flagged");
  auto open = custody_->ListLoans("open");
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  // Frozen until resolved.
  EXPECT_FALSE(custody_->MoveOriginals({{barcode_}, "A-02", "tidy", "desk"}));
  EXPECT_FALSE(custody_->CheckCanDestroy(barcode_));
  auto self = custody_->ResolveReturn(loan.display_id, "asker", "found it");
  ASSERT_FALSE(self);
  EXPECT_FALSE(custody_->ResolveReturn(loan.display_id, "boss", ""));
  auto resolved = custody_->ResolveReturn(loan.display_id, "boss",
                                          "page 3 was stapled to page 2");
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_EQ(resolved->status, "returned");
  EXPECT_EQ(custody_->GetOriginal(barcode_)->state, "in-place");
  EXPECT_EQ(custody_->Where(barcode_)->front().history.back().event, "resolve");
}

TEST_F(LoansTest, ReturnNeedsTheScannedBarcodePagesAndCondition) {
  Loan loan = CheckedOut();
  EXPECT_FALSE(custody_->ReturnLoan({loan.display_id, "OR00000099X", 3, "ok", "d"}));
  EXPECT_FALSE(custody_->ReturnLoan({loan.display_id, barcode_, -1, "ok", "d"}));
  EXPECT_FALSE(custody_->ReturnLoan({loan.display_id, barcode_, 3, "", "d"}));
}

TEST_F(LoansTest, OverdueListsLoansPastTheirDueDate) {
  Loan loan = CheckedOut();
  EXPECT_TRUE(custody_->OverdueLoans("2999-01-31")->empty());
  auto late = custody_->OverdueLoans("2999-02-01");
  ASSERT_TRUE(late);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ(late->front().display_id, loan.display_id);
  EXPECT_FALSE(custody_->OverdueLoans("tomorrow"));
}

// At 07:30 on 2 March in Shanghai it is still 1 March in UTC: a loan due on
// 1 March is overdue there, and a new loan cannot be due on 1 March.
TEST_F(LoansTest, DueDatesAndOverdueAreCalendarDaysInTheArchiveZone) {
  ASSERT_TRUE(catalog_->SetZone("Asia/Shanghai", "admin"));
  auto clock = std::make_shared<FixedClock>(*ParseUtc("2026-02-20T02:00:00Z"));
  ScopedClock scoped(clock);
  auto loan = custody_->RequestLoan({barcode_, false, "核对", "asker", false,
                                     "2026-03-01", "asker"});
  ASSERT_TRUE(loan) << loan.error().message;
  ASSERT_TRUE(custody_->ApproveLoan(loan->display_id, "boss", "ok"));
  ASSERT_TRUE(custody_->CheckoutLoan(loan->display_id, barcode_, "desk"));

  clock->Set(*ParseUtc("2026-03-01T15:59:59Z"));  // 23:59:59 on 1 March
  EXPECT_TRUE(custody_->OverdueLoans("")->empty());
  clock->Set(*ParseUtc("2026-03-01T23:30:00Z"));  // 07:30 on 2 March
  auto late = custody_->OverdueLoans("");
  ASSERT_TRUE(late);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ(late->front().display_id, loan->display_id);

  auto past = custody_->RequestLoan({barcode_, false, "核对", "asker", false,
                                     "2026-03-01", "asker"});
  ASSERT_FALSE(past);
  EXPECT_NE(past.error().message.find("in the past"), std::string::npos);

  EXPECT_FALSE(catalog_->SetZone("Nowhere/Land", "admin"));
  EXPECT_EQ(catalog_->Zone().name(), "Asia/Shanghai");
}

TEST_F(LoansTest, OpenLoansAndOriginalsOutBlockDestruction) {
  const std::int64_t doc = catalog_->GetDocument(docs_[0])->id;
  EXPECT_TRUE(custody_->DestructionBlockers(doc)->empty());
  Loan paper = CheckedOut();
  auto electronic = custody_->RequestLoan(
      {docs_[0], true, "客户要求", "asker", false, "2999-01-01", "asker"});
  ASSERT_TRUE(electronic) << electronic.error().message;
  auto blockers = custody_->DestructionBlockers(doc);
  ASSERT_TRUE(blockers) << blockers.error().message;
  ASSERT_EQ(blockers->size(), 3u);
  EXPECT_EQ((*blockers)[0], "open loan " + paper.display_id + " (checked-out)");
  EXPECT_EQ((*blockers)[1],
            "open loan " + electronic->display_id + " (requested)");
  EXPECT_EQ((*blockers)[2], "original " + barcode_ + " is on-loan");
  // An original that is out cannot be recorded as shredded; nothing changes.
  auto shred = custody_->RecordShredding(barcode_, "rm", "2026-03-01T00:00:00Z",
                                         "shredded");
  ASSERT_FALSE(shred);
  EXPECT_EQ(shred.error().code, ErrorCode::kConflict);
  EXPECT_EQ(custody_->GetOriginal(barcode_)->state, "on-loan");
  // Other documents are not blocked by this one's loans.
  EXPECT_TRUE(
      custody_->DestructionBlockers(catalog_->GetDocument(docs_[1])->id)->empty());
}

TEST_F(LoansTest, AShreddedOriginalIsDestroyedWithHistoryAndEvent) {
  const std::string other = Register(docs_[1], "A-01-1-002");
  const std::string events_before =
      Count("SELECT COUNT(*) FROM custody_events WHERE event = 'destroy'");
  auto shred = custody_->RecordShredding(other, "rm", "2026-03-01T00:00:00Z",
                                         "shredded, witness w");
  ASSERT_TRUE(shred) << shred.error().message;
  EXPECT_EQ(shred->state, "in-place");  // as it was
  EXPECT_EQ(custody_->GetOriginal(other)->state, "destroyed");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM custody_events WHERE event = 'destroy'"),
            std::to_string(std::stoi(events_before) + 1));
  EXPECT_EQ(Count("SELECT new_value FROM history WHERE table_name = 'originals' "
                  "AND field = 'state' ORDER BY id DESC LIMIT 1"),
            "destroyed");
  EXPECT_EQ(custody_->RecordShredding(other, "rm", "2026-03-01T00:00:00Z", "x")
                .error()
                .code,
            ErrorCode::kConflict);  // already destroyed
  EXPECT_EQ(custody_->RecordShredding("O-NOPE", "rm", "2026-03-01T00:00:00Z", "x")
                .error()
                .code,
            ErrorCode::kNotFound);
}

TEST_F(LoansTest, ListingByAnUnknownStatusIsAnError) {
  ASSERT_TRUE(custody_->RequestLoan(
      {barcode_, false, "审计", "asker", false, "2999-01-01", "asker"}));
  EXPECT_EQ(custody_->ListLoans("requested")->size(), 1u);
  EXPECT_EQ(custody_->ListLoans("open")->size(), 1u);
  auto bad = custody_->ListLoans("Requested");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("checked-out"), std::string::npos)
      << bad.error().message;
}

TEST_F(LoansTest, RequestsAreValidated) {
  EXPECT_FALSE(custody_->RequestLoan({barcode_, false, "p", "r", false,
                                      "2000-01-01", "asker"}));  // past
  EXPECT_FALSE(custody_->RequestLoan({barcode_, false, "", "r", false,
                                      "2999-01-01", "asker"}));  // no purpose
  // A document id resolves to its one original.
  auto by_doc = custody_->RequestLoan(
      {docs_[0], false, "p", "r", false, "2999-01-01", "asker"});
  ASSERT_TRUE(by_doc) << by_doc.error().message;
  EXPECT_EQ(by_doc->barcode, barcode_);
  auto no_original = custody_->RequestLoan(
      {docs_[3], false, "p", "r", false, "2999-01-01", "asker"});
  EXPECT_FALSE(no_original);
}

TEST_F(LoansTest, ElectronicExportNeedsApprovalWhenConfigured) {
  auto free = custody_->AuthorizeExport(docs_[2], "asker");
  ASSERT_TRUE(free);
  EXPECT_FALSE(free->has_value());
  ASSERT_TRUE(catalog_->PutSetting(
      "lending", R"({"export_requires_approval": true})", "admin"));
  auto refused = custody_->AuthorizeExport(docs_[2], "asker");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  auto loan = custody_->RequestLoan(
      {docs_[2], true, "客户要求", "asker", false, "2999-01-01", "asker"});
  ASSERT_TRUE(loan) << loan.error().message;
  EXPECT_EQ(loan->kind, "electronic");
  EXPECT_FALSE(custody_->AuthorizeExport(docs_[2], "asker"));  // not approved
  ASSERT_TRUE(custody_->ApproveLoan(loan->display_id, "boss", ""));
  EXPECT_FALSE(custody_->AuthorizeExport(docs_[2], "someone-else"));
  auto allowed = custody_->AuthorizeExport(docs_[2], "asker");
  ASSERT_TRUE(allowed) << allowed.error().message;
  ASSERT_TRUE(allowed->has_value());
  EXPECT_EQ((*allowed)->status, "exported");
  EXPECT_FALSE(custody_->AuthorizeExport(docs_[2], "asker"));  // used up
}

TEST_F(LoansTest, EveryChangeIsInHistory) {
  Loan loan = CheckedOut();
  ASSERT_TRUE(custody_->ReturnLoan({loan.display_id, barcode_, 3, "good", "desk"}));
  EXPECT_EQ(Count("SELECT group_concat(new_value, ',') FROM (SELECT new_value "
                  "FROM history WHERE table_name='loans' AND field='status' "
                  "ORDER BY id)"),
            "requested,approved,checked-out,returned");
  EXPECT_EQ(Count("SELECT group_concat(new_value, ',') FROM (SELECT new_value "
                  "FROM history WHERE table_name='originals' AND field='state' "
                  "ORDER BY id)"),
            "on-loan,in-place");
}

}  // namespace
}  // namespace dossier::storage::testing
