// Hot folder: settled files only, done/ and failed/, customer sub-folders,
// cover-sheet splitting, and no loss or duplication when killed (-9).
#include "pipeline/hot_folder.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <thread>

#include "core/file_util.h"
#include "pipeline/station.h"
#include "tests/station/station_util.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;

class HotFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    station_ = testing::MakeStationArchive(tmp_.path());
    ASSERT_TRUE(station_.archive);
    dir_ = tmp_.path() / "inbox";
    fs::create_directories(dir_);
  }

  void WritePage(const fs::path& rel, const std::string& label) {
    fs::create_directories((dir_ / rel).parent_path());
    ASSERT_TRUE(
        cv::imwrite((dir_ / rel).string(), testing::TextPage(label, 100)));
  }

  pipeline::WatchOptions Options() {
    pipeline::WatchOptions o;
    o.dir = dir_;
    o.settle_seconds = 0.2;
    o.poll_seconds = 0.05;
    o.once = true;
    o.ingest.actor = "tester";
    o.ingest.null_ocr = true;
    o.ingest.jobs = 2;
    o.ingest.read.fallback_dpi = 100;
    return o;
  }

  size_t Documents(const std::string& customer) {
    auto docs = station_.archive->catalog().ListDocuments(customer);
    EXPECT_TRUE(docs.has_value());
    return docs ? docs->size() : 0;
  }

  testing::TempDir tmp_;
  testing::StationArchive station_;
  fs::path dir_;
};

TEST_F(HotFolderTest, FilesGoToDoneOrFailedAndSubFoldersNameTheCustomer) {
  // A stack with a cover sheet for customer A in DIR itself.
  auto pdf = pipeline::MakeCoverSheetPdf(
      station_.archive->catalog(), {station_.customer_a, "contract", "Lease"});
  ASSERT_TRUE(pdf.has_value());
  ASSERT_TRUE(WriteFileAtomic(tmp_.path() / "cover.pdf", std::string_view(*pdf))
                  .has_value());
  std::vector<cv::Mat> stack = {
      testing::RenderPdf(tmp_.path() / "cover.pdf", 150),
      testing::TextPage("lease p1", 150)};
  ASSERT_TRUE(cv::imwritemulti((dir_ / "stack.tif").string(), stack));
  WritePage(fs::path(station_.customer_b) / "letter.png", "letter");
  WritePage("not-a-code/x.png", "x");
  std::ofstream(dir_ / "broken.png") << "not an image";
  std::ofstream(dir_ / ".hidden.png") << "ignored";
  std::ofstream(dir_ / "upload.tif.part") << "still uploading";

  auto review =
      pipeline::EnsureReviewCustomer(station_.archive->catalog(), "tester");
  ASSERT_TRUE(review.has_value());
  auto o = Options();
  o.ingest.review_customer_code = *review;
  std::vector<pipeline::WatchFileEvent> events;
  pipeline::WatchCallbacks cb;
  cb.on_file = [&](const pipeline::WatchFileEvent& e) { events.push_back(e); };
  auto report = pipeline::RunHotFolder(*station_.archive, o, cb);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->done, 2);
  EXPECT_EQ(report->failed, 2);
  EXPECT_TRUE(fs::exists(dir_ / "done" / "stack.tif"));
  EXPECT_TRUE(fs::exists(dir_ / "done" / station_.customer_b / "letter.png"));
  EXPECT_TRUE(fs::exists(dir_ / "failed" / "broken.png"));
  auto reason = ReadFile(dir_ / "failed" / "broken.png.reason.txt");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("broken.png"), std::string::npos) << *reason;
  auto reason2 = ReadFile(dir_ / "failed" / "not-a-code" / "x.png.reason.txt");
  ASSERT_TRUE(reason2.has_value());
  EXPECT_NE(reason2->find("not a customer code"), std::string::npos)
      << *reason2;
  EXPECT_TRUE(fs::exists(dir_ / ".hidden.png"));
  EXPECT_TRUE(fs::exists(dir_ / "upload.tif.part"));
  EXPECT_EQ(Documents(station_.customer_a), 1u);  // the cover's document
  EXPECT_EQ(Documents(station_.customer_b), 1u);
}

