#include "capture/cleanup.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <random>

namespace dossier::capture {
namespace {

// A 300 dpi A4-like page of text lines (Hershey font), rotated by
// skew_degrees counter-clockwise (lines rise to the right for positive).
cv::Mat SkewedTextPage(double skew_degrees, unsigned seed = 1) {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(255));
  std::mt19937 rng(seed);
  const char* words[] = {"contract", "customer", "archive", "record", "service",
                         "payment", "clause", "party", "signed", "date"};
  for (int y = 300; y < 3200; y += 80) {
    std::string line;
    while (line.size() < 60) line += std::string(words[rng() % 10]) + " ";
    cv::putText(page, line, {200, y}, cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0),
                3);
  }
  cv::Mat rot = cv::getRotationMatrix2D({1240, 1754}, skew_degrees, 1.0);
  cv::Mat out;
  cv::warpAffine(page, out, rot, page.size(), cv::INTER_LINEAR,
                 cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

RawPage Raw(cv::Mat image) {
  RawPage raw;
  raw.image = std::move(image);
  raw.dpi = 300;
  raw.source_file = "test.png";
  return raw;
}

class DeskewAccuracy : public ::testing::TestWithParam<double> {};

TEST_P(DeskewAccuracy, WithinTwoTenthsOfADegree) {
  const double skew = GetParam();
  SkewEstimate e = MeasureSkew(SkewedTextPage(skew), 10.0);
  EXPECT_NEAR(e.degrees, skew, 0.2) << "true skew " << skew;
  EXPECT_GT(e.confidence, 2.5);
}

INSTANTIATE_TEST_SUITE_P(Angles, DeskewAccuracy,
                         ::testing::Values(-9.5, -6.0, -3.0, -1.2, -0.4, 0.0, 0.7,
                                           2.5, 4.0, 8.0, 9.5));

TEST(Deskew, LevelsThePage) {
  auto page = Prepare(Raw(SkewedTextPage(3.0)), {});
  ASSERT_TRUE(page.has_value());
  CleanPage level = Deskew(*page, {});
  EXPECT_NEAR(level.skew, 3.0, 0.2);
  SkewEstimate after = MeasureSkew(level.gray, 10.0);
  EXPECT_NEAR(after.degrees, 0.0, 0.2);
}

TEST(Prepare, BlankPageIsBlankAndFaintTextIsNot) {
  cv::Mat blank(3508, 2480, CV_8UC1, cv::Scalar(235));
  cv::Mat noise(blank.size(), CV_8UC1);
  cv::randn(noise, 0, 4);
  cv::Mat noisy_blank = blank + noise;
  auto b = Prepare(Raw(noisy_blank), {});
  ASSERT_TRUE(b.has_value());
  EXPECT_TRUE(b->blank);

  // One faint short line of text in the middle of an otherwise empty page.
  cv::Mat faint = noisy_blank.clone();
  cv::putText(faint, "received 2026-03-05", {900, 1700}, cv::FONT_HERSHEY_SIMPLEX,
              1.4, cv::Scalar(150), 3);
  auto f = Prepare(Raw(faint), {});
  ASSERT_TRUE(f.has_value());
  EXPECT_FALSE(f->blank);
}

TEST(Prepare, KeepsColourOnlyWhenThePageHasColour) {
  cv::Mat gray_bgr(1000, 800, CV_8UC3, cv::Scalar(240, 240, 240));
  cv::putText(gray_bgr, "text", {100, 200}, cv::FONT_HERSHEY_SIMPLEX, 2,
              cv::Scalar(20, 20, 20), 3);
  auto g = Prepare(Raw(gray_bgr), {});
  ASSERT_TRUE(g.has_value());
  EXPECT_FALSE(g->has_color);

  cv::Mat sealed = gray_bgr.clone();
  cv::circle(sealed, {500, 600}, 120, cv::Scalar(30, 30, 220), 8);  // red seal
  auto s = Prepare(Raw(sealed), {});
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->has_color);
  PageImage image = EncodeForArchive(*s, {});
  EXPECT_EQ(image.channels, 3);
  EXPECT_EQ(image.encoding, PageImage::Encoding::kJpeg);
}

TEST(Rotate, QuarterTurnsSwapSidesAndAccumulate) {
  auto page = Prepare(Raw(cv::Mat(300, 200, CV_8UC1, cv::Scalar(255))), {});
  ASSERT_TRUE(page.has_value());
  CleanPage r = Rotate(*page, 90);
  EXPECT_EQ(r.gray.cols, 300);
  EXPECT_EQ(r.gray.rows, 200);
  EXPECT_EQ(Rotate(r, 270).rotation, 0);
}

TEST(EncodeForArchive, BilevelSourceStaysBilevelAndKeepsDpi) {
  RawPage raw = Raw(SkewedTextPage(0.0));
  raw.bilevel = true;
  raw.dpi = 300;
  auto page = Prepare(raw, {});
  ASSERT_TRUE(page.has_value());
  PageImage image = EncodeForArchive(*page, {});
  EXPECT_EQ(image.encoding, PageImage::Encoding::kBilevel);
  EXPECT_EQ(image.bytes.size(), static_cast<size_t>((2480 + 7) / 8) * 3508);
  EXPECT_DOUBLE_EQ(image.dpi, 300);
  // Text pixels are black (bit set), the margin white.
  EXPECT_EQ(image.bytes[0], 0);
}

TEST(Prepare, WarnsAboutLowResolution) {
  RawPage raw = Raw(cv::Mat(1100, 850, CV_8UC1, cv::Scalar(255)));
  raw.dpi = 100;
  auto page = Prepare(raw, {});
  ASSERT_TRUE(page.has_value());
  ASSERT_FALSE(page->warnings.empty());
  EXPECT_EQ(page->warnings[0].code, "low-dpi");
}

}  // namespace
}  // namespace dossier::capture

