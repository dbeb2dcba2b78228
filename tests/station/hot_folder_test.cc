// Hot folder: settled files only, done/ and failed/, customer sub-folders,
// cover-sheet splitting, and no loss or duplication when killed (-9).
#include "pipeline/hot_folder.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
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
  // Its pages name the file as it was found in the hot folder.
  auto docs = station_.archive->catalog().ListDocuments(station_.customer_b);
  ASSERT_TRUE(docs.has_value());
  ASSERT_EQ(docs->size(), 1u);
  auto pages = station_.archive->catalog().GetPages(docs->front().id, false);
  ASSERT_TRUE(pages.has_value());
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_EQ(pages->front().source_file,
            (dir_ / station_.customer_b / "letter.png").string());
}

TEST_F(HotFolderTest, TakesAScannedPdfAsOneDocumentAndKeepsIt) {
  // What a multifunction printer drops in a customer's folder: three pages
  // in one PDF (img2pdf), 150 dpi.
  std::string cmd = "img2pdf";
  for (int i = 0; i < 3; ++i) {
    fs::path raw = tmp_.path() / fmt::format("p{}-raw.png", i);
    fs::path png = tmp_.path() / fmt::format("p{}.png", i);
    ASSERT_TRUE(cv::imwrite(raw.string(), testing::TextPage(fmt::format("page {}", i), 150)));
    auto r = testing::RunCommand(fmt::format(
        "convert {} -units PixelsPerInch -density 150 {}", testing::ShellQuote(raw.string()),
        testing::ShellQuote(png.string())));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    cmd += " " + testing::ShellQuote(png.string());
  }
  fs::create_directories(dir_ / station_.customer_b);
  const fs::path pdf = dir_ / station_.customer_b / "mfp-scan.pdf";
  auto r = testing::RunCommand(cmd + " -o " + testing::ShellQuote(pdf.string()));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto sent = ReadFile(pdf);
  ASSERT_TRUE(sent.has_value());
  auto report = pipeline::RunHotFolder(*station_.archive, Options(), {});
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->done, 1);
  EXPECT_EQ(report->failed, 0);
  EXPECT_TRUE(fs::exists(dir_ / "done" / station_.customer_b / "mfp-scan.pdf"));
  auto docs = station_.archive->catalog().ListDocuments(station_.customer_b);
  ASSERT_TRUE(docs.has_value());
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ(docs->front().page_count, 3);
  auto kept = station_.archive->catalog().GetDocumentFiles(docs->front().id);
  ASSERT_TRUE(kept.has_value());
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].role, "original");
  EXPECT_EQ(*ReadFile(station_.archive->files().PathFor((*kept)[0].sha256)), *sent)
      << "the PDF is kept as received";
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
  // A file being processed at a kill went to failed/ on the next start,
  // with its reason; every input is in done/ or failed/, none lost.
  std::set<std::string> placed;
  int stopped_mid_file = 0;
  for (const char* where : {"done", "failed"}) {
    for (const auto& e : fs::directory_iterator(dir_ / where)) {
      const std::string name = e.path().filename().string();
      if (name.ends_with(".reason.txt")) continue;
      EXPECT_TRUE(placed.insert(name).second) << name << " twice";
      if (std::string(where) == "failed") {
        auto reason = ReadFile(e.path().string() + ".reason.txt");
        ASSERT_TRUE(reason.has_value()) << name;
        EXPECT_NE(reason->find("the station stopped while processing"),
                  std::string::npos)
            << *reason;
        ++stopped_mid_file;
      }
    }
  }
  EXPECT_EQ(placed.size(), static_cast<size_t>(kFiles));
  EXPECT_LE(stopped_mid_file, 3);
  std::printf("%d file(s) failed as stopped mid-file\n", stopped_mid_file);
  // The operator puts them back: they are filed once, not twice.
  for (const auto& e : fs::directory_iterator(dir_ / "failed")) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".reason.txt")) {
      fs::remove(e.path());
    } else {
      fs::rename(e.path(), dir_ / name);
    }
  }
  pid = Spawn(args);
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


// --- Links: the hot folder never leaves itself ----------------------------

