// Scanning through SANE against its `test` backend (sane-utils/libsane1):
// a private SANE_CONFIG_DIR enables only that backend. Low resolution and
// the null OCR engine keep these tests about acquisition.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "capture/sane_source.h"
#include "pipeline/ingest.h"
#include "pipeline/station.h"
#include "tests/station/station_util.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using capture::ScanMode;
using capture::ScanSettings;
using capture::ScanSource;

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/etc/sane.d/test.conf"))
      GTEST_SKIP() << "SANE test backend missing";
    config_ = tmp_.path() / "sane";
    fs::create_directories(config_);
    std::ofstream(config_ / "dll.conf") << "test\n";
    fs::copy_file("/etc/sane.d/test.conf", config_ / "test.conf");
    setenv("SANE_CONFIG_DIR", config_.string().c_str(), 1);
    station_ = testing::MakeStationArchive(tmp_.path());
    ASSERT_TRUE(station_.archive);
  }

  static ScanSettings Settings(ScanSource source,
                               ScanMode mode = ScanMode::kGray) {
    ScanSettings s;
    s.device = "test";
    s.source = source;
    s.mode = mode;
    s.dpi = 75;
    s.extra_options = {{"test-picture", "Grid"}};
    return s;
  }

  pipeline::IngestOptions Options(capture::PageSource* source) {
    pipeline::IngestOptions o;
    o.source = source;
    o.customer_code = station_.customer_a;
    o.type = "form";
    o.actor = "tester";
    o.null_ocr = true;
    o.jobs = 2;
    return o;
  }

  testing::TempDir tmp_;
  fs::path config_;
  testing::StationArchive station_;
};

TEST_F(ScanTest, ListsTheTestScanner) {
  auto devices = capture::ListScanners();
  ASSERT_TRUE(devices.has_value()) << devices.error().message;
  bool found = false;
  for (const auto& d : *devices) found |= d.name == "test:0";
  EXPECT_TRUE(found);
}

TEST_F(ScanTest, FlatbedGivesOnePage) {
  auto scanner = capture::OpenScanner(Settings(ScanSource::kFlatbed));
  ASSERT_TRUE(scanner.has_value()) << scanner.error().message;
  auto page = (*scanner)->Next();
  ASSERT_TRUE(page.has_value()) << page.error().message;
  ASSERT_TRUE(page->has_value());
  const auto& raw = **page;
  EXPECT_EQ(raw.dpi, 75);
  EXPECT_EQ(raw.image.type(), CV_8UC1);
  EXPECT_NEAR(raw.image.cols, 80 / 25.4 * 75, 2);  // the backend's 80 mm width
  EXPECT_EQ(raw.source_file, "test");
  // A grid: both black and white pixels.
  double lo, hi;
  cv::minMaxLoc(raw.image, &lo, &hi);
  EXPECT_LT(lo, 50);
  EXPECT_GT(hi, 200);
  auto end = (*scanner)->Next();
  ASSERT_TRUE(end.has_value());
  EXPECT_FALSE(end->has_value());
}

TEST_F(ScanTest, ColorAndLineartModes) {
  auto color =
      capture::OpenScanner(Settings(ScanSource::kFlatbed, ScanMode::kColor));
  ASSERT_TRUE(color.has_value()) << color.error().message;
  auto page = (*color)->Next();
  ASSERT_TRUE(page.has_value() && page->has_value());
  EXPECT_EQ((**page).image.type(), CV_8UC3);
  color->reset();
  auto lineart =
      capture::OpenScanner(Settings(ScanSource::kFlatbed, ScanMode::kLineart));
  ASSERT_TRUE(lineart.has_value()) << lineart.error().message;
  page = (*lineart)->Next();
  ASSERT_TRUE(page.has_value() && page->has_value())
      << (page ? "" : page.error().message);
  EXPECT_TRUE((**page).bilevel);
  EXPECT_EQ((**page).image.type(), CV_8UC1);
}

TEST_F(ScanTest, FeederBatchBecomesOneDocument) {
  auto scanner = capture::OpenScanner(Settings(ScanSource::kAdf));
  ASSERT_TRUE(scanner.has_value()) << scanner.error().message;
  auto report = pipeline::RunIngest(*station_.archive, Options(scanner->get()));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_FALSE(report->source_error.has_value());
  ASSERT_EQ(report->stored(), 1);
  EXPECT_EQ(report->pages, 10);  // the test backend's feeder holds 10 sheets
  const auto& rec = report->documents[0].record;
  EXPECT_EQ(rec.page_count, 10);
  EXPECT_EQ(rec.customer_code, station_.customer_a);
  EXPECT_EQ(rec.type, "form");
  auto pages = station_.archive->catalog().GetPages(rec.id, false);
  ASSERT_TRUE(pages.has_value());
  for (int i = 0; i < 10; ++i) EXPECT_EQ((*pages)[i].source_index, i);
}

TEST_F(ScanTest, DuplexOnASimplexFeederWarns) {
  auto scanner = capture::OpenScanner(Settings(ScanSource::kAdfDuplex));
  ASSERT_TRUE(scanner.has_value()) << scanner.error().message;
  auto report = pipeline::RunIngest(*station_.archive, Options(scanner->get()));
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->pages, 10);
  ASSERT_EQ(report->batch_warnings.size(), 1u);
  EXPECT_EQ(report->batch_warnings[0].code, "no-duplex");
}

