// A stored file changed on disk is found by `dossier verify` (exit 12,
// naming the document), and by the next backup.
#include <gtest/gtest.h>

#include <fstream>

#include "storage/backup.h"
#include "tests/faults/fault_support.h"
#include "tests/support/test_support.h"

namespace dossier::faults {
namespace {

namespace fs = std::filesystem;
using dossier::testing::RunCommand;
using dossier::testing::ShellQuote;

TEST(CorruptionTest, VerifyFindsAChangedStoredFile) {
  dossier::testing::TempDir tmp;
  const auto pages = MakePages(tmp.path() / "inputs", 3);
  const fs::path dir = tmp.path() / "archive";
  const std::string customer = MakeArchive(dir);
  DriverRun run = RunDriver(dir, customer, pages);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const std::string verify = ShellQuote(dossier::testing::DossierBinary().string()) +
                             " --archive " + ShellQuote(dir.string()) +
                             " verify 2>&1";
  auto clean = RunCommand(verify);
  EXPECT_EQ(clean.exit_code, 0) << clean.out;

  // Change one byte of the second document's file, in place.
  const size_t at = run.out.find("stored D000002 ");
  ASSERT_NE(at, std::string::npos) << run.out;
  const std::string sha = run.out.substr(at + 15, 64);
  const fs::path file = dir / "objects" / sha.substr(0, 2) / (sha + ".pdf");
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) / 2));
    f.put('#');
  }
  auto damaged = RunCommand(verify);
  EXPECT_EQ(damaged.exit_code, 12) << damaged.out;
  EXPECT_NE(damaged.out.find("D000002  fixity FAILED"), std::string::npos)
      << damaged.out;
  EXPECT_NE(damaged.out.find("D000001  fixity ok"), std::string::npos);

  auto backup = storage::BackupArchive(dir, tmp.path() / "backup");
  ASSERT_TRUE(backup) << backup.error().message;
  ASSERT_FALSE(backup->ok());
  EXPECT_NE(backup->problems.front().find("D000002"), std::string::npos);
}

}  // namespace
}  // namespace dossier::faults
