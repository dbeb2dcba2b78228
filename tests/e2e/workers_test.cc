// The work queue end to end, with the real binary: `dossier ingest
// --queue` on a scan station, `dossier worker` processes filing the work,
// and three workers killed with SIGKILL at random moments while they work
// a batch: every input must be filed exactly once and the archive must
// verify. Each test runs on an archive with an SQLite catalog and on one
// whose catalog is PostgreSQL (`dossier init --catalog`, the test cluster),
// where workers claim with SKIP LOCKED and are woken by NOTIFY.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <regex>
#include <set>
#include <iostream>
#include <thread>

#include "core/file_util.h"
#include "core/hash.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace dossier {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CommandResult;
using testing::RunCommand;
using testing::ShellQuote;

class Workers : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    archive_ = tmp_.path() / "archive";
    std::string catalog;
    if (GetParam() == "postgresql") {
      auto db = testing::PgTestDatabase::Create();
      ASSERT_TRUE(db) << db.error().message;
      database_ = std::move(*db);
      catalog = " --catalog " + ShellQuote(database_->url());
    }
    auto init = Dossier("init " + ShellQuote(archive_.string()) + catalog);
    ASSERT_EQ(init.exit_code, 0) << init.out;
    auto add = Dossier("customer add --name '上海明川贸易有限公司' --kind company");
    ASSERT_EQ(add.exit_code, 0) << add.out;
    customer_ = add.out.substr(0, add.out.find('\t'));
  }

  // Runs dossier as `user` (an open station trusts DOSSIER_USER).
  CommandResult Dossier(const std::string& args, const std::string& user = "clerk-wang") {
    return RunCommand("OMP_THREAD_LIMIT=1 DOSSIER_USER=" + user + " " +
                      ShellQuote(testing::DossierBinary().string()) + " --archive " +
                      ShellQuote(archive_.string()) + " " + args + " 2>&1");
  }

  json Json(const std::string& args) {
    auto r = Dossier(args);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return json::parse(r.out, nullptr, false);
  }

  std::vector<fs::path> SpoolFolders() {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(archive_ / "queue", ec)) {
      found.push_back(e.path());
    }
    return found;
  }

  std::unique_ptr<testing::PgTestDatabase> database_;  // dropped last
  testing::TempDir tmp_;
  fs::path archive_;
  std::string customer_;
};

