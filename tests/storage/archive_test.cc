#include "storage/archive.h"

#include <cstdlib>

#include "core/file_util.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

TEST(ArchiveTest, InitCreatesTheLayout) {
  dossier::testing::TempDir tmp;
  const auto dir = tmp.path() / "new" / "archive";
  auto archive = Archive::Init(dir);
  ASSERT_TRUE(archive) << archive.error().message;
  EXPECT_EQ((*archive)->dir(), dir);
  EXPECT_EQ(ReadFile(dir / "dossier-archive").value(),
            "dossier archive format 1\n");
  EXPECT_TRUE(std::filesystem::is_directory(dir / "objects"));
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "catalog.sqlite"));

  auto sha = (*archive)->files().Put("pdf bytes");
  ASSERT_TRUE(sha);
  EXPECT_TRUE(std::filesystem::exists(dir / "objects" / sha->substr(0, 2) /
                                      (*sha + ".pdf")));
  EXPECT_TRUE((*archive)->catalog().AddCustomer("Firm", "company", "clerk"));
}

TEST(ArchiveTest, InitTwiceConflicts) {
  dossier::testing::TempDir tmp;
  ASSERT_TRUE(Archive::Init(tmp.path()));
  auto again = Archive::Init(tmp.path());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST(ArchiveTest, OpenFindsWhatInitMade) {
  dossier::testing::TempDir tmp;
  std::string code;
  {
    auto archive = Archive::Init(tmp.path());
    ASSERT_TRUE(archive);
    code = (*archive)->catalog().AddCustomer("Firm", "company", "c")->code;
  }
  auto archive = Archive::Open(tmp.path());
  ASSERT_TRUE(archive) << archive.error().message;
  EXPECT_TRUE((*archive)->catalog().FindCustomer(code));
}

TEST(ArchiveTest, OpenWithoutArchiveSaysHowToMakeOne) {
  dossier::testing::TempDir tmp;
  auto archive = Archive::Open(tmp.path() / "nothing");
  ASSERT_FALSE(archive);
  EXPECT_EQ(archive.error().code, ErrorCode::kNotFound);
  EXPECT_NE(archive.error().message.find("no archive at"), std::string::npos);
  EXPECT_NE(archive.error().message.find("dossier init"), std::string::npos);
  EXPECT_NE(archive.error().message.find("DOSSIER_ARCHIVE"), std::string::npos);
}

TEST(ArchiveTest, OpenRejectsAnUnknownFormat) {
  dossier::testing::TempDir tmp;
  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "dossier-archive",
                              std::string_view("dossier archive format 9\n")));
  auto archive = Archive::Open(tmp.path());
  ASSERT_FALSE(archive);
  EXPECT_EQ(archive.error().code, ErrorCode::kUnsupported);
}

TEST(ArchiveTest, ResolveArchiveDir) {
  const char* saved = std::getenv("DOSSIER_ARCHIVE");
  std::string saved_value = saved ? saved : "";
  unsetenv("DOSSIER_ARCHIVE");
  EXPECT_EQ(ResolveArchiveDir(std::nullopt), std::filesystem::path("archive"));
  setenv("DOSSIER_ARCHIVE", "/srv/dossier", 1);
  EXPECT_EQ(ResolveArchiveDir(std::nullopt),
            std::filesystem::path("/srv/dossier"));
  EXPECT_EQ(ResolveArchiveDir(std::filesystem::path("/x/y")),
            std::filesystem::path("/x/y"));
  if (saved) {
    setenv("DOSSIER_ARCHIVE", saved_value.c_str(), 1);
  } else {
    unsetenv("DOSSIER_ARCHIVE");
  }
}

}  // namespace
}  // namespace dossier::storage
