// The PostgreSQL records store beyond the contract suite
// (tests/storage/records_store_contract_test.cc runs the shared promises on
// both backends): what a second station sees, and what a store answers
// when its server goes away.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/postgres/catalog.h"
#include "storage/postgres/records.h"
#include "tests/support/pg_test_support.h"

namespace dossier::storage::postgres {
namespace {

using dossier::testing::PgTestDatabase;

// Two stations on one database: each its own catalog (pool) and store.
class PostgresRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = PgTestDatabase::Create();
    ASSERT_TRUE(created) << created.error().message;
    database_ = std::move(*created);
    for (auto* catalog : {&catalog_a_, &catalog_b_}) {
      auto c = PgCatalog::Open(database_->url());
      ASSERT_TRUE(c) << c.error().message;
      *catalog = std::move(*c);
    }
    a_ = std::make_unique<PgRecords>(*catalog_a_);
    b_ = std::make_unique<PgRecords>(*catalog_b_);
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    catalog_a_.reset();
    catalog_b_.reset();
    database_.reset();
  }
  std::unique_ptr<PgTestDatabase> database_;
  std::unique_ptr<PgCatalog> catalog_a_, catalog_b_;
  std::unique_ptr<PgRecords> a_, b_;
};

TEST_F(PostgresRecords, TheSchemaIsTheLatest) {
  EXPECT_EQ(a_->SchemaVersion(), LatestPgSchemaVersion());
  EXPECT_GE(LatestPgSchemaVersion(), 3);
}

TEST_F(PostgresRecords, ASecondStationSeesCommittedCustomers) {
  NewCustomer input;
  input.name = "上海明川贸易有限公司";
  input.values.uscc = "91310115MA1K482383";
  input.values.phone = "+8613800138000";
  auto c = a_->AddCustomerFile(input, "clerk");
  ASSERT_TRUE(c) << c.error().message;
  auto seen = b_->FindCustomer(c->code);
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->name, input.name);
  EXPECT_EQ(seen->uscc, "91310115MA1K482383");
  // The same USCC on another station's new customer is refused, and the
  // refusal uses up no code.
  NewCustomer twin = input;
  twin.name = "另一家公司";
  auto refused = b_->AddCustomerFile(twin, "clerk");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  auto next = b_->AddCustomer("北京远航科技有限公司", "company", "clerk");
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->code.substr(8, 6), "000002") << next->code;
  EXPECT_EQ(a_->ListCustomers()->size(), 2u);

  Contact contact;
  contact.customer_code = c->code;
  contact.role = "经办人";
  contact.name = "张三";
  ASSERT_TRUE(b_->AddContact(contact, "clerk2"));
  auto contacts = a_->ListContacts(c->code);
  ASSERT_TRUE(contacts);
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].name, "张三");
  auto by_name = a_->FindCustomersByName("明川");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->size(), 1u);
  auto history = a_->CustomerHistory(c->code);
  ASSERT_TRUE(history);
  bool contact_row = false;
  for (const auto& e : *history) contact_row |= e.table == "contacts";
  EXPECT_TRUE(contact_row);
}

}  // namespace
}  // namespace dossier::storage::postgres
