// Two ingests into one archive at once (two processes, overlapping inputs):
// both complete, no write is lost, nothing is stored twice.
#include <gtest/gtest.h>

#include <cstdio>

#include "storage/backup.h"
#include "tests/faults/fault_support.h"
#include "tests/support/test_support.h"

namespace dossier::faults {
namespace {

namespace fs = std::filesystem;

TEST(ConcurrencyTest, TwoIngestsAtOnceBothComplete) {
  dossier::testing::TempDir tmp;
  const auto pages = MakePages(tmp.path() / "inputs", 30);
  const fs::path dir = tmp.path() / "archive";
  const std::string customer = MakeArchive(dir);
  const std::vector<fs::path> first(pages.begin(), pages.begin() + 20);
  const std::vector<fs::path> second(pages.begin() + 10, pages.end());
  Running a = StartDriver(dir, customer, first, std::nullopt, tmp.path() / "a.out");
  Running b = StartDriver(dir, customer, second, std::nullopt, tmp.path() / "b.out");
  DriverRun ra = Wait(a, std::nullopt);
  DriverRun rb = Wait(b, std::nullopt);
  EXPECT_EQ(ra.exit_code, 0) << ra.out;
  EXPECT_EQ(rb.exit_code, 0) << rb.out;
  ArchiveCheck check = CheckArchive(dir);
  EXPECT_TRUE(check.problems.empty()) << check.problems.front();
  EXPECT_EQ(check.documents, 30);
  EXPECT_EQ(check.distinct_sources, 30);
  for (const auto& id : ra.stored) EXPECT_TRUE(check.ids.contains(id));
  for (const auto& id : rb.stored) EXPECT_TRUE(check.ids.contains(id));
  std::printf("[ two processes ] A stored %zu, B stored %zu (10 inputs "
              "shared), archive holds %d documents, %d unreferenced files\n",
              ra.stored.size(), rb.stored.size(), check.documents,
              check.orphans);
}

}  // namespace
}  // namespace dossier::faults
