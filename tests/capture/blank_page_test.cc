// Blank-page detection (capture::CheckBlank, used by --drop-blank): a page
// with any ink is never blank, whatever its size, place and contrast; dust,
// speckle, grey paper and an uneven lamp are blank; an all-black page is a
// scanner fault, not blank. Generated pages: small marks (a handwritten
// note 同意 张三 rendered with a CJK font, a signature scribble, a red seal,
// a tick) at corners, edges and centre, from light grey to black, at 150,
// 200 and 300 dpi, on white and grey paper, with noise and dust.
#include "capture/cleanup.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "tests/support/test_support.h"

namespace dossier::capture {
namespace {

namespace fs = std::filesystem;

constexpr char kCjkFont[] = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

// The note 同意 张三 as a grey mask (255 = ink), rendered once by
// ImageMagick with the CJK font tests already rely on.
const cv::Mat& NoteMask() {
  static const cv::Mat mask = [] {
    testing::TempDir dir;
    fs::path png = dir.path() / "note.png";
    auto r = testing::RunCommand(fmt::format(
        "convert -background white -fill black -font {} -pointsize 120 "
        "label:'同意 张三' {}",
        kCjkFont, testing::ShellQuote(png.string())));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    cv::Mat note = cv::imread(png.string(), cv::IMREAD_GRAYSCALE);
    EXPECT_FALSE(note.empty());
    cv::Mat inv;
    cv::bitwise_not(note, inv);
    return inv;
  }();
  return mask;
}

struct Paper {
  int grey = 255;        // paper colour
  double noise = 0;      // gaussian sigma, grey levels
  int dust = 0;          // dark specks of 0.1-0.25 mm
  bool gradient = false; // the lamp falls off by 16% across the page
};

// The lamp's fall-off, applied to a finished page (paper and ink alike).
void UnevenLamp(cv::Mat& bgr) {
  for (int x = 0; x < bgr.cols; ++x) {
    bgr.col(x) *= 1.0 - 0.16 * x / bgr.cols;
  }
}

// What the blank check says of a generated BGR page.
BlankCheck Check(const cv::Mat& bgr, double dpi) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  return CheckBlank(gray, bgr, dpi, {});
}

// An A4 page of the given paper at dpi, BGR.
cv::Mat PaperPage(double dpi, const Paper& paper, unsigned seed) {
  const int w = static_cast<int>(210 / 25.4 * dpi);
  const int h = static_cast<int>(297 / 25.4 * dpi);
  cv::Mat page(h, w, CV_8UC1, cv::Scalar(paper.grey));
  std::mt19937 rng(seed);
  const double mm = dpi / 25.4;
  for (int i = 0; i < paper.dust; ++i) {
    const int r = std::max(1, static_cast<int>((0.05 + 0.075 * (rng() % 100) / 100.0) * mm));
    cv::circle(page, {static_cast<int>(rng() % w), static_cast<int>(rng() % h)}, r,
               cv::Scalar(40), -1);
  }
  if (paper.noise > 0) {
    cv::Mat n(page.size(), CV_16SC1);
    cv::randn(n, 0, paper.noise);
    cv::Mat p16;
    page.convertTo(p16, CV_16SC1);
    p16 += n;
    p16.convertTo(page, CV_8UC1);
  }
  cv::Mat bgr;
  cv::cvtColor(page, bgr, cv::COLOR_GRAY2BGR);
  return bgr;
}

enum class Mark { kNote, kSmallNote, kSignature, kSeal, kTick };

const char* Name(Mark m) {
  switch (m) {
    case Mark::kNote: return "note 同意 张三 (20 mm)";
    case Mark::kSmallNote: return "note 同意 张三 (10 mm)";
    case Mark::kSignature: return "signature (12 mm)";
    case Mark::kSeal: return "red seal (14 mm)";
    case Mark::kTick: return "tick (4 mm)";
  }
  return "";
}

// Draws the mark with its top-left corner at (x_mm, y_mm), ink of grey
// `ink` (the seal: red of the same darkness).
void DrawMark(cv::Mat& page, double dpi, Mark mark, double x_mm, double y_mm, int ink) {
  const double mm = dpi / 25.4;
  const cv::Point at(static_cast<int>(x_mm * mm), static_cast<int>(y_mm * mm));
  const int stroke = std::max(1, static_cast<int>(std::round(0.4 * mm)));
  const cv::Scalar colour(ink, ink, ink);
  switch (mark) {
    case Mark::kNote:
    case Mark::kSmallNote: {
      const double width_mm = mark == Mark::kNote ? 20 : 10;
      cv::Mat mask;
      const double f = width_mm * mm / NoteMask().cols;
      cv::resize(NoteMask(), mask, {}, f, f, cv::INTER_AREA);
      cv::Rect r(at, mask.size());
      r &= cv::Rect(0, 0, page.cols, page.rows);
      for (int y = 0; y < r.height; ++y) {
        for (int x = 0; x < r.width; ++x) {
          const double a = mask.at<uchar>(y, x) / 255.0;
          cv::Vec3b& px = page.at<cv::Vec3b>(r.y + y, r.x + x);
          for (int c = 0; c < 3; ++c) px[c] = static_cast<uchar>(px[c] * (1 - a) + ink * a);
        }
      }
      break;
    }
    case Mark::kSignature: {
      std::vector<cv::Point> curve;
      for (int i = 0; i <= 60; ++i) {
        const double t = i / 60.0;
        curve.emplace_back(at.x + static_cast<int>(t * 12 * mm),
                           at.y + static_cast<int>((2 + 1.8 * std::sin(t * 19)) * mm));
      }
      cv::polylines(page, curve, false, colour, stroke, cv::LINE_AA);
      break;
    }
    case Mark::kSeal: {
      // Red, as dark (in grey) as `ink` would be: a light seal for light ink.
      const int red = std::min(255, ink + 140);
      const cv::Scalar seal(ink * 0.6, ink * 0.6, red);
      const cv::Point c(at.x + static_cast<int>(7 * mm), at.y + static_cast<int>(7 * mm));
      cv::circle(page, c, static_cast<int>(7 * mm), seal, std::max(1, static_cast<int>(0.8 * mm)),
                 cv::LINE_AA);
      cv::putText(page, "*", {c.x - static_cast<int>(2 * mm), c.y + static_cast<int>(2 * mm)},
                  cv::FONT_HERSHEY_SIMPLEX, 0.04 * mm, seal, stroke);
      break;
    }
    case Mark::kTick: {
      cv::line(page, {at.x, at.y + static_cast<int>(2 * mm)},
               {at.x + static_cast<int>(1.5 * mm), at.y + static_cast<int>(4 * mm)}, colour,
               stroke, cv::LINE_AA);
      cv::line(page, {at.x + static_cast<int>(1.5 * mm), at.y + static_cast<int>(4 * mm)},
               {at.x + static_cast<int>(4 * mm), at.y}, colour, stroke, cv::LINE_AA);
      break;
    }
  }
}

RawPage Raw(cv::Mat image, double dpi) {
  RawPage raw;
  raw.image = std::move(image);
  raw.dpi = dpi;
  raw.source_file = "generated.png";
  return raw;
}

bool PreparedBlank(const cv::Mat& page, double dpi, CleanPage* out = nullptr) {
  auto prepared = Prepare(Raw(page, dpi), {});
  EXPECT_TRUE(prepared.has_value()) << prepared.error().message;
  if (!prepared) return true;
  if (out) *out = *prepared;
  return prepared->blank;
}

// Positions (top-left of the mark, mm from the page's top-left corner):
// the four corners 6 mm in, the centre, the top and bottom edge middles.
const std::vector<std::pair<const char*, cv::Point2d>> kPlaces = {
    {"top-left", {6, 6}},        {"top-right", {180, 6}},
    {"bottom-left", {6, 278}},   {"bottom-right", {180, 278}},
    {"centre", {100, 145}},      {"top-middle", {100, 4}},
    {"bottom-middle", {100, 282}},
};

TEST(BlankPages, ASmallMarkAnywhereOnThePageIsNeverBlank) {
  int cases = 0, kept = 0;
  const std::vector<Paper> papers = {{255, 0, 0, false},
                                     {235, 4, 30, false},
                                     {245, 3, 0, true}};
  for (double dpi : {150.0, 300.0}) {
    for (Mark mark : {Mark::kNote, Mark::kSmallNote, Mark::kSignature, Mark::kSeal,
                      Mark::kTick}) {
      for (int ink : {0, 150, 190}) {
        for (size_t p = 0; p < papers.size(); ++p) {
          // Not every place at every combination: the run stays short, and
          // each place still meets every mark, ink and paper.
          for (size_t place = (cases % 4); place < kPlaces.size(); place += 4) {
            cv::Mat page = PaperPage(dpi, papers[p], 11 + static_cast<unsigned>(cases));
            DrawMark(page, dpi, mark, kPlaces[place].second.x, kPlaces[place].second.y,
                     std::min(ink, papers[p].grey - 45));
            if (papers[p].gradient) UnevenLamp(page);
            ++cases;
            BlankCheck check = Check(page, dpi);
            if (!check.blank) {
              ++kept;
            } else {
              ADD_FAILURE() << fmt::format(
                  "taken for blank: {} at {}, ink {}, paper {} (noise {}, dust {}{}), "
                  "{} dpi (threshold {})",
                  Name(mark), kPlaces[place].first, ink, papers[p].grey,
                  papers[p].noise, papers[p].dust,
                  papers[p].gradient ? ", uneven lamp" : "", dpi,
                  check.contrast_threshold);
            }
          }
        }
      }
    }
  }
  std::printf("[ blank ] pages with one small mark: %d of %d kept\n", kept, cases);
  EXPECT_EQ(kept, cases);
}

TEST(BlankPages, PrepareKeepsSmallMarksAtTheCornersAndCentre) {
  // The same check as Prepare runs it, after scanner-mark removal.
  int n = 0;
  for (const auto& [where, at] : kPlaces) {
    for (Mark mark : {Mark::kSmallNote, Mark::kSeal}) {
      cv::Mat page = PaperPage(300, {250, 3, 20, false}, 100 + n++);
      DrawMark(page, 300, mark, at.x, at.y, 120);
      EXPECT_FALSE(PreparedBlank(page, 300)) << Name(mark) << " at " << where;
    }
  }
}

TEST(BlankPages, EmptyPagesWithDustNoiseAndGreyPaperAreBlank) {
  int cases = 0, blank = 0;
  for (double dpi : {150.0, 200.0, 300.0}) {
    for (const Paper& paper : {Paper{255, 0, 0, false}, Paper{255, 3, 60, false},
                               Paper{230, 5, 40, false}, Paper{245, 4, 20, true},
                               Paper{210, 6, 0, false}}) {
      cv::Mat page = PaperPage(dpi, paper, 5 + static_cast<unsigned>(cases));
      if (paper.gradient) UnevenLamp(page);
      ++cases;
      BlankCheck check = Check(page, dpi);
      // Prepare too, on one page per resolution (scanner-mark removal and
      // all): the blank flag it sets is what --drop-blank reads.
      const bool blank_after_prepare = cases % 5 != 1 || PreparedBlank(page, dpi);
      if (check.blank && blank_after_prepare) {
        ++blank;
      } else {
        ADD_FAILURE() << fmt::format("not blank: paper {} noise {} dust {}{}, {} dpi: "
                                     "{} mark(s), largest {:.1f} mm, threshold {}",
                                     paper.grey, paper.noise, paper.dust,
                                     paper.gradient ? ", uneven lamp" : "", dpi,
                                     check.marks, check.largest_mark_mm,
                                     check.contrast_threshold);
      }
    }
  }
  std::printf("[ blank ] empty pages (dust, noise, grey paper): %d of %d blank\n", blank,
              cases);
}

TEST(BlankPages, AnAllBlackPageIsAScannerFaultNotBlank) {
  for (double dpi : {150.0, 300.0}) {
    cv::Mat black(static_cast<int>(297 / 25.4 * dpi), static_cast<int>(210 / 25.4 * dpi),
                  CV_8UC1, cv::Scalar(12));
    CleanPage page;
    EXPECT_FALSE(PreparedBlank(black, dpi, &page)) << dpi;
    EXPECT_TRUE(page.dark_fault);
    bool warned = false;
    for (const auto& w : page.warnings) {
      if (w.code == kScannerFaultWarning) {
        warned = true;
        EXPECT_NE(w.message.find("scanner fault"), std::string::npos);
        EXPECT_NE(w.message.find("generated.png page 1"), std::string::npos);
      }
    }
    EXPECT_TRUE(warned);
    // Mostly black with a light strip (the lid was open on part of it).
    cv::Mat mostly = black.clone();
    mostly.rowRange(0, mostly.rows / 5).setTo(255);
    CleanPage partly;
    EXPECT_FALSE(PreparedBlank(mostly, dpi, &partly));
    EXPECT_TRUE(partly.dark_fault);
  }
}

TEST(BlankPages, ATextPageIsNotBlankAndHasNoFault) {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(255));
  for (int y = 300; y < 3200; y += 80) {
    cv::putText(page, "contract customer archive record", {200, y},
                cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0), 3);
  }
  CleanPage prepared;
  EXPECT_FALSE(PreparedBlank(page, 300, &prepared));
  EXPECT_FALSE(prepared.dark_fault);
}

}  // namespace
}  // namespace dossier::capture
