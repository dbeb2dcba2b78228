// Finding the paper on a scan made with the lid open or on a dark
// background, on generated scans with many variations: Chinese and English
// text (some of it touching the paper's edge), borders covering 5 to 30% of
// the scan on four or on two sides, black to mid-grey backgrounds with an
// uneven lamp, a shadow along the paper's edge, sensor noise, the paper
// turned by up to 3 degrees. The crop must find the paper within a few
// pixels; pages without a border (dark photos, thick rules and black bars
// at the edge) must be left exactly as they are.
#include <gtest/gtest.h>

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "capture/cleanup.h"
#include "tests/capture/paper_scene.h"

namespace dossier::capture {
namespace {

using testing_scenes::BorderScene;
using testing_scenes::MakeBorderScene;
using testing_scenes::PaperPage;
using testing_scenes::Scene;

// Within this many pixels at 150 dpi (0.3 mm): the paper's antialiased,
// blurred and noisy edge is a pixel wide itself, and the true box is taken
// where the sheet covers half a pixel.
constexpr int kEdgeTolerance = 2;

RawPage Raw(cv::Mat image, double dpi) {
  RawPage raw;
  raw.image = std::move(image);
  raw.dpi = dpi;
  raw.source_file = "scene.png";
  return raw;
}

std::string Describe(const BorderScene& s) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "%s, border %.0f%% on %s, background %d, noise %.1f, shadow %.2f, "
                "angle %.2f, seed %u",
                s.chinese ? "Chinese" : "English", s.border_fraction * 100,
                s.sides == 4 ? "four sides" : (s.sides == 2 ? "top and left" : "bottom and right"),
                s.background, s.noise, s.shadow, s.angle, s.seed);
  return buf;
}

std::vector<BorderScene> Variations() {
  std::vector<BorderScene> out;
  std::mt19937 rng(20261201);
  std::uniform_real_distribution<double> unit(0, 1);
  const double fractions[] = {0.05, 0.10, 0.18, 0.25, 0.30};
  const int backgrounds[] = {8, 30, 60, 100, 130};
  const int sides[] = {4, 4, 2, -2};  // -2: bottom and right
  unsigned seed = 1;
  for (double f : fractions) {
    for (int side : sides) {
      BorderScene s;
      // Four bands of 5% together are 2 mm each: too thin to tell from a
      // paper's edge shadow, so four-sided scenes start at 8%.
      s.border_fraction = side == 4 ? std::max(f, 0.08) : f;
      s.sides = side;
      s.background = backgrounds[rng() % 5];
      s.noise = 1 + 6 * unit(rng);
      s.shadow = unit(rng) < 0.5 ? 0.0 : 0.1 + 0.2 * unit(rng);
      s.angle = -3 + 6 * unit(rng);
      s.chinese = (seed % 2) == 0;
      s.seed = seed++;
      out.push_back(s);
    }
  }
  return out;
}

TEST(FindPaper, FindsThePaperWithinAFewPixels) {
  int worst = 0;
  double worst_angle = 0;
  for (const BorderScene& spec : Variations()) {
    SCOPED_TRACE(Describe(spec));
    Scene scene = MakeBorderScene(spec);
    PaperRegion region = FindPaper(scene.scan, scene.dpi);
    ASSERT_TRUE(region.found) << "border sides " << region.border_sides
                              << ", paper " << region.paper_level << ", background "
                              << region.background;
    EXPECT_NEAR(region.crop.x, scene.paper_box.x, kEdgeTolerance);
    EXPECT_NEAR(region.crop.y, scene.paper_box.y, kEdgeTolerance);
    EXPECT_NEAR(region.crop.br().x, scene.paper_box.br().x, kEdgeTolerance);
    EXPECT_NEAR(region.crop.br().y, scene.paper_box.br().y, kEdgeTolerance);
    // The paper mask agrees with the true sheet except along its edge: at
    // most the edge tolerance times the perimeter.
    cv::Mat wrong;
    cv::bitwise_xor(region.paper, scene.paper_mask, wrong);
    const double perimeter = 2.0 * (scene.paper_box.width + scene.paper_box.height);
    EXPECT_LT(cv::countNonZero(wrong), kEdgeTolerance * perimeter);
    EXPECT_NEAR(region.angle, spec.angle, 0.5);
    worst = std::max({worst, std::abs(region.crop.x - scene.paper_box.x),
                      std::abs(region.crop.y - scene.paper_box.y),
                      std::abs(region.crop.br().x - scene.paper_box.br().x),
                      std::abs(region.crop.br().y - scene.paper_box.br().y)});
    worst_angle = std::max(worst_angle, std::abs(region.angle - spec.angle));
  }
  std::printf("[ find-paper ] %zu scans: crop within %d px, angle within %.2f degrees\n",
              Variations().size(), worst, worst_angle);
}

TEST(FindPaper, PrepareCropsAndKeepsTheDpiAndSaysSo) {
  BorderScene spec;
  spec.border_fraction = 0.25;
  spec.background = 40;
  spec.angle = 1.5;
  spec.chinese = true;
  Scene scene = MakeBorderScene(spec);
  CleanupOptions crop;
  crop.crop_to_paper = true;
  auto page = Prepare(Raw(scene.scan, scene.dpi), crop);
  ASSERT_TRUE(page.has_value());
  EXPECT_NEAR(page->gray.cols, scene.paper_box.width, kEdgeTolerance * 2);
  EXPECT_NEAR(page->gray.rows, scene.paper_box.height, kEdgeTolerance * 2);
  EXPECT_EQ(page->dpi, scene.dpi);
  EXPECT_EQ(page->paper_crop.size(), page->gray.size());
  bool said = false;
  for (const auto& w : page->warnings) said = said || w.code == "paper-cropped";
  EXPECT_TRUE(said);
  // No dark background is left in the crop (its turned corners painted).
  cv::Mat dark = page->gray < 100;
  cv::Mat ink = (scene.scan(page->paper_crop) < 100) & scene.paper_mask(page->paper_crop);
  EXPECT_LE(cv::countNonZero(dark), cv::countNonZero(ink) + 50);
}

// Pages that fill the scan: nothing is cropped, and Prepare gives exactly
// what it gives with cropping switched off.
TEST(FindPaper, LeavesPagesWithoutABorderExactlyAsTheyAre) {
  for (int kind = 0; kind < PaperPage::kKinds; ++kind) {
    for (unsigned seed : {1u, 2u}) {
      SCOPED_TRACE(PaperPage::KindName(kind) + " seed " + std::to_string(seed));
      cv::Mat page = PaperPage::Borderless(kind, seed);
      PaperRegion region = FindPaper(page, 150);
      EXPECT_FALSE(region.found) << "cropped to " << region.crop.x << "," << region.crop.y
                                 << " " << region.crop.width << "x" << region.crop.height
                                 << " (" << region.border_sides << " sides)";
      CleanupOptions off, on;
      off.crop_to_paper = false;
      on.crop_to_paper = true;
      auto with = Prepare(Raw(page, 150), on);
      auto without = Prepare(Raw(page, 150), off);
      ASSERT_TRUE(with.has_value() && without.has_value());
      ASSERT_EQ(with->gray.size(), without->gray.size());
      EXPECT_EQ(cv::countNonZero(with->gray != without->gray), 0);
      EXPECT_TRUE(with->paper_crop.empty());
    }
  }
}

}  // namespace
}  // namespace dossier::capture
