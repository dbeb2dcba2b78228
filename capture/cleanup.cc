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

// Warnings a reviewer should see; they never stop the page.
void AddQualityWarnings(CleanPage& page) {
  cv::Mat small;
  const double scale = std::min(1.0, 150.0 / std::max(page.dpi, 1.0));
  cv::resize(page.gray, small, {}, scale, scale, cv::INTER_AREA);
  cv::Scalar mean = cv::mean(small);
  if (mean[0] < 110) {
    page.warnings.push_back(
        {"too-dark", fmt::format("{}: the page is very dark (mean grey {:.0f} of "
                                 "255); rescan lighter",
                                 PageName(page), mean[0])});
  }
  // Darkest ink: the 0.5th percentile of grey. Faint scans never get dark.
  std::vector<uchar> values(small.begin<uchar>(), small.end<uchar>());
  std::nth_element(values.begin(), values.begin() + values.size() / 200, values.end());
  const int darkest = values[values.size() / 200];
  if (darkest > 150) {
    page.warnings.push_back(
        {"too-light", fmt::format("{}: the print is very faint (darkest ink grey "
                                  "{} of 255); rescan darker",
                                  PageName(page), darkest)});
  }
  // Sharpness: variance of the Laplacian at 150 dpi; text scans score
  // hundreds, a blurred one a few tens.
  cv::Mat lap;
  cv::Laplacian(small, lap, CV_64F);
  cv::Scalar m, sd;
  cv::meanStdDev(lap, m, sd);
  if (sd[0] * sd[0] < 30) {
    page.warnings.push_back(
        {"blurred", fmt::format("{}: the scan looks blurred (sharpness {:.0f}); "
                                "check the focus or the glass",
                                PageName(page), sd[0] * sd[0])});
  }
  // Text cut off: glyph-sized ink touching the image edge.
  cv::Mat ink = InkMask(page.gray, page.dpi);
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8);
  int touching = 0;
  const int max_glyph = static_cast<int>(page.dpi / 4);  // about 6 mm
  for (int i = 1; i < n; ++i) {
    int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    bool at_edge = x <= 1 || y <= 1 || x + w >= ink.cols - 1 || y + h >= ink.rows - 1;
    bool glyph = h >= 6 && h <= max_glyph && w <= max_glyph;
    if (at_edge && glyph) ++touching;
  }
  if (touching >= 5) {
    page.warnings.push_back(
        {"cut-off", fmt::format("{}: {} marks touch the edge of the image; text "
                                "may be cut off",
                                PageName(page), touching)});
  }
}

}  // namespace

ScannerMarks RemoveScannerMarks(const cv::Mat& gray, double dpi) {
  ScannerMarks out;
  out.gray = gray.clone();
  cv::Mat dark = gray < 80;
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(dark, labels, stats, centroids, 8);
  const double page_area = static_cast<double>(gray.total());
  const double mm = dpi / 25.4;
  std::vector<uchar> remove(n, 0);
  for (int i = 1; i < n; ++i) {
    int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    int area = stats.at<int>(i, cv::CC_STAT_AREA);
    bool touches = x == 0 || y == 0 || x + w == gray.cols || y + h == gray.rows;
    // A border: dark, touching the edge, long along it and filled.
    bool long_strip = (h > gray.rows / 3 && w < gray.cols / 6) ||
                      (w > gray.cols / 3 && h < gray.rows / 6);
    if (touches && long_strip && area > 0.002 * page_area &&
        area > 0.5 * static_cast<double>(w) * h) {
      remove[i] = 1;
      ++out.borders;
      continue;
    }
    // A punch hole: a filled disc 4-9 mm wide within 25 mm of an edge.
    double cx = x + w / 2.0, cy = y + h / 2.0;
    bool near_edge = cx < 25 * mm || cy < 25 * mm || cx > gray.cols - 25 * mm ||
                     cy > gray.rows - 25 * mm;
    bool disc_size = w > 4 * mm && w < 9 * mm && h > 4 * mm && h < 9 * mm &&
                     std::abs(w - h) < 1.5 * mm;
    double fill = area / (3.14159 * w * h / 4.0);
    if (!touches && near_edge && disc_size && fill > 0.8 && fill < 1.15) {
      remove[i] = 1;
      ++out.holes;
    }
  }
  if (out.borders + out.holes == 0) return out;
  // Grow the removed areas a little: their grey fringe is not ink either.
  cv::Mat mask(gray.size(), CV_8UC1, cv::Scalar(0));
  for (int y = 0; y < gray.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    uchar* m = mask.ptr<uchar>(y);
    for (int x = 0; x < gray.cols; ++x) m[x] = remove[l[x]] ? 255 : 0;
  }
  int grow = std::max(1, static_cast<int>(mm));
  cv::dilate(mask, mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * grow + 1, 2 * grow + 1}));
  out.gray.setTo(cv::Scalar(255), mask);
  return out;
}