TEST_F(HotFolderTest, ALinkedInputFileIsNotFollowed) {
  const fs::path outside = tmp_.path() / "outside";
  fs::create_directories(outside);
  ASSERT_TRUE(cv::imwrite((outside / "secret.png").string(),
                          testing::TextPage("secret", 100)));
  fs::create_symlink(outside / "secret.png", dir_ / "link.png");
  auto o = Options();
  o.customer_code = station_.customer_a;
  auto report = pipeline::RunHotFolder(*station_.archive, o);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->failed, 1);
  EXPECT_EQ(report->done, 0);
  EXPECT_TRUE(fs::is_symlink(dir_ / "failed" / "link.png"));
  auto reason = ReadFile(dir_ / "failed" / "link.png.reason.txt");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("symbolic link"), std::string::npos) << *reason;
  EXPECT_TRUE(fs::is_regular_file(outside / "secret.png"));
  EXPECT_EQ(Documents(station_.customer_a), 0u) << "the link's target was read";
}

TEST_F(HotFolderTest, ALinkInACustomerFolderIsNotFollowed) {
  const fs::path outside = tmp_.path() / "outside";
  fs::create_directories(outside);
  ASSERT_TRUE(cv::imwrite((outside / "secret.png").string(),
                          testing::TextPage("secret", 100)));
  fs::create_directories(dir_ / station_.customer_b);
  fs::create_symlink(outside / "secret.png",
                     dir_ / station_.customer_b / "link.png");
  auto report = pipeline::RunHotFolder(*station_.archive, Options());
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->failed, 1);
  EXPECT_TRUE(fs::is_symlink(dir_ / "failed" / station_.customer_b / "link.png"));
  EXPECT_TRUE(fs::is_regular_file(outside / "secret.png"));
  EXPECT_EQ(Documents(station_.customer_b), 0u) << "the link's target was read";
}

TEST_F(HotFolderTest, ALinkedCustomerFolderIsNotEmptied) {
  const fs::path outside = tmp_.path() / "outside";
  fs::create_directories(outside);
  ASSERT_TRUE(cv::imwrite((outside / "keep.png").string(),
                          testing::TextPage("keep", 100)));
  fs::create_directory_symlink(outside, dir_ / station_.customer_b);
  auto report = pipeline::RunHotFolder(*station_.archive, Options());
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(fs::is_regular_file(outside / "keep.png"))
      << "the folder a link points to was emptied";
  EXPECT_TRUE(fs::is_symlink(dir_ / "failed" / station_.customer_b));
  auto reason =
      ReadFile(dir_ / "failed" / (station_.customer_b + ".reason.txt"));
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("symbolic link to a folder"), std::string::npos)
      << *reason;
  EXPECT_EQ(Documents(station_.customer_b), 0u);
  EXPECT_EQ(report->failed, 1);
}

TEST_F(HotFolderTest, LinkedDoneOrFailedRefusesTheStart) {
  for (const std::string folder : {"done", "failed"}) {
    SCOPED_TRACE(folder);
    const fs::path hot = tmp_.path() / ("hot-" + folder);
    const fs::path victim = tmp_.path() / ("victim-" + folder);
    fs::create_directories(hot);
    fs::create_directories(victim);
    std::ofstream(hot / "broken.png") << "not an image";
    ASSERT_TRUE(cv::imwrite((hot / "page.png").string(),
                            testing::TextPage("page " + folder, 100)));
    fs::create_directory_symlink(victim, hot / folder);
    auto o = Options();
    o.dir = hot;
    o.customer_code = station_.customer_a;
    auto report = pipeline::RunHotFolder(*station_.archive, o);
    ASSERT_FALSE(report.has_value()) << "started through a linked " << folder;
    EXPECT_NE(report.error().message.find((hot / folder).string()),
              std::string::npos)
        << report.error().message;
    EXPECT_NE(report.error().message.find("symbolic link"), std::string::npos);
    EXPECT_TRUE(fs::is_empty(victim));
    // A refused start changes nothing.
    EXPECT_TRUE(fs::exists(hot / "broken.png"));
    EXPECT_TRUE(fs::exists(hot / "page.png"));
    EXPECT_FALSE(fs::exists(hot / (folder == "done" ? "failed" : "done")));
    EXPECT_FALSE(fs::exists(hot / pipeline::kProcessingFolder));
  }
  EXPECT_EQ(Documents(station_.customer_a), 0u);
}

