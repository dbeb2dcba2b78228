// Records through the application layer: masking by role, checked entry
// before any write, and one log entry per call.
#include <gtest/gtest.h>

#include "app/records.h"
#include "app/station.h"
#include "tests/app/app_fixture.h"

namespace dossier::app::testing {
namespace {

using RecordsAppTest = AppTest;

TEST_F(RecordsAppTest, PhonesAndIdNumbersAreMaskedWithoutCustomerPii) {
  ASSERT_TRUE(station_->catalog().SetDocumentField(doc_, "phone", "+8613800138000",
                                                   "reader"));
  CustomerChanges changes;
  changes.values["id_number"] = "11010519491231002X";
  changes.values["phone"] = "13800138000";
  auto updated = UpdateCustomer(*station_, As("clerk"), customer_, changes);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->phone, "+8613800138000");  // the clerk holds customer.pii

  auto file = ShowCustomer(*station_, As("scanner"), customer_);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->customer.id_number, "110105********002X");
  EXPECT_EQ(file->customer.phone, "+86138****8000");

  for (const std::string record : {customer_, doc_}) {
    auto history = History(*station_, As("scanner"), record);
    ASSERT_TRUE(history) << history.error().message;
    bool saw_sensitive = false;
    for (const auto& e : *history) {
      const std::string v = e.new_value.value_or("");
      EXPECT_EQ(v.find("13800138000"), std::string::npos) << e.field << " " << v;
      EXPECT_EQ(v.find("19491231"), std::string::npos) << e.field << " " << v;
      saw_sensitive = saw_sensitive || v.find("****") != std::string::npos;
    }
    EXPECT_TRUE(saw_sensitive) << record;
  }
  auto clear = History(*station_, As("clerk"), doc_);
  ASSERT_TRUE(clear);
  bool unmasked = false;
  for (const auto& e : *clear) {
    unmasked = unmasked || e.new_value.value_or("") == "+8613800138000";
  }
  EXPECT_TRUE(unmasked);
}

TEST_F(RecordsAppTest, AnInvalidValueIsRefusedBeforeACodeIsIssued) {
  const size_t before = station_->catalog().ListCustomers()->size();
  NewCustomerInput input;
  input.name = "北京远航科技有限公司";
  input.values["uscc"] = "91310115MA1K48238X";  // wrong check character
  auto added = AddCustomer(*station_, As("clerk"), input);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(station_->catalog().ListCustomers()->size(), before);
  EXPECT_EQ(Log().back().command, "customer.add");
  EXPECT_EQ(Log().back().outcome, "error:invalid-argument");
  // A scanner may not open customer files at all.
  auto denied = AddCustomer(*station_, As("scanner"), {"X", "company", "", {}});
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Log().back().outcome, "denied");
}

TEST_F(RecordsAppTest, SensitiveValuesTypedOnTheCommandLineAreMaskedInTheLog) {
  auto redacted = Redact({"review", "correct", "D000001", "phone", "13812340000",
                          "--id-number", "11010519491231002X", "--password=x"});
  EXPECT_EQ(redacted[4], "138****0000");
  EXPECT_EQ(redacted[6], "110105********002X");
  EXPECT_EQ(redacted[7], "--password=(redacted)");
}

TEST_F(RecordsAppTest, ADatabasePasswordInAUrlIsNotLogged) {
  auto redacted = Redact({"migrate", "--to", "postgresql://dossier:s3cr%40t@db.local:5432/archive",
                          "--catalog=postgres://u:pw@h/d", "host=h password='a b' dbname=d",
                          "postgresql://nopassword@h/d"});
  EXPECT_EQ(redacted[2], "postgresql://dossier:(redacted)@db.local:5432/archive");
  EXPECT_EQ(redacted[3], "--catalog=postgres://u:(redacted)@h/d");
  EXPECT_EQ(redacted[4], "host=h password=(redacted) dbname=d");
  EXPECT_EQ(redacted[5], "postgresql://nopassword@h/d");
}

TEST_F(RecordsAppTest, AContactRefusesANumberItDoesNotKeep) {
  // A contact keeps phone, e-mail and address: an ID number or a USCC given
  // for one is refused, not checked and then silently dropped.
  const size_t before = station_->catalog().ListContacts(customer_)->size();
  for (const char* field : {"id_number", "uscc"}) {
    NewContactInput input{customer_, "法定代表人", "张三", {}};
    input.values[field] = field == std::string("uscc") ? "91310115MA1K48238W"
                                                       : "11010519491231002X";
    auto added = AddContact(*station_, As("clerk"), input);
    ASSERT_FALSE(added) << field;
    EXPECT_EQ(added.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(added.error().message.find(field), std::string::npos)
        << added.error().message;
  }
  EXPECT_EQ(station_->catalog().ListContacts(customer_)->size(), before);
  NewContactInput ok{customer_, "经办人", "李四", {{"phone", "13800138000"}}};
  auto added = AddContact(*station_, As("clerk"), ok);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->phone, "+8613800138000");
  EXPECT_EQ(station_->catalog().ListContacts(customer_)->size(), before + 1);
}

}  // namespace
}  // namespace dossier::app::testing
