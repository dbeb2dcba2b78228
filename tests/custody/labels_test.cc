// Label sheets must decode: render with pdftoppm at 300 dpi and read every
// barcode back; a composed, slightly rotated "shelf photo" must decode too.
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

#include "archive/labels.h"
#include "archive/report.h"
#include "capture/barcode.h"
#include "gtest/gtest.h"
#include "storage/sqlite/custody.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

using dossier::testing::RunCommand;
using dossier::testing::ShellQuote;
using dossier::testing::TempDir;

std::vector<archive::Label> OriginalLabels(int n, int first = 1) {
  std::vector<archive::Label> labels;
  for (int i = 0; i < n; ++i) {
    labels.push_back({storage::OriginalBarcode(first + i), "",
                      "上海明川贸易有限公司", "服务合同 第" + std::to_string(i) + "号"});
  }
  return labels;
}

// Renders every page at 300 dpi; returns the PNG files in page order.
std::vector<std::filesystem::path> Render(const std::string& pdf,
                                          const std::filesystem::path& dir) {
  const auto file = dir / "labels.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  auto r = RunCommand("pdftoppm -r 300 -gray -png " + ShellQuote(file.string()) +
                      " " + ShellQuote((dir / "page").string()));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::vector<std::filesystem::path> pages;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".png") pages.push_back(e.path());
  }
  std::sort(pages.begin(), pages.end());
  return pages;
}

std::set<std::string> DecodeAll(const std::vector<std::filesystem::path>& pages) {
  std::set<std::string> found;
  for (const auto& p : pages) {
    auto codes = capture::DecodeBarcodesInFile(p, {.extra_angles = {}});
    EXPECT_TRUE(codes) << codes.error().message;
    if (!codes) continue;
    for (const auto& c : *codes) found.insert(c.text);
  }
  return found;
}

std::set<std::string> Texts(const std::vector<archive::Label>& labels) {
  std::set<std::string> s;
  for (const auto& l : labels) s.insert(l.barcode);
  return s;
}

struct StockCase {
  const char* stock;
  archive::Symbology symbology;
  int count;
  int skip;
};

class LabelSheetTest : public ::testing::TestWithParam<StockCase> {};

TEST_P(LabelSheetTest, EveryPrintedBarcodeDecodes) {
  const StockCase c = GetParam();
  auto stock = archive::FindLabelStock(c.stock);
  ASSERT_TRUE(stock) << stock.error().message;
  auto labels = OriginalLabels(c.count);
  archive::LabelSheetOptions options;
  options.stock = *stock;
  options.symbology = c.symbology;
  options.skip = c.skip;
  auto pdf = archive::WriteLabelSheet(labels, options);
  ASSERT_TRUE(pdf) << pdf.error().message;
  TempDir dir;
  auto pages = Render(*pdf, dir.path());
  const int per_page = stock->columns * stock->rows;
  EXPECT_EQ(static_cast<int>(pages.size()),
            (c.count + c.skip + per_page - 1) / per_page);
  EXPECT_EQ(DecodeAll(pages), Texts(labels));
}

INSTANTIATE_TEST_SUITE_P(
    Stocks, LabelSheetTest,
    ::testing::Values(
        StockCase{"a4-3x8", archive::Symbology::kCode128, 26, 0},
        StockCase{"a4-2x7", archive::Symbology::kCode128, 10, 5},
        StockCase{"a4-3x8", archive::Symbology::kQrCode, 24, 0},
        StockCase{"single-62x29", archive::Symbology::kCode128, 2, 0},
        StockCase{"single-100x50", archive::Symbology::kQrCode, 1, 0}),
    [](const ::testing::TestParamInfo<StockCase>& info) {
      std::string name = std::string(info.param.stock) +
                         (info.param.symbology == archive::Symbology::kQrCode
                              ? "_qr"
                              : "_code128");
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name + "_" + std::to_string(info.index);
    });

TEST(LabelSheetTest, LocationLabelsDecode) {
  std::vector<archive::Label> labels;
  for (int i = 1; i <= 6; ++i) {
    labels.push_back({storage::LocationBarcode(i),
                      "A-03-2-0" + std::to_string(10 + i), "档案室 A",
                      "box, restricted"});
  }
  archive::LabelSheetOptions options;
  options.stock = *archive::FindLabelStock("a4-2x7");
  auto pdf = archive::WriteLabelSheet(labels, options);
  ASSERT_TRUE(pdf) << pdf.error().message;
  TempDir dir;
  EXPECT_EQ(DecodeAll(Render(*pdf, dir.path())), Texts(labels));
}

