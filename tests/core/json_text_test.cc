// Bytes that are not UTF-8 (file names in GBK or Latin-1) in JSON output.
#include "core/json_text.h"

#include <gtest/gtest.h>

namespace dossier {
namespace {

TEST(JsonText, ValidUtf8IsKeptAsItIs) {
  EXPECT_EQ(EscapeInvalidUtf8("合同 scan.png"), "合同 scan.png");
  EXPECT_EQ(EscapeInvalidUtf8("a\\xFFb"), "a\\xFFb");  // already text
  EXPECT_TRUE(IsValidUtf8("\U0001F600"));
}

TEST(JsonText, InvalidBytesBecomeHexEscapes) {
  EXPECT_EQ(EscapeInvalidUtf8("bad\xFF.png"), "bad\\xFF.png");
  // GBK for 测试: four bytes, none a valid UTF-8 sequence here.
  EXPECT_EQ(EscapeInvalidUtf8("\xB2\xE2\xCA\xD4"), "\\xB2\\xE2\\xCA\\xD4");
  // Overlong, surrogate and truncated sequences are not UTF-8 either.
  EXPECT_EQ(EscapeInvalidUtf8("\xC0\xAF"), "\\xC0\\xAF");
  EXPECT_EQ(EscapeInvalidUtf8("\xED\xA0\x80"), "\\xED\\xA0\\x80");
  EXPECT_EQ(EscapeInvalidUtf8("x\xE5\x90"), "x\\xE5\\x90");
}

TEST(JsonText, DumpNeverThrowsAndEscapesKeysAndNestedStrings) {
  nlohmann::json j = {{"name", "bad\xFF.png"},
                      {"warnings", {{{"message", "p\xFE 1"}}}},
                      {"k\xFF", 1}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);
  const std::string out = DumpJson(j);
  auto back = nlohmann::json::parse(out);
  EXPECT_EQ(back["name"], "bad\\xFF.png");
  EXPECT_EQ(back["warnings"][0]["message"], "p\\xFE 1");
  EXPECT_EQ(back["k\\xFF"], 1);
}

}  // namespace
}  // namespace dossier
