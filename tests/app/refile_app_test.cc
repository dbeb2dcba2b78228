// Refiling through the application layer: a document moves to another
// customer, changes type or title, with the reason and every old value in
// its history; the holding customer for unassigned scans is protected; and
// a refused command leaves the catalog as it was.
#include <gtest/gtest.h>

#include "app/documents.h"
#include "app/governance.h"
#include "app/loans.h"
#include "app/records.h"
#include "pipeline/station.h"
#include "storage/sqlite/retention.h"
#include "tests/app/app_fixture.h"

namespace dossier::app::testing {
namespace {

class RefileAppTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    auto other = station_->catalog().AddCustomer("明川集团", "company", "clerk");
    ASSERT_TRUE(other) << other.error().message;
    other_ = other->code;
  }

  // The value of the last history entry of the field, or "" when none.
  std::string Last(const std::vector<storage::HistoryEntry>& h,
                   const std::string& field, bool old_value = false) {
    for (auto it = h.rbegin(); it != h.rend(); ++it) {
      if (it->field != field) continue;
      const auto& v = old_value ? it->old_value : it->new_value;
      return v.value_or("(null)");
    }
    return "";
  }

  std::string other_;
};

TEST_F(RefileAppTest, APendingDocumentMovesWithItsReasonInHistory) {
  RefileInput in;
  in.document = doc_;
  in.customer = other_;
  in.type = "form";
  in.title = "客户登记表";
  in.reason = "扫描时选错客户";
  auto done = RefileDocument(*station_, As("reader"), in);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->before.customer_code, customer_);
  EXPECT_EQ(done->after.customer_code, other_);
  EXPECT_EQ(done->after.type, "form");
  EXPECT_EQ(done->after.title, "客户登记表");
  EXPECT_TRUE(done->after.archive_number.empty());
  EXPECT_EQ(Log().back().command, "document.refile");
  EXPECT_EQ(Log().back().outcome, "ok");

  auto history = History(*station_, As("reader"), doc_);
  ASSERT_TRUE(history) << history.error().message;
  EXPECT_EQ(Last(*history, "customer", true), customer_);
  EXPECT_EQ(Last(*history, "customer"), other_);
  EXPECT_EQ(Last(*history, "type", true), "contract");
  EXPECT_EQ(Last(*history, "type"), "form");
  EXPECT_EQ(Last(*history, "title", true), "服务合同");
  EXPECT_EQ(Last(*history, "refile_reason"), "扫描时选错客户");
  EXPECT_EQ(history->back().actor, "reader");

  // The customer files and a customer-filtered search follow the move.
  auto moved = station_->catalog().ListDocuments(other_);
  ASSERT_TRUE(moved);
  ASSERT_EQ(moved->size(), 1u);
  EXPECT_EQ(moved->front().display_id, doc_);
  EXPECT_TRUE(station_->catalog().ListDocuments(customer_)->empty());
  SearchInput q;
  q.text = "签章";
  q.customer = other_;
  auto hits = Search(*station_, As("reader"), q);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  q.customer = customer_;
  EXPECT_TRUE(Search(*station_, As("reader"), q)->empty());
  // The metadata in the index follows too: the new title is found, the old
  // one (not on the page) no longer is.
  SearchInput by_title;
  by_title.text = "客户登记表";
  auto titled = Search(*station_, As("reader"), by_title);
  ASSERT_TRUE(titled) << titled.error().message;
  EXPECT_EQ(titled->size(), 1u);
}

TEST_F(RefileAppTest, AFiledDocumentKeepsItsNumberUnlessItsTypeChanges) {
  auto filed = ApproveDocument(*station_, As("reader"), doc_);
  ASSERT_TRUE(filed) << filed.error().message;
  const std::string first = filed->archive_number;
  ASSERT_EQ(first.substr(8, 2), "HT");

  RefileInput move;
  move.document = doc_;
  move.customer = other_;
  move.reason = "归属集团";
  auto moved = RefileDocument(*station_, As("reader"), move);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->after.archive_number, first);  // the number has no customer
  EXPECT_EQ(moved->after.status, "filed");

  RefileInput retype;
  retype.document = doc_;
  retype.type = "correspondence";
  retype.reason = "实为往来函件";
  auto retyped = RefileDocument(*station_, As("reader"), retype);
  ASSERT_TRUE(retyped) << retyped.error().message;
  const std::string second = retyped->after.archive_number;
  EXPECT_EQ(second.substr(0, 8), first.substr(0, 8));  // DA-YYYY- kept
  EXPECT_EQ(second.substr(8, 2), "WL");
  EXPECT_NE(second, first);
  auto history = History(*station_, As("reader"), doc_);
  ASSERT_TRUE(history);
  EXPECT_EQ(Last(*history, "archive_number", true), first);
  EXPECT_EQ(Last(*history, "archive_number"), second);

  // The old number is never issued again: the next contract gets 2.
  auto d2 = station_->catalog().AddDocument(
      storage::testing::MakeDocument(customer_, "第二份合同", {"合同"}));
  ASSERT_TRUE(d2);
  auto filed2 = ApproveDocument(*station_, As("reader"), d2->display_id);
  ASSERT_TRUE(filed2) << filed2.error().message;
  EXPECT_NE(filed2->archive_number, first);
  EXPECT_EQ(filed2->archive_number.substr(11, 6), "000002");
}

