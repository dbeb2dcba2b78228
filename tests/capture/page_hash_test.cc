// Perceptual page hash (capture/page_hash.h): the same page re-encoded,
// rotated or rescanned stays within kLikelyDuplicateBits; different pages
// do not. Measured on generated forms and on the corpus pages, and printed.
#include "capture/page_hash.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "tests/support/test_support.h"

namespace dossier::capture {
namespace {

namespace fs = std::filesystem;

// The threshold pipeline/ingest.cc uses (kept equal by this test).
constexpr int kLikelyDuplicateBits = 40;

// A filled form at 200 dpi: the same layout (title, labelled boxes) for
// every `fill`, different filled-in text.
cv::Mat Form(int fill) {
  cv::Mat page(2339, 1654, CV_8UC1, cv::Scalar(250));
  cv::putText(page, "SERVICE APPLICATION FORM", {260, 200}, cv::FONT_HERSHEY_DUPLEX, 2.0,
              cv::Scalar(0), 4);
  const char* labels[] = {"Name", "Company", "Phone", "Address", "Amount", "Date"};
  std::mt19937 rng(1000 + fill);
  const char* names[] = {"Li Wei", "Zhang San", "Wang Fang", "Chen Jie", "Liu Yang",
                         "Zhao Min", "Sun Li", "Zhou Qiang", "Wu Hao", "Xu Lan"};
  for (int i = 0; i < 6; ++i) {
    const int y = 400 + i * 260;
    cv::putText(page, labels[i], {150, y}, cv::FONT_HERSHEY_SIMPLEX, 1.3, cv::Scalar(0), 3);
    cv::rectangle(page, {520, y - 70}, {1500, y + 40}, cv::Scalar(0), 3);
    std::string value =
        i == 0 ? names[fill % 10]
               : fmt::format("{} {}", labels[i], 100000 + rng() % 900000);
    cv::putText(page, value, {560, y}, cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 1.6,
                cv::Scalar(30), 3);
  }
  cv::rectangle(page, {150, 2000}, {1500, 2200}, cv::Scalar(0), 3);
  cv::putText(page, "Signature", {180, 2060}, cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(0), 2);
  return page;
}

// Re-encodes through a file of the given extension (and JPEG quality).
cv::Mat Reencode(const cv::Mat& page, const std::string& ext, int quality = 95) {
  std::vector<uchar> bytes;
  std::vector<int> params;
  if (ext == ".jpg") params = {cv::IMWRITE_JPEG_QUALITY, quality};
  EXPECT_TRUE(cv::imencode(ext, page, bytes, params));
  return cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
}

// The page scanned again: shifted on the glass, a little skewed, noisier.
cv::Mat Rescan(const cv::Mat& page, unsigned seed) {
  std::mt19937 rng(seed);
  const double dx = 20.0 + rng() % 30, dy = 15.0 + rng() % 30;
  const double angle = 0.3 + (rng() % 40) / 100.0;
  cv::Mat m = cv::getRotationMatrix2D({page.cols / 2.0f, page.rows / 2.0f}, angle, 1.0);
  m.at<double>(0, 2) += dx;
  m.at<double>(1, 2) += dy;
  cv::Mat out;
  cv::warpAffine(page, out, m, page.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(245));
  cv::Mat noise(out.size(), CV_16SC1);
  cv::randn(noise, 0, 6);
  cv::Mat o16;
  out.convertTo(o16, CV_16SC1);
  o16 += noise;
  o16.convertTo(out, CV_8UC1);
  return out;
}

// Distance from a stored upright page to a new page, any quarter turn.
int Distance(const cv::Mat& stored, const cv::Mat& incoming, double dpi) {
  const PageHashValue a = PerceptualHash(stored, dpi);
  int best = kPageHashBits;
  for (const PageHashValue& h : PerceptualHashes(incoming, dpi)) {
    best = std::min(best, HammingDistance(a, h));
  }
  return best;
}

TEST(PageHash, HexRoundTrip) {
  PageHashValue h, v;
  v.words = {0x0123456789abcdefULL, 1, 2, 0xffffffffffffffffULL};
  ASSERT_TRUE(ParseHashHex(HashHex(v), &h));
  EXPECT_EQ(h.words, v.words);
  EXPECT_FALSE(ParseHashHex("xyz", &h));
  EXPECT_TRUE(PerceptualHash(cv::Mat(100, 100, CV_8UC1, cv::Scalar(255)), 75).empty())
      << "a page without ink has no hash";
}

TEST(PageHash, TheSamePageAgainIsClose) {
  const cv::Mat page = Form(0);
  cv::Mat turned90, turned180;
  cv::rotate(page, turned90, cv::ROTATE_90_CLOCKWISE);
  cv::rotate(page, turned180, cv::ROTATE_180);
  const std::vector<std::pair<std::string, cv::Mat>> variants = {
      {"JPEG quality 30", Reencode(page, ".jpg", 30)},
      {"JPEG quality 90", Reencode(page, ".jpg", 90)},
      {"PNG", Reencode(page, ".png")},
      {"TIFF", Reencode(page, ".tif")},
      {"turned 90 degrees", turned90},
      {"turned 180 degrees", turned180},
      {"rescanned (shift, skew, noise)", Rescan(page, 1)},
      {"rescanned again", Rescan(page, 2)},
      {"rescanned, JPEG 50, turned 180", [&] {
         cv::Mat r = Reencode(Rescan(page, 3), ".jpg", 50), t;
         cv::rotate(r, t, cv::ROTATE_180);
         return t;
       }()},
  };
  int worst = 0;
  for (const auto& [what, variant] : variants) {
    const int d = Distance(page, variant, 200);
    worst = std::max(worst, d);
    std::printf("[ phash ] same page, %s: %d bits\n", what.c_str(), d);
    EXPECT_LE(d, kLikelyDuplicateBits) << what;
  }
  std::printf("[ phash ] same page: worst %d of 256 bits (threshold %d)\n", worst,
              kLikelyDuplicateBits);
}

TEST(PageHash, DistinctCorpusPagesAreNotClose) {
  // Forms of one layout filled differently: the hash alone does not tell
  // them apart (their frames dominate the ink), which is why ingest asks
  // the OCR text as well (tests/pipeline: LikelyDuplicates). Printed, so
  // the number is seen.
  std::vector<cv::Mat> forms;
  for (int i = 0; i < 8; ++i) forms.push_back(Form(i));
  int pairs = 0, close = 0, min_d = kPageHashBits;
  for (size_t i = 0; i < forms.size(); ++i) {
    for (size_t j = i + 1; j < forms.size(); ++j) {
      const int d = Distance(forms[i], forms[j], 200);
      ++pairs;
      min_d = std::min(min_d, d);
      if (d <= kLikelyDuplicateBits) ++close;
    }
  }
  std::printf("[ phash ] same-layout forms, different fill: %d of %d pairs within %d "
              "bits (closest %d)\n",
              close, pairs, kLikelyDuplicateBits, min_d);
  // Real pages of the corpus: distinct documents, must not be close.
  std::vector<std::pair<std::string, cv::Mat>> corpus;
  for (const char* sub : {"funsd", "sroie", "zh-synth", "tesseract-test"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(testing::CorpusDir() / sub, ec)) {
      const std::string ext = e.path().extension().string();
      if (ext != ".png" && ext != ".jpg" && ext != ".tif") continue;
      cv::Mat img = cv::imread(e.path().string(), cv::IMREAD_GRAYSCALE);
      if (!img.empty()) corpus.push_back({e.path().filename().string(), img});
    }
  }
  ASSERT_GE(corpus.size(), 20u) << "corpus pages missing under " << testing::CorpusDir();
  int cpairs = 0, cclose = 0, cmin = kPageHashBits, same_pairs = 0, same_found = 0;
  std::string closest;
  for (size_t i = 0; i < corpus.size(); ++i) {
    for (size_t j = i + 1; j < corpus.size(); ++j) {
      const int d = Distance(corpus[i].second, corpus[j].second, 150);
      // tesseract-test's phototest* files are one page, turned: true
      // duplicates, which the hash must find.
      const bool same_page = corpus[i].first.starts_with("phototest") &&
                             corpus[j].first.starts_with("phototest");
      if (same_page) {
        ++same_pairs;
        if (d <= kLikelyDuplicateBits) ++same_found;
        continue;
      }
      ++cpairs;
      if (d < cmin) {
        cmin = d;
        closest = corpus[i].first + " / " + corpus[j].first;
      }
      if (d <= kLikelyDuplicateBits) {
        ++cclose;
        ADD_FAILURE() << "distinct corpus pages look alike: " << corpus[i].first << " / "
                      << corpus[j].first << " (" << d << " bits)";
      }
    }
  }
  std::printf("[ phash ] corpus: %zu pages; distinct pages: %d of %d pairs within %d "
              "bits (closest %d: %s); the same page turned: %d of %d pairs found\n",
              corpus.size(), cclose, cpairs, kLikelyDuplicateBits, cmin, closest.c_str(),
              same_found, same_pairs);
  EXPECT_EQ(same_found, same_pairs);
}

}  // namespace
}  // namespace dossier::capture
