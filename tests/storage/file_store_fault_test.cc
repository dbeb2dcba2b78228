// FileStore on a failing disk: each injected fault (a create or write that
// runs out of room, an I/O error on write, fsync or rename, a failed
// directory fsync, a failed read) gives a kIo error naming the file and the
// reason, leaves no temporary and nothing partial under the final name, and
// a later Put on a healthy disk succeeds.
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <ostream>
#include <string>

#include "core/hash.h"
#include "storage/file_store.h"
#include "tests/support/fault_env.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

namespace fs = std::filesystem;
using Op = dossier::testing::FaultEnv::Op;

struct Fault {
  const char* name;
  Op op;
  int nth;
  int error_number;
  const char* reason;  // strerror(error_number)
  const char* step;    // the operation the message names
};

// An atomic write makes, in order: one create, one write, two fsyncs (the
// file's, then its directory's) and one rename between them.
const Fault kFaults[] = {
    {"CreateEnospc", Op::kCreate, 1, ENOSPC, "No space left on device",
     "cannot create"},
    {"WriteEnospc", Op::kWrite, 1, ENOSPC, "No space left on device", "write"},
    {"WriteEio", Op::kWrite, 1, EIO, "Input/output error", "write"},
    {"FsyncEio", Op::kSync, 1, EIO, "Input/output error", "fsync"},
    {"RenameEio", Op::kRename, 1, EIO, "Input/output error", "cannot rename"},
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const Fault& fault, std::ostream* os) { *os << fault.name; }

class FileStoreFaultTest : public ::testing::TestWithParam<Fault> {
 protected:
  // Regular files under objects/: {complete objects, temporaries}.
  std::pair<int, int> Files() const {
    int objects = 0, temporaries = 0;
    for (const auto& e : fs::recursive_directory_iterator(root_)) {
      if (!e.is_regular_file()) continue;
      if (e.path().filename().string().starts_with(".tmp-")) {
        ++temporaries;
      } else {
        ++objects;
      }
    }
    return {objects, temporaries};
  }

  dossier::testing::TempDir dir_;
  const fs::path root_ = dir_.path() / "objects";
  dossier::testing::FaultEnv env_;
  FileStore store_{root_, &env_};
};

TEST_P(FileStoreFaultTest, PutFailsCleanlyAndSucceedsOnceHealed) {
  const Fault& fault = GetParam();
  ASSERT_TRUE(store_.Put("an earlier document"));
  const std::string bytes(100'000, 'x');
  const std::string sha = Sha256Hex(bytes);

  env_.FailNth(fault.op, fault.nth, fault.error_number);
  auto put = store_.Put(bytes);
  ASSERT_FALSE(put) << "the fault was not hit";
  EXPECT_EQ(env_.injected(), 1);
  EXPECT_EQ(put.error().code, ErrorCode::kIo);
  // The message names the file (its name holds the SHA-256, also for the
  // temporary), the step and the reason.
  EXPECT_NE(put.error().message.find(sha), std::string::npos)
      << put.error().message;
  EXPECT_NE(put.error().message.find(fault.step), std::string::npos)
      << put.error().message;
  EXPECT_NE(put.error().message.find(fault.reason), std::string::npos)
      << put.error().message;
  EXPECT_FALSE(store_.Contains(sha));
  EXPECT_FALSE(fs::exists(store_.PathFor(sha)));
  EXPECT_EQ(Files(), std::make_pair(1, 0)) << "no temporary, nothing partial";

  env_.Heal();
  auto again = store_.Put(bytes);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, sha);
  EXPECT_EQ(store_.Get(sha).value_or(""), bytes);
  EXPECT_EQ(Files(), std::make_pair(2, 0));
}

INSTANTIATE_TEST_SUITE_P(Faults, FileStoreFaultTest,
                         ::testing::ValuesIn(kFaults), [](const auto& info) {
                           return std::string(info.param.name);
                         });

