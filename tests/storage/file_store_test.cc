#include "storage/file_store.h"

#include "core/file_util.h"
#include "core/hash.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

class FileStoreTest : public ::testing::Test {
 protected:
  dossier::testing::TempDir dir_;
  FileStore store_{dir_.path() / "objects"};
};

TEST_F(FileStoreTest, PutThenGet) {
  const std::string bytes = "%PDF-1.4 fake\n\x00\xff binary";
  auto sha = store_.Put(bytes);
  ASSERT_TRUE(sha) << sha.error().message;
  EXPECT_EQ(*sha, Sha256Hex(bytes));
  EXPECT_TRUE(store_.Contains(*sha));
  EXPECT_EQ(store_.PathFor(*sha),
            dir_.path() / "objects" / sha->substr(0, 2) / (*sha + ".pdf"));
  EXPECT_TRUE(std::filesystem::is_regular_file(store_.PathFor(*sha)));
  auto back = store_.Get(*sha);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, bytes);
}

TEST_F(FileStoreTest, PutOfStoredBytesIsANoOp) {
  auto sha = store_.Put("same bytes");
  ASSERT_TRUE(sha);
  auto path = store_.PathFor(*sha);
  auto before = std::filesystem::last_write_time(path);
  auto again = store_.Put("same bytes");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *sha);
  EXPECT_EQ(std::filesystem::last_write_time(path), before);
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (entry.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, 1);  // no temporary left behind
}

TEST_F(FileStoreTest, GetDetectsCorruption) {
  auto sha = store_.Put("original content");
  ASSERT_TRUE(sha);
  std::filesystem::permissions(store_.PathFor(*sha),
                               std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  ASSERT_TRUE(WriteFileAtomic(store_.PathFor(*sha),
                              std::string_view("tampered content")));
  auto back = store_.Get(*sha);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kCorruptInput);
  EXPECT_NE(back.error().message.find(*sha), std::string::npos);
}

TEST_F(FileStoreTest, GetErrors) {
  const std::string absent(64, '0');
  EXPECT_FALSE(store_.Contains(absent));
  EXPECT_EQ(store_.Get(absent).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_.Get("../../etc/passwd").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(store_.Contains("xyz"));
}

TEST_F(FileStoreTest, RemoveDeletesTheFileOnce) {
  auto sha = store_.Put("destroyed document");
  ASSERT_TRUE(sha);
  auto kept = store_.Put("another document");
  ASSERT_TRUE(kept);
  auto gone = store_.Remove(*sha, "the destroyed document's file");
  ASSERT_TRUE(gone) << gone.error().message;
  EXPECT_TRUE(*gone);
  EXPECT_FALSE(std::filesystem::exists(store_.PathFor(*sha)));
  EXPECT_EQ(store_.Get(*sha).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_.Get(*kept).value_or(""), "another document");
  auto again = store_.Remove(*sha, "the destroyed document's file");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again) << "nothing left to remove";
  auto odd = store_.Remove("../../etc/passwd", "a file");
  ASSERT_TRUE(odd);
  EXPECT_FALSE(*odd) << "a name that is no SHA-256 removes nothing";
}

}  // namespace
}  // namespace dossier::storage
