#include "storage/sqlite/schema.h"

#include <array>

#include "gtest/gtest.h"
#include "storage/sqlite/catalog.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

using testing::RawDb;

TEST(SchemaTest, NewCatalogIsAtTheLatestVersion) {
  dossier::testing::TempDir dir;
  auto catalog = Catalog::Create(dir.path() / "c.sqlite");
  ASSERT_TRUE(catalog);
  EXPECT_EQ(LatestSchemaVersion(), static_cast<int>(Migrations().size()));
  EXPECT_EQ((*catalog)->SchemaVersion(), LatestSchemaVersion());
}

TEST(SchemaTest, OpeningAnOlderDatabaseUpgradesIt) {
  dossier::testing::TempDir dir;
  const auto path = dir.path() / "c.sqlite";
  {
    RawDb raw(path);  // an empty database: user_version 0
    ASSERT_EQ(raw.Exec("CREATE TABLE unrelated (x)"), RawDb::kOk);
    EXPECT_EQ(raw.Query("PRAGMA user_version"), "0");
  }
  auto catalog = Catalog::Open(path);
  ASSERT_TRUE(catalog) << catalog.error().message;
  EXPECT_EQ((*catalog)->SchemaVersion(), LatestSchemaVersion());
  RawDb raw(path);
  EXPECT_EQ(raw.Query("PRAGMA user_version"),
            std::to_string(LatestSchemaVersion()));
  ASSERT_TRUE((*catalog)->AddCustomer("Firm", "company", "clerk"));
}

// What adding a migration looks like: append it to the list.
TEST(SchemaTest, AppendedMigrationUpgradesAnExistingCatalog) {
  dossier::testing::TempDir dir;
  const auto path = dir.path() / "c.sqlite";
  std::string code;
  {
    auto catalog = Catalog::Create(path);
    ASSERT_TRUE(catalog);
    code = (*catalog)->AddCustomer("Firm", "company", "clerk").value().code;
  }
  std::vector<Migration> migrations(Migrations().begin(), Migrations().end());
  const int next = LatestSchemaVersion() + 1;
  migrations.push_back(Migration{
      next, "add customer phone", "ALTER TABLE customers ADD COLUMN phone_x TEXT"});

  auto db = Database::Open(path, SQLITE_OPEN_READWRITE);
  ASSERT_TRUE(db);
  ASSERT_TRUE(ConfigureConnection(*db));
  auto status = MigrateSchema(*db, migrations);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(db->QueryInt("PRAGMA user_version", "test").value(), next);
  // Running it again is a no-op.
  ASSERT_TRUE(MigrateSchema(*db, migrations));

  RawDb raw(path);
  EXPECT_EQ(raw.Query("SELECT code FROM customers"), code);
  EXPECT_EQ(raw.Exec("UPDATE customers SET phone_x = '1'"), RawDb::kOk);

  // This program refuses a catalog newer than it knows.
  auto newer = Catalog::Open(path);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, ErrorCode::kUnsupported);
}

TEST(SchemaTest, FailedMigrationLeavesTheOldVersion) {
  dossier::testing::TempDir dir;
  const auto path = dir.path() / "c.sqlite";
  ASSERT_TRUE(Catalog::Create(path));
  std::vector<Migration> migrations(Migrations().begin(), Migrations().end());
  const int next = LatestSchemaVersion() + 1;
  migrations.push_back(Migration{
      next, "broken", "CREATE TABLE t2 (x); SELECT * FROM no_such_table"});
  auto db = Database::Open(path, SQLITE_OPEN_READWRITE);
  ASSERT_TRUE(db);
  ASSERT_TRUE(ConfigureConnection(*db));
  auto status = MigrateSchema(*db, migrations);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kCatalog);
  EXPECT_NE(status.error().message.find(
                "version " + std::to_string(next) + " (broken)"),
            std::string::npos)
      << status.error().message;
  EXPECT_EQ(db->QueryInt("PRAGMA user_version", "test").value(), next - 1);
  RawDb raw(path);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM sqlite_schema WHERE name = 't2'"),
            "0");
}

TEST(SchemaTest, MigrationsMustBeContiguous) {
  dossier::testing::TempDir dir;
  auto db = Database::Open(dir.path() / "c.sqlite",
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db);
  std::array gap = {Migration{1, "a", "CREATE TABLE a (x)"},
                    Migration{3, "c", "CREATE TABLE c (x)"}};
  auto status = MigrateSchema(*db, gap);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace dossier::storage