TEST_F(ScanTest, ScannerErrorsAreClear) {
  auto jam = Settings(ScanSource::kAdf);
  jam.extra_options.push_back({"read-return-value", "SANE_STATUS_JAMMED"});
  auto scanner = capture::OpenScanner(jam);
  ASSERT_TRUE(scanner.has_value()) << scanner.error().message;
  auto page = (*scanner)->Next();
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().code, ErrorCode::kIo);
  EXPECT_NE(page.error().message.find("jammed"), std::string::npos)
      << page.error().message;
  EXPECT_NE(page.error().message.find("test"), std::string::npos);
  scanner->reset();  // the device is busy while open

  auto bad_option = Settings(ScanSource::kFlatbed);
  bad_option.extra_options = {{"test-picture", "Kittens"}};
  auto r = capture::OpenScanner(bad_option);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("Grid"), std::string::npos)
      << r.error().message;

  auto missing = Settings(ScanSource::kFlatbed);
  missing.device = "nosuchscanner:0";
  r = capture::OpenScanner(missing);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("nosuchscanner:0"), std::string::npos);
}

// Each open scanner has a driver process of its own; closing one must not
// wait on the other (a driver that kept a copy of the other's socket would
// never see its station leave, and would be killed only after its grace).
TEST_F(ScanTest, TwoScannersAtOnceEachInItsOwnDriver) {
  auto first = Settings(ScanSource::kFlatbed);
  first.device = "test:0";
  auto second = Settings(ScanSource::kFlatbed);
  second.device = "test:1";
  auto a = capture::OpenScanner(first);
  ASSERT_TRUE(a.has_value()) << a.error().message;
  auto b = capture::OpenScanner(second);
  ASSERT_TRUE(b.has_value()) << b.error().message;
  auto page_a = (*a)->Next();
  ASSERT_TRUE(page_a.has_value() && page_a->has_value());
  const auto start = std::chrono::steady_clock::now();
  a->reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10))
      << "closing one scanner waited for its driver's grace";
  auto page_b = (*b)->Next();
  ASSERT_TRUE(page_b.has_value()) << page_b.error().message;
  ASSERT_TRUE(page_b->has_value());
  EXPECT_EQ((**page_b).source_file, "test:1");
  // The first device is free again.
  auto again = capture::OpenScanner(first);
  ASSERT_TRUE(again.has_value()) << again.error().message;
}

TEST_F(ScanTest, NoScannerAtAll) {
  fs::path empty = tmp_.path() / "no-backends";
  fs::create_directories(empty);
  std::ofstream(empty / "dll.conf") << "\n";
  setenv("SANE_CONFIG_DIR", empty.string().c_str(), 1);
  auto r = capture::OpenScanner(ScanSettings{});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("no scanner found"), std::string::npos);
  auto devices = capture::ListScanners();
  ASSERT_TRUE(devices.has_value());
  EXPECT_TRUE(devices->empty());
}

// Fails after a number of good pages, like a jam in the middle of a stack.
class JamAfter final : public capture::PageSource {
 public:
  JamAfter(capture::PageSource& inner, int pages)
      : inner_(inner), left_(pages) {}
  Result<std::optional<capture::RawPage>> Next() override {
    if (left_-- == 0) {
      return MakeError(ErrorCode::kIo,
                       "scanner test: paper jammed in the document "
                       "feeder (page 4)");
    }
    return inner_.Next();
  }
  std::string Describe() const override { return inner_.Describe(); }

 private:
  capture::PageSource& inner_;
  int left_;
};

TEST_F(ScanTest, PagesScannedBeforeAJamAreKept) {
  auto scanner = capture::OpenScanner(Settings(ScanSource::kAdf));
  ASSERT_TRUE(scanner.has_value());
  JamAfter jamming(**scanner, 3);
  auto report = pipeline::RunIngest(*station_.archive, Options(&jamming));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_TRUE(report->source_error.has_value());
  EXPECT_NE(report->source_error->message.find("jammed"), std::string::npos);
  EXPECT_EQ(report->failed(), 1);
  ASSERT_EQ(report->stored(), 1);
  EXPECT_EQ(report->documents[0].record.page_count, 3);
}

TEST_F(ScanTest, ProfilesAndTheScanCommand) {
  const std::string dossier = testing::DossierBinary().string();
  const std::string archive =
      "--archive " + testing::ShellQuote(station_.archive->dir().string());
  station_.archive.reset();  // the commands below open it themselves
  auto run = [&](const std::string& args) {
    return testing::RunCommand(testing::ShellQuote(dossier) + " " + args + " " +
                               archive);
  };
  auto r =
      run("profile add office-adf --device test --dpi 75 --mode gray "
          "--source adf-duplex --set test-picture=Grid");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = run("profile add office-adf --device test");
  EXPECT_EQ(r.exit_code, 7) << r.out;  // exists
  r = run("profile list");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("office-adf"), std::string::npos);
  EXPECT_NE(r.out.find("adf-duplex"), std::string::npos);
  r = run("scan --list-devices");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("test:0"), std::string::npos);
  r = run("scan --profile office-adf --customer " + station_.customer_a +
          " --type contract --no-ocr");
  EXPECT_EQ(r.exit_code, 10) << r.out;  // stored, with the no-duplex warning
  EXPECT_NE(r.out.find("10 pages"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no-duplex"), std::string::npos);
  r = run("scan --profile office-adf --source flatbed --customer " +
          station_.customer_a + " --no-ocr");
  EXPECT_EQ(r.exit_code, 10) << r.out;  // a 75 dpi page has a low-dpi warning
  EXPECT_NE(r.out.find("1 pages"), std::string::npos) << r.out;
  r = run("scan --profile nosuch --customer " + station_.customer_a);
  EXPECT_EQ(r.exit_code, 3) << r.out;
  r = run("scan --device nosuchscanner:0 --customer " + station_.customer_a);
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("nosuchscanner:0"), std::string::npos);
  r =
      run("scan --device test --source adf --set "
          "read-return-value=SANE_STATUS_JAMMED "
          "--customer " +
          station_.customer_a + " --no-ocr");
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("jammed"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace dossier
