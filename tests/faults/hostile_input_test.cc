// Hostile inputs through the real `dossier ingest`, each in a batch with good
// files: a thin PNG that made OpenCV abort, a FIFO and /dev/zero that hung,
// a 3 GB sparse file read whole, a name that is not UTF-8 on a page with a
// warning (a JSON exception), a JPEG with flipped bits stored as a good
// page, and a page too large for a PDF. In each case the good files are
// stored and the bad one gets "dossier: error: <file>: <reason>".
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <sstream>

#include "tests/support/test_support.h"

namespace dossier::faults {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ShellQuote;

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = tmp_.path() / "archive";
    in_ = tmp_.path() / "in";
    fs::create_directories(in_);
    ASSERT_EQ(Dossier("init").exit_code, 0);
    auto customer = Dossier("customer add --name 上海明川贸易有限公司 --phone 13800138000");
    ASSERT_EQ(customer.exit_code, 0) << customer.out;
    customer_ = customer.out.substr(0, customer.out.find_first_of("\t \n"));
    // Two good pages, different content.
    for (int i = 0; i < 2; ++i) {
      cv::Mat page(300, 240, CV_8UC1, cv::Scalar(255));
      cv::rectangle(page, {20, 20 + 60 * i}, {200, 60 + 60 * i}, cv::Scalar(0), -1);
      good_.push_back(in_ / ("good" + std::to_string(i + 1) + ".png"));
      cv::imwrite(good_.back().string(), page);
    }
  }

  // stdout and stderr, as an open-station admin; stdin from /dev/null.
  CommandResult Dossier(const std::string& args) {
    return testing::RunCommand(
        "env -u DOSSIER_SESSION -u DOSSIER_PASSWORD DOSSIER_USER=admin " +
        ShellQuote(testing::DossierBinary().string()) + " --archive " +
        ShellQuote(archive_.string()) + " " + args + " </dev/null 2>&1");
  }

  // Ingests good1, bad, good2 (null OCR) and checks the batch's shape: the
  // good pages stored, the bad one failed alone with an error naming it.
  // Returns the error's reason.
  std::string IngestBetweenGood(const fs::path& bad, const std::string& extra = "") {
    auto r = Dossier("ingest " + ShellQuote(good_[0].string()) + " " +
                     ShellQuote(bad.string()) + " " + ShellQuote(good_[1].string()) +
                     " --customer " + customer_ + " --no-ocr " + extra);
    last_ = r;
    EXPECT_EQ(r.exit_code, 11) << r.out;  // some failed, the rest stored
    EXPECT_NE(r.out.find("+ " + good_[0].string() + " -> "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("+ " + good_[1].string() + " -> "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Stored 2 document(s), 0 duplicate(s), 1 failed"),
              std::string::npos)
        << r.out;
    const std::string prefix = "dossier: error: " + bad.string() + ": ";
    const size_t at = r.out.find(prefix);
    EXPECT_NE(at, std::string::npos) << r.out;
    if (at == std::string::npos) return "";
    const size_t from = at + prefix.size();
    return r.out.substr(from, r.out.find('\n', from) - from);
  }

  testing::TempDir tmp_;
  fs::path archive_;
  fs::path in_;
  std::string customer_;
  std::vector<fs::path> good_;
  CommandResult last_;
};

TEST_F(HostileInput, ThinPngsFailAloneInsteadOfAbortingTheBatch) {
  const fs::path strip = in_ / "strip-5000x1.png";
  const fs::path ribbon = in_ / "ribbon-60000x2.png";
  ASSERT_TRUE(cv::imwrite(strip.string(), cv::Mat(1, 5000, CV_8UC1, cv::Scalar(255))));
  ASSERT_TRUE(cv::imwrite(ribbon.string(), cv::Mat(2, 60000, CV_8UC1, cv::Scalar(128))));
  EXPECT_NE(IngestBetweenGood(strip).find("5000x1 pixels is too small"), std::string::npos)
      << last_.out;
  // Same good pages again: duplicates, so use fresh ones for the second.
  fs::remove_all(archive_);
  SetUp();
  EXPECT_NE(IngestBetweenGood(ribbon).find("60000x2 pixels is too small"),
            std::string::npos)
      << last_.out;
}

TEST_F(HostileInput, FifoNamedPngIsRefusedWithoutBeingOpenedForReading) {
  const fs::path fifo = in_ / "scanner-pipe.png";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Without the fix the ingest blocks in open() for ever; the test's own
  // ctest timeout is the bound.
  EXPECT_NE(IngestBetweenGood(fifo).find("is a FIFO (named pipe), not a regular file"),
            std::string::npos)
      << last_.out;
}

TEST_F(HostileInput, DevZeroIsRefusedAsADevice) {
  EXPECT_NE(IngestBetweenGood("/dev/zero").find("is a character device, not a regular file"),
            std::string::npos)
      << last_.out;
}

TEST_F(HostileInput, HugeSparseFileIsRefusedFromItsSizeNamingTheLimit) {
  const fs::path huge = in_ / "huge-sparse.tif";
  { std::ofstream(huge, std::ios::binary) << std::string("II*\0", 4); }
  fs::resize_file(huge, std::uintmax_t{3} << 30);  // 3 GB, sparse
  const std::string reason = IngestBetweenGood(huge);
  EXPECT_NE(reason.find("file of 3072.0 MB exceeds the limit of 1024 MB"),
            std::string::npos)
      << last_.out;
  EXPECT_NE(reason.find("without reading it"), std::string::npos) << reason;
}

TEST_F(HostileInput, AbsurdPageSizeIsAClearErrorNotALibharuCode) {
  // 40000 pixels at 50 dpi: a page 20 m wide.
  const fs::path wide = in_ / "wide.tif";
  cv::Mat page(64, 40000, CV_8UC1, cv::Scalar(255));
  cv::rectangle(page, {100, 10}, {39000, 50}, cv::Scalar(0), -1);
  ASSERT_TRUE(cv::imwrite(wide.string(), page,
                          {cv::IMWRITE_TIFF_XDPI, 50, cv::IMWRITE_TIFF_YDPI, 50,
                           cv::IMWRITE_TIFF_RESUNIT, 2}));
  const std::string reason = IngestBetweenGood(wide);
  EXPECT_NE(reason.find("a PDF page must be between"), std::string::npos) << last_.out;
  EXPECT_EQ(reason.find("libharu error"), std::string::npos) << reason;
}

std::string IdOf(const std::string& out, const fs::path& input);

TEST_F(HostileInput, NonUtf8NameOnAPageWithAWarningIsEscapedInJson) {
  // The PNG records no resolution, so its page gets an assumed-dpi warning
  // naming the file: dumping that warning threw a JSON exception.
  const fs::path odd = in_ / std::string("scan-\xB2\xE2\xCA\xD4-gbk.png");
  fs::copy_file(good_[0], odd);
  { std::ofstream(odd, std::ios::binary | std::ios::app) << "x"; }  // new content
  auto r = Dossier("ingest " + ShellQuote(good_[0].string()) + " " +
                   ShellQuote(odd.string()) + " " + ShellQuote(good_[1].string()) +
                   " --customer " + customer_ + " --no-ocr");
  EXPECT_EQ(r.exit_code, 10) << r.out;  // stored, with warnings
  EXPECT_NE(r.out.find("Stored 3 document(s), 0 duplicate(s), 0 failed"),
            std::string::npos)
      << r.out;
  auto show = Dossier("show " + IdOf(r.out, odd) + " --json");
  ASSERT_EQ(show.exit_code, 0) << show.out;
  auto doc = nlohmann::json::parse(show.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << show.out;
  const std::string escaped = "scan-\\xB2\\xE2\\xCA\\xD4-gbk.png";
  // The parsed strings hold the escape as text: backslash, x, two digits.
  EXPECT_EQ(doc["title"], "scan-\\xB2\\xE2\\xCA\\xD4-gbk") << show.out;
  bool warned = false;
  for (const auto& w : doc["warnings"]) {
    warned |= w["message"].get<std::string>().find(escaped) != std::string::npos;
  }
  EXPECT_TRUE(warned) << show.out;
  // The access log keeps the name, escaped the same way.
  auto log = Dossier("log show --json");
  ASSERT_EQ(log.exit_code, 0) << log.out;
  bool logged = false;
  std::istringstream lines(log.out);
  for (std::string line; std::getline(lines, line);) {
    auto entry = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(entry.is_discarded()) << line;
    for (const auto& arg : entry["args"]) {
      logged |= arg.get<std::string>().find(escaped) != std::string::npos;
    }
  }
  EXPECT_TRUE(logged) << log.out;
}

// The document id that ingest printed for input ("+ <input> -> D000002 ...").
std::string IdOf(const std::string& out, const fs::path& input) {
  const std::string prefix = "+ " + input.string() + " -> ";
  const size_t at = out.find(prefix);
  if (at == std::string::npos) return "(not stored)";
  return out.substr(at + prefix.size(), 7);
}

std::string FlippedBitJpeg(const fs::path& to) {
  cv::Mat page(1200, 900, CV_8UC1, cv::Scalar(255));
  for (int y = 50; y < 1150; y += 40) {
    cv::putText(page, "The quick brown fox jumps", {40, y}, cv::FONT_HERSHEY_SIMPLEX,
                1.0, cv::Scalar(0), 2);
  }
  std::vector<uchar> bytes;
  cv::imencode(".jpg", page, bytes, {cv::IMWRITE_JPEG_QUALITY, 90});
  // Ten flipped bits in the entropy-coded data, well after the headers.
  for (int k = 0; k < 10; ++k) bytes[bytes.size() / 3 + k * 1013] ^= 0x10;
  std::ofstream(to, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  return to.string();
}

TEST_F(HostileInput, FlippedBitJpegIsFlaggedForReview) {
  const fs::path bad = in_ / "flipped.jpg";
  FlippedBitJpeg(bad);
  auto r = Dossier("ingest " + ShellQuote(good_[0].string()) + " " +
                   ShellQuote(bad.string()) + " " + ShellQuote(good_[1].string()) +
                   " --customer " + customer_ + " --no-ocr");
  EXPECT_EQ(r.exit_code, 10) << r.out;
  EXPECT_NE(r.out.find("Stored 3 document(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("warning [corrupt-data] " + bad.string() +
                       " page 1: the JPEG decoder (libjpeg) reported"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("warning [needs-review] " + bad.string() + ": 1 page(s) decoded "
                       "from corrupt data"),
            std::string::npos)
      << r.out;
  // libjpeg's own message goes into the warning, not to stderr.
  EXPECT_EQ(r.out.find("\nCorrupt JPEG data"), std::string::npos) << r.out;
  auto show = Dossier("show " + IdOf(r.out, bad) + " --json");
  auto doc = nlohmann::json::parse(show.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << show.out;
  std::set<std::string> codes;
  for (const auto& w : doc["warnings"]) codes.insert(w["code"]);
  EXPECT_TRUE(codes.contains("corrupt-data")) << show.out;
  EXPECT_TRUE(codes.contains("needs-review")) << show.out;
}

TEST_F(HostileInput, FlippedBitJpegIsRefusedWithStrict) {
  const fs::path bad = in_ / "flipped.jpg";
  FlippedBitJpeg(bad);
  const std::string reason = IngestBetweenGood(bad, "--strict");
  EXPECT_NE(reason.find("refused (--strict): " + bad.string() +
                        " page 1: the JPEG decoder (libjpeg) reported"),
            std::string::npos)
      << last_.out;
}

}  // namespace
}  // namespace dossier::faults