TEST(LabelSheetTest, RefusesWhatCannotBePrinted) {
  archive::LabelSheetOptions options;
  options.stock = *archive::FindLabelStock("a4-3x8");
  EXPECT_FALSE(archive::WriteLabelSheet({}, options));
  EXPECT_FALSE(archive::FindLabelStock("a5-1x1"));
  options.skip = 24;
  auto labels = OriginalLabels(1);
  EXPECT_FALSE(archive::WriteLabelSheet(labels, options));
  options.skip = 0;
  std::vector<archive::Label> long_one{{std::string(60, 'X'), "", "", ""}};
  auto r = archive::WriteLabelSheet(long_one, options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

// Single labels composed on a grey "shelf", each slightly rotated, the
// whole photo blurred and noisy: every barcode and QR code decodes.
TEST(ShelfPhotoTest, DecodesEveryLabelInAPhoto) {
  TempDir dir;
  std::vector<archive::Label> labels = OriginalLabels(6, 40);
  archive::LabelSheetOptions options;
  options.stock = *archive::FindLabelStock("single-62x29");
  std::vector<archive::Label> code128(labels.begin(), labels.begin() + 4);
  std::vector<archive::Label> qr(labels.begin() + 4, labels.end());
  auto pdf1 = archive::WriteLabelSheet(code128, options);
  options.stock = *archive::FindLabelStock("single-100x50");
  options.symbology = archive::Symbology::kQrCode;
  auto pdf2 = archive::WriteLabelSheet(qr, options);
  ASSERT_TRUE(pdf1 && pdf2);
  std::filesystem::create_directories(dir.path() / "a");
  std::filesystem::create_directories(dir.path() / "b");
  auto pages = Render(*pdf1, dir.path() / "a");
  auto more = Render(*pdf2, dir.path() / "b");
  pages.insert(pages.end(), more.begin(), more.end());
  ASSERT_EQ(pages.size(), 6u);

  cv::Mat shelf(2600, 3000, CV_8UC1, cv::Scalar(110));
  cv::RNG rng(7);
  const double angles[] = {-3.0, 2.0, 4.0, -2.0, 6.0, -5.0};
  for (size_t i = 0; i < pages.size(); ++i) {
    cv::Mat label = cv::imread(pages[i].string(), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(label.empty());
    // Photos are taken from a distance: about 200 dpi.
    cv::resize(label, label, cv::Size(), 0.66, 0.66, cv::INTER_AREA);
    const cv::Point2f c(label.cols / 2.f, label.rows / 2.f);
    cv::Mat m = cv::getRotationMatrix2D(c, angles[i], 1.0);
    cv::Mat rotated;
    cv::warpAffine(label, rotated, m, label.size(), cv::INTER_LINEAR,
                   cv::BORDER_CONSTANT, cv::Scalar(110));
    const int x = 100 + static_cast<int>(i % 2) * 1450;
    const int y = 100 + static_cast<int>(i / 2) * 820;
    rotated.copyTo(shelf(cv::Rect(x, y, rotated.cols, rotated.rows)));
  }
  cv::GaussianBlur(shelf, shelf, cv::Size(3, 3), 0.8);
  cv::Mat noise(shelf.size(), CV_16SC1);
  rng.fill(noise, cv::RNG::NORMAL, 0, 6);
  cv::Mat shelf16;
  shelf.convertTo(shelf16, CV_16SC1);
  shelf16 += noise;
  shelf16.convertTo(shelf, CV_8UC1);
  const auto photo = dir.path() / "shelf.jpg";
  ASSERT_TRUE(cv::imwrite(photo.string(), shelf, {cv::IMWRITE_JPEG_QUALITY, 85}));

  auto found = capture::DecodeBarcodesInFile(photo);
  ASSERT_TRUE(found) << found.error().message;
  std::set<std::string> texts;
  for (const auto& f : *found) texts.insert(f.text);
  EXPECT_EQ(texts, Texts(labels));
}

TEST(BarcodeReaderTest, MissingAndCorruptFiles) {
  TempDir dir;
  auto missing = capture::DecodeBarcodesInFile(dir.path() / "none.png");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  std::ofstream(dir.path() / "bad.png") << "not a png";
  auto bad = capture::DecodeBarcodesInFile(dir.path() / "bad.png");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kCorruptInput);
}

TEST(AuditReportTest, WritesPdfAndCsv) {
  archive::AuditReportData data;
  data.audit_id = "AU000001";
  data.location_path = "A / A-03";
  data.started = "2026-03-01T09:00:00Z by auditor";
  data.closed = "2026-03-01T10:00:00Z by auditor";
  data.counts = {{"found", 40}, {"missing", 1}};
  for (int i = 0; i < 120; ++i) {
    data.lines.push_back({"found", storage::OriginalBarcode(i + 1),
                          "KH-2026-000001-7 上海明川", "合同, \"副本\"",
                          "A-03-1-001", "", "", 1});
  }
  auto pdf = archive::WriteAuditReportPdf(data);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  TempDir dir;
  const auto file = dir.path() / "r.pdf";
  std::ofstream(file, std::ios::binary) << *pdf;
  auto text = RunCommand("pdftotext " + ShellQuote(file.string()) + " -");
  EXPECT_NE(text.out.find("AU000001"), std::string::npos);
  EXPECT_NE(text.out.find("盘点报告"), std::string::npos);
  auto info = RunCommand("pdfinfo " + ShellQuote(file.string()));
  const auto at = info.out.find("Pages:");
  ASSERT_NE(at, std::string::npos) << info.out;
  EXPECT_EQ(std::stoi(info.out.substr(at + 6)), 2) << info.out;
  const std::string csv = archive::WriteAuditReportCsv(data);
  EXPECT_TRUE(csv.starts_with("audit,category,barcode"));
  EXPECT_NE(csv.find("\"合同, \"\"副本\"\"\""), std::string::npos);
}

}  // namespace
}  // namespace dossier
