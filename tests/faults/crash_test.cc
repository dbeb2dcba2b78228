// kill -9 at random moments during a 30-page ingest, 20+ trials. After each
// kill the archive is opened as a restarted station would and checked: no
// committed document lost, nothing half-written visible under a final name,
// integrity_check ok; leftovers (temporaries, unreferenced objects) are
// swept; re-running the same ingest completes it without duplicates.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "storage/backup.h"
#include "tests/faults/fault_support.h"
#include "tests/support/test_support.h"

namespace dossier::faults {
namespace {

namespace fs = std::filesystem;

constexpr int kPages = 30;
constexpr int kTrials = 24;

TEST(CrashTest, KillNineDuringIngestLosesNothing) {
  dossier::testing::TempDir tmp;
  const auto pages = MakePages(tmp.path() / "inputs", kPages);
  const fs::path templ = tmp.path() / "template";
  const std::string customer = MakeArchive(templ);

  // A full run to know how long an ingest takes.
  const fs::path full = tmp.path() / "full";
  fs::copy(templ, full, fs::copy_options::recursive);
  DriverRun baseline = RunDriver(full, customer, pages);
  ASSERT_EQ(baseline.exit_code, 0) << baseline.out;
  ASSERT_EQ(baseline.stored.size(), static_cast<size_t>(kPages));
  const int full_ms = std::max(50, static_cast<int>(baseline.seconds * 1000));

  std::mt19937 rng(20260301);
  // Within the first 80% of a full run, so most trials kill a live ingest
  // even when later runs are faster than the first.
  std::uniform_int_distribution<int> when(0, full_ms * 4 / 5);
  int committed_total = 0, lost_total = 0, killed = 0, temporaries = 0,
      orphans = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    const fs::path dir = tmp.path() / ("trial-" + std::to_string(trial));
    fs::copy(templ, dir, fs::copy_options::recursive);
    const int at = when(rng);
    DriverRun run = RunDriver(dir, customer, pages, at);
    killed += run.killed ? 1 : 0;

    ArchiveCheck after = CheckArchive(dir);
    EXPECT_TRUE(after.problems.empty())
        << "trial " << trial << ": " << after.problems.front();
    EXPECT_EQ(after.integrity, "ok");
    int lost = 0;
    for (const auto& id : run.stored) lost += after.ids.contains(id) ? 0 : 1;
    committed_total += static_cast<int>(run.stored.size());
    lost_total += lost;
    temporaries += after.temporaries;
    orphans += after.orphans;
    // Leftovers of the killed writes are swept (no other process runs).
    auto swept = storage::SweepFileStore(dir, std::chrono::seconds(0));
    ASSERT_TRUE(swept) << swept.error().message;

    // Restart: the same ingest completes it, without duplicates.
    DriverRun again = RunDriver(dir, customer, pages);
    EXPECT_EQ(again.exit_code, 0) << again.out;
    ArchiveCheck done = CheckArchive(dir);
    EXPECT_TRUE(done.problems.empty()) << done.problems.front();
    EXPECT_EQ(done.documents, kPages) << "trial " << trial;
    EXPECT_EQ(done.distinct_sources, kPages);
    EXPECT_EQ(done.orphans, 0);
    EXPECT_EQ(done.temporaries, 0);
    for (const auto& id : run.stored) EXPECT_TRUE(done.ids.contains(id)) << id;
    fs::remove_all(dir);
  }
  std::printf(
      "[ crash ] %d trials (%d killed mid-run, full ingest %d ms), %d documents "
      "committed before the kills, %d lost; leftovers swept: %d temporary, %d "
      "unreferenced files\n",
      kTrials, killed, full_ms, committed_total, lost_total, temporaries, orphans);
  EXPECT_EQ(lost_total, 0);
  EXPECT_GE(killed, kTrials / 3);
}

}  // namespace
}  // namespace dossier::faults