TEST_F(HotFolderTest, WaitsUntilAFileIsCompletelyWritten) {
  auto o = Options();
  o.once = false;
  o.customer_code = station_.customer_a;
  o.settle_seconds = 0.6;
  std::atomic<bool> stop{false};
  o.stop = &stop;
  std::vector<std::string> taken;
  pipeline::WatchCallbacks cb;
  cb.on_file = [&](const pipeline::WatchFileEvent& e) {
    taken.push_back(e.file.filename().string());
    stop = true;
  };
  // A writer that appends slowly, then finishes with a complete PNG.
  std::vector<uchar> png;
  cv::imencode(".png", testing::TextPage("slow", 100), png);
  std::thread writer([&] {
    fs::path p = dir_ / "slow.png";
    std::ofstream out(p, std::ios::binary);
    size_t half = png.size() / 2;
    out.write(reinterpret_cast<const char*>(png.data()), half);
    out.flush();
    for (int i = 0; i < 6; ++i) {  // keep touching it for 0.9 s
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      out.write(reinterpret_cast<const char*>(png.data()) + half + i, 1);
      out.flush();
    }
    out.write(reinterpret_cast<const char*>(png.data()) + half + 6,
              png.size() - half - 6);
  });
  auto report = pipeline::RunHotFolder(*station_.archive, o, cb);
  writer.join();
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->done, 1) << "a half-written file was taken";
  EXPECT_EQ(report->failed, 0);
  EXPECT_TRUE(fs::exists(dir_ / "done" / "slow.png"));
}

pid_t Spawn(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

TEST_F(HotFolderTest, KilledMidRunLosesAndDuplicatesNothing) {
  const int kFiles = 12;
  for (int i = 0; i < kFiles; ++i)
    WritePage(fmt::format("scan{:02}.png", i), fmt::format("page {}", i));
  const std::string archive_dir = station_.archive->dir().string();
  std::vector<std::string> args = {testing::DossierBinary().string(),
                                   "watch",
                                   dir_.string(),
                                   "--once",
                                   "--settle",
                                   "0",
                                   "--poll",
                                   "0.05",
                                   "--no-ocr",
                                   "--jobs",
                                   "1",
                                   "--customer",
                                   station_.customer_a,
                                   "--archive",
                                   archive_dir};
  // Kill at several moments, then let a last run finish.
  for (int delay_ms : {250, 400, 600}) {
    pid_t pid = Spawn(args);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    size_t done = 0;
    if (fs::exists(dir_ / "done")) {
      for (const auto& e : fs::directory_iterator(dir_ / "done")) done += e.is_regular_file();
    }
    std::printf("killed after %d ms: %zu of %d files done\n", delay_ms, done, kFiles);
  }
  pid_t pid = Spawn(args);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);

  std::set<std::string> done;
  for (const auto& e : fs::directory_iterator(dir_ / "done")) {
    done.insert(e.path().filename().string());
  }
  EXPECT_EQ(done.size(), static_cast<size_t>(kFiles));
  for (int i = 0; i < kFiles; ++i) {
    EXPECT_TRUE(done.count(fmt::format("scan{:02}.png", i))) << i;
    EXPECT_FALSE(fs::exists(dir_ / fmt::format("scan{:02}.png", i)));
  }
  auto docs = station_.archive->catalog().ListDocuments(station_.customer_a);
  ASSERT_TRUE(docs.has_value());
  EXPECT_EQ(docs->size(), static_cast<size_t>(kFiles));
  std::set<std::string> keys;
  for (const auto& d : *docs) keys.insert(d.source_key);
  EXPECT_EQ(keys.size(), docs->size());
  EXPECT_FALSE(fs::exists(dir_ / "failed") && !fs::is_empty(dir_ / "failed"));
}

TEST_F(HotFolderTest, SigintStopsCleanly) {
  const std::string archive_dir = station_.archive->dir().string();
  WritePage("one.png", "one");
  pid_t pid =
      Spawn({testing::DossierBinary().string(), "watch", dir_.string(),
             "--settle", "0", "--poll", "0.05", "--no-ocr", "--customer",
             station_.customer_a, "--archive", archive_dir});
  for (int i = 0; i < 100 && !fs::exists(dir_ / "done" / "one.png"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(fs::exists(dir_ / "done" / "one.png"));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace dossier
