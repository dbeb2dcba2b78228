#include <gtest/gtest.h>

#include "capture/image_file.h"
#include "core/text.h"
#include "ocr/engine.h"
#include "tests/support/test_support.h"

namespace dossier::ocr {
namespace {

namespace fs = std::filesystem;

capture::RawPage Load(const fs::path& path) {
  auto pages = capture::ReadImageFile(path);
  EXPECT_TRUE(pages.has_value()) << path;
  return pages->front();
}

GrayImageView View(const capture::RawPage& page) {
  EXPECT_EQ(page.image.channels(), 1);
  return {page.image.data, page.image.cols, page.image.rows,
          static_cast<int>(page.image.step), page.dpi};
}

std::unique_ptr<Engine> Make(const std::string& languages) {
  auto engine = MakeTesseractEngine({languages, ""});
  EXPECT_TRUE(engine.has_value()) << engine.error().message;
  return std::move(*engine);
}

TEST(TesseractEngine, ReadsPhototestWithWordBoxes) {
  auto engine = Make("eng");
  auto page = Load(testing::CorpusDir() / "tesseract-test" / "phototest.tif");
  auto ocr = engine->Recognize(View(page));
  ASSERT_TRUE(ocr.has_value()) << ocr.error().message;
  EXPECT_NE(ocr->text.find("quick brown dog"), std::string::npos) << ocr->text;
  EXPECT_GT(ocr->mean_confidence, 80.f);
  ASSERT_GT(ocr->words.size(), 50u);
  for (const auto& w : ocr->words) {
    EXPECT_GE(w.box.x, 0);
    EXPECT_LE(w.box.x + w.box.width, page.image.cols);
    EXPECT_GT(w.box.height, 0);
    EXPECT_LT(w.line, static_cast<int>(ocr->lines.size()));
  }
}

TEST(TesseractEngine, KeepsTesseractDiagnosticsOffTheTerminal) {
  // A page without a resolution makes Tesseract print "Estimating resolution
  // as N" through the same channel as "Detected N diacritics".
  auto page = Load(testing::CorpusDir() / "tesseract-test" / "phototest.tif");
  GrayImageView view = View(page);
  view.dpi = 0;
  ::testing::internal::CaptureStderr();
  auto engine = MakeTesseractEngine({"eng", ""});
  std::string printed;
  if (engine) {
    auto ocr = (*engine)->Recognize(view);
    printed = ::testing::internal::GetCapturedStderr();
    ASSERT_TRUE(ocr.has_value()) << ocr.error().message;
    EXPECT_NE(ocr->text.find("quick"), std::string::npos);
  } else {
    printed = ::testing::internal::GetCapturedStderr();
    FAIL() << engine.error().message;
  }
  EXPECT_EQ(printed, "");
}

TEST(TesseractEngine, ChineseTextHasNoSpacesBetweenCharacters) {
  auto engine = Make("chi_sim+eng");
  auto page = Load(testing::CorpusDir() / "zh-synth" / "zhsyn-101-01-contract.png");
  auto ocr = engine->Recognize(View(page));
  ASSERT_TRUE(ocr.has_value());
  EXPECT_NE(ocr->text.find("合同"), std::string::npos) << ocr->text;
  auto cps = DecodeUtf8(ocr->text);
  for (size_t i = 1; i + 1 < cps.size(); ++i) {
    if (cps[i] == U' ') {
      EXPECT_FALSE(IsCjkCodepoint(cps[i - 1]) && IsCjkCodepoint(cps[i + 1]))
          << "space between CJK characters at " << i;
    }
  }
}

struct OrientationCase {
  const char* file;
  int expected_clockwise;
};

class Orientation : public ::testing::TestWithParam<OrientationCase> {};

TEST_P(Orientation, OsdTellsHowToTurnThePageUpright) {
  auto engine = Make("eng");
  auto page = Load(testing::CorpusDir() / "tesseract-test" / GetParam().file);
  auto o = engine->DetectOrientation(View(page));
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o->degrees_clockwise, GetParam().expected_clockwise) << GetParam().file;
}

// phototest-rotated-L is turned 90 degrees left, so it needs 90 clockwise.
INSTANTIATE_TEST_SUITE_P(Phototest, Orientation,
                         ::testing::Values(OrientationCase{"phototest.tif", 0},
                                           OrientationCase{"phototest-rotated-180.png", 180},
                                           OrientationCase{"phototest-rotated-L.png", 90},
                                           OrientationCase{"phototest-rotated-R.png", 270}));

TEST(TesseractEngine, MissingLanguageIsAClearError) {
  auto engine = MakeTesseractEngine({"xyz_nonexistent", ""});
  ASSERT_FALSE(engine.has_value());
  EXPECT_EQ(engine.error().code, ErrorCode::kOcr);
  EXPECT_NE(engine.error().message.find("xyz_nonexistent"), std::string::npos);
}

}  // namespace
}  // namespace dossier::ocr
