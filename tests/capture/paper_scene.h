// Generated scans for the paper-finding tests: a sheet of text (Chinese or
// English) laid on a dark background, and pages that fill the scan but have
// dark things near its edge. Everything random comes from the seed.
#pragma once

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace dossier::testing_scenes {

inline constexpr const char* kCjkFont = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

inline cv::freetype::FreeType2& Font() {
  static cv::Ptr<cv::freetype::FreeType2> font = [] {
    auto f = cv::freetype::createFreeType2();
    f->loadFontData(kCjkFont, 0);
    return f;
  }();
  return *font;
}

// Lines of plausible business text that fill `width` pixels at font_px.
inline std::vector<std::string> TextLines(bool chinese, int count, int width, int font_px,
                                          std::mt19937& rng) {
  static const std::vector<std::string> kZh = {
      "客户", "档案", "合同", "借阅", "归还", "审核", "编号", "日期", "保管", "扫描",
      "原件", "登记", "服务", "条款", "甲方", "乙方", "付款", "期限", "签订", "管理"};
  static const std::vector<std::string> kEn = {
      "customer", "archive", "contract", "records", "service", "payment", "clause",
      "signed", "return", "review", "original", "storage", "period", "number", "date"};
  const auto& words = chinese ? kZh : kEn;
  std::vector<std::string> lines;
  for (int i = 0; i < count; ++i) {
    std::string line;
    while (true) {
      std::string next = line + (line.empty() || chinese ? "" : " ") + words[rng() % words.size()];
      int baseline = 0;
      if (Font().getTextSize(next, font_px, -1, &baseline).width > width) break;
      line = next;
    }
    lines.push_back(line);
  }
  return lines;
}

// A page of text lines on paper of grey `paper`, width x height pixels.
// edge_text: some lines start right at the paper's left edge and run off
// its right edge, as on a page copied off-centre. Returns the lines drawn.
inline std::vector<std::string> DrawTextPage(cv::Mat& gray, bool chinese, int font_px,
                                             bool edge_text, std::mt19937& rng) {
  // FreeType draws on colour images only.
  cv::Mat page;
  cv::cvtColor(gray, page, cv::COLOR_GRAY2BGR);
  const int margin = page.cols / 10;
  const int pitch = font_px * 2;
  std::vector<std::string> truth;
  int index = 0;
  for (int y = margin + font_px; y + font_px < page.rows - margin / 2; y += pitch, ++index) {
    const bool at_edge = edge_text && index % 4 == 1;
    const int x = at_edge ? 0 : margin;
    const int width = at_edge ? page.cols : page.cols - 2 * margin;
    auto line = TextLines(chinese, 1, width, font_px, rng)[0];
    Font().putText(page, line, {x, y}, font_px, cv::Scalar::all(20), -1, cv::LINE_AA, true);
    if (!at_edge) truth.push_back(line);
  }
  cv::cvtColor(page, gray, cv::COLOR_BGR2GRAY);
  return truth;
}

struct BorderScene {
  int scan_width = 1000;
  int scan_height = 1400;
  double dpi = 150;
  double border_fraction = 0.25;  // of the scan's area that is background
  int sides = 4;                  // 4; 2: top and left; -2: bottom and right
  int background = 30;            // grey of the background
  double noise = 3;               // sensor noise sigma
  double shadow = 0.2;            // darkening of the paper along its edge
  double angle = 0;               // paper turned, degrees counter-clockwise
  bool chinese = false;
  bool edge_text = true;          // text touching the paper's edge
  int font_px = 22;
  int paper = 238;
  unsigned seed = 1;
};

struct Scene {
  cv::Mat scan;           // CV_8UC1
  double dpi = 150;
  cv::Mat paper_mask;     // 255 where the sheet is
  cv::Rect paper_box;     // bounding box of the sheet within the scan
  cv::Mat flat_page;      // the sheet alone, upright, with the same noise
  std::vector<std::string> truth;  // lines drawn fully on the sheet
};

inline void AddNoise(cv::Mat& img, double sigma, std::mt19937& rng) {
  if (sigma <= 0) return;
  cv::Mat noise(img.size(), CV_32F);
  cv::randn(noise, 0, sigma);
  cv::Mat f;
  img.convertTo(f, CV_32F);
  f += noise;
  f.convertTo(img, CV_8U);
  (void)rng;
}

inline Scene MakeBorderScene(const BorderScene& s) {
  std::mt19937 rng(s.seed);
  std::uniform_real_distribution<double> unit(0, 1);
  Scene scene;
  scene.dpi = s.dpi;
  const int W = s.scan_width, H = s.scan_height;
  const double k = std::sqrt(1.0 - s.border_fraction);
  double pw, ph, cx, cy;
  if (s.sides == 4) {
    pw = W * k, ph = H * k;
    cx = W / 2.0 + (unit(rng) - 0.5) * 0.4 * (W - pw) / 2;
    cy = H / 2.0 + (unit(rng) - 0.5) * 0.4 * (H - ph) / 2;
  } else {
    // The visible part of the sheet is k*W x k*H; it runs off the other
    // two sides of the scan by a tenth.
    pw = W * k + 0.1 * W, ph = H * k + 0.1 * H;
    if (s.sides == 2) {
      cx = W * (1 - k) + pw / 2, cy = H * (1 - k) + ph / 2;
    } else {
      cx = W * k - pw / 2, cy = H * k - ph / 2;
    }
  }
  const int iw = static_cast<int>(std::lround(pw)), ih = static_cast<int>(std::lround(ph));
  cv::Mat sheet(ih, iw, CV_8UC1, cv::Scalar(s.paper));
  scene.truth = DrawTextPage(sheet, s.chinese, s.font_px, s.edge_text, rng);
  // The sheet as it would be scanned alone: upright, same blur and noise.
  scene.flat_page = sheet.clone();
  cv::GaussianBlur(scene.flat_page, scene.flat_page, {0, 0}, 0.7);
  std::mt19937 noise_rng(s.seed + 1000);
  AddNoise(scene.flat_page, s.noise, noise_rng);
  // Shadow along the sheet's edge: a lid that does not press the paper
  // flat darkens its rim.
  cv::Mat sheet_f;
  sheet.convertTo(sheet_f, CV_32F);
  if (s.shadow > 0) {
    const double rim = s.dpi / 25.4 * 6;  // 6 mm
    for (int y = 0; y < ih; ++y) {
      float* row = sheet_f.ptr<float>(y);
      for (int x = 0; x < iw; ++x) {
        const double d = std::min({x, y, iw - 1 - x, ih - 1 - y}) / rim;
        if (d < 1) row[x] *= static_cast<float>(1 - s.shadow * (1 - d) * (1 - d));
      }
    }
  }
  // Place the sheet: turn it about its centre and move it to (cx, cy).
  cv::Mat m = cv::getRotationMatrix2D({iw / 2.0f, ih / 2.0f}, s.angle, 1.0);
  m.at<double>(0, 2) += cx - iw / 2.0;
  m.at<double>(1, 2) += cy - ih / 2.0;
  cv::Mat placed, coverage;
  cv::warpAffine(sheet_f, placed, m, {W, H}, cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(0));
  cv::Mat ones(ih, iw, CV_32F, cv::Scalar(1));
  cv::warpAffine(ones, coverage, m, {W, H}, cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(0));
  // The background: an uneven lamp across the scan, brighter by up to 40
  // grey levels from one corner to the other.
  cv::Mat background(H, W, CV_32F);
  const double lamp = 40 * unit(rng);
  for (int y = 0; y < H; ++y) {
    float* row = background.ptr<float>(y);
    for (int x = 0; x < W; ++x) {
      row[x] = static_cast<float>(s.background + lamp * (x + y) / double(W + H));
    }
  }
  // placed is already weighted by coverage (zeros interpolated in).
  cv::Mat scan_f = placed + background.mul(1 - coverage);
  cv::GaussianBlur(scan_f, scan_f, {0, 0}, 0.7);
  scan_f.convertTo(scene.scan, CV_8U);
  AddNoise(scene.scan, s.noise, noise_rng);
  scene.paper_mask = coverage > 0.5;
  scene.paper_box = cv::boundingRect(scene.paper_mask);
  return scene;
}

// Pages that fill the scan (no background shows), with dark things near
// the edge that are not background.
struct PaperPage {
  static constexpr int kKinds = 7;
  static std::string KindName(int kind) {
    static const char* kNames[] = {
        "text touching the edges",       "dark photo near the edge",
        "dark photo off a corner",       "thick table rules near the edge",
        "black bar across the top edge", "dark photo along a whole side",
        "grey paper"};
    return kNames[kind];
  }
  static cv::Mat Borderless(int kind, unsigned seed, int width = 1000, int height = 1400) {
    std::mt19937 rng(seed * 31 + kind);
    std::uniform_real_distribution<double> unit(0, 1);
    const double mm = 150 / 25.4;
    const int paper = kind == 6 ? 175 : 236;
    cv::Mat page(height, width, CV_8UC1, cv::Scalar(paper));
    DrawTextPage(page, seed % 2 == 0, 22, kind == 0, rng);
    auto photo = [&](cv::Rect r) {
      r &= cv::Rect(0, 0, width, height);
      cv::Mat area = page(r);
      cv::randu(area, 5, 90);
      cv::GaussianBlur(area, area, {0, 0}, 3);
      cv::rectangle(page, {r.x + r.width / 3, r.y + r.height / 3},
                    {r.x + r.width / 2, r.y + r.height / 2}, cv::Scalar(150), cv::FILLED);
    };
    switch (kind) {
      case 1:
        photo({static_cast<int>(3 * mm), static_cast<int>(height * (0.2 + 0.2 * unit(rng))),
               width / 3, height / 4});
        break;
      case 2:
        photo({-10, -10, static_cast<int>(width * 0.3), static_cast<int>(height * 0.22)});
        break;
      case 3: {
        const int t = static_cast<int>(3 * mm), gap = static_cast<int>(4 * mm);
        cv::rectangle(page, {gap, gap}, {width - gap, height - gap}, cv::Scalar(10), t);
        for (int y = height / 3; y < height - gap; y += height / 6) {
          cv::line(page, {gap, y}, {width - gap, y}, cv::Scalar(10), t);
        }
        cv::line(page, {width / 2, height / 3}, {width / 2, height - gap}, cv::Scalar(10), t);
        break;
      }
      case 4:
        cv::rectangle(page, {0, 0}, {width, static_cast<int>(12 * mm)}, cv::Scalar(15),
                      cv::FILLED);
        break;
      case 5:
        photo({-5, -5, static_cast<int>(width * 0.28), height + 10});
        break;
      default:
        break;
    }
    cv::GaussianBlur(page, page, {0, 0}, 0.7);
    AddNoise(page, 3, rng);
    return page;
  }
};

}  // namespace dossier::testing_scenes
