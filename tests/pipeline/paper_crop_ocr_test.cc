// A page scanned on a dark background reads as well as the same page
// scanned alone: real Tesseract through the page pipeline (cleanup, crop to
// the paper, orientation, deskew, OCR), CER from the shared scorer, so the
// text is normalised exactly as ocr-score normalises it. Small generated
// pages, one Chinese and one English.
#include <gtest/gtest.h>

#include <cstdio>

#include "ocr/engine.h"
#include "pipeline/page_processor.h"
#include "tests/capture/paper_scene.h"
#include "tests/support/ocr_score.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

std::string Read(ocr::Engine& engine, const cv::Mat& image, double dpi, bool crop,
                 bool* cropped) {
  capture::RawPage raw;
  raw.image = image;
  raw.dpi = dpi;
  raw.source_file = "scene.png";
  capture::CleanupOptions cleanup;
  cleanup.crop_to_paper = crop;
  auto result = pipeline::ProcessPage(engine, raw, cleanup, {});
  EXPECT_TRUE(result.has_value()) << result.error().message;
  if (!result) return "";
  *cropped = false;
  for (const auto& w : result->warnings) *cropped = *cropped || w.code == "paper-cropped";
  return result->ocr.text;
}

// The tolerance: the bordered sheet is turned by 1.5 degrees, so it is
// resampled twice (placed, then deskewed) where the plain one is not; that
// costs a character or two in a hundred on print this small.
constexpr double kTolerance = 0.02;

TEST(PaperCropOcr, ABorderOverAQuarterOfTheScanReadsAsWellAsThePageAlone) {
  auto engine = ocr::MakeTesseractEngine({"chi_sim+eng", ""});
  ASSERT_TRUE(engine.has_value()) << engine.error().message;
  testing::TempDir tmp;
  for (bool chinese : {true, false}) {
    testing_scenes::BorderScene spec;
    spec.scan_width = 1000;
    spec.scan_height = 1000;
    spec.dpi = 200;
    spec.font_px = 30;
    spec.border_fraction = 0.25;
    // Black under the Chinese page, mid-grey (lighter than the old border
    // painting's threshold) under the English one.
    spec.background = chinese ? 35 : 110;
    spec.shadow = 0.15;
    spec.noise = 4;
    spec.angle = 1.5;
    spec.edge_text = false;
    spec.chinese = chinese;
    spec.seed = chinese ? 11 : 12;
    auto scene = testing_scenes::MakeBorderScene(spec);
    std::string truth;
    for (const auto& line : scene.truth) truth += line + "\n";
    bool cropped = false;
    const double plain =
        testing::OcrCer(tmp.path(), truth, Read(**engine, scene.flat_page, spec.dpi, true, &cropped));
    EXPECT_FALSE(cropped) << "the page alone has no border";
    const double bordered =
        testing::OcrCer(tmp.path(), truth, Read(**engine, scene.scan, spec.dpi, true, &cropped));
    EXPECT_TRUE(cropped);
    std::printf("[ paper-crop ] %s: CER alone %.3f, on a background of grey %d %.3f\n",
                chinese ? "Chinese" : "English", plain, spec.background, bordered);
    EXPECT_LE(bordered, plain + kTolerance) << (chinese ? "Chinese" : "English");
  }
}

}  // namespace
}  // namespace dossier
