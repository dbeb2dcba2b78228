// Customer files (groups, contacts, updates), review and filing, history.
#include <gtest/gtest.h>

#include "storage/sqlite/catalog.h"
#include "records/coding_rule.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

using testing::MakeDocument;
using records::Mod3736CheckChar;

class RecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = Catalog::Create(dir_.path() / "catalog.sqlite");
    ASSERT_TRUE(catalog) << catalog.error().message;
    catalog_ = std::move(*catalog);
    parent_ = catalog_->AddCustomer("明川集团", "company", "clerk").value();
    child_ = catalog_->AddCustomer("明川贸易", "company", "clerk").value();
    grandchild_ = catalog_->AddCustomer("明川物流", "company", "clerk").value();
  }

  DocumentRecord AddDoc(const std::string& code, const std::string& text,
                        std::vector<DocumentField> fields = {}) {
    NewDocument doc = MakeDocument(code, "合同", {text});
    doc.created_by = "scanner";
    doc.source_key = text;
    doc.fields = std::move(fields);
    auto stored = catalog_->AddDocument(doc);
    EXPECT_TRUE(stored) << stored.error().message;
    return stored.value_or(DocumentRecord{});
  }

  dossier::testing::TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
  Customer parent_, child_, grandchild_;
};

TEST_F(RecordsTest, GroupsNestAndRefuseCycles) {
  ASSERT_TRUE(catalog_->LinkCustomer(child_.code, parent_.code, "clerk"));
  ASSERT_TRUE(catalog_->LinkCustomer(grandchild_.code, child_.code, "clerk"));
  auto members = catalog_->GroupMembers(parent_.code).value();
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].code, parent_.code);
  EXPECT_EQ(members[2].parent_code, child_.code);
  auto cycle = catalog_->LinkCustomer(parent_.code, grandchild_.code, "clerk");
  ASSERT_FALSE(cycle);
  EXPECT_EQ(cycle.error().code, ErrorCode::kConflict);
  auto self = catalog_->LinkCustomer(parent_.code, parent_.code, "clerk");
  EXPECT_FALSE(self);
  ASSERT_TRUE(catalog_->LinkCustomer(grandchild_.code, "", "clerk"));
  EXPECT_EQ(catalog_->GroupMembers(parent_.code).value().size(), 2u);
}

TEST_F(RecordsTest, UpdatesKeepOldValuesInHistory) {
  CustomerUpdate u;
  u.name = "明川贸易有限公司";
  u.uscc = "91310115MA1K482383";
  ASSERT_TRUE(catalog_->UpdateCustomer(child_.code, u, "editor"));
  CustomerUpdate again;
  again.uscc = "91310115MA1K482383";
  auto dup = catalog_->UpdateCustomer(parent_.code, again, "editor");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto history = catalog_->CustomerHistory(child_.code).value();
  auto it = std::find_if(history.begin(), history.end(), [](const HistoryEntry& e) {
    return e.field == "name" && e.old_value.has_value();
  });
  ASSERT_NE(it, history.end());
  EXPECT_EQ(*it->old_value, "明川贸易");
  EXPECT_EQ(*it->new_value, "明川贸易有限公司");
  EXPECT_EQ(it->actor, "editor");
  EXPECT_EQ(catalog_->FindCustomer(child_.code)->uscc, "91310115MA1K482383");
}

TEST_F(RecordsTest, ContactsWithRoles) {
  Contact k;
  k.customer_code = child_.code;
  k.role = "法定代表人";
  k.name = "陈国栋";
  k.phone = "+8613800138000";
  ASSERT_TRUE(catalog_->AddContact(k, "clerk"));
  k.role = "财务联系人";
  k.name = "周晓岚";
  ASSERT_TRUE(catalog_->AddContact(k, "clerk"));
  k.role = " ";
  EXPECT_EQ(catalog_->AddContact(k, "clerk").error().code,
            ErrorCode::kInvalidArgument);
  auto contacts = catalog_->ListContacts(child_.code).value();
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[1].role, "财务联系人");
  auto history = catalog_->CustomerHistory(child_.code).value();
  EXPECT_EQ(history.back().record, "contact #2");
}

TEST_F(RecordsTest, ApprovalNeedsAnotherPersonAndGivesArchiveNumber) {
  auto doc = AddDoc(child_.code, "本合同");
  EXPECT_EQ(doc.status, "pending");
  auto own = catalog_->ApproveDocument(doc.display_id, "scanner");
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kConflict);
  EXPECT_NE(own.error().message.find("another person"), std::string::npos);
  auto filed = catalog_->ApproveDocument(doc.display_id, "reviewer");
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(filed->status, "filed");
  EXPECT_EQ(filed->reviewed_by, "reviewer");
  // DA-YYYY-HT-000001-C, check character by MOD 37,36.
  ASSERT_EQ(filed->archive_number.size(), 19u);
  EXPECT_EQ(filed->archive_number.substr(0, 3), "DA-");
  EXPECT_EQ(filed->archive_number.substr(8, 10), "HT-000001-");
  std::string payload = filed->archive_number;
  std::erase(payload, '-');
  payload.pop_back();
  EXPECT_EQ(Mod3736CheckChar(payload), filed->archive_number.back());
  auto second = AddDoc(child_.code, "第二份");
  EXPECT_EQ(catalog_->ApproveDocument(second.display_id, "reviewer")
                ->archive_number.substr(8, 10),
            "HT-000002-");
  EXPECT_EQ(catalog_->ApproveDocument(doc.display_id, "reviewer").error().code,
            ErrorCode::kConflict);  // already filed
}

