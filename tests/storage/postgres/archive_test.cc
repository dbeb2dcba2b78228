// An archive folder whose catalog is on PostgreSQL (storage/archive.h):
// InitPostgres asks the server before it writes anything, keeps the URL in
// the folder for every station that mounts it, refuses a database that
// already holds a catalog, and Open finds the same catalog again.
#include "storage/archive.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/file_util.h"
#include "storage/postgres/catalog.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

using dossier::testing::PgTestDatabase;
using dossier::testing::TempDir;

std::unique_ptr<PgTestDatabase> NewDatabase() {
  auto created = PgTestDatabase::Create();
  EXPECT_TRUE(created) << created.error().message;
  return created ? std::move(*created) : nullptr;
}

TEST(PostgresArchive, InitKeepsTheUrlAndOpenFindsTheSameCatalog) {
  auto database = NewDatabase();
  ASSERT_TRUE(database);
  TempDir tmp;
  const auto dir = tmp.path() / "shared" / "archive";
  std::string code;
  {
    auto archive = Archive::InitPostgres(dir, database->url());
    ASSERT_TRUE(archive) << archive.error().message;
    EXPECT_TRUE((*archive)->on_postgres());
    EXPECT_EQ((*archive)->sqlite(), nullptr);
    EXPECT_NE((*archive)->catalog_location().find(database->name()),
              std::string::npos)
        << (*archive)->catalog_location();
    EXPECT_FALSE(std::filesystem::exists(dir / "catalog.sqlite"));
    EXPECT_EQ(ReadFile(dir / "catalog-url").value(), database->url() + "\n");
    EXPECT_TRUE(std::filesystem::is_directory(dir / "objects"));
    EXPECT_TRUE(ArchiveModeProblems(dir).empty());
    auto customer = (*archive)->records().AddCustomer("华东贸易有限公司", "company", "clerk");
    ASSERT_TRUE(customer) << customer.error().message;
    code = customer->code;
  }
  // A second station mounting the folder reaches the same catalog.
  auto first = Archive::Open(dir);
  auto second = Archive::Open(dir);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE((*second)->on_postgres());
  auto found = (*second)->records().FindCustomer(code);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->name, "华东贸易有限公司");
}

TEST(PostgresArchive, ADatabaseThatHoldsACatalogIsNotInitAgain) {
  auto database = NewDatabase();
  ASSERT_TRUE(database);
  TempDir tmp;
  ASSERT_TRUE(Archive::InitPostgres(tmp.path() / "one", database->url()));
  auto again = Archive::InitPostgres(tmp.path() / "two", database->url());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("already holds a dossier catalog"),
            std::string::npos)
      << again.error().message;
  // Refused before anything was written: no folder.
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "two"));
}

TEST(PostgresArchive, AnUnreachableServerLeavesNoFolderAndNamesTheServer) {
  auto database = NewDatabase();
  ASSERT_TRUE(database);
  ASSERT_TRUE(database->SetConnectable(false));
  TempDir tmp;
  auto archive = Archive::InitPostgres(tmp.path() / "a", database->url());
  ASSERT_FALSE(archive);
  EXPECT_EQ(archive.error().code, ErrorCode::kCatalog);
  EXPECT_NE(archive.error().message.find(database->name()), std::string::npos)
      << archive.error().message;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "a"));
  ASSERT_TRUE(database->SetConnectable(true));
}

TEST(PostgresArchive, BadUrlsAndAmbiguousFoldersAreRefused) {
  TempDir tmp;
  auto bad = Archive::InitPostgres(tmp.path() / "a", "mysql://x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "a"));

  auto database = NewDatabase();
  ASSERT_TRUE(database);
  const auto dir = tmp.path() / "b";
  ASSERT_TRUE(Archive::InitPostgres(dir, database->url()));
  // An SQLite catalog appearing beside the URL: which one is meant is
  // unclear, so the archive is not opened on either.
  ASSERT_TRUE(Archive::Init(tmp.path() / "c"));
  std::filesystem::copy_file(tmp.path() / "c" / "catalog.sqlite",
                             dir / "catalog.sqlite");
  auto open = Archive::Open(dir);
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().code, ErrorCode::kConflict);
  // And an SQLite init refuses a folder holding a catalog URL.
  std::filesystem::remove(dir / "catalog.sqlite");
  std::filesystem::remove(dir / "dossier-archive");
  auto init = Archive::Init(dir);
  ASSERT_FALSE(init);
  EXPECT_EQ(init.error().code, ErrorCode::kConflict);
  EXPECT_NE(init.error().message.find("catalog-url"), std::string::npos);
}

}  // namespace
}  // namespace dossier::storage
