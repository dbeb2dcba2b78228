#include "capture/cleanup.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "capture/leptonica_util.h"

namespace dossier::capture {

namespace {

std::string PageName(const CleanPage& page) {
  return fmt::format("{} page {}", page.source_file, page.source_index + 1);
}

// Ink mask of the inner part of the page: dark marks relative to the local
// background, so grey paper, bleed-through and scanner borders do not count.
cv::Mat InkMask(const cv::Mat& gray, double dpi) {
  int block = std::max(15, static_cast<int>(dpi / 6.0)) | 1;
  cv::Mat mask;
  cv::adaptiveThreshold(gray, mask, 255, cv::ADAPTIVE_THRESH_MEAN_C,
                        cv::THRESH_BINARY_INV, block, 25);
  // Remove isolated specks of noise.
  cv::morphologyEx(mask, mask, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {2, 2}));
  return mask;
}

bool DetectBlank(const cv::Mat& gray, double dpi, double threshold) {
  // Cut margins where scanner borders and punch holes live.
  int mx = gray.cols / 12;
  int my = gray.rows / 14;
  cv::Mat inner = gray(cv::Rect(mx, my, gray.cols - 2 * mx, gray.rows - 2 * my));
  cv::Mat mask = InkMask(inner, dpi);
  double ink = cv::countNonZero(mask) / static_cast<double>(mask.total());
  return ink < threshold;
}

bool DetectColor(const cv::Mat& bgr, double threshold) {
  cv::Mat small;
  double scale = std::min(1.0, 1000.0 / std::max(bgr.cols, bgr.rows));
  cv::resize(bgr, small, {}, scale, scale, cv::INTER_AREA);
  cv::Mat hsv;
  cv::cvtColor(small, hsv, cv::COLOR_BGR2HSV);
  std::vector<cv::Mat> ch;
  cv::split(hsv, ch);
  cv::Mat colored = (ch[1] > 90) & (ch[2] > 60);
  double fraction = cv::countNonZero(colored) / static_cast<double>(colored.total());
  return fraction > threshold;
}

cv::Mat RotateMat(const cv::Mat& m, int degrees_clockwise) {
  cv::Mat out;
  switch (((degrees_clockwise % 360) + 360) % 360) {
    case 90: cv::rotate(m, out, cv::ROTATE_90_CLOCKWISE); break;
    case 180: cv::rotate(m, out, cv::ROTATE_180); break;
    case 270: cv::rotate(m, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: out = m; break;
  }
  return out;
}

cv::Mat RotateSmall(const cv::Mat& m, double degrees_ccw, const cv::Scalar& fill) {
  cv::Point2f centre(m.cols / 2.0f, m.rows / 2.0f);
  cv::Mat rot = cv::getRotationMatrix2D(centre, degrees_ccw, 1.0);
  cv::Mat out;
  cv::warpAffine(m, out, rot, m.size(), cv::INTER_CUBIC, cv::BORDER_CONSTANT, fill);
  return out;
}

}  // namespace

Result<CleanPage> Prepare(const RawPage& raw, const CleanupOptions& options) {
  CleanPage page;
  page.dpi = raw.dpi;
  page.bilevel_source = raw.bilevel;
  page.source_file = raw.source_file;
  page.source_index = raw.source_index;
  page.warnings = raw.warnings;
  if (raw.image.empty()) {
    return MakeError(ErrorCode::kCorruptInput, PageName(page) + ": empty image");
  }
  try {
    if (raw.image.channels() == 3) {
      cv::cvtColor(raw.image, page.gray, cv::COLOR_BGR2GRAY);
      if (DetectColor(raw.image, options.color_fraction)) {
        page.has_color = true;
        page.color = raw.image.clone();
      }
    } else if (raw.image.channels() == 1) {
      page.gray = raw.image.clone();
    } else {
      return MakeError(ErrorCode::kUnsupported,
                       PageName(page) + ": unsupported channel count");
    }
    page.blank = DetectBlank(page.gray, page.dpi, options.blank_ink_fraction);
  } catch (const cv::Exception& e) {
    return MakeError(ErrorCode::kCorruptInput,
                     PageName(page) + ": image processing failed: " + e.what());
  }
  if (page.dpi < 200) {
    page.warnings.push_back(
        {"low-dpi", fmt::format("{}: {:.0f} dpi is below 200 dpi; OCR may suffer",
                                PageName(page), page.dpi)});
  }
  return page;
}

CleanPage Rotate(const CleanPage& page, int degrees_clockwise) {
  CleanPage out = page;
  out.gray = RotateMat(page.gray, degrees_clockwise);
  if (page.has_color) out.color = RotateMat(page.color, degrees_clockwise);
  out.rotation = (page.rotation + degrees_clockwise) % 360;
  return out;
}

SkewEstimate MeasureSkew(const cv::Mat& gray, double max_degrees) {
  QuietLeptonica();
  // Leptonica's sweep-and-search works on a 1 bpp image; reduce big pages
  // first, the angle does not depend on scale.
  cv::Mat work = gray;
  if (gray.cols > 2600) {
    double s = 2600.0 / gray.cols;
    cv::resize(gray, work, {}, s, s, cv::INTER_AREA);
  }
  cv::Mat bin;
  cv::threshold(work, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  PixPtr pix8 = GrayMatToPix(bin);
  PixPtr pix1(pixConvertTo1(pix8.get(), 128));
  SkewEstimate estimate;
  if (!pix1) return estimate;
  l_float32 angle = 0, conf = 0;
  if (pixFindSkewSweepAndSearch(pix1.get(), &angle, &conf, 2, 2,
                                static_cast<l_float32>(max_degrees + 2.0), 1.0f,
                                0.01f) != 0) {
    return estimate;
  }
  // Leptonica's angle is positive for text lines that rise to the right,
  // the same convention as ours (measured on generated pages in the tests).
  estimate.degrees = angle;
  estimate.confidence = conf;
  return estimate;
}

CleanPage Deskew(const CleanPage& page, const CleanupOptions& options) {
  if (!options.deskew || page.blank) return page;
  SkewEstimate skew = MeasureSkew(page.gray, options.max_skew_degrees);
  CleanPage out = page;
  if (skew.confidence < 2.5) {
    out.warnings.push_back({"deskew-skipped",
                            fmt::format("{}: skew not measurable (confidence {:.1f}); "
                                        "page left as scanned",
                                        PageName(page), skew.confidence)});
    return out;
  }
  if (std::abs(skew.degrees) < 0.05) return out;
  // A page whose lines rise by a degrees is levelled by turning it a
  // degrees clockwise, i.e. -a counter-clockwise in OpenCV's convention.
  out.gray = RotateSmall(page.gray, -skew.degrees, cv::Scalar(255));
  if (page.has_color) {
    out.color = RotateSmall(page.color, -skew.degrees, cv::Scalar(255, 255, 255));
  }
  out.skew = skew.degrees;
  return out;
}

PageImage EncodeForArchive(const CleanPage& page, const EncodeOptions& options) {
  PageImage image;
  image.dpi = page.dpi;
  image.width = page.gray.cols;
  image.height = page.gray.rows;
  if (page.has_color) {
    std::vector<uchar> buf;
    cv::imencode(".jpg", page.color, buf,
                 {cv::IMWRITE_JPEG_QUALITY, options.jpeg_quality_color});
    image.encoding = PageImage::Encoding::kJpeg;
    image.channels = 3;
    image.bytes.assign(buf.begin(), buf.end());
    return image;
  }
  if (page.bilevel_source) {
    cv::Mat bin;
    cv::threshold(page.gray, bin, 127, 255, cv::THRESH_BINARY);
    const int row_bytes = (bin.cols + 7) / 8;
    image.encoding = PageImage::Encoding::kBilevel;
    image.channels = 1;
    image.bytes.assign(static_cast<size_t>(row_bytes) * bin.rows, 0);
    for (int y = 0; y < bin.rows; ++y) {
      const uchar* row = bin.ptr<uchar>(y);
      uint8_t* out = image.bytes.data() + static_cast<size_t>(y) * row_bytes;
      for (int x = 0; x < bin.cols; ++x) {
        if (row[x] == 0) out[x >> 3] |= static_cast<uint8_t>(0x80 >> (x & 7));
      }
    }
    return image;
  }
  std::vector<uchar> buf;
  cv::imencode(".jpg", page.gray, buf,
               {cv::IMWRITE_JPEG_QUALITY, options.jpeg_quality_gray});
  image.encoding = PageImage::Encoding::kJpeg;
  image.channels = 1;
  image.bytes.assign(buf.begin(), buf.end());
  return image;
}

}  // namespace dossier::capture
