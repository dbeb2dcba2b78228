#include "tests/station/station_util.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/support/test_support.h"

namespace dossier::testing {

cv::Mat TextPage(const std::string& label, double dpi) {
  const int w = static_cast<int>(8.27 * dpi), h = static_cast<int>(11.69 * dpi);
  cv::Mat page(h, w, CV_8UC1, cv::Scalar(255));
  const double scale = dpi / 150.0;
  for (int y = static_cast<int>(150 * scale); y < h - 150 * scale;
       y += static_cast<int>(40 * scale)) {
    cv::putText(page, label + " line of text",
                {static_cast<int>(80 * scale), y}, cv::FONT_HERSHEY_SIMPLEX,
                0.8 * scale, cv::Scalar(0),
                std::max(1, static_cast<int>(2 * scale)));
  }
  return page;
}

cv::Mat RenderPdf(const std::filesystem::path& pdf, int dpi) {
  TempDir tmp;
  auto out = tmp.path() / "page";
  auto r = RunCommand("pdftoppm -gray -png -singlefile -r " +
                      std::to_string(dpi) + " " + ShellQuote(pdf.string()) +
                      " " + ShellQuote(out.string()));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return cv::imread(out.string() + ".png", cv::IMREAD_GRAYSCALE);
}

cv::Mat Rotate(const cv::Mat& gray, double degrees) {
  cv::Mat m =
      cv::getRotationMatrix2D({gray.cols / 2.f, gray.rows / 2.f}, degrees, 1.0);
  cv::Mat out;
  cv::warpAffine(gray, out, m, gray.size(), cv::INTER_LINEAR,
                 cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

cv::Mat Binarize(const cv::Mat& gray) {
  cv::Mat out;
  cv::threshold(gray, out, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  return out;
}

StationArchive MakeStationArchive(const std::filesystem::path& dir) {
  StationArchive s;
  auto archive = storage::Archive::Init(dir / "archive");
  EXPECT_TRUE(archive.has_value()) << archive.error().message;
  if (!archive) return s;
  s.archive = std::move(*archive);
  auto a = s.archive->catalog().AddCustomer("上海明川贸易有限公司", "company",
                                            "tester");
  auto b = s.archive->catalog().AddCustomer("Harbour Lights Ltd", "company",
                                            "tester");
  EXPECT_TRUE(a.has_value() && b.has_value());
  if (a) s.customer_a = a->code;
  if (b) s.customer_b = b->code;
  return s;
}

}  // namespace dossier::testing