TEST_F(RecordsTest, FlaggedFieldsBlockApprovalUntilCorrected) {
  DocumentField bad;
  bad.name = "uscc";
  bad.value = "91310115MA1K482384";
  bad.raw = bad.value;
  bad.problem = "check character does not match";
  bad.page = 1;
  bad.boxes = {Box{1, 2, 3, 4}};
  auto doc = AddDoc(child_.code, "统一社会信用代码", {bad});
  auto fields = catalog_->GetDocumentFields(doc.display_id).value();
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].boxes.size(), 1u);
  EXPECT_EQ(fields[0].source, "extracted");
  auto blocked = catalog_->ApproveDocument(doc.display_id, "reviewer");
  ASSERT_FALSE(blocked);
  EXPECT_NE(blocked.error().message.find("uscc"), std::string::npos);
  ASSERT_TRUE(catalog_->SetDocumentField(doc.display_id, "uscc",
                                         "91310115MA1K482383", "reviewer"));
  ASSERT_TRUE(catalog_->SetDocumentField(doc.display_id, "amount", "48000.00",
                                         "reviewer"));
  ASSERT_TRUE(catalog_->SetDocumentField(doc.display_id, "amount", std::nullopt,
                                         "reviewer"));
  ASSERT_TRUE(catalog_->ApproveDocument(doc.display_id, "reviewer"));
  EXPECT_EQ(catalog_->SetDocumentField(doc.display_id, "uscc", "x", "reviewer")
                .error()
                .code,
            ErrorCode::kConflict);  // filed documents are not edited
  auto history = catalog_->DocumentHistory(doc.display_id).value();
  std::vector<std::string> changes;
  for (const auto& e : history) {
    if (e.field == "field:uscc" && e.old_value) changes.push_back(*e.old_value);
  }
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], "91310115MA1K482384");
  EXPECT_EQ(history.back().field, "status");
  EXPECT_EQ(*history.back().new_value, "filed");
}

TEST_F(RecordsTest, RejectedDocumentIsKeptAndReplacedByRescan) {
  auto doc = AddDoc(child_.code, "模糊的扫描");
  EXPECT_EQ(catalog_->RejectDocument(doc.display_id, "", "reviewer").error().code,
            ErrorCode::kInvalidArgument);
  auto rejected = catalog_->RejectDocument(doc.display_id, "第2页模糊", "reviewer");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_EQ(rejected->review_reason, "第2页模糊");
  auto other = AddDoc(parent_.code, "别的客户");
  EXPECT_EQ(catalog_->ReplaceDocument(doc.display_id, other.display_id, "scanner")
                .error()
                .code,
            ErrorCode::kConflict);
  auto rescan = AddDoc(child_.code, "清晰的扫描");
  auto replaced =
      catalog_->ReplaceDocument(doc.display_id, rescan.display_id, "scanner");
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->replaces, doc.display_id);
  EXPECT_EQ(catalog_->GetDocument(doc.display_id)->status, "replaced");
  auto old_history = catalog_->DocumentHistory(doc.display_id).value();
  bool saw_rejected = false, saw_replaced_by = false;
  for (const auto& e : old_history) {
    if (e.field == "status" && e.new_value == "rejected") saw_rejected = true;
    if (e.field == "replaced_by" && e.new_value == rescan.display_id) {
      saw_replaced_by = true;
    }
  }
  EXPECT_TRUE(saw_rejected);
  EXPECT_TRUE(saw_replaced_by);
  EXPECT_EQ(catalog_->ListDocumentsByStatus("replaced")->size(), 1u);
}

TEST_F(RecordsTest, ExtractedUsccProposesTheCustomer) {
  CustomerUpdate u;
  u.uscc = "91310115MA1K482383";
  ASSERT_TRUE(catalog_->UpdateCustomer(child_.code, u, "clerk"));
  DocumentField uscc{"party_a_uscc", "91310115MA1K482383"};
  DocumentField name{"party_b", "明川集团"};
  DocumentField flagged{"uscc", "91310115MA1K482383"};
  flagged.problem = "whatever";
  auto matches = catalog_->MatchCustomers({uscc, name, flagged}).value();
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].customer.code, child_.code);
  EXPECT_NE(matches[0].reason.find("party_a_uscc"), std::string::npos);
  EXPECT_EQ(matches[1].customer.code, parent_.code);
}

}  // namespace
}  // namespace dossier::storage
