// A full disk during ingest, simulated without privileges: the driver runs
// with RLIMIT_FSIZE, so any write past the limit fails with EFBIG as a full
// disk would. The documents that cannot be written fail with a clear error
// naming the input; what committed stays whole; the archive stays
// consistent, and a later run with room completes without duplicates.
#include <gtest/gtest.h>

#include <cstdio>

#include "storage/backup.h"
#include "tests/faults/fault_support.h"
#include "tests/support/test_support.h"

namespace dossier::faults {
namespace {

namespace fs = std::filesystem;

TEST(DiskFullTest, WritesFailCleanlyAndTheArchiveStaysConsistent) {
  dossier::testing::TempDir tmp;
  const auto pages = MakePages(tmp.path() / "inputs", 12);
  const fs::path templ = tmp.path() / "template";
  const std::string customer = MakeArchive(templ);
  const long catalog_size =
      static_cast<long>(fs::file_size(templ / "catalog.sqlite"));

  // Limits: nothing fits; a little room for the write-ahead log and files.
  for (long limit : {2'048L, 64'000L, catalog_size + 200'000L}) {
    const fs::path dir = tmp.path() / ("limit-" + std::to_string(limit));
    fs::copy(templ, dir, fs::copy_options::recursive);
    DriverRun run = RunDriver(dir, customer, pages, std::nullopt, limit);
    EXPECT_FALSE(run.killed) << run.out;
    EXPECT_NE(run.exit_code, 0) << "limit " << limit << " was enough: " << run.out;
    // A clear error: the reason, and the input it was about.
    if (run.exit_code == 11) {
      EXPECT_NE(run.out.find("failed " + pages[0].parent_path().string()),
                std::string::npos)
          << run.out;
      EXPECT_TRUE(run.out.find("too large") != std::string::npos ||
                  run.out.find("full") != std::string::npos ||
                  run.out.find("disk I/O") != std::string::npos)
          << run.out;
    }
    ArchiveCheck after = CheckArchive(dir);
    EXPECT_TRUE(after.problems.empty()) << after.problems.front();
    for (const auto& id : run.stored) EXPECT_TRUE(after.ids.contains(id)) << id;
    EXPECT_EQ(after.temporaries, 0) << "failed writes remove their temporaries";
    ASSERT_TRUE(storage::SweepFileStore(dir, std::chrono::seconds(0)));
    DriverRun again = RunDriver(dir, customer, pages);
    EXPECT_EQ(again.exit_code, 0) << again.out;
    ArchiveCheck done = CheckArchive(dir);
    EXPECT_TRUE(done.problems.empty()) << done.problems.front();
    EXPECT_EQ(done.documents, 12);
    EXPECT_EQ(done.distinct_sources, 12);
    std::printf("[ disk full ] limit %ld bytes: %zu stored before the disk "
                "filled, exit %d; afterwards %d documents, integrity %s\n",
                limit, run.stored.size(), run.exit_code, done.documents,
                done.integrity.c_str());
    const auto first_error = run.out.find("failed ");
    if (first_error != std::string::npos) {
      std::printf("[ disk full ]   e.g. %s\n",
                  run.out.substr(first_error, run.out.find('\n', first_error) -
                                                  first_error)
                      .c_str());
    }
  }
}

}  // namespace
}  // namespace dossier::faults