TEST_F(HotFolderTest, LinksSwappedInMidRunAreNotFollowed) {
  const fs::path outside = tmp_.path() / "outside";
  const fs::path victim = tmp_.path() / "victim";
  const fs::path victim_folder = tmp_.path() / "victim-folder";
  fs::create_directories(outside);
  fs::create_directories(victim);
  fs::create_directories(victim_folder);
  ASSERT_TRUE(cv::imwrite((outside / "secret.png").string(),
                          testing::TextPage("secret", 100)));
  ASSERT_TRUE(cv::imwrite((victim_folder / "keep.png").string(),
                          testing::TextPage("keep", 100)));
  std::ofstream(dir_ / "a-broken.png") << "not an image";
  WritePage("b.png", "b");
  WritePage(fs::path(station_.customer_b) / "c.png", "c");
  auto o = Options();
  o.customer_code = station_.customer_a;
  pipeline::WatchCallbacks cb;
  // Each swap happens after the file was chosen and before it is used.
  cb.on_start = [&](const fs::path& f) {
    const std::string name = f.filename().string();
    if (name == "a-broken.png") {  // failed/ becomes a link to victim/
      fs::rename(dir_ / "failed", tmp_.path() / "failed-opened");
      fs::create_directory_symlink(victim, dir_ / "failed");
    } else if (name == "b.png") {  // the input becomes a link outside
      fs::remove(dir_ / "b.png");
      fs::create_symlink(outside / "secret.png", dir_ / "b.png");
    } else if (name == "c.png") {  // the customer folder becomes a link
      fs::rename(dir_ / station_.customer_b, tmp_.path() / "sub-opened");
      fs::create_directory_symlink(victim_folder, dir_ / station_.customer_b);
    }
  };
  auto report = pipeline::RunHotFolder(*station_.archive, o, cb);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(fs::is_empty(victim)) << "written through a swapped failed/";
  EXPECT_TRUE(fs::exists(tmp_.path() / "failed-opened" / "a-broken.png"));
  EXPECT_TRUE(fs::is_regular_file(outside / "secret.png"));
  EXPECT_TRUE(fs::is_symlink(tmp_.path() / "failed-opened" / "b.png"));
  EXPECT_EQ(Documents(station_.customer_a), 0u) << "a swapped-in link was read";
  EXPECT_TRUE(fs::is_regular_file(victim_folder / "keep.png"))
      << "a swapped-in folder link was emptied";
  EXPECT_TRUE(fs::exists(dir_ / "done" / station_.customer_b / "c.png"));
  EXPECT_TRUE(
      fs::is_symlink(tmp_.path() / "failed-opened" / station_.customer_b));
  EXPECT_EQ(Documents(station_.customer_b), 1u);
}

// --- One file's failure never blocks the folder ----------------------------

TEST_F(HotFolderTest, AnExceptionFailsOnlyThatFile) {
  WritePage("a-dup.png", "dup");
  WritePage("b-start.png", "start");
  WritePage("c-fine.png", "fine");
  // a-dup.png was ingested before: the duplicate is reported on this thread.
  pipeline::IngestOptions first;
  first.files = {dir_ / "a-dup.png"};
  first.customer_code = station_.customer_a;
  first.actor = "tester";
  first.null_ocr = true;
  first.read.fallback_dpi = 100;
  ASSERT_TRUE(pipeline::RunIngest(*station_.archive, first).has_value());
  auto o = Options();
  o.customer_code = station_.customer_a;
  pipeline::WatchCallbacks cb;
  cb.ingest.on_document = [](const pipeline::DocumentOutcome& d) {
    if (d.duplicate) throw std::runtime_error("boom in a callback");
  };
  cb.on_start = [](const fs::path& f) {
    if (f.filename() == "b-start.png") throw std::runtime_error("boom at start");
  };
  Result<pipeline::WatchReport> report = pipeline::WatchReport{};
  EXPECT_NO_THROW(report = pipeline::RunHotFolder(*station_.archive, o, cb));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->done, 1);
  EXPECT_EQ(report->failed, 2);
  EXPECT_TRUE(fs::exists(dir_ / "done" / "c-fine.png"));
  auto a = ReadFile(dir_ / "failed" / "a-dup.png.reason.txt");
  ASSERT_TRUE(a.has_value());
  EXPECT_NE(a->find("boom in a callback"), std::string::npos) << *a;
  auto b = ReadFile(dir_ / "failed" / "b-start.png.reason.txt");
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(b->find("boom at start"), std::string::npos) << *b;
}

