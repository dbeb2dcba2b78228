#include "archive/text_layer.h"

#include <gtest/gtest.h>

namespace dossier::archive {
namespace {

OcrWord Word(const char* text, Box box, int line) {
  OcrWord w;
  w.text = text;
  w.box = box;
  w.baseline = box.y + box.height;
  w.line = line;
  return w;
}

OcrPage Page(std::vector<OcrWord> words) {
  OcrPage page;
  page.width = 1000;
  page.height = 1000;
  page.words = std::move(words);
  return page;
}

TEST(TextLayerTest, LatinNeighboursGetASpaceCjkNeighboursDoNot) {
  auto placed = LayoutTextLayer(Page({Word("档案", {400, 100, 80, 40}, 0),
                                      Word("客户", {300, 100, 80, 40}, 0),
                                      Word("ABC", {500, 100, 90, 40}, 0),
                                      Word("end", {600, 100, 90, 40}, 0)}),
                                1000, 1000, 72, 500);
  ASSERT_EQ(placed.size(), 4u);
  EXPECT_EQ(placed[0].text, "客户");         // sorted by x
  EXPECT_EQ(placed[0].space_width, 0.0);     // CJK next to CJK: joined
  EXPECT_DOUBLE_EQ(placed[0].width, 100.0);  // stretched to reach the next
  EXPECT_EQ(placed[1].text, "档案");
  EXPECT_DOUBLE_EQ(placed[1].width, 80.0);
  EXPECT_DOUBLE_EQ(placed[1].space_width, 20.0);  // CJK before Latin: the gap
  EXPECT_EQ(placed[2].text, "ABC");
  EXPECT_DOUBLE_EQ(placed[2].space_width, 10.0);
  EXPECT_EQ(placed[3].text, "end");
  EXPECT_EQ(placed[3].space_width, 0.0);  // last on the line
}

TEST(TextLayerTest, PunctuationNextToCjkJoinsLikeNormalizeText) {
  auto placed = LayoutTextLayer(Page({Word("编号", {100, 100, 80, 40}, 0),
                                      Word(":", {190, 100, 10, 40}, 0),
                                      Word("HT-1", {210, 100, 80, 40}, 0)}),
                                1000, 1000, 72, 500);
  ASSERT_EQ(placed.size(), 3u);
  EXPECT_EQ(placed[0].text, "编号");
  EXPECT_EQ(placed[1].text, ":");
  EXPECT_GT(placed[1].space_width, 0.0);
  EXPECT_EQ(placed[2].text, "HT-1");
}

TEST(TextLayerTest, WordsOfALineShareBaselineAndSize) {
  OcrWord high = Word("联系", {100, 96, 80, 44}, 0);
  OcrWord low = Word("人", {190, 100, 40, 40}, 0);
  OcrWord lower = Word("周", {240, 102, 40, 40}, 0);
  auto placed = LayoutTextLayer(Page({high, low, lower}), 1000, 1000, 72, 500);
  ASSERT_EQ(placed.size(), 3u);
  EXPECT_DOUBLE_EQ(placed[0].baseline, placed[1].baseline);
  EXPECT_DOUBLE_EQ(placed[1].baseline, placed[2].baseline);
  EXPECT_DOUBLE_EQ(placed[0].font_size, 40.0);
  EXPECT_DOUBLE_EQ(placed[0].baseline, 1000.0 - 140.0);
}

TEST(TextLayerTest, EngineWithoutLineIndicesStillGetsRows) {
  auto placed = LayoutTextLayer(Page({Word("下", {100, 300, 40, 40}, 0),
                                      Word("上", {150, 100, 40, 40}, 0)}),
                                1000, 1000, 72, 500);
  ASSERT_EQ(placed.size(), 2u);
  EXPECT_EQ(placed[0].text, "上");
  EXPECT_DOUBLE_EQ(placed[0].width, 40.0);  // not stretched to the other row
}

TEST(TextLayerTest, OverlappingBoxesAreShortenedNotOverlapped) {
  auto placed = LayoutTextLayer(Page({Word("联系", {100, 100, 100, 40}, 0),
                                      Word("人:", {180, 100, 60, 40}, 0),
                                      Word("ARR", {235, 100, 60, 40}, 0),
                                      Word("x", {290, 100, 20, 40}, 0)}),
                                1000, 1000, 72, 500);
  ASSERT_EQ(placed.size(), 4u);
  EXPECT_DOUBLE_EQ(placed[0].width, 80.0);  // ends where "人:" starts
  EXPECT_EQ(placed[1].text, "人:");
  // Narrowed to leave a gap of a quarter of the 40 pt font before "ARR".
  EXPECT_DOUBLE_EQ(placed[1].width, 45.0);
  EXPECT_DOUBLE_EQ(placed[1].space_width, 10.0);
  EXPECT_DOUBLE_EQ(placed[2].width, 45.0);
}

TEST(TextLayerTest, GeometryIsInPointsFromTheBottom) {
  // 1000 px at 144 dpi = 500 pt; the box 100..140 px is 50..70 pt from top.
  auto placed = LayoutTextLayer(Page({Word("Hello", {200, 100, 100, 40}, 0)}),
                                1000, 1000, 144, 500);
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_DOUBLE_EQ(placed[0].x, 100.0);
  EXPECT_DOUBLE_EQ(placed[0].baseline, 500.0 - 70.0);
  EXPECT_DOUBLE_EQ(placed[0].font_size, 20.0);
  // 5 glyphs of 0.5 em at 20 pt = 50 pt natural; the box is 50 pt wide.
  EXPECT_DOUBLE_EQ(placed[0].h_scale, 1.0);
}

TEST(TextLayerTest, WordsOnDifferentLinesAreNotChained) {
  auto placed = LayoutTextLayer(Page({Word("上", {100, 100, 40, 40}, 0),
                                      Word("下", {150, 300, 40, 40}, 1)}),
                                1000, 1000, 300, 500);
  ASSERT_EQ(placed.size(), 2u);
  EXPECT_EQ(placed[0].text, "上");
  EXPECT_DOUBLE_EQ(placed[0].width, 40 * 72.0 / 300);
}

TEST(TextLayerTest, EmptyAndDegenerateWordsAreSkipped) {
  auto placed = LayoutTextLayer(
      Page({Word("", {100, 100, 40, 40}, 0), Word("x", {100, 100, 0, 40}, 0),
            Word("\x01 ", {100, 100, 40, 40}, 0)}),
      1000, 1000, 300, 500);
  EXPECT_TRUE(placed.empty());
}

TEST(TextLayerTest, CodepointsOutsideTheBmpBecomeReplacementCharacters) {
  EXPECT_EQ(TextLayerCodepoints("a\U0001F600b"), U"a\uFFFDb");
}

// Lines of one OCR block (a column) share one font size, raised until they
// are at most 1.4 sizes apart, so that extractors read the block as one; a
// heading in the block and the lines of another block keep their own.
TEST(TextLayerTest, LinesOfABlockShareASizeThatKeepsThemOneBlock) {
  OcrPage page = Page({Word("Heading", {100, 20, 300, 60}, 0),
                       Word("first", {100, 100, 100, 20}, 1),
                       Word("second", {100, 138, 120, 22}, 2),
                       Word("third", {100, 180, 100, 20}, 3),
                       Word("other", {600, 100, 100, 20}, 4)});
  page.lines.resize(5);
  for (int i = 0; i < 4; ++i) page.lines[i].block = 0;
  page.lines[4].block = 1;
  auto placed = LayoutTextLayer(page, 1000, 1000, 72, 500);
  ASSERT_EQ(placed.size(), 5u);
  EXPECT_DOUBLE_EQ(placed[0].font_size, 60.0);  // the heading: its own size
  // Body lines 40 pt apart with ink 20-22 pt high: 40 / 1.4 for all three.
  EXPECT_NEAR(placed[1].font_size, 40.0 / 1.4, 1e-9);
  EXPECT_DOUBLE_EQ(placed[2].font_size, placed[1].font_size);
  EXPECT_DOUBLE_EQ(placed[3].font_size, placed[1].font_size);
  EXPECT_DOUBLE_EQ(placed[4].font_size, 20.0);  // alone in its block
}

TEST(TextLayerTest, WidelySpacedLinesGrowAtMostToTwiceTheirInk) {
  OcrPage page = Page({Word("one", {100, 100, 100, 20}, 0),
                       Word("two", {100, 200, 100, 20}, 1)});
  page.lines.resize(2);
  auto placed = LayoutTextLayer(page, 1000, 1000, 72, 500);
  ASSERT_EQ(placed.size(), 2u);
  EXPECT_DOUBLE_EQ(placed[0].font_size, 40.0);
  EXPECT_DOUBLE_EQ(placed[1].font_size, 40.0);
}

}  // namespace
}  // namespace dossier::archive
