#include "capture/barcode.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace dossier::capture {
namespace {

// Design note. ZXing-cpp 1.4 (Debian 12) can read several linear codes in
// one call only without tryHarder, which misses most of them; with
// tryHarder and more than one symbol its result merging hits an assertion
// (Result::operator==, `lineCount() == 1`) that Debian's build keeps. So:
//   - matrix codes (QR, Data Matrix): one multi-symbol call on the image;
//   - Code 128: find bar-like regions with OpenCV (strong horizontal
//     gradient, closed into blobs), then decode one symbol per region with
//     tryHarder, retrying the region at small rotations if needed.

using Found = std::map<std::string, DecodedBarcode>;

ZXing::ImageView View(const cv::Mat& gray) {
  return ZXing::ImageView(gray.data, gray.cols, gray.rows,
                          ZXing::ImageFormat::Lum, static_cast<int>(gray.step));
}

void Add(const ZXing::Result& r, const cv::Mat& to_image, Found* found) {
  if (!r.isValid()) return;
  std::string text = r.text();
  if (text.empty() || found->contains(text)) return;
  const auto& pos = r.position();
  std::vector<cv::Point2f> corners;
  for (int i = 0; i < 4; ++i) {
    corners.emplace_back(static_cast<float>(pos[i].x),
                         static_cast<float>(pos[i].y));
  }
  cv::transform(corners, corners, to_image);
  cv::Rect box = cv::boundingRect(corners);
  (*found)[text] = DecodedBarcode{text, ZXing::ToString(r.format()),
                                  Box{box.x, box.y, box.width, box.height}};
}

cv::Mat Identity() { return (cv::Mat_<double>(2, 3) << 1, 0, 0, 0, 1, 0); }

void DecodeMatrixCodes(const cv::Mat& gray, Found* found) {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode |
                   ZXing::BarcodeFormat::DataMatrix);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  for (const ZXing::Result& r : ZXing::ReadBarcodes(View(gray), hints)) {
    Add(r, Identity(), found);
  }
  // With many symbols in view ZXing misses some; overlapping tiles of half
  // the short side find the rest.
  const int tile = std::min(gray.cols, gray.rows) / 2;
  if (tile < 200) return;
  const int step = tile / 2;
  for (int y = 0; y + step < gray.rows; y += step) {
    for (int x = 0; x + step < gray.cols; x += step) {
      const cv::Rect r = cv::Rect(x, y, tile, tile) &
                         cv::Rect(0, 0, gray.cols, gray.rows);
      cv::Mat to_image = Identity();
      to_image.at<double>(0, 2) = r.x;
      to_image.at<double>(1, 2) = r.y;
      for (const ZXing::Result& res :
           ZXing::ReadBarcodes(View(gray(r)), hints)) {
        Add(res, to_image, found);
      }
    }
  }
}

// One Code 128 symbol in a region, trying small rotations.
void DecodeLinearRegion(const cv::Mat& gray, cv::Rect region,
                        const BarcodeOptions& options, Found* found) {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::Code128);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  hints.setMaxNumberOfSymbols(1);
  cv::Mat crop = gray(region).clone();
  std::vector<double> angles{0.0};
  angles.insert(angles.end(), options.extra_angles.begin(),
                options.extra_angles.end());
  for (double angle : angles) {
    cv::Mat image = crop;
    // Maps a point of `image` back to the full image.
    cv::Mat to_image = Identity();
    if (angle != 0.0) {
      const cv::Point2f c(crop.cols / 2.0f, crop.rows / 2.0f);
      cv::Mat m = cv::getRotationMatrix2D(c, angle, 1.0);
      cv::warpAffine(crop, image, m, crop.size(), cv::INTER_LINEAR,
                     cv::BORDER_REPLICATE);
      cv::invertAffineTransform(m, to_image);
    }
    to_image.at<double>(0, 2) += region.x;
    to_image.at<double>(1, 2) += region.y;
    ZXing::Result r = ZXing::ReadBarcode(View(image), hints);
    if (r.isValid()) {
      Add(r, to_image, found);
      return;
    }
  }
}

// Regions that look like linear barcodes: many vertical edges close
// together. Sizes scale with the image so scans and photos both work.
std::vector<cv::Rect> LinearCandidates(const cv::Mat& gray) {
  cv::Mat gx, gy, grad;
  cv::Sobel(gray, gx, CV_32F, 1, 0, 3);
  cv::Sobel(gray, gy, CV_32F, 0, 1, 3);
  cv::Mat diff = cv::abs(gx) - cv::abs(gy);
  cv::convertScaleAbs(diff, grad);
  cv::blur(grad, grad, cv::Size(9, 9));
  cv::threshold(grad, grad, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  const int unit = std::max(3, std::min(gray.cols, gray.rows) / 250);
  cv::Mat kernel = cv::getStructuringElement(
      cv::MORPH_RECT, cv::Size(unit * 5, unit * 2));
  cv::morphologyEx(grad, grad, cv::MORPH_CLOSE, kernel);
  cv::Mat small = cv::getStructuringElement(cv::MORPH_RECT,
                                            cv::Size(unit, unit));
  cv::erode(grad, grad, small, cv::Point(-1, -1), 2);
  cv::dilate(grad, grad, small, cv::Point(-1, -1), 2);
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(grad, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  std::vector<cv::Rect> regions;
  const cv::Rect whole(0, 0, gray.cols, gray.rows);
  for (const auto& contour : contours) {
    cv::Rect r = cv::boundingRect(contour);
    if (r.width < unit * 10 || r.height < unit * 3) continue;
    // Quiet zones and the ends of the bars lie outside the blob.
    const int mx = r.width / 4 + unit * 4;
    const int my = r.height / 2 + unit * 2;
    r = cv::Rect(r.x - mx, r.y - my, r.width + 2 * mx, r.height + 2 * my) &
        whole;
    regions.push_back(r);
  }
  return regions;
}

}  // namespace

std::vector<DecodedBarcode> DecodeBarcodes(const cv::Mat& image,
                                           const BarcodeOptions& options) {
  cv::Mat gray;
  if (image.channels() == 1) {
    gray = image;
  } else {
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  }
  if (!gray.isContinuous()) gray = gray.clone();
  Found found;
  DecodeMatrixCodes(gray, &found);
  for (const cv::Rect& region : LinearCandidates(gray)) {
    DecodeLinearRegion(gray, region, options, &found);
  }
  std::vector<DecodedBarcode> out;
  for (auto& [text, barcode] : found) out.push_back(std::move(barcode));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (std::abs(a.box.y - b.box.y) > 20) return a.box.y < b.box.y;
    return a.box.x < b.box.x;
  });
  return out;
}

Result<std::vector<DecodedBarcode>> DecodeBarcodesInFile(
    const std::filesystem::path& file, const BarcodeOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return MakeError(ErrorCode::kNotFound, file.string() + ": no such file");
  }
  cv::Mat image;
  try {
    image = cv::imread(file.string(), cv::IMREAD_GRAYSCALE);
  } catch (const cv::Exception& e) {
    return MakeError(ErrorCode::kCorruptInput,
                     file.string() + ": cannot read image: " + e.what());
  }
  if (image.empty()) {
    return MakeError(ErrorCode::kCorruptInput,
                     file.string() + ": not an image we can read");
  }
  return DecodeBarcodes(image, options);
}

}  // namespace dossier::capture
