#include "fields/normalize.h"

#include <gtest/gtest.h>

namespace dossier::fields {
namespace {

std::string Ok(const Result<std::string>& r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : "";
}

std::string Why(const Result<std::string>& r) {
  EXPECT_FALSE(r.has_value()) << "unexpectedly valid: " << (r ? *r : "");
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  return r.error().message;
}

TEST(FoldFullWidth, FoldsAsciiVariantsAndIdeographicSpace) {
  EXPECT_EQ(FoldFullWidth("　ＡＢＣ１２３：（甲方）　"), "ABC123:(甲方)");
  EXPECT_EQ(FoldFullWidth("①"), "①");  // not NFKC
}

TEST(NormalizeDate, AcceptsTheWrittenForms) {
  for (const char* in : {"2024年3月5日", "2024/3/5", "2024-03-05", "05.03.2024",
                         "二〇二四年三月五日", "二零二四年三月五日", "2024.3.5",
                         "２０２４年３月５日", "20240305", "March 5, 2024",
                         "5 March 2024", "2024 年 3 月 5 日"}) {
    EXPECT_EQ(Ok(NormalizeDate(in)), "2024-03-05") << in;
  }
  EXPECT_EQ(Ok(NormalizeDate("二〇二三年十二月三十一日")), "2023-12-31");
  EXPECT_EQ(Ok(NormalizeDate("2024年2月29日")), "2024-02-29");
}

TEST(NormalizeDate, RejectsImpossibleAndAmbiguousDates) {
  EXPECT_NE(Why(NormalizeDate("2023-02-29")).find("no day 29"), std::string::npos);
  EXPECT_NE(Why(NormalizeDate("2024-13-01")).find("month 13"), std::string::npos);
  EXPECT_NE(Why(NormalizeDate("3/5/2024")).find("cannot be told apart"),
            std::string::npos);
  Why(NormalizeDate(""));
  Why(NormalizeDate("下周一"));
  Why(NormalizeDate("2024年3月"));
  EXPECT_NE(Why(NormalizeDate("2024年3月32日")).find("'2024年3月32日'"),
            std::string::npos);
}

TEST(NormalizePhone, ToE164WithDefaultRegionCn) {
  EXPECT_EQ(Ok(NormalizePhone("138 0013 8000")), "+8613800138000");
  EXPECT_EQ(Ok(NormalizePhone("152-6080-3176")), "+8615260803176");
  EXPECT_EQ(Ok(NormalizePhone("021-6234 5678")), "+862162345678");
  EXPECT_EQ(Ok(NormalizePhone("(010) 8265 4321")), "+861082654321");
  EXPECT_EQ(Ok(NormalizePhone("０２８－６３２０１６３１")), "+862863201631");
  EXPECT_EQ(Ok(NormalizePhone("+44 113 496 0731")), "+441134960731");
}

TEST(NormalizePhone, RejectsNumbersWithoutAreaCodeOrTooShort) {
  EXPECT_NE(Why(NormalizePhone("6234 5678")).find("area code"), std::string::npos);
  Why(NormalizePhone("12345"));
  Why(NormalizePhone("call me"));
  Why(NormalizePhone("138 0013 800"));
}

TEST(NormalizeUscc, PublishedExampleAndCorpusCodes) {
  EXPECT_EQ(Ok(NormalizeUscc("91350100M000100Y43")), "91350100M000100Y43");
  EXPECT_EQ(Ok(NormalizeUscc("91510107MAEWB5NH0D")), "91510107MAEWB5NH0D");
  EXPECT_EQ(Ok(NormalizeUscc("９１３１０１１５ＭＡ１Ｋ４８２３８３")),
            "91310115MA1K482383");
  EXPECT_EQ(Ok(NormalizeUscc("91350100m000100y43")), "91350100M000100Y43");
  EXPECT_EQ(Ok(NormalizeUscc("9135 0100 M000 100Y 43")), "91350100M000100Y43");
  EXPECT_EQ(UsccCheckChar("91350100M000100Y4"), '3');
}

TEST(NormalizeUscc, EverySingleSubstitutionIsCaught) {
  const std::string good = "91350100M000100Y43";
  const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (size_t i = 0; i < good.size(); ++i) {
    for (char c : alphabet) {
      if (c == good[i]) continue;
      std::string bad = good;
      bad[i] = c;
      EXPECT_FALSE(NormalizeUscc(bad).has_value()) << bad;
    }
  }
}

TEST(NormalizeUscc, ExplainsWhatIsWrong) {
  EXPECT_NE(Why(NormalizeUscc("91350100M000100Y42")).find("check character"),
            std::string::npos);
  EXPECT_NE(Why(NormalizeUscc("91350100M000100Y4")).find("17 characters"),
            std::string::npos);
  EXPECT_NE(Why(NormalizeUscc("91350100MOOO100Y43")).find("not allowed"),
            std::string::npos);
}

TEST(NormalizeResidentId, PublishedExample) {
  EXPECT_EQ(Ok(NormalizeResidentId("11010519491231002X")), "11010519491231002X");
  EXPECT_EQ(Ok(NormalizeResidentId("11010519491231002x")), "11010519491231002X");
  EXPECT_EQ(ResidentIdCheckChar("11010519491231002"), 'X');
}

TEST(NormalizeResidentId, RejectsBadCheckDateAndRegion) {
  EXPECT_NE(Why(NormalizeResidentId("110105194912310021")).find("check digit"),
            std::string::npos);
  EXPECT_NE(Why(NormalizeResidentId("110105194902300020")).find("birth date"),
            std::string::npos);
  // The corpus's fake IDs: valid check digit, impossible province 99.
  EXPECT_NE(Why(NormalizeResidentId("994861190002245634")).find("province"),
            std::string::npos);
  Why(NormalizeResidentId("1101051949123100"));
}

TEST(NormalizeAmount, CapitalNumeralsAndFigures) {
  EXPECT_EQ(Ok(NormalizeAmount("人民币肆万捌仟元整")), "48000.00");
  EXPECT_EQ(Ok(NormalizeAmount("伍拾柒万叁仟捌佰元整")), "573800.00");
  EXPECT_EQ(Ok(NormalizeAmount("壹佰元伍角陆分")), "100.56");
  EXPECT_EQ(Ok(NormalizeAmount("叁亿伍仟万元整")), "350000000.00");
  EXPECT_EQ(Ok(NormalizeAmount("壹拾万零伍佰元整")), "100500.00");
  EXPECT_EQ(Ok(NormalizeAmount("¥48,000.00")), "48000.00");
  EXPECT_EQ(Ok(NormalizeAmount("￥573,800.00")), "573800.00");
  EXPECT_EQ(Ok(NormalizeAmount("48000元")), "48000.00");
  EXPECT_EQ(Ok(NormalizeAmount("4.8万元")), "48000.00");
  EXPECT_EQ(Ok(NormalizeAmount("1000 万元")), "10000000.00");
  EXPECT_EQ(Ok(NormalizeAmount("RMB 12,500.5")), "12500.50");
}

TEST(NormalizeAmount, RejectsWhatIsNotAnAmount) {
  Why(NormalizeAmount("5%"));
  Why(NormalizeAmount("人民币"));
  Why(NormalizeAmount("肆万捌仟元整整"));
  Why(NormalizeAmount("12.345"));
  Why(NormalizeAmount("肆万X元"));
}

TEST(NormalizeEmail, LowerCasesDomain) {
  EXPECT_EQ(Ok(NormalizeEmail(" Admin@ZhiCheng.com.CN ")), "Admin@zhicheng.com.cn");
  Why(NormalizeEmail("admin.zhicheng.com"));
  Why(NormalizeEmail("a@b"));
}

TEST(NormalizeField, DispatchesOnTheName) {
  EXPECT_EQ(Ok(NormalizeField("signing_date", "2026年3月5日")), "2026-03-05");
  EXPECT_EQ(Ok(NormalizeField("party_b_uscc", "91110108MA7E506166")),
            "91110108MA7E506166");
  EXPECT_EQ(Ok(NormalizeField("mobile", "138 0013 8000")), "+8613800138000");
  EXPECT_EQ(Ok(NormalizeField("party_a", "　上海明川贸易有限公司 ")),
            "上海明川贸易有限公司");
  Why(NormalizeField("party_a", "  "));
}

}  // namespace
}  // namespace dossier::fields