// The rename is done when the directory fsync fails: the whole file is under
// its name, but the caller is told, so no catalog row relies on it. The next
// Put of the same bytes fsyncs the directory again before it reports success.
TEST(FileStoreDiskFaultTest,
     FailedDirectoryFsyncLeavesTheWholeFileAndIsReported) {
  dossier::testing::TempDir dir;
  dossier::testing::FaultEnv env;
  FileStore store(dir.path() / "objects", &env);
  const std::string bytes = "document bytes";
  const std::string sha = Sha256Hex(bytes);

  env.FailNth(Op::kSync, 2, EIO);  // the first is the file's own fsync
  auto put = store.Put(bytes);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kIo);
  EXPECT_NE(put.error().message.find(store.PathFor(sha).parent_path().string()),
            std::string::npos)
      << put.error().message;
  EXPECT_NE(put.error().message.find("fsync: Input/output error"),
            std::string::npos)
      << put.error().message;
  EXPECT_EQ(store.Get(sha).value_or(""), bytes) << "never a partial file";

  // Still failing: the Put of the present file reports it too.
  env.FailNth(Op::kSync, 1, EIO);
  EXPECT_FALSE(store.Put(bytes));
  env.Heal();
  const int syncs = env.calls(Op::kSync);
  auto again = store.Put(bytes);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(env.calls(Op::kSync), syncs + 1)
      << "the directory is fsynced again";
  EXPECT_EQ(env.calls(Op::kWrite), 1) << "the present file is not rewritten";
}

// A removal that cannot be made durable (the directory fsync fails) is
// reported, naming what was removed and the folder, so the caller does not
// record the purge as done.
TEST(FileStoreDiskFaultTest, FailedFsyncAfterRemoveIsReported) {
  dossier::testing::TempDir dir;
  dossier::testing::FaultEnv env;
  FileStore store(dir.path() / "objects", &env);
  auto sha = store.Put("destroyed bytes");
  ASSERT_TRUE(sha);
  env.FailNth(Op::kSync, 1, EIO);
  auto gone = store.Remove(*sha, "the destroyed document's file");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kIo);
  EXPECT_NE(gone.error().message.find("the destroyed document's file"),
            std::string::npos)
      << gone.error().message;
  EXPECT_NE(gone.error().message.find(store.PathFor(*sha).parent_path().string()),
            std::string::npos)
      << gone.error().message;
  env.Heal();
  const int syncs = env.calls(Op::kSync);
  auto again = store.Remove(*sha, "the destroyed document's file");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);
  EXPECT_EQ(env.calls(Op::kSync), syncs + 1)
      << "the folder is fsynced again before the removal is relied on";
}

TEST(FileStoreDiskFaultTest, StickyFullDiskFailsEveryPutUntilHealed) {
  dossier::testing::TempDir dir;
  dossier::testing::FaultEnv env;
  FileStore store(dir.path() / "objects", &env);
  env.FailNth(Op::kWrite, 1, ENOSPC, /*sticky=*/true);
  for (int i = 0; i < 3; ++i) {
    auto put = store.Put("document " + std::to_string(i));
    ASSERT_FALSE(put);
    EXPECT_NE(put.error().message.find("No space left on device"),
              std::string::npos);
  }
  env.Heal();
  EXPECT_TRUE(store.Put("document 0"));
}

TEST(FileStoreDiskFaultTest, FailedReadIsAnIoErrorNamingTheFile) {
  dossier::testing::TempDir dir;
  dossier::testing::FaultEnv env;
  FileStore store(dir.path() / "objects", &env);
  auto sha = store.Put("stored bytes");
  ASSERT_TRUE(sha);
  env.FailNth(Op::kRead, 1, EIO);
  auto get = store.Get(*sha);
  ASSERT_FALSE(get);
  EXPECT_EQ(get.error().code, ErrorCode::kIo);
  EXPECT_EQ(get.error().message,
            store.PathFor(*sha).string() + ": read: Input/output error");
  EXPECT_EQ(store.Get(*sha).value_or(""), "stored bytes");
}

}  // namespace
}  // namespace dossier::storage