TEST_F(HotFolderTest, AFileTheStationStoppedOnFailsInsteadOfBlocking) {
  // A long input first, then two small ones; the process dies while it
  // works on the long one, as it would on an input that crashes it.
  std::vector<cv::Mat> pages;
  for (int i = 0; i < 30; ++i) pages.push_back(testing::TextPage(fmt::format("long {}", i), 150));
  ASSERT_TRUE(cv::imwritemulti((dir_ / "a-long.tif").string(), pages));
  WritePage("b.png", "b");
  WritePage("c.png", "c");
  const std::string archive_dir = station_.archive->dir().string();
  std::vector<std::string> args = {
      testing::DossierBinary().string(), "watch", dir_.string(), "--once",
      "--settle", "0", "--poll", "0.05", "--no-ocr", "--jobs", "1",
      "--customer", station_.customer_a, "--archive", archive_dir};
  const fs::path taking = dir_ / pipeline::kProcessingFolder / "a-long.tif";
  pid_t pid = Spawn(args);
  ASSERT_GT(pid, 0);
  for (int i = 0; i < 2000 && !fs::exists(taking); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(fs::exists(taking)) << "no record of the file being processed";

  pid = Spawn(args);
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 11);  // some inputs failed
  EXPECT_TRUE(fs::exists(dir_ / "failed" / "a-long.tif"))
      << "the file the station stopped on was taken again";
  auto reason = ReadFile(dir_ / "failed" / "a-long.tif.reason.txt");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("the station stopped while processing this file"),
            std::string::npos)
      << *reason;
  EXPECT_TRUE(fs::exists(dir_ / "done" / "b.png"));
  EXPECT_TRUE(fs::exists(dir_ / "done" / "c.png"));
  EXPECT_FALSE(fs::exists(taking));
  // Put back, it is filed once.
  fs::rename(dir_ / "failed" / "a-long.tif", dir_ / "a-long.tif");
  pid = Spawn(args);
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(fs::exists(dir_ / "done" / "a-long.tif"));
  EXPECT_EQ(Documents(station_.customer_a), 3u);
}

TEST_F(HotFolderTest, ASecondWatchOnTheSameFolderRefusesToStart) {
  WritePage("one.png", "one");
  auto o = Options();
  o.customer_code = station_.customer_a;
  // The first watch holds the processing folder's lock while it runs.
  std::optional<Result<pipeline::WatchReport>> second;
  pipeline::WatchCallbacks cb;
  cb.on_start = [&](const fs::path&) {
    if (!second) second = pipeline::RunHotFolder(*station_.archive, o);
  };
  auto first = pipeline::RunHotFolder(*station_.archive, o, cb);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->done, 1);
  ASSERT_TRUE(second.has_value());
  ASSERT_FALSE(second->has_value()) << "two watches ran on one folder";
  EXPECT_NE(second->error().message.find("another dossier watch"),
            std::string::npos)
      << second->error().message;
  EXPECT_TRUE(fs::exists(dir_ / "done" / "one.png"));
  EXPECT_EQ(Documents(station_.customer_a), 1u);
}

// --- Slow writers -----------------------------------------------------------

// Writes `bytes` to path from a child process in `chunks` pieces, pausing
// pause_ms between them with the file held open; before closing it creates
// `closing` (if not empty). Returns the child's pid.
pid_t SlowWriter(const fs::path& path, const std::vector<uchar>& bytes,
                 int chunks, int pause_ms, const fs::path& closing = {}) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) _exit(1);
  const size_t step = (bytes.size() + chunks - 1) / chunks;
  for (size_t at = 0; at < bytes.size(); at += step) {
    const size_t n = std::min(step, bytes.size() - at);
    if (::write(fd, bytes.data() + at, n) != static_cast<ssize_t>(n)) _exit(1);
    ::usleep(pause_ms * 1000);
  }
  if (!closing.empty()) {
    int c = ::open(closing.c_str(), O_WRONLY | O_CREAT, 0644);
    if (c >= 0) ::close(c);
  }
  ::close(fd);
  _exit(0);
}

