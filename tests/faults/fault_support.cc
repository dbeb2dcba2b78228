#include "tests/faults/fault_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "core/file_util.h"
#include "core/hash.h"
#include "storage/archive.h"
#include "tests/storage/test_util.h"

namespace dossier::faults {

namespace fs = std::filesystem;

namespace {

double Now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::vector<fs::path> MakePages(const fs::path& dir, int n) {
  fs::create_directories(dir);
  std::vector<fs::path> out;
  for (int i = 0; i < n; ++i) {
    cv::Mat page(520, 400, CV_8UC1, cv::Scalar(255));
    for (int y = 60; y < 480; y += 40) {
      cv::putText(page, "page " + std::to_string(i) + " line " + std::to_string(y),
                  {30, y}, cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(0), 1);
    }
    char name[32];
    std::snprintf(name, sizeof name, "page-%02d.png", i);
    out.push_back(dir / name);
    cv::imwrite(out.back().string(), page);
  }
  return out;
}

std::string MakeArchive(const fs::path& dir) {
  auto archive = storage::Archive::Init(dir);
  EXPECT_TRUE(archive) << archive.error().message;
  auto c = (*archive)->catalog().AddCustomer("故障测试客户", "company", "tester");
  EXPECT_TRUE(c) << c.error().message;
  return c->code;
}

Running StartDriver(const fs::path& archive, const std::string& customer,
                    const std::vector<fs::path>& files, std::optional<long> fsize,
                    const fs::path& out) {
  std::vector<std::string> args = {DOSSIER_FAULT_DRIVER, archive.string(),
                                   customer};
  if (fsize) {
    args.push_back("--fsize");
    args.push_back(std::to_string(*fsize));
  }
  for (const auto& f : files) args.push_back(f.string());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Running r;
  r.out_file = out;
  r.start = Now();
  r.pid = ::fork();
  if (r.pid == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return r;
}

DriverRun Wait(const Running& running, std::optional<int> kill_after_ms) {
  DriverRun run;
  int status = 0;
  if (kill_after_ms) {
    const double deadline = running.start + *kill_after_ms / 1000.0;
    while (true) {
      pid_t done = ::waitpid(running.pid, &status, WNOHANG);
      if (done == running.pid) break;
      if (Now() >= deadline) {
        ::kill(running.pid, SIGKILL);
        ::waitpid(running.pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  } else {
    ::waitpid(running.pid, &status, 0);
  }
  run.seconds = Now() - running.start;
  if (WIFSIGNALED(status)) {
    run.killed = WTERMSIG(status) == SIGKILL;
  } else if (WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  }
  run.out = ReadFile(running.out_file).value_or("");
  size_t pos = 0;
  while ((pos = run.out.find("stored D", pos)) != std::string::npos) {
    pos += 7;
    run.stored.insert(run.out.substr(pos, run.out.find(' ', pos) - pos));
  }
  return run;
}

DriverRun RunDriver(const fs::path& archive, const std::string& customer,
                    const std::vector<fs::path>& files,
                    std::optional<int> kill_after_ms, std::optional<long> fsize) {
  static int counter = 0;
  const fs::path out =
      archive.parent_path() / ("driver-" + std::to_string(++counter) + ".out");
  return Wait(StartDriver(archive, customer, files, fsize, out), kill_after_ms);
}

ArchiveCheck CheckArchive(const fs::path& dir) {
  ArchiveCheck check;
  auto archive = storage::Archive::Open(dir);
  if (!archive) {
    check.problems.push_back("cannot open: " + archive.error().message);
    return check;
  }
  {
    storage::testing::RawDb raw(dir / "catalog.sqlite");
    check.integrity = raw.Query("PRAGMA integrity_check");
    if (check.integrity != "ok") {
      check.problems.push_back("integrity_check: " + check.integrity);
    }
    check.distinct_sources =
        std::stoi(raw.Query("SELECT count(DISTINCT source_key) FROM documents"));
  }
  auto docs = (*archive)->catalog().ListDocuments("");
  if (!docs) {
    check.problems.push_back(docs.error().message);
    return check;
  }
  std::set<std::string> named;
  for (const auto& d : *docs) {
    ++check.documents;
    check.ids.insert(d.display_id);
    named.insert(d.pdf_sha256);
    auto bytes = (*archive)->files().Get(d.pdf_sha256);
    if (!bytes) {
      check.problems.push_back(d.display_id + ": " + bytes.error().message);
    }
    auto pages = (*archive)->catalog().GetPages(d.id, false);
    if (!pages || static_cast<int>(pages->size()) != d.page_count) {
      check.problems.push_back(d.display_id + ": pages incomplete");
    }
  }
  for (const auto& e : fs::recursive_directory_iterator(dir / "objects")) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (name.starts_with(".tmp-")) {
      ++check.temporaries;
      continue;
    }
    ++check.objects;
    const std::string sha = name.substr(0, 64);
    auto actual = Sha256File(e.path());
    if (!actual || *actual != sha) {
      check.problems.push_back(e.path().string() + ": bytes do not match the name "
                               "(half-written file visible)");
    }
    if (!named.contains(sha)) ++check.orphans;
  }
  return check;
}

}  // namespace dossier::faults
