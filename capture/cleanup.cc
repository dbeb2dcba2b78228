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

namespace {

// Distance from one side of the scan to the paper, per row or column of
// that side, on the filled paper mask (0: paper at the edge).
std::vector<int> DepthFromSide(const cv::Mat& paper, int side) {
  const bool vertical = side == 0 || side == 2;  // left, right
  const int n = vertical ? paper.rows : paper.cols;
  const int span = vertical ? paper.cols : paper.rows;
  std::vector<int> depth(n, span);
  for (int i = 0; i < n; ++i) {
    for (int d = 0; d < span; ++d) {
      int x = 0, y = 0;
      switch (side) {
        case 0: x = d, y = i; break;              // left
        case 1: x = i, y = d; break;              // top
        case 2: x = span - 1 - d, y = i; break;   // right
        default: x = i, y = span - 1 - d; break;  // bottom
      }
      if (paper.at<uchar>(y, x)) {
        depth[i] = d;
        break;
      }
    }
  }
  return depth;
}

struct SideFit {
  bool border = false;
  double angle = 0;  // degrees counter-clockwise of the paper's edge
  std::vector<int> depth;
};

// A side is a border when the background reaches at least min_depth into
// the scan along half its length or more, and the paper's edge there is a
// straight line (nine in ten points within tolerance of one fitted line).
SideFit FitSide(const cv::Mat& paper, int side, int min_depth, double tolerance,
                double min_coverage) {
  SideFit fit;
  const std::vector<int> depth = DepthFromSide(paper, side);
  const int span = (side == 0 || side == 2) ? paper.cols : paper.rows;
  std::vector<cv::Point2f> points;
  for (size_t i = 0; i < depth.size(); ++i) {
    if (depth[i] >= min_depth && depth[i] < span) {
      points.emplace_back(static_cast<float>(i), static_cast<float>(depth[i]));
    }
  }
  if (points.size() < min_coverage * depth.size() || points.size() < 8) return fit;
  cv::Vec4f line;
  cv::fitLine(points, line, cv::DIST_HUBER, 0, 0.01, 0.01);
  if (std::abs(line[0]) < 1e-6) return fit;
  const double slope = line[1] / line[0];
  int inliers = 0;
  for (const auto& p : points) {
    const double expected = line[3] + slope * (p.x - line[2]);
    if (std::abs(p.y - expected) <= tolerance) ++inliers;
  }
  if (inliers < 0.9 * points.size()) return fit;
  // Depth grows along the side: on the left side that is the paper's edge
  // leaning right towards the bottom (a counter-clockwise turn), on the
  // top side the edge dropping to the right (clockwise), and mirrored on
  // the right and bottom sides.
  const double degrees = std::atan(slope) * 180.0 / CV_PI;
  switch (side) {
    case 0: fit.angle = degrees; break;
    case 1: fit.angle = -degrees; break;
    case 2: fit.angle = -degrees; break;
    default: fit.angle = degrees; break;
  }
  fit.border = true;
  fit.depth = depth;
  return fit;
}

// The paper's edge along one side of the full-size scan: the steepest rise
// from background to paper near where the reduced mask put it, per row or
// column, then one straight line through those points (text touching the
// edge and noise are outliers and dropped). inward = a + b * along.
struct EdgeLine {
  int side = 0;
  double a = 0, b = 0;
};

bool FitEdge(const cv::Mat& smooth, int side, const std::vector<int>& small_depth,
             double scale, EdgeLine* edge) {
  const bool vertical = side == 0 || side == 2;
  const int n = vertical ? smooth.rows : smooth.cols;
  const int span = vertical ? smooth.cols : smooth.rows;
  const int small_span = static_cast<int>(std::lround(span * scale));
  const int reach = static_cast<int>(std::ceil(3 / scale)) + 2;
  std::vector<cv::Point2f> points;
  for (int i = 0; i < n; ++i) {
    const int j = std::min(static_cast<int>(small_depth.size()) - 1,
                           static_cast<int>(i * scale));
    const int d = small_depth[j];
    if (d <= 0 || d >= small_span - 1) continue;
    const int centre = static_cast<int>(std::lround((d + 0.5) / scale));
    const int lo = std::max(1, centre - reach), hi = std::min(span - 2, centre + reach);
    int best = -1;
    int best_rise = 0;
    for (int q = lo; q <= hi; ++q) {
      int xa, ya, xb, yb;
      auto at = [&](int inward, int* x, int* y) {
        switch (side) {
          case 0: *x = inward, *y = i; break;
          case 1: *x = i, *y = inward; break;
          case 2: *x = smooth.cols - 1 - inward, *y = i; break;
          default: *x = i, *y = smooth.rows - 1 - inward; break;
        }
      };
      at(q - 1, &xa, &ya);
      at(q + 1, &xb, &yb);
      const int rise = smooth.at<uchar>(yb, xb) - smooth.at<uchar>(ya, xa);
      if (rise > best_rise) best_rise = rise, best = q;
    }
    if (best > 0) points.emplace_back(static_cast<float>(i), static_cast<float>(best));
  }
  if (points.size() < 8) return false;
  for (int pass = 0; pass < 2; ++pass) {
    cv::Vec4f line;
    cv::fitLine(points, line, cv::DIST_HUBER, 0, 0.01, 0.01);
    if (std::abs(line[0]) < 1e-6) return false;
    edge->side = side;
    edge->b = line[1] / line[0];
    edge->a = line[3] - edge->b * line[2];
    std::vector<cv::Point2f> kept;
    for (const auto& p : points) {
      if (std::abs(p.y - (edge->a + edge->b * p.x)) <= 2.0) kept.push_back(p);
    }
    if (kept.size() < 8) return false;
    points.swap(kept);
  }
  return true;
}

}  // namespace

