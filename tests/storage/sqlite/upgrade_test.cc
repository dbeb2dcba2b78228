// An archive written by schema version 1 opens and upgrades in place, after
// a backup of its catalog, and stays searchable.
#include <gtest/gtest.h>

#include <filesystem>

#include "storage/sqlite/catalog.h"
#include "storage/sqlite/schema.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

namespace fs = std::filesystem;

TEST(UpgradeTest, SchemaOneArchiveUpgradesWithBackup) {
  dossier::testing::TempDir dir;
  const fs::path copy = dir.path() / "archive-v1";
  fs::copy(fs::path(DOSSIER_FIXTURES_DIR) / "archive-v1", copy,
           fs::copy_options::recursive);
  const fs::path db = copy / "catalog.sqlite";
  std::vector<Customer> before_customers;
  {
    auto catalog = Catalog::Open(db);
    ASSERT_TRUE(catalog) << catalog.error().message;
    EXPECT_EQ((*catalog)->SchemaVersion(), LatestSchemaVersion());
    before_customers = (*catalog)->ListCustomers().value();
    EXPECT_EQ(before_customers.size(), 2u);
    auto docs = (*catalog)->ListDocuments("").value();
    ASSERT_EQ(docs.size(), 1u);
    EXPECT_EQ(docs[0].status, "pending");
    EXPECT_TRUE(docs[0].archive_number.empty());
    // phototest.tif says "quick brown dog".
    auto hits = (*catalog)->Search(SearchQuery{"quick OR dog", "", 10});
    ASSERT_TRUE(hits) << hits.error().message;
    EXPECT_FALSE(hits->empty());
    // Schema 9 indexed the metadata of the old document: its customer's
    // name and code, which its page text does not contain.
    for (const char* query : {"明川", "KH-2026-000001-0", "Letter"}) {
      auto meta = (*catalog)->Search(SearchQuery{query, "", 10});
      ASSERT_TRUE(meta) << query << ": " << meta.error().message;
      ASSERT_EQ(meta->size(), 1u) << query;
      EXPECT_EQ((*meta)[0].display_id, docs[0].display_id);
    }
    EXPECT_EQ((*catalog)->Search(SearchQuery{"明川", "", 10})->front().matched,
              "metadata");
    // New tables work on the upgraded file.
    Contact k;
    k.customer_code = before_customers[0].code;
    k.role = "经办人";
    k.name = "王五";
    EXPECT_TRUE((*catalog)->AddContact(k, "clerk"));
  }
  int backups = 0;
  for (const auto& entry : fs::directory_iterator(copy)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("catalog.sqlite.v1-backup-")) {
      ++backups;
      auto old = Database::Open(entry.path(), SQLITE_OPEN_READONLY);
      ASSERT_TRUE(old);
      EXPECT_EQ(old->QueryInt("PRAGMA user_version", "test").value(), 1);
    }
  }
  EXPECT_EQ(backups, 1);
  // Opening again: nothing to upgrade, no second backup.
  ASSERT_TRUE(Catalog::Open(db));
  int again = 0;
  for (const auto& entry : fs::directory_iterator(copy)) {
    if (entry.path().filename().string().find("backup") != std::string::npos) {
      ++again;
    }
  }
  EXPECT_EQ(again, 1);
}

}  // namespace
}  // namespace dossier::storage