TEST_P(Workers, AQueuedIngestIsFiledByAWorkerAsTheScannerUnderTheNamesGiven) {
  const fs::path s = testing::SamplesDir();
  const fs::path zh = s / "zh-contract-1.png";
  const fs::path en = s / "en-agreement.png";
  auto zh_hash = Sha256File(zh);
  ASSERT_TRUE(zh_hash);

  auto queued = Dossier("ingest --queue --customer " + customer_ + " --type contract " +
                            ShellQuote(zh.string()) + " " + ShellQuote(en.string()),
                        "scanner-li");
  ASSERT_EQ(queued.exit_code, 0) << queued.out;
  EXPECT_NE(queued.out.find("queued W000001 (2 file(s))"), std::string::npos) << queued.out;
  // Nothing is filed yet; the item waits, with its files in the archive.
  auto list = Dossier("jobs");
  EXPECT_NE(list.out.find("W000001  queued"), std::string::npos) << list.out;
  EXPECT_TRUE(Json("customer show " + customer_ + " --json")["documents"].empty());
  ASSERT_EQ(SpoolFolders().size(), 1u);

  auto worked = Dossier("worker --once --name station-2", "worker-1");
  ASSERT_EQ(worked.exit_code, 0) << worked.out;
  EXPECT_NE(worked.out.find("done   W000001: 2 stored"), std::string::npos) << worked.out;
  // Progress names the files as the scanner gave them, not the spool.
  EXPECT_NE(worked.out.find("+ " + zh.string() + " -> D000001"), std::string::npos)
      << worked.out;
  EXPECT_EQ(worked.out.find("/queue/"), std::string::npos) << worked.out;

  // The documents are the scanner's, so the review rule applies to them.
  const json docs = Json("customer show " + customer_ + " --json")["documents"];
  ASSERT_EQ(docs.size(), 2u);
  for (const json& d : docs) {
    EXPECT_EQ(d["created_by"], "scanner-li") << d.dump();
    EXPECT_EQ(d["type"], "contract");
  }
  auto item = Dossier("jobs W000001");
  EXPECT_NE(item.out.find("W000001  done"), std::string::npos) << item.out;
  EXPECT_NE(item.out.find("worker station-2"), std::string::npos) << item.out;
  EXPECT_NE(item.out.find("\"document\":\"D000002\""), std::string::npos) << item.out;
  EXPECT_NE(item.out.find(en.string()), std::string::npos) << item.out;
  EXPECT_TRUE(SpoolFolders().empty()) << "the spool of a done item was kept";
  auto found = Dossier("search 合同 --json");
  EXPECT_NE(found.out.find("D000001"), std::string::npos) << found.out;
  // The scanner's input is untouched.
  auto zh_after = Sha256File(zh);
  ASSERT_TRUE(zh_after);
  EXPECT_EQ(*zh_after, *zh_hash);
  // Each step is in the access log under who did it.
  auto log = Dossier("log show", "admin");
  EXPECT_TRUE(std::regex_search(log.out, std::regex("scanner-li\\s+ok\\s+queue\\.add")))
      << log.out;
  EXPECT_TRUE(std::regex_search(log.out, std::regex("worker-1\\s+ok\\s+queue\\.work")))
      << log.out;
}

TEST_P(Workers, BadQueueingIsRefusedWithTheReasonAndQueuesNothing) {
  const fs::path good = testing::SamplesDir() / "en-agreement.png";
  auto missing = Dossier("ingest --queue --customer " + customer_ + " " +
                         ShellQuote(good.string()) + " " +
                         ShellQuote((tmp_.path() / "nope.png").string()));
  EXPECT_NE(missing.exit_code, 0) << missing.out;
  EXPECT_NE(missing.out.find("nope.png"), std::string::npos) << missing.out;
  auto no_customer = Dossier("ingest --queue --customer KH-2020-999999-9 " +
                             ShellQuote(good.string()));
  EXPECT_NE(no_customer.exit_code, 0) << no_customer.out;
  EXPECT_NE(no_customer.out.find("KH-2020-999999-9"), std::string::npos) << no_customer.out;
  auto list = Dossier("jobs");
  EXPECT_NE(list.out.find("no work items"), std::string::npos) << list.out;
  EXPECT_TRUE(SpoolFolders().empty());
  auto bad_item = Dossier("jobs D000001");
  EXPECT_NE(bad_item.exit_code, 0);
  EXPECT_NE(bad_item.out.find("not a work item id"), std::string::npos) << bad_item.out;
}

// A distinct page for each index: lines of text at places and sizes that
// vary with it, so no two inputs are the same file or the same page.
void WritePage(const fs::path& to, int index, std::mt19937& rng) {
  cv::Mat page(1400, 1000, CV_8UC1, cv::Scalar(255));
  std::uniform_int_distribution<int> dx(60, 200), lines(6, 14);
  const int n = lines(rng);
  for (int l = 0; l < n; ++l) {
    cv::putText(page, "Work item " + std::to_string(index) + " line " + std::to_string(l),
                cv::Point(dx(rng), 120 + l * 85), cv::FONT_HERSHEY_SIMPLEX,
                0.9 + 0.05 * (index % 5), cv::Scalar(0), 2);
  }
  ASSERT_TRUE(cv::imwrite(to.string(), page)) << to;
}

