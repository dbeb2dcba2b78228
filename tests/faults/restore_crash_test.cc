// kill -9 at random moments during `dossier restore`: each trial must end
// with either no archive at the target or a complete, verified one (every
// document's file present with its SHA-256, integrity ok), never a folder
// that looks like an archive and lacks files. The staging folder a killed
// restore leaves beside the target is removed by the next restore there.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "core/file_util.h"
#include "storage/backup.h"
#include "tests/faults/fault_support.h"
#include "tests/support/test_support.h"

namespace dossier::faults {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Runs `dossier restore backup --to target`; SIGKILL after kill_after_ms if
// given and still running. Returns the exit code, or -1 when killed.
int RunRestore(const fs::path& backup, const fs::path& target,
               std::optional<int> kill_after_ms) {
  std::vector<std::string> args = {testing::DossierBinary().string(),
                                   "--archive",
                                   (target.parent_path() / "no-archive").string(),
                                   "restore",
                                   backup.string(),
                                   "--to",
                                   target.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto start = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open("/dev/null", O_WRONLY);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::setenv("DOSSIER_USER", "tester", 1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (true) {
    if (::waitpid(pid, &status, WNOHANG) == pid) break;
    if (kill_after_ms && Seconds(start) * 1000 >= *kill_after_ms) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> StagingLeftovers(const fs::path& target) {
  std::vector<std::string> out;
  const std::string prefix = "." + target.filename().string() + ".restoring-";
  for (const auto& e : fs::directory_iterator(target.parent_path())) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(prefix)) out.push_back(name);
  }
  return out;
}

bool Absent(const fs::path& target) {
  return !fs::exists(target) || fs::is_empty(target);
}

TEST(RestoreCrash, KilledRestoreLeavesNoArchiveOrAVerifiedOne) {
  testing::TempDir tmp;
  const fs::path archive = tmp.path() / "archive";
  const std::string customer = MakeArchive(archive);
  constexpr int kDocuments = 6;
  auto ingest = RunDriver(archive, customer, MakePages(tmp.path() / "pages", kDocuments));
  ASSERT_EQ(ingest.exit_code, 0) << ingest.out;
  ASSERT_EQ(ingest.stored.size(), static_cast<size_t>(kDocuments));
  const fs::path backup = tmp.path() / "backup";
  auto made = storage::BackupArchive(archive, backup);
  ASSERT_TRUE(made) << made.error().message;

  // How long a full restore takes here (the fastest of three runs, so a cold
  // first run does not widen the window past the end of the work).
  const fs::path restores = tmp.path() / "restores";
  double full_ms = 1e9;
  for (int i = 0; i < 3; ++i) {
    const fs::path target = restores / ("full" + std::to_string(i));
    const auto t0 = Clock::now();
    ASSERT_EQ(RunRestore(backup, target, std::nullopt), 0);
    full_ms = std::min(full_ms, Seconds(t0) * 1000);
    ASSERT_TRUE(CheckArchive(target).problems.empty());
  }

  // Kill moments are drawn from the span of a full restore. A trial that
  // finishes before its kill narrows the span for the next ones, so every
  // machine, fast or slow, sees kills spread across the restore's work.
  constexpr int kTrials = 12;
  constexpr int kMaxTrials = 40;
  std::random_device seed_source;
  const unsigned seed = seed_source();
  std::mt19937 random(seed);
  double upper_ms = full_ms;
  int killed = 0, absent = 0, complete = 0, leftovers = 0;
  int trials = 0;
  for (; trials < kMaxTrials && (trials < kTrials || killed < kTrials / 2); ++trials) {
    const int i = trials;
    const fs::path target = restores / ("r" + std::to_string(i));
    std::uniform_real_distribution<double> when(0.4 * upper_ms, std::max(1.0, 1.1 * upper_ms));
    const int delay = static_cast<int>(when(random));
    const int rc = RunRestore(backup, target, delay);
    killed += rc == -1 ? 1 : 0;
    if (rc != -1) upper_ms *= 0.7;
    SCOPED_TRACE("trial " + std::to_string(i) + ", seed " + std::to_string(seed) +
                 ", killed after " + std::to_string(delay) + " ms");
    if (Absent(target)) {
      ++absent;
    } else {
      ArchiveCheck check = CheckArchive(target);
      EXPECT_TRUE(check.problems.empty())
          << target << ": " << (check.problems.empty() ? "" : check.problems[0]);
      EXPECT_EQ(check.documents, kDocuments) << target;
      ++complete;
    }
    leftovers += static_cast<int>(StagingLeftovers(target).size());
    // The next restore into the same target works and cleans up.
    if (Absent(target)) {
      ASSERT_EQ(RunRestore(backup, target, std::nullopt), 0) << target;
      ArchiveCheck check = CheckArchive(target);
      EXPECT_TRUE(check.problems.empty()) << target;
      EXPECT_EQ(check.documents, kDocuments);
    }
    EXPECT_TRUE(StagingLeftovers(target).empty()) << target;
  }
  std::printf(
      "[ restore-crash ] %d trials (seed %u; %d killed; full restore %.0f ms): "
      "%d left no archive, %d a verified one; %d staging leftovers cleaned by "
      "the next restore\n",
      trials, seed, killed, full_ms, absent, complete, leftovers);
  EXPECT_GE(killed, kTrials / 2);
}

}  // namespace
}  // namespace dossier::faults