BlankCheck CheckBlank(const cv::Mat& gray, const cv::Mat& color, double dpi,
                      const CleanupOptions& options) {
  BlankCheck check;
  // Marks are found at 150 dpi at most: fine enough for a 0.3 mm pencil
  // stroke, and fast on a 600 dpi page.
  const double work_dpi = std::min(std::max(dpi, 50.0), 150.0);
  const double scale = work_dpi / std::max(dpi, 1.0);
  cv::Mat small;
  if (scale < 1.0) {
    cv::resize(gray, small, {}, scale, scale, cv::INTER_AREA);
  } else {
    small = gray;
  }
  const double mm = work_dpi / 25.4;  // pixels per millimetre
  check.dark_fraction =
      cv::countNonZero(small < 80) / static_cast<double>(std::max<size_t>(small.total(), 1));
  if (check.dark_fraction >= options.dark_fault_fraction) {
    check.dark_fault = true;
    return check;
  }
  // Ink: darker than the paper around it. The paper is the grey closing
  // (dark features up to 6 mm wide removed), so grey paper, an uneven lamp
  // and yellowing do not count, and light pencil on white does.
  cv::Mat smooth;
  cv::GaussianBlur(small, smooth, {3, 3}, 0);
  const int k = std::max(5, static_cast<int>(6 * mm)) | 1;
  cv::Mat paper;
  cv::morphologyEx(smooth, paper, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
  cv::Mat diff;
  cv::subtract(paper, smooth, diff);
  // Noise: a noisy scan raises the threshold (median + 6 robust sigmas).
  std::vector<uchar> values;
  values.reserve(diff.total() / 16 + 1);
  for (int y = 0; y < diff.rows; y += 4) {
    const uchar* row = diff.ptr<uchar>(y);
    for (int x = 0; x < diff.cols; x += 4) values.push_back(row[x]);
  }
  int threshold = options.blank_min_contrast;
  if (!values.empty()) {
    auto mid = values.begin() + values.size() / 2;
    std::nth_element(values.begin(), mid, values.end());
    const int median = *mid;
    std::vector<uchar> dev(values.size());
    for (size_t i = 0; i < values.size(); ++i) dev[i] = static_cast<uchar>(std::abs(values[i] - median));
    auto dmid = dev.begin() + dev.size() / 2;
    std::nth_element(dev.begin(), dmid, dev.end());
    threshold = std::max(threshold, median + static_cast<int>(std::ceil(6 * 1.4826 * *dmid)));
  }
  check.contrast_threshold = threshold;
  cv::Mat ink = diff > threshold;
  if (!color.empty()) {
    // Coloured ink (a light red seal, blue pen) counts even where it is
    // barely darker than the paper.
    cv::Mat small_color, hsv;
    if (scale < 1.0) {
      cv::resize(color, small_color, small.size(), 0, 0, cv::INTER_AREA);
    } else {
      small_color = color;
    }
    cv::cvtColor(small_color, hsv, cv::COLOR_BGR2HSV);
    std::vector<cv::Mat> ch;
    cv::split(hsv, ch);
    ink |= (ch[1] > 80) & (ch[2] > 60);
  }
  // The paper's edge and its shadow are not marks.
  const int band = std::max(1, static_cast<int>(1.5 * mm));
  if (ink.cols > 2 * band && ink.rows > 2 * band) {
    ink.rowRange(0, band).setTo(0);
    ink.rowRange(ink.rows - band, ink.rows).setTo(0);
    ink.colRange(0, band).setTo(0);
    ink.colRange(ink.cols - band, ink.cols).setTo(0);
  } else {
    ink.setTo(0);
  }
  // Strokes within 1 mm of each other form one mark (the characters of a
  // note, the ring and text of a stamp); dust specks stay alone and small.
  cv::Mat grouped;
  const int g = std::max(1, static_cast<int>(std::round(mm)));
  cv::dilate(ink, grouped,
             cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * g + 1, 2 * g + 1}));
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(grouped, labels, stats, centroids, 8, CV_32S);
  std::vector<int> ink_area(n, 0);
  for (int y = 0; y < ink.rows; ++y) {
    const uchar* in = ink.ptr<uchar>(y);
    const int* l = labels.ptr<int>(y);
    for (int x = 0; x < ink.cols; ++x) {
      if (in[x]) ++ink_area[l[x]];
    }
  }
  const double min_area = 1.0 * mm * mm;
  for (int i = 1; i < n; ++i) {
    // The group's box less the grouping margin: the ink's own extent.
    const double w = (stats.at<int>(i, cv::CC_STAT_WIDTH) - 2 * g) / mm;
    const double h = (stats.at<int>(i, cv::CC_STAT_HEIGHT) - 2 * g) / mm;
    const double side = std::max(w, h);
    if (side >= options.blank_min_mark_mm && ink_area[i] >= min_area) {
      ++check.marks;
      check.largest_mark_mm = std::max(check.largest_mark_mm, side);
    }
  }
  check.blank = check.marks == 0;
  return check;
}

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
    // An all-black page first: scanner-mark removal would paint it white
    // as one big "border", and it would pass for blank.
    const BlankCheck dark = CheckBlank(page.gray, cv::Mat(), page.dpi, options);
    if (dark.dark_fault) {
      page.dark_fault = true;
      page.warnings.push_back(
          {kScannerFaultWarning,
           fmt::format("{}: {:.0f}% of the page is black: a scanner fault (lamp, "
                       "lid, jam), not a blank page; kept, check the scanner and "
                       "rescan it",
                       PageName(page), dark.dark_fraction * 100)});
    }
    if (options.remove_scanner_marks && !page.dark_fault) {
      ScannerMarks marks = RemoveScannerMarks(page.gray, page.dpi);
      if (marks.borders + marks.holes > 0) {
        page.gray = std::move(marks.gray);
        page.warnings.push_back(
            {"scanner-marks",
             fmt::format("{}: removed {} dark border area(s) and {} punch hole(s)",
                         PageName(page), marks.borders, marks.holes)});
      }
    }
    page.blank = !page.dark_fault &&
                 CheckBlank(page.gray,
                            raw.image.channels() == 3 ? raw.image : cv::Mat(),
                            page.dpi, options)
                     .blank;
    if (!page.blank) AddQualityWarnings(page);
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