namespace dossier::capture {
namespace {

TEST(RemoveScannerMarks, PaintsBordersAndPunchHolesButNotText) {
  cv::Mat page = SkewedTextPage(0.0);
  page(cv::Rect(0, 0, 60, page.rows)).setTo(cv::Scalar(20));  // dark left border
  const double mm = 300 / 25.4;
  for (int y : {1000, 2500}) {
    cv::circle(page, {static_cast<int>(12 * mm), y}, static_cast<int>(3 * mm),
               cv::Scalar(10), cv::FILLED);
  }
  ScannerMarks marks = RemoveScannerMarks(page, 300);
  EXPECT_EQ(marks.borders, 1);
  EXPECT_EQ(marks.holes, 2);
  EXPECT_EQ(marks.gray.at<uchar>(1754, 30), 255);
  EXPECT_EQ(marks.gray.at<uchar>(1000, static_cast<int>(12 * mm)), 255);
  // The text lines are untouched.
  cv::Mat text_before = page(cv::Rect(200, 250, 2000, 2900));
  cv::Mat text_after = marks.gray(cv::Rect(200, 250, 2000, 2900));
  EXPECT_EQ(cv::countNonZero(text_before != text_after), 0);
}

TEST(Prepare, WarnsAboutBlurredDarkAndCutOffPages) {
  cv::Mat sharp = SkewedTextPage(0.0);
  auto ok = Prepare(Raw(sharp), {});
  ASSERT_TRUE(ok.has_value());
  for (const auto& w : ok->warnings) ADD_FAILURE() << "unexpected " << w.code;

  cv::Mat blurred;
  cv::GaussianBlur(sharp, blurred, {0, 0}, 6.0);
  auto b = Prepare(Raw(blurred), {});
  ASSERT_TRUE(b.has_value());
  EXPECT_TRUE(std::any_of(b->warnings.begin(), b->warnings.end(),
                          [](const Warning& w) { return w.code == "blurred"; }));

  cv::Mat dark = sharp * 0.35;
  auto d = Prepare(Raw(dark), {});
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(std::any_of(d->warnings.begin(), d->warnings.end(),
                          [](const Warning& w) { return w.code == "too-dark"; }));

  // Text lines run off the right edge.
  cv::Mat cut = sharp(cv::Rect(0, 0, 1500, sharp.rows)).clone();
  auto c = Prepare(Raw(cut), {});
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(std::any_of(c->warnings.begin(), c->warnings.end(),
                          [](const Warning& w) { return w.code == "cut-off"; }));
}

}  // namespace
}  // namespace dossier::capture