TEST_F(RefileAppTest, ARefusedRefileChangesNothing) {
  const auto before = station_->catalog().DocumentHistory(doc_)->size();
  auto refuse = [&](RefileInput in, ErrorCode code) {
    in.document = in.document.empty() ? doc_ : in.document;
    auto r = RefileDocument(*station_, As("reader"), in);
    ASSERT_FALSE(r) << "refile was accepted";
    EXPECT_EQ(r.error().code, code) << r.error().message;
  };
  refuse({.customer = other_}, ErrorCode::kInvalidArgument);  // no reason
  refuse({.customer = customer_, .reason = "x"}, ErrorCode::kInvalidArgument);
  refuse({.customer = "KH-2026-999999-0", .reason = "x"},
         ErrorCode::kInvalidArgument);  // check character wrong
  refuse({.customer = "KH-2026-999999-F", .reason = "x"},
         ErrorCode::kNotFound);
  refuse({.type = "letter", .reason = "x"}, ErrorCode::kInvalidArgument);
  refuse({.title = "  ", .reason = "x"}, ErrorCode::kInvalidArgument);
  // A hold on the customer covers the document; it may not leave.
  auto hold = station_->retention().AddHold(customer_, "诉讼 2026-17", "boss");
  ASSERT_TRUE(hold) << hold.error().message;
  refuse({.customer = other_, .reason = "x"}, ErrorCode::kConflict);
  EXPECT_EQ(station_->catalog().DocumentHistory(doc_)->size(), before);
  auto doc = station_->catalog().GetDocument(doc_);
  EXPECT_EQ(doc->customer_code, customer_);
  EXPECT_EQ(doc->type, "contract");
  // The scanner role may not refile at all.
  auto denied = RefileDocument(*station_, As("scanner"),
                               {.document = doc_, .title = "x", .reason = "x"});
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(RefileAppTest, TheProposedCustomerLinkIsAppliedInOneCall) {
  CustomerChanges uscc;
  uscc.values["uscc"] = "91310115MA1K482383";
  ASSERT_TRUE(UpdateCustomer(*station_, As("clerk"), other_, uscc));
  ASSERT_TRUE(CorrectField(*station_, As("reader"), doc_, "party_b_uscc",
                           "91310115MA1K482383"));
  auto sheet = ShowReview(*station_, As("reader"), doc_, 60.f);
  ASSERT_TRUE(sheet);
  ASSERT_EQ(sheet->matches.size(), 1u);
  EXPECT_EQ(sheet->matches[0].customer.code, other_);

  auto linked = LinkProposedCustomer(*station_, As("reader"), doc_, "");
  ASSERT_TRUE(linked) << linked.error().message;
  EXPECT_EQ(linked->after.customer_code, other_);
  EXPECT_EQ(Log().back().command, "review.link");
  auto history = History(*station_, As("reader"), doc_);
  ASSERT_TRUE(history);
  EXPECT_NE(Last(*history, "refile_reason").find("party_b_uscc"),
            std::string::npos);
  // Once there, nothing more is proposed.
  auto again = LinkProposedCustomer(*station_, As("reader"), doc_, "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  // A customer that is not proposed is refused.
  auto wrong = LinkProposedCustomer(*station_, As("reader"), doc_, customer_);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kConflict);
}

TEST_F(RefileAppTest, ADocumentFiledUnderOneProposedPartyIsNotMovedToTheOther) {
  CustomerChanges uscc;
  uscc.values["uscc"] = "91310115MA1K482383";
  ASSERT_TRUE(UpdateCustomer(*station_, As("clerk"), other_, uscc));
  ASSERT_TRUE(CorrectField(*station_, As("reader"), doc_, "party_a",
                           "上海明川贸易有限公司"));
  ASSERT_TRUE(CorrectField(*station_, As("reader"), doc_, "party_b_uscc",
                           "91310115MA1K482383"));
  auto refused = LinkProposedCustomer(*station_, As("reader"), doc_, "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find(other_), std::string::npos);
  EXPECT_EQ(station_->catalog().GetDocument(doc_)->customer_code, customer_);
  auto chosen = LinkProposedCustomer(*station_, As("reader"), doc_, other_);
  ASSERT_TRUE(chosen) << chosen.error().message;
  EXPECT_EQ(chosen->after.customer_code, other_);
}

TEST_F(RefileAppTest, TheHoldingCustomerIsProtected) {
  auto holding = pipeline::EnsureReviewCustomer(station_->catalog(), "scanner");
  ASSERT_TRUE(holding) << holding.error().message;
  auto held = HoldingCustomer(*station_);
  ASSERT_TRUE(held);
  EXPECT_EQ(*held, *holding);
  const auto customers_before = station_->catalog().ListCustomers()->size();
  const auto history_before = station_->catalog().CustomerHistory(*holding)->size();

  auto expect_conflict = [](const auto& r, const char* what) {
    ASSERT_FALSE(r) << what << " was accepted";
    EXPECT_EQ(r.error().code, ErrorCode::kConflict) << r.error().message;
    EXPECT_NE(r.error().message.find("holding customer"), std::string::npos)
        << r.error().message;
  };
  expect_conflict(AddContact(*station_, As("clerk"),
                             {*holding, "经办人", "周晓岚", {}}),
                  "a contact");
  CustomerChanges rename;
  rename.name = "某公司";
  expect_conflict(UpdateCustomer(*station_, As("clerk"), *holding, rename),
                  "a rename");
  expect_conflict(LinkCustomer(*station_, As("clerk"), *holding, customer_),
                  "joining a group");
  expect_conflict(LinkCustomer(*station_, As("clerk"), customer_, *holding),
                  "taking a member");
  expect_conflict(
      AddCustomer(*station_, As("clerk"), {"新客户", "company", *holding, {}}),
      "a new member");
  EXPECT_EQ(station_->catalog().ListCustomers()->size(), customers_before);
  EXPECT_EQ(station_->catalog().CustomerHistory(*holding)->size(),
            history_before);
  auto c = station_->catalog().FindCustomer(*holding);
  EXPECT_EQ(c->name, pipeline::kReviewCustomerName);
  EXPECT_TRUE(station_->catalog().ListContacts(*holding)->empty());

  // A document under it cannot be approved until it is refiled, and
  // nothing can be refiled into it.
  auto scan = station_->catalog().AddDocument(
      storage::testing::MakeDocument(*holding, "未分拣", {"合同"}));
  ASSERT_TRUE(scan);
  expect_conflict(ApproveDocument(*station_, As("reader"), scan->display_id),
                  "approval under the holding customer");
  EXPECT_EQ(station_->catalog().GetDocument(scan->display_id)->status, "pending");
  expect_conflict(RefileDocument(*station_, As("reader"),
                                 {.document = doc_, .customer = *holding,
                                  .reason = "x"}),
                  "a refile into it");
  ASSERT_TRUE(RefileDocument(*station_, As("reader"),
                             {.document = scan->display_id,
                              .customer = customer_, .reason = "分拣"}));
  auto filed = ApproveDocument(*station_, As("reader"), scan->display_id);
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(filed->status, "filed");
}

TEST_F(RefileAppTest, ACustomerWithAUsccAnotherHasIsNotFiledAtAll) {
  CustomerChanges uscc;
  uscc.values["uscc"] = "91310115MA1K482383";
  ASSERT_TRUE(UpdateCustomer(*station_, As("clerk"), other_, uscc));
  const auto before = station_->catalog().ListCustomers()->size();
  NewCustomerInput input;
  input.name = "明川集团（重复）";
  input.values["uscc"] = "91310115MA1K482383";
  auto dup = AddCustomer(*station_, As("clerk"), input);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(station_->catalog().ListCustomers()->size(), before);
  // The refused attempt used up no code: the next customer gets the next
  // number after the ones filed.
  auto next = AddCustomer(*station_, As("clerk"), {"北京远航", "company", "", {}});
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->code.substr(8, 6), "000003");
  // An unknown parent is refused the same way.
  auto orphan = AddCustomer(*station_, As("clerk"),
                            {"孤儿公司", "company", "KH-2026-000099-5", {}});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(station_->catalog().ListCustomers()->size(), before + 1);
}

TEST_F(RefileAppTest, ShowTellsTheWholeStoryOfAFiledDocument) {
  ASSERT_TRUE(CorrectField(*station_, As("reader"), doc_, "signing_date",
                           "2026年3月5日"));
  auto filed = ApproveDocument(*station_, As("reader"), doc_);
  ASSERT_TRUE(filed) << filed.error().message;
  auto hold = station_->retention().AddHold(customer_, "诉讼 2026-17", "boss");
  ASSERT_TRUE(hold);
  auto loan = RequestLoan(*station_, As("clerk"),
                          {barcode_, false, "合同核对", "", false, "2999-01-31"});
  ASSERT_TRUE(loan) << loan.error().message;
  ASSERT_TRUE(Verify(*station_, As("reader"), {doc_}));

  auto view = ShowDocument(*station_, As("reader"), doc_, false);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->document.archive_number, filed->archive_number);
  EXPECT_EQ(view->document.reviewed_by, "reader");
  ASSERT_EQ(view->fields.size(), 1u);
  EXPECT_EQ(view->fields[0].name, "signing_date");
  EXPECT_EQ(view->fields[0].value, "2026-03-05");
  ASSERT_EQ(view->originals.size(), 1u);
  EXPECT_EQ(view->originals[0].barcode, barcode_);
  EXPECT_EQ(view->originals[0].location_code, "A-01-1-001");
  EXPECT_EQ(view->originals[0].state, "in-place");
  ASSERT_EQ(view->loans.size(), 1u);
  EXPECT_EQ(view->loans[0].display_id, loan->display_id);
  ASSERT_EQ(view->holds.size(), 1u);
  EXPECT_EQ(view->holds[0].display_id, hold->display_id);
  ASSERT_TRUE(view->last_check);
  EXPECT_EQ(view->last_check->kind, "verify");
  EXPECT_FALSE(view->destruction);
}