pid_t StartWorker(const fs::path& archive, const std::string& name, const fs::path& out) {
  const std::string cmd =
      "exec env OMP_THREAD_LIMIT=1 DOSSIER_USER=" + name + " " +
      ShellQuote(testing::DossierBinary().string()) + " --archive " +
      ShellQuote(archive.string()) + " worker --name " + name +
      " --lease-seconds 3 --poll-seconds 0.1 --max-attempts 1000 >>" +
      ShellQuote(out.string()) + " 2>&1";
  const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ),
            0);
  return pid;
}

TEST_P(Workers, ThreeWorkersKilledAtRandomMomentsFileEveryInputExactlyOnce) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  constexpr int kItems = 12;
  constexpr int kFilesPerItem = 2;
  std::set<std::string> inputs;
  for (int i = 0; i < kItems; ++i) {
    std::string args;
    for (int f = 0; f < kFilesPerItem; ++f) {
      const fs::path page =
          tmp_.path() / ("scan-" + std::to_string(i) + "-" + std::to_string(f) + ".png");
      WritePage(page, i * kFilesPerItem + f, rng);
      inputs.insert(page.string());
      args += " " + ShellQuote(page.string());
    }
    auto q = Dossier("ingest --queue --no-ocr --customer " + customer_ + args, "scanner-li");
    ASSERT_EQ(q.exit_code, 0) << q.out;
  }

  const fs::path log = tmp_.path() / "workers.log";
  std::map<std::string, pid_t> workers;
  for (const char* name : {"w1", "w2", "w3"}) workers[name] = StartWorker(archive_, name, log);
  int kills = 0;
  auto open_items = [&] {
    auto queued = Dossier("jobs --state queued");
    auto running = Dossier("jobs --state running");
    return queued.out.find("W0") != std::string::npos ||
           running.out.find("W0") != std::string::npos;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
  std::uniform_int_distribution<int> pause_ms(150, 1200), pick(0, 2);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    if (kills < 12) {
      auto it = std::next(workers.begin(), pick(rng));
      ::kill(it->second, SIGKILL);
      ::waitpid(it->second, nullptr, 0);
      ++kills;
      it->second = StartWorker(archive_, it->first, log);
    } else if (!open_items()) {
      break;
    }
  }
  for (auto& [name, pid] : workers) {
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  auto worker_log = ReadFile(log);
  ASSERT_FALSE(open_items()) << "work left after 240 s\n" << worker_log.value_or("");
  EXPECT_EQ(kills, 12);

  // Every item is done and names a document for each of its files.
  auto failed = Dossier("jobs --state failed");
  EXPECT_NE(failed.out.find("no work items"), std::string::npos) << failed.out;
  std::set<std::string> named;
  int taken_over = 0;
  for (int i = 1; i <= kItems; ++i) {
    auto item = Dossier(fmt::format("jobs W{:06d}", i));
    ASSERT_NE(item.out.find(" done "), std::string::npos) << item.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(item.out, m, std::regex("attempts (\\d+)"))) << item.out;
    if (std::stoi(m[1]) > 1) ++taken_over;
    const std::string text = item.out.substr(item.out.find("result: ") + 8);
    const json result = json::parse(text.substr(0, text.find('\n')), nullptr, false);
    ASSERT_TRUE(result.is_object()) << item.out;
    EXPECT_EQ(result["failed"], 0) << item.out;
    for (const json& d : result["documents"]) named.insert(d.value("document", ""));
  }
  // Exactly one document per input: none lost, none filed twice.
  const json docs = Json("customer show " + customer_ + " --json")["documents"];
  EXPECT_EQ(docs.size(), inputs.size()) << worker_log.value_or("");
  EXPECT_EQ(named.size(), inputs.size());
  std::set<std::string> titles;
  for (const json& d : docs) titles.insert(d["title"].get<std::string>());
  EXPECT_EQ(titles.size(), inputs.size()) << "an input was filed twice";
  // The stored files and the catalog agree.
  auto verify = Dossier("verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  std::cout << "kills " << kills << ", items taken over after a kill " << taken_over
            << ", seed " << seed << "\n";
}

INSTANTIATE_TEST_SUITE_P(Backends, Workers, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dossier