namespace {

// Background estimate: a closing removes dark strokes thinner than about
// 1.5 mm, leaving the paper's shade. Done at reduced size for speed.
cv::Mat Flatten(const cv::Mat& gray, double dpi) {
  const double scale = std::min(1.0, 75.0 / std::max(dpi, 1.0));
  cv::Mat small;
  cv::resize(gray, small, {}, scale, scale, cv::INTER_AREA);
  int k = std::max(3, static_cast<int>(dpi * scale / 15.0)) | 1;
  cv::Mat background;
  cv::morphologyEx(small, background, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
  cv::medianBlur(background, background, 5);
  cv::resize(background, background, gray.size(), 0, 0, cv::INTER_LINEAR);
  cv::Mat flat;
  cv::divide(gray, background, flat, 255.0);
  return flat;
}

PageImage PackBilevel(const cv::Mat& bin, double dpi) {
  PageImage image;
  image.dpi = dpi;
  image.width = bin.cols;
  image.height = bin.rows;
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

PageImage Jpeg(const cv::Mat& m, double dpi, int quality) {
  PageImage image;
  image.dpi = dpi;
  image.width = m.cols;
  image.height = m.rows;
  std::vector<uchar> buf;
  cv::imencode(".jpg", m, buf, {cv::IMWRITE_JPEG_QUALITY, quality});
  image.encoding = PageImage::Encoding::kJpeg;
  image.channels = m.channels();
  image.bytes.assign(buf.begin(), buf.end());
  return image;
}

}  // namespace

double MedianGlyphHeight(const cv::Mat& gray, double dpi) {
  cv::Mat ink = InkMask(gray, dpi);
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8);
  std::vector<int> heights;
  for (int i = 1; i < n; ++i) {
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    // Glyph-like: not a speck, not a rule line, not a frame.
    if (h >= 5 && h <= 150 && w <= 4 * h && w >= 2) heights.push_back(h);
  }
  if (heights.size() < 20) return 0.0;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

CleanPage Rescale(const CleanPage& page, double factor) {
  CleanPage out = page;
  const int interpolation = factor > 1.0 ? cv::INTER_CUBIC : cv::INTER_AREA;
  cv::resize(page.gray, out.gray, {}, factor, factor, interpolation);
  if (page.has_color) cv::resize(page.color, out.color, {}, factor, factor, interpolation);
  out.dpi = page.dpi * factor;
  return out;
}

double MidtoneFraction(const cv::Mat& gray, double dpi) {
  cv::Mat flat = Flatten(gray, dpi);
  cv::Mat mid = (flat > 70) & (flat < 180);
  return cv::countNonZero(mid) / static_cast<double>(mid.total());
}

cv::Mat Binarize(const cv::Mat& gray, double dpi) {
  cv::Mat flat = Flatten(gray, dpi);
  cv::Mat bin;
  cv::threshold(flat, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // Remove isolated black specks smaller than about 0.1 mm square.
  cv::Mat ink = 255 - bin;
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8);
  const int min_area = std::max(2, static_cast<int>(dpi * dpi / 90000.0 * 3));
  std::vector<uchar> drop(n, 0);
  for (int i = 1; i < n; ++i) {
    drop[i] = stats.at<int>(i, cv::CC_STAT_AREA) < min_area;
  }
  for (int y = 0; y < bin.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    uchar* b = bin.ptr<uchar>(y);
    for (int x = 0; x < bin.cols; ++x) {
      if (drop[l[x]]) b[x] = 255;
    }
  }
  return bin;
}

PageImage EncodeForArchive(const CleanPage& page, const EncodeOptions& options) {
  const double dpi = page.dpi;
  switch (options.mode) {
    case ImageMode::kBilevel:
      return PackBilevel(page.bilevel_source ? (page.gray > 127) : Binarize(page.gray, dpi),
                         dpi);
    case ImageMode::kGray:
      return Jpeg(page.gray, dpi, options.jpeg_quality_gray);
    case ImageMode::kColor:
      return page.has_color ? Jpeg(page.color, dpi, options.jpeg_quality_color)
                            : Jpeg(page.gray, dpi, options.jpeg_quality_gray);
    case ImageMode::kAuto:
      break;
  }
  if (page.has_color) return Jpeg(page.color, dpi, options.jpeg_quality_color);
  if (page.bilevel_source) {
    cv::Mat bin = page.gray > 127;
    return PackBilevel(bin, dpi);
  }
  if (dpi >= options.min_bilevel_dpi &&
      MidtoneFraction(page.gray, dpi) < options.max_midtone_fraction) {
    return PackBilevel(Binarize(page.gray, dpi), dpi);
  }
  return Jpeg(page.gray, dpi, options.jpeg_quality_gray);
}

}  // namespace dossier::capture
