// The engines a worker keeps between queued items: the same engine comes
// back for the same options (its models stay loaded), another set of
// options gets its own, and a kept engine still reads.
#include "ocr/engine_cache.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "tests/support/test_support.h"

namespace dossier::ocr {
namespace {

TEST(EngineCache, TheSameOptionsGetTheKeptEngineBack) {
  EngineCache cache;
  TesseractOptions chinese{.languages = "chi_sim+eng"};
  auto first = cache.Take(chinese);
  ASSERT_TRUE(first) << first.error().message;
  Engine* made = first->get();
  cache.Give(chinese, std::move(*first));
  EXPECT_EQ(cache.kept(), 1);

  TesseractOptions english{.languages = "eng"};
  auto other = cache.Take(english);
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_NE(other->get(), made) << "other options, another engine";
  EXPECT_EQ(cache.kept(), 1);

  auto again = cache.Take(chinese);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->get(), made) << "kept, not made again";
  EXPECT_EQ(cache.kept(), 0);

  const cv::Mat page = cv::imread((dossier::testing::SamplesDir() / "zh-contract-1.png").string(),
                                  cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(page.empty());
  auto read = (*again)->Recognize({page.data, page.cols, page.rows,
                                   static_cast<int>(page.step), 300},
                                  "chi_sim+eng");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_NE(read->text.find("合同"), std::string::npos) << read->text;

  TesseractOptions missing{.languages = "xyz_nonexistent"};
  EXPECT_FALSE(cache.Take(missing)) << "a missing model is still an error";
}

}  // namespace
}  // namespace dossier::ocr
