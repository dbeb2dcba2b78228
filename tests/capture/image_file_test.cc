#include "capture/image_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/file_util.h"
#include "tests/support/test_support.h"

namespace dossier::capture {
namespace {

namespace fs = std::filesystem;

cv::Mat TextPage() {
  cv::Mat page(600, 500, CV_8UC1, cv::Scalar(255));
  cv::putText(page, "Dossier test page", {30, 100}, cv::FONT_HERSHEY_SIMPLEX, 1.2,
              cv::Scalar(0), 2);
  return page;
}

fs::path WritePng(const fs::path& dir, const std::string& name) {
  fs::path p = dir / name;
  cv::imwrite(p.string(), TextPage());
  return p;
}

TEST(ReadImageFile, ReadsPngWithItsSize) {
  testing::TempDir dir;
  auto pages = ReadImageFile(WritePng(dir.path(), "a.png"));
  ASSERT_TRUE(pages.has_value()) << pages.error().message;
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_EQ((*pages)[0].image.cols, 500);
  EXPECT_EQ((*pages)[0].image.rows, 600);
  EXPECT_EQ((*pages)[0].image.channels(), 1);
}

TEST(ReadImageFile, ReadsEveryPageOfAMultiPageTiff) {
  testing::TempDir dir;
  fs::path p = dir.path() / "multi.tif";
  std::vector<cv::Mat> pages = {TextPage(), TextPage(), TextPage()};
  ASSERT_TRUE(cv::imwritemulti(p.string(), pages));
  auto read = ReadImageFile(p);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 3u);
  EXPECT_EQ((*read)[2].source_index, 2);
}

TEST(ReadImageFile, ReadsBilevelG4TiffWithResolution) {
  fs::path g4 = testing::CorpusDir() / "zh-synth" / "zhsyn-101-03-registration.tif";
  auto read = ReadImageFile(g4);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 1u);
  EXPECT_TRUE((*read)[0].bilevel);
  EXPECT_NEAR((*read)[0].dpi, 300, 1);
  EXPECT_GT((*read)[0].image.cols, 2000);
}

TEST(ReadImageFile, RefusesZeroByteFile) {
  testing::TempDir dir;
  fs::path p = dir.path() / "empty.png";
  std::ofstream(p).close();
  auto read = ReadImageFile(p);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kCorruptInput);
  EXPECT_NE(read.error().message.find("empty.png"), std::string::npos);
  EXPECT_NE(read.error().message.find("empty"), std::string::npos);
}

TEST(ReadImageFile, RefusesTruncatedPngAndJpeg) {
  testing::TempDir dir;
  for (const char* ext : {".png", ".jpg"}) {
    fs::path full = dir.path() / (std::string("full") + ext);
    cv::imwrite(full.string(), TextPage());
    auto bytes = ReadFile(full);
    ASSERT_TRUE(bytes.has_value());
    fs::path cut = dir.path() / (std::string("cut") + ext);
    ASSERT_TRUE(WriteFileAtomic(cut, std::string_view(*bytes).substr(0, bytes->size() / 2)));
    auto read = ReadImageFile(cut);
    ASSERT_FALSE(read.has_value()) << ext;
    EXPECT_EQ(read.error().code, ErrorCode::kCorruptInput);
    EXPECT_NE(read.error().message.find("truncated"), std::string::npos);
  }
}

TEST(ReadImageFile, RefusesTextFileNamedTif) {
  testing::TempDir dir;
  fs::path p = dir.path() / "notes.tif";
  ASSERT_TRUE(WriteFileAtomic(p, std::string_view("just some text\n")));
  auto read = ReadImageFile(p);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(read.error().message.find("notes.tif"), std::string::npos);
  EXPECT_NE(read.error().message.find("not a PNG, JPEG or TIFF"), std::string::npos);
}

TEST(ReadImageFile, RefusesAnEmptyPdfAndMissingFile) {
  testing::TempDir dir;
  fs::path pdf = dir.path() / "scan.pdf";
  ASSERT_TRUE(WriteFileAtomic(pdf, std::string_view("%PDF-1.4\n%%EOF\n")));
  auto read = ReadImageFile(pdf);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kCorruptInput);
  EXPECT_NE(read.error().message.find("scan.pdf: damaged PDF"), std::string::npos)
      << read.error().message;
  auto missing = ReadImageFile(dir.path() / "missing.png");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(ReadImageFile, RefusesImagesOverTheMegapixelLimit) {
  testing::TempDir dir;
  ImageFileOptions options;
  options.max_megapixels = 0.1;  // the test page is 0.3 MP
  auto read = ReadImageFile(WritePng(dir.path(), "big.png"), options);
  ASSERT_FALSE(read.has_value());
  EXPECT_NE(read.error().message.find("exceeds the limit"), std::string::npos);
}

TEST(ReadImageFile, NeverChangesTheInput) {
  testing::TempDir dir;
  fs::path p = WritePng(dir.path(), "keep.png");
  auto before = ReadFile(p);
  auto mtime = fs::last_write_time(p);
  ASSERT_TRUE(ReadImageFile(p).has_value());
  EXPECT_EQ(*ReadFile(p), *before);
  EXPECT_EQ(fs::last_write_time(p), mtime);
}

}  // namespace
}  // namespace dossier::capture
