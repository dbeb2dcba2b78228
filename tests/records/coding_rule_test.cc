#include "records/coding_rule.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace dossier::records {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// True if payload + check passes the MOD 37,36 check.
bool Passes(const std::string& full) {
  return Mod3736CheckChar(full.substr(0, full.size() - 1)) == full.back();
}

// Worked by hand for "KH2026000017" (P starts at 36; S = (P + a) mod 36,
// 0 -> 36; P = 2S mod 37):
//   K a=20 S=20 P=3    H a=17 S=20 P=3    2 a=2  S=5  P=10
//   0 a=0  S=10 P=20   2 a=2  S=22 P=7    6 a=6  S=13 P=26
//   0 a=0  S=26 P=15   0 a=0  S=15 P=30   0 a=0  S=30 P=23
//   0 a=0  S=23 P=9    1 a=1  S=10 P=20   7 a=7  S=27 P=17
//   check c = (37 - 17) mod 36 = 20 = 'K';  (17 + 20) mod 36 = 1.
// "KH2026000001": as above up to "KH20260000" (P=9); 0: S=9 P=18;
//   1: S=19 P=1;
//   c = (37 - 1) mod 36 = 0 = '0'.
// "KH2026000002": the same to P=18; 2: S=20 P=3; c = 34 = 'Y'.
TEST(CodingRuleTest, KnownCheckCharacters) {
  EXPECT_EQ(Mod3736CheckChar("KH2026000017"), 'K');
  EXPECT_EQ(Mod3736CheckChar("KH2026000001"), '0');
  EXPECT_EQ(Mod3736CheckChar("KH2026000002"), 'Y');
  // Dashes are skipped and lower case is the same character.
  EXPECT_EQ(Mod3736CheckChar("KH-2026-000017"), 'K');
  EXPECT_EQ(Mod3736CheckChar("kh-2026-000017"), 'K');
}

TEST(CodingRuleTest, CheckCharOfBadInputIsNul) {
  EXPECT_EQ(Mod3736CheckChar(""), '\0');
  EXPECT_EQ(Mod3736CheckChar("---"), '\0');
  EXPECT_EQ(Mod3736CheckChar("KH 2026"), '\0');
  EXPECT_EQ(Mod3736CheckChar("KH_2026"), '\0');
}

TEST(CodingRuleTest, FormatsCodes) {
  EXPECT_EQ(FormatCustomerCode("KH", 2026, 17), "KH-2026-000017-K");
  EXPECT_EQ(FormatCustomerCode("KH", 2026, 1), "KH-2026-000001-0");
  EXPECT_EQ(FormatCustomerCode("KH", 2026, 999999).size(), 16u);
}

TEST(CodingRuleTest, ValidatesGoodCodes) {
  EXPECT_TRUE(ValidateCustomerCode("KH-2026-000017-K"));
  EXPECT_TRUE(ValidateCustomerCode("kh-2026-000017-k"));
  for (int seq : {1, 2, 99, 123456, 999999}) {
    std::string code = FormatCustomerCode("KH", 2031, seq);
    EXPECT_TRUE(ValidateCustomerCode(code)) << code;
  }
}

void ExpectRejected(const std::string& code, const std::string& reason) {
  auto status = ValidateCustomerCode(code);
  ASSERT_FALSE(status) << code;
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find(reason), std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find(code), std::string::npos);
}

TEST(CodingRuleTest, RejectsBadCodesSayingWhy) {
  ExpectRejected("KH-2026-000017-Q", "check character 'Q' does not match");
  ExpectRejected("KH-2026-000018-K", "does not match");
  ExpectRejected("KH-2026-000017", "has 3 parts");
  ExpectRejected("", "has 1 parts");
  ExpectRejected("XX-2026-000017-K", "prefix must be KH");
  ExpectRejected("KH-226-000017-K", "year '226' must be 4 digits");
  ExpectRejected("KH-2026-00017-K", "must be 6 digits");
  ExpectRejected("KH-2026-0000I7-K", "must be 6 digits");
  ExpectRejected("KH-2026-000000-Y", "000000 is never issued");
  ExpectRejected("KH-2026-000017-KK", "must be one of 0-9 or A-Z");
  ExpectRejected("KH-2026-000017-#", "must be one of 0-9 or A-Z");
}

const std::vector<std::string>& SampleCodes() {
  static const std::vector<std::string> samples = [] {
    std::vector<std::string> out;
    for (int year : {2024, 2026}) {
      for (int seq : {2, 17, 100, 4711, 123456, 999999}) {
        std::string code = FormatCustomerCode("KH", year, seq);
        std::string compact;
        for (char c : code) {
          if (c != '-') compact.push_back(c);
        }
        out.push_back(compact);
      }
    }
    return out;
  }();
  return samples;
}

TEST(CodingRuleTest, DetectsEverySingleSubstitution) {
  int tried = 0;
  for (const std::string& full : SampleCodes()) {
    ASSERT_TRUE(Passes(full)) << full;
    for (size_t i = 0; i < full.size(); ++i) {
      for (const char* c = kAlphabet; *c != '\0'; ++c) {
        if (*c == full[i]) continue;
        std::string changed = full;
        changed[i] = *c;
        EXPECT_FALSE(Passes(changed)) << full << " -> " << changed;
        ++tried;
      }
    }
  }
  EXPECT_EQ(tried, 12 * 13 * 35);
}

TEST(CodingRuleTest, DetectsAdjacentTranspositionsOfSamples) {
  for (const std::string& full : SampleCodes()) {
    for (size_t i = 0; i + 1 < full.size(); ++i) {
      if (full[i] == full[i + 1]) continue;
      std::string swapped = full;
      std::swap(swapped[i], swapped[i + 1]);
      EXPECT_FALSE(Passes(swapped)) << full << " -> " << swapped;
    }
  }
}

// MOD 37,36 is not perfect against transpositions: about 1 in 300 adjacent
// swaps goes unnoticed (docs/coding-rule.md). Keep the rate pinned and the
// known example documented.
TEST(CodingRuleTest, TranspositionDetectionRateAndKnownMiss) {
  int swaps = 0;
  int missed = 0;
  for (int seq = 1; seq <= 20000; ++seq) {
    std::string code = FormatCustomerCode("KH", 2026, seq);
    std::string full;
    for (char c : code) {
      if (c != '-') full.push_back(c);
    }
    for (size_t i = 0; i + 1 < full.size(); ++i) {
      if (full[i] == full[i + 1]) continue;
      std::string swapped = full;
      std::swap(swapped[i], swapped[i + 1]);
      ++swaps;
      if (Passes(swapped)) ++missed;
    }
  }
  EXPECT_LT(static_cast<double>(missed) / swaps, 0.005)
      << missed << "/" << swaps;
  // Known misses: both codes of each pair are valid.
  EXPECT_TRUE(ValidateCustomerCode("KH-2026-000178-L"));
  EXPECT_TRUE(ValidateCustomerCode("KH-2026-000187-L"));
  EXPECT_TRUE(ValidateCustomerCode("KH-2099-000100-T"));
  EXPECT_TRUE(ValidateCustomerCode("KH-2099-001000-T"));
}

}  // namespace
}  // namespace dossier::records
