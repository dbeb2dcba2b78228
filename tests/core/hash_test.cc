#include "core/hash.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/file_util.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

TEST(Sha256, MatchesKnownVectors) {
  EXPECT_EQ(Sha256Hex(std::string_view("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex(std::string_view("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256File, HashesFileAndNamesMissingFile) {
  testing::TempDir dir;
  auto path = dir.path() / "x.bin";
  ASSERT_TRUE(WriteFileAtomic(path, std::string_view("abc")).has_value());
  auto hash = Sha256File(path);
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(*hash, Sha256Hex(std::string_view("abc")));
  auto missing = Sha256File(dir.path() / "nope.bin");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("nope.bin"), std::string::npos);
}

TEST(WriteFileAtomic, LeavesNoTemporaryFiles) {
  testing::TempDir dir;
  auto path = dir.path() / "sub" / "f.txt";
  ASSERT_TRUE(WriteFileAtomic(path, std::string_view("hello")).has_value());
  auto back = ReadFile(path);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, "hello");
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(path.parent_path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

}  // namespace
}  // namespace dossier
