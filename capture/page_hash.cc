#include "capture/page_hash.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace dossier::capture {

namespace {

// The page's ink (dark against the local paper) at about 75 dpi, cropped
// to the ink's bounding box and inverted so ink is bright.
cv::Mat InkCrop(const cv::Mat& gray, double dpi) {
  const double scale = std::min(1.0, 75.0 / std::max(dpi, 1.0));
  cv::Mat small;
  cv::resize(gray, small, {}, scale, scale, cv::INTER_AREA);
  // Paper: the grey closing; ink: how much darker than it.
  const int k = std::max(5, static_cast<int>(75.0 / 25.4 * 5)) | 1;
  cv::Mat paper, ink;
  cv::morphologyEx(small, paper, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
  cv::subtract(paper, small, ink);
  cv::Mat mask = ink > 40;
  // The bounding box of the ink, ignoring a 2% band at the edges where
  // scanner borders and paper edges live.
  const int bx = std::max(1, mask.cols / 50), by = std::max(1, mask.rows / 50);
  if (mask.cols > 2 * bx && mask.rows > 2 * by) {
    mask.rowRange(0, by).setTo(0);
    mask.rowRange(mask.rows - by, mask.rows).setTo(0);
    mask.colRange(0, bx).setTo(0);
    mask.colRange(mask.cols - bx, mask.cols).setTo(0);
  }
  std::vector<cv::Point> points;
  cv::findNonZero(mask, points);
  if (points.size() < 20) return cv::Mat();
  cv::Rect box = cv::boundingRect(points);
  cv::Mat crop;
  ink(box).copyTo(crop);
  crop.setTo(0, ~mask(box));
  return crop;
}

PageHashValue HashOfInk(const cv::Mat& ink) {
  PageHashValue hash;
  if (ink.empty()) return hash;
  cv::Mat small, f;
  cv::resize(ink, small, {64, 64}, 0, 0, cv::INTER_AREA);
  small.convertTo(f, CV_32F);
  cv::Mat dct;
  cv::dct(f, dct);
  std::vector<float> low;
  low.reserve(256);
  for (int y = 0; y < 16; ++y) {
    for (int x = 0; x < 16; ++x) low.push_back(dct.at<float>(y, x));
  }
  std::vector<float> sorted(low.begin() + 1, low.end());
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const float median = sorted[sorted.size() / 2];
  for (int i = 1; i < 256; ++i) {
    if (low[i] > median) hash.words[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  hash.words[0] |= 1;  // bit 0: "a hash", so no page hashes to empty
  return hash;
}

}  // namespace

PageHashValue PerceptualHash(const cv::Mat& gray, double dpi) {
  if (gray.empty()) return {};
  return HashOfInk(InkCrop(gray, dpi));
}

std::array<PageHashValue, 4> PerceptualHashes(const cv::Mat& gray, double dpi) {
  std::array<PageHashValue, 4> out{};
  if (gray.empty()) return out;
  cv::Mat ink = InkCrop(gray, dpi);
  if (ink.empty()) return out;
  out[0] = HashOfInk(ink);
  cv::Mat turned;
  cv::rotate(ink, turned, cv::ROTATE_90_CLOCKWISE);
  out[1] = HashOfInk(turned);
  cv::rotate(ink, turned, cv::ROTATE_180);
  out[2] = HashOfInk(turned);
  cv::rotate(ink, turned, cv::ROTATE_90_COUNTERCLOCKWISE);
  out[3] = HashOfInk(turned);
  return out;
}

int HammingDistance(const PageHashValue& a, const PageHashValue& b) {
  int d = 0;
  for (int i = 0; i < 4; ++i) d += std::popcount(a.words[i] ^ b.words[i]);
  return d;
}

std::string HashHex(const PageHashValue& hash) {
  return fmt::format("{:016x}{:016x}{:016x}{:016x}", hash.words[0], hash.words[1],
                     hash.words[2], hash.words[3]);
}

bool ParseHashHex(const std::string& text, PageHashValue* hash) {
  if (text.size() != 64) return false;
  PageHashValue v;
  for (int w = 0; w < 4; ++w) {
    std::uint64_t word = 0;
    for (int i = 0; i < 16; ++i) {
      const char c = text[w * 16 + i];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else {
        return false;
      }
      word = word << 4 | static_cast<std::uint64_t>(d);
    }
    v.words[w] = word;
  }
  *hash = v;
  return true;
}

}  // namespace dossier::capture