TEST_F(RefileAppTest, ADestroyedDocumentShowsItsTombstoneAndVerifyPasses) {
  ASSERT_TRUE(ApproveDocument(*station_, As("reader"), doc_));
  ASSERT_TRUE(SetRetentionRule(*station_, As("boss"), "contract", "filing", 0));
  auto proposed = ProposeDestruction(*station_, As("boss"), {doc_}, "", "年度审查");
  ASSERT_TRUE(proposed) << proposed.error().message;
  auto approved = ApproveDestruction(*station_, As("boss2"),
                                     proposed->display_id, "");
  ASSERT_TRUE(approved) << approved.error().message;
  const std::string batch = proposed->display_id;

  auto view = ShowDocument(*station_, As("reader"), doc_, false);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->document.status, "destroyed");
  ASSERT_TRUE(view->destruction);
  EXPECT_EQ(view->destruction->display_id, batch);
  EXPECT_EQ(view->destruction->approved_by, "boss2");
  ASSERT_EQ(view->destruction->items.size(), 1u);
  EXPECT_EQ(view->destruction->items[0].document, doc_);
  EXPECT_EQ(view->certificate, approved->certificate.string());
  EXPECT_TRUE(view->stored_as.empty());

  // verify passes: the destroyed document is expected to have no file.
  auto all = Verify(*station_, As("reader"), {});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->failed(), 0);
  EXPECT_EQ(all->destroyed, std::vector<std::string>{doc_});
  auto named = Verify(*station_, As("reader"), {doc_});
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_EQ(named->failed(), 0);

  // export says when, by whom and under which certificate.
  auto out = Export(*station_, As("clerk"),
                    {doc_, dir_.path() / "out.pdf", false, false});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kConflict);
  const std::string& m = out.error().message;
  EXPECT_NE(m.find("destroyed on"), std::string::npos) << m;
  EXPECT_NE(m.find("boss2"), std::string::npos) << m;
  EXPECT_NE(m.find(batch), std::string::npos) << m;
  EXPECT_NE(m.find("destruction-" + batch + ".pdf"), std::string::npos) << m;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "out.pdf"));
}

}  // namespace
}  // namespace dossier::app::testing