PaperRegion FindPaper(const cv::Mat& gray, double dpi) {
  PaperRegion out;
  if (gray.empty() || gray.type() != CV_8UC1 || gray.cols < 64 || gray.rows < 64) {
    return out;
  }
  dpi = std::max(dpi, 50.0);
  // Found at 100 dpi at most: the band is millimetres wide, and the edge is
  // placed on the full-size scan by interpolation below.
  const double scale = std::min(1.0, 100.0 / dpi);
  cv::Mat small;
  if (scale < 1.0) {
    cv::resize(gray, small, {}, scale, scale, cv::INTER_AREA);
  } else {
    small = gray.clone();
  }
  const double mm = dpi * scale / 25.4;
  cv::medianBlur(small, small, 3);
  // Text, rules, stamps and thin pictures are dark features narrower than
  // 6 mm: the closing removes them, including text touching the paper's
  // edge, and keeps the edge between paper and background where it is.
  const int k = std::max(3, static_cast<int>(std::lround(6 * mm))) | 1;
  // The scan is framed in black first: a band narrower than the kernel
  // along the scan's edge would otherwise be closed over like a stroke.
  cv::Mat framed;
  cv::copyMakeBorder(small, framed, k, k, k, k, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::morphologyEx(framed, framed, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
  cv::Mat closed = framed(cv::Rect(k, k, small.cols, small.rows)).clone();
  cv::Mat bright;
  cv::threshold(closed, bright, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // The paper: the largest bright region, its holes (a dark photo) filled.
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(bright, labels, stats, centroids, 4);
  int best = 0;
  for (int i = 1; i < n; ++i) {
    if (best == 0 || stats.at<int>(i, cv::CC_STAT_AREA) > stats.at<int>(best, cv::CC_STAT_AREA)) {
      best = i;
    }
  }
  if (best == 0) return out;
  const double total = static_cast<double>(small.total());
  if (stats.at<int>(best, cv::CC_STAT_AREA) < 0.4 * total) return out;
  cv::Mat region = labels == best;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(region.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  if (contours.empty()) return out;
  size_t largest = 0;
  for (size_t i = 1; i < contours.size(); ++i) {
    if (cv::contourArea(contours[i]) > cv::contourArea(contours[largest])) largest = i;
  }
  // A sheet, even turned and cut by the scan's edge, is convex; paper
  // around a dark picture printed off its corner is not.
  std::vector<cv::Point> hull;
  cv::convexHull(contours[largest], hull);
  if (cv::contourArea(contours[largest]) < 0.97 * cv::contourArea(hull)) return out;
  cv::Mat paper(small.size(), CV_8UC1, cv::Scalar(0));
  cv::drawContours(paper, contours, static_cast<int>(largest), cv::Scalar(255), cv::FILLED);
  const int background_pixels = static_cast<int>(total) - cv::countNonZero(paper);
  if (background_pixels < 0.01 * total) return out;
  // Paper and background must differ clearly: grey paper next to grey
  // paper is no border.
  auto median_of = [&](const cv::Mat& mask) {
    int hist[256] = {0};
    int count = 0;
    for (int y = 0; y < closed.rows; ++y) {
      const uchar* c = closed.ptr<uchar>(y);
      const uchar* m = mask.ptr<uchar>(y);
      for (int x = 0; x < closed.cols; ++x) {
        if (m[x]) ++hist[c[x]], ++count;
      }
    }
    int seen = 0;
    for (int v = 0; v < 256; ++v) {
      seen += hist[v];
      if (2 * seen >= count) return v;
    }
    return 255;
  };
  out.paper_level = median_of(paper);
  out.background = median_of(~paper);
  if (out.paper_level - out.background < 50) return out;
  // Each side: a straight-edged band of background. A dark photo or a
  // black bar printed at the page's edge is neither straight-edged along
  // half a side at one angle with another side, nor is it background.
  const int min_depth = std::max(2, static_cast<int>(std::lround(1.5 * mm)));
  const double tolerance = std::max(2.0, 1.0 * mm);
  std::vector<SideFit> fits(4);
  int sides = 0;
  for (int side = 0; side < 4; ++side) {
    fits[side] = FitSide(paper, side, min_depth, tolerance, 0.5);
    sides += fits[side].border;
  }
  out.border_sides = sides;
  if (sides < 2) return out;
  std::vector<double> angles;
  for (const auto& fit : fits) {
    if (fit.border) angles.push_back(fit.angle);
  }
  const auto [lo, hi] = std::minmax_element(angles.begin(), angles.end());
  if (*hi - *lo > 1.5 || std::abs(*lo) > 15 || std::abs(*hi) > 15) return out;
  // Two sides make it a sheet on a background; a turned sheet's corner
  // shows background along part of a third side, which counts then.
  for (int side = 0; side < 4; ++side) {
    if (fits[side].border) continue;
    SideFit part = FitSide(paper, side, min_depth, tolerance, 0.15);
    if (part.border && std::abs(part.angle - (*lo + *hi) / 2) <= 1.5) fits[side] = part;
  }
  // Each edge placed on the full-size scan.
  cv::Mat smooth;
  cv::GaussianBlur(gray, smooth, {5, 5}, 0);
  std::vector<EdgeLine> edges;
  double angle_sum = 0;
  for (int side = 0; side < 4; ++side) {
    if (!fits[side].border) continue;
    EdgeLine edge;
    if (!FitEdge(smooth, side, fits[side].depth, scale, &edge)) return out;
    const double degrees = std::atan(edge.b) * 180.0 / CV_PI;
    angle_sum += (side == 0 || side == 3) ? degrees : -degrees;
    edges.push_back(edge);
  }
  out.border_sides = static_cast<int>(edges.size());
  out.angle = angle_sum / static_cast<double>(edges.size());
  // The paper: inside every edge line.
  out.paper = cv::Mat(gray.size(), CV_8UC1, cv::Scalar(255));
  for (const EdgeLine& e : edges) {
    const bool vertical = e.side == 0 || e.side == 2;
    const int n = vertical ? gray.rows : gray.cols;
    for (int i = 0; i < n; ++i) {
      // Pixels nearer the side than the edge are background.
      const int limit = std::clamp(static_cast<int>(std::ceil(e.a + e.b * i)), 0,
                                   vertical ? gray.cols : gray.rows);
      for (int q = 0; q < limit; ++q) {
        int x, y;
        switch (e.side) {
          case 0: x = q, y = i; break;
          case 1: x = i, y = q; break;
          case 2: x = gray.cols - 1 - q, y = i; break;
          default: x = i, y = gray.rows - 1 - q; break;
        }
        out.paper.at<uchar>(y, x) = 0;
      }
    }
  }
  out.crop = cv::boundingRect(out.paper);
  if (out.crop.area() < 0.4 * static_cast<double>(gray.total())) return out;
  out.found = true;
  return out;
}

PaperCrop CropToPaper(const cv::Mat& gray, const cv::Mat& color,
                      const PaperRegion& region) {
  PaperCrop out;
  if (!region.found) {
    out.gray = gray;
    out.color = color;
    return out;
  }
  const cv::Mat outside = ~region.paper(region.crop);
  out.gray = gray(region.crop).clone();
  // Painted the paper's own shade, so no new edge appears where the
  // background was.
  out.gray.setTo(cv::Scalar(region.paper_level), outside);
  if (!color.empty()) {
    out.color = color(region.crop).clone();
    out.color.setTo(cv::Scalar(255, 255, 255), outside);
  }
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
    cv::Mat image = raw.image;
    if (options.max_pixels > 0 &&
        static_cast<double>(image.total()) > options.max_pixels) {
      const double factor =
          std::sqrt(options.max_pixels / static_cast<double>(image.total()));
      cv::resize(raw.image, image, {}, factor, factor, cv::INTER_AREA);
      page.dpi = raw.dpi * factor;
    }
    if (image.channels() == 3) {
      cv::cvtColor(image, page.gray, cv::COLOR_BGR2GRAY);
      if (DetectColor(image, options.color_fraction)) {
        page.has_color = true;
        page.color = image;
      }
    } else if (image.channels() == 1) {
      // A copy only when the raw page's own pixels would be shared: cleanup
      // steps replace page.gray, they never write into it.
      page.gray = image.data == raw.image.data ? image.clone() : image;
    } else {
      return MakeError(ErrorCode::kUnsupported,
                       PageName(page) + ": unsupported channel count");
    }
    // The colour scan, cropped with the page; the blank check looks at it.
    cv::Mat source_color = image.channels() == 3 ? image : cv::Mat();
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
    if (options.crop_to_paper && !page.dark_fault) {
      PaperRegion region = FindPaper(page.gray, page.dpi);
      if (region.found) {
        PaperCrop crop = CropToPaper(page.gray, source_color, region);
        page.gray = std::move(crop.gray);
        source_color = std::move(crop.color);
        if (page.has_color) page.color = source_color;
        page.paper_crop = region.crop;
        page.warnings.push_back(
            {"paper-cropped",
             fmt::format("{}: the paper lay on a dark background ({} sides); "
                         "cropped to the paper at ({}, {}), {} x {} pixels",
                         PageName(page), region.border_sides, region.crop.x,
                         region.crop.y, region.crop.width, region.crop.height)});
      }
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
                            source_color,
                            page.dpi, options)
                     .blank;
    if (!page.blank) AddQualityWarnings(page);
  } catch (const cv::Exception& e) {
    return MakeError(ErrorCode::kCorruptInput,
                     PageName(page) + ": image processing failed: " + e.what());
  }
  if (raw.dpi < 200) {
    page.warnings.push_back(
        {"low-dpi", fmt::format("{}: {:.0f} dpi is below 200 dpi; OCR may suffer",
                                PageName(page), raw.dpi)});
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