TEST_F(HotFolderTest, ASlowWriterPausingLongerThanSettleIsWaitedFor) {
  std::vector<uchar> png, jpg, tif;
  ASSERT_TRUE(cv::imencode(".png", testing::TextPage("slow png", 100), png));
  ASSERT_TRUE(cv::imencode(".jpg", testing::TextPage("slow jpeg", 100), jpg));
  std::vector<cv::Mat> pages = {testing::TextPage("slow tiff 1", 100),
                                testing::TextPage("slow tiff 2", 100)};
  {
    const fs::path t = tmp_.path() / "two.tif";
    ASSERT_TRUE(cv::imwritemulti(t.string(), pages));
    auto bytes = ReadFile(t);
    ASSERT_TRUE(bytes.has_value());
    tif.assign(bytes->begin(), bytes->end());
  }
  auto o = Options();
  o.once = false;
  o.customer_code = station_.customer_a;
  o.settle_seconds = 0.2;  // the writers pause 0.6 s
  std::atomic<bool> stop{false};
  o.stop = &stop;
  std::vector<pipeline::WatchFileEvent> events;
  pipeline::WatchCallbacks cb;
  cb.on_file = [&](const pipeline::WatchFileEvent& e) {
    events.push_back(e);
    if (events.size() == 3) stop = true;
  };
  std::vector<pid_t> writers = {SlowWriter(dir_ / "slow.png", png, 4, 600),
                                SlowWriter(dir_ / "slow.jpg", jpg, 4, 600),
                                SlowWriter(dir_ / "slow.tif", tif, 4, 600)};
  auto report = pipeline::RunHotFolder(*station_.archive, o, cb);
  for (pid_t w : writers) {
    int status = 0;
    waitpid(w, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  ASSERT_TRUE(report.has_value()) << report.error().message;
  for (const auto& e : events) EXPECT_TRUE(e.ok) << e.file << ": " << e.reason;
  EXPECT_EQ(report->done, 3);
  EXPECT_EQ(report->failed, 0);
  for (const char* name : {"slow.png", "slow.jpg", "slow.tif"}) {
    EXPECT_TRUE(fs::exists(dir_ / "done" / name)) << name;
  }
  EXPECT_TRUE(fs::is_empty(dir_ / "failed"));
}

TEST_F(HotFolderTest, AFileOpenForWritingIsTakenOnlyAfterItIsClosed) {
  // Complete by its format, but its writer holds it open (and has not
  // finished writing: the watcher sees it modified, not closed).
  std::vector<uchar> png;
  ASSERT_TRUE(cv::imencode(".png", testing::TextPage("held open", 100), png));
  const fs::path closing = tmp_.path() / "writer-closing";
  auto o = Options();
  o.once = false;
  o.customer_code = station_.customer_a;
  o.settle_seconds = 0.2;
  std::atomic<bool> stop{false};
  o.stop = &stop;
  bool closed_when_taken = false;
  pid_t writer = -1;
  // The writer starts once the watch runs (after a first file is done):
  // writes made before the watch started are not seen by it.
  WritePage("first.png", "first");
  pipeline::WatchCallbacks cb;
  cb.on_start = [&](const fs::path& f) {
    if (f.filename() == "held.png") closed_when_taken = fs::exists(closing);
  };
  cb.on_file = [&](const pipeline::WatchFileEvent& e) {
    if (e.file.filename() == "first.png") {
      // One chunk, then 1.5 s with the file open.
      writer = SlowWriter(dir_ / "held.png", png, 1, 1500, closing);
    } else {
      stop = true;
    }
  };
  auto report = pipeline::RunHotFolder(*station_.archive, o, cb);
  ASSERT_GT(writer, 0);
  int status = 0;
  waitpid(writer, &status, 0);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->done, 2);
  EXPECT_TRUE(fs::exists(dir_ / "done" / "held.png"));
  EXPECT_TRUE(closed_when_taken) << "taken while its writer still had it open";
}

TEST_F(HotFolderTest, AFileThatStaysIncompleteFailsAfterMaxWait) {
  std::vector<uchar> png;
  ASSERT_TRUE(cv::imencode(".png", testing::TextPage("cut", 100), png));
  {
    std::ofstream out(dir_ / "cut.png", std::ios::binary);
    out.write(reinterpret_cast<const char*>(png.data()), png.size() / 2);
  }
  std::ofstream(dir_ / "empty.tif");  // created, never written
  auto o = Options();
  o.customer_code = station_.customer_a;
  o.max_wait_seconds = 0.5;
  auto report = pipeline::RunHotFolder(*station_.archive, o);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->failed, 2);
  auto cut = ReadFile(dir_ / "failed" / "cut.png.reason.txt");
  ASSERT_TRUE(cut.has_value());
  EXPECT_NE(cut->find("not completely written"), std::string::npos) << *cut;
  EXPECT_NE(cut->find("PNG"), std::string::npos) << *cut;
  auto empty = ReadFile(dir_ / "failed" / "empty.tif.reason.txt");
  ASSERT_TRUE(empty.has_value());
  EXPECT_NE(empty->find("empty"), std::string::npos) << *empty;
  EXPECT_EQ(Documents(station_.customer_a), 0u);
}

}  // namespace
}  // namespace dossier
