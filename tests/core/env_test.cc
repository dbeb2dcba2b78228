// The POSIX Env: the contracts stated in core/env.h.
#include "core/env.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;

int CountEntries(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) ++n;
  }
  return n;
}

TEST(EnvTest, WriteFileAtomicCreatesParentsAndReplaces) {
  testing::TempDir tmp;
  Env* env = Env::Default();
  const fs::path path = tmp.path() / "a" / "b" / "file.txt";
  ASSERT_TRUE(env->WriteFileAtomic(path, std::string_view("first")));
  ASSERT_TRUE(env->WriteFileAtomic(path, std::string_view("second, longer")));
  auto back = env->ReadFile(path);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, "second, longer");
  EXPECT_TRUE(env->FileExists(path));
  EXPECT_EQ(env->FileSize(path).value_or(0), 14u);
  EXPECT_EQ(CountEntries(tmp.path()), 1) << "no temporary left behind";
}

TEST(EnvTest, ReadFileTellsMissingFromDirectory) {
  testing::TempDir tmp;
  Env* env = Env::Default();
  auto missing = env->ReadFile(tmp.path() / "absent");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("absent"), std::string::npos);
  auto dir = env->ReadFile(tmp.path());
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(env->FileExists(tmp.path()));
  EXPECT_EQ(env->FileSize(tmp.path() / "absent").error().code,
            ErrorCode::kNotFound);
}

TEST(EnvTest, NewWritableFileIsExclusive) {
  testing::TempDir tmp;
  Env* env = Env::Default();
  const fs::path path = tmp.path() / "f";
  auto file = env->NewWritableFile(path);
  ASSERT_TRUE(file) << file.error().message;
  ASSERT_TRUE((*file)->Append(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>("abc"), 3)));
  ASSERT_TRUE((*file)->Sync());
  ASSERT_TRUE((*file)->Close());
  EXPECT_EQ(env->ReadFile(path).value_or(""), "abc");
  auto again = env->NewWritableFile(path);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kIo);
  EXPECT_NE(again.error().message.find(path.string()), std::string::npos);
  EXPECT_NE(again.error().message.find(std::strerror(EEXIST)),
            std::string::npos);
}

TEST(EnvTest, RenameRemoveAndSyncDirectory) {
  testing::TempDir tmp;
  Env* env = Env::Default();
  ASSERT_TRUE(env->WriteFileAtomic(tmp.path() / "x", std::string_view("x")));
  ASSERT_TRUE(env->RenameFile(tmp.path() / "x", tmp.path() / "y"));
  EXPECT_FALSE(env->FileExists(tmp.path() / "x"));
  EXPECT_TRUE(env->FileExists(tmp.path() / "y"));
  EXPECT_TRUE(env->SyncDirectory(tmp.path()));
  ASSERT_TRUE(env->RemoveFile(tmp.path() / "y"));
  EXPECT_EQ(env->RemoveFile(tmp.path() / "y").error().code,
            ErrorCode::kNotFound);
  auto rename = env->RenameFile(tmp.path() / "y", tmp.path() / "z");
  ASSERT_FALSE(rename);
  EXPECT_EQ(rename.error().code, ErrorCode::kIo);
  EXPECT_NE(rename.error().message.find("No such file or directory"),
            std::string::npos)
      << rename.error().message;
  EXPECT_FALSE(env->SyncDirectory(tmp.path() / "no-such-dir"));
}

TEST(EnvTest, PosixErrorNamesFileOperationAndReason) {
  Error e = PosixError("/archive/objects/ab/x.pdf", "write", ENOSPC);
  EXPECT_EQ(e.code, ErrorCode::kIo);
  EXPECT_EQ(e.message,
            "/archive/objects/ab/x.pdf: write: No space left on device");
  EXPECT_EQ(PosixError("f", "fsync", EIO).message,
            "f: fsync: Input/output error");
}

}  // namespace
}  // namespace dossier
