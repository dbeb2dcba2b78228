#include "archive/glyphless_font.h"

#include <gtest/gtest.h>

namespace dossier::archive {
namespace {

std::uint32_t U32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) |
         b[at + 3];
}

TEST(GlyphlessFontTest, HasTheTablesLibharuNeedsWithValidChecksum) {
  auto font = BuildGlyphlessFont({U' ', U'A', U'中'});
  ASSERT_TRUE(font.has_value());
  const auto& b = *font;
  EXPECT_EQ(U32(b, 0), 0x00010000u);
  const unsigned num_tables = (b[4] << 8) | b[5];
  EXPECT_EQ(num_tables, 10u);
  std::string tags;
  for (unsigned i = 0; i < num_tables; ++i)
    tags += std::string(b.begin() + 12 + 16 * i, b.begin() + 16 + 16 * i) + ",";
  EXPECT_EQ(tags, "OS/2,cmap,glyf,head,hhea,hmtx,loca,maxp,name,post,");
  // Whole-font checksum is the magic value once checkSumAdjustment is set.
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < b.size(); i += 4) sum += U32(b, i);
  EXPECT_EQ(sum, 0xB1B0AFBAu);
}

TEST(GlyphlessFontTest, StaysSmallForAChinesePage) {
  std::set<char32_t> cps;
  for (char32_t c = 0x4E00; c < 0x4E00 + 3000; c += 5)
    cps.insert(c);  // 600 hanzi
  for (char32_t c = 0x20; c < 0x7F; ++c) cps.insert(c);
  auto font = BuildGlyphlessFont(cps);
  ASSERT_TRUE(font.has_value());
  EXPECT_LT(font->size(), 8u * cps.size() + 1024);
}

TEST(GlyphlessFontTest, RejectsNonBmpAndTooMany) {
  EXPECT_FALSE(BuildGlyphlessFont({U'\U0001F600'}).has_value());
  std::set<char32_t> many;
  for (char32_t c = 0x4E00; many.size() <= kGlyphlessMaxCodepoints; ++c)
    many.insert(c);
  auto r = BuildGlyphlessFont(many);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kPdf);
}

}  // namespace
}  // namespace dossier::archive
