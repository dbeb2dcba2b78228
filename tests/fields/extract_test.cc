#include "fields/extract.h"

#include <gtest/gtest.h>

#include <map>

namespace dossier::fields {
namespace {

std::map<std::string, SuggestedField> ByName(
    const std::vector<SuggestedField>& fields) {
  std::map<std::string, SuggestedField> m;
  for (const auto& f : fields) m.emplace(f.name, f);
  return m;
}

constexpr char kContract[] =
    "服务合同\n"
    "合同编号：HT-2026-0153\n"
    "甲方：上海明川贸易有限公司\n"
    "统一社会信用代码：91310115MA1K482383\n"
    "联系人：周晓岚 电话：021-6234 5678 手机：138 0013 8000\n"
    "乙方（受托方）：北京云栈信息技术有限公司\n"
    "统一社会信用代码：91110108MA7E506166\n"
    "联系人：韩子墨 电话：010-8265 4321\n"
    "签订日期：2026年3月5日 签订地点：上海市浦东新区\n"
    "本合同服务期限自2026年3月10日起至2026年6月30日止。\n"
    "1. 合同金额：人民币肆万捌仟元整（¥48,000.00），含税。\n";

TEST(ExtractTextFields, ContractFirstPage) {
  auto f = ByName(ExtractTextFields(kContract, 1));
  EXPECT_EQ(f["contract_number"].value, "HT-2026-0153");
  EXPECT_EQ(f["party_a"].value, "上海明川贸易有限公司");
  EXPECT_EQ(f["party_b"].value, "北京云栈信息技术有限公司");
  EXPECT_EQ(f["party_a_uscc"].value, "91310115MA1K482383");
  EXPECT_EQ(f["party_b_uscc"].value, "91110108MA7E506166");
  EXPECT_EQ(f["contact"].value, "周晓岚");
  EXPECT_EQ(f["phone"].value, "+862162345678");
  EXPECT_EQ(f["mobile"].value, "+8613800138000");
  EXPECT_EQ(f["party_b_contact"].value, "韩子墨");
  EXPECT_EQ(f["signing_date"].value, "2026-03-05");
  EXPECT_EQ(f["start_date"].value, "2026-03-10");
  EXPECT_EQ(f["end_date"].value, "2026-06-30");
  EXPECT_EQ(f["amount"].value, "48000.00");
  EXPECT_TRUE(f["amount"].problem.empty()) << f["amount"].problem;
  EXPECT_EQ(f["amount"].page, 1);
}

TEST(ExtractTextFields, LastPageColumnsAndDotDate) {
  auto f = ByName(ExtractTextFields(
      "甲方（盖章）： 乙方（盖章）：\n"
      "成都德润文化传媒有限公司 成都华远数据科技有限公司\n"
      "法定代表人或授权代表： 法定代表人或授权代表：\n"
      "签订日期：2021年6月21日 签订日期：2021.06.21\n",
      3));
  EXPECT_EQ(f["party_a"].value, "成都德润文化传媒有限公司");
  EXPECT_EQ(f["party_b"].value, "成都华远数据科技有限公司");
  EXPECT_EQ(f["signing_date"].value, "2021-06-21");
  EXPECT_EQ(f.count("legal_representative"), 0u);
}

TEST(ExtractTextFields, InvalidValuesAreFlaggedNotFixed) {
  auto f = ByName(ExtractTextFields(
      "统一社会信用代码：91310115MA1K482384\n"
      "经办人身份证号 994861190002245634\n"
      "合同金额：人民币肆万捌仟元整（¥84,000.00）\n",
      1));
  EXPECT_EQ(f["uscc"].value, "91310115MA1K482384");
  EXPECT_NE(f["uscc"].problem.find("check character"), std::string::npos);
  EXPECT_NE(f["id_number"].problem.find("province"), std::string::npos);
  EXPECT_EQ(f["amount"].value, "48000.00");
  EXPECT_NE(f["amount"].problem.find("differs"), std::string::npos);
  EXPECT_LT(f["uscc"].confidence, 100.f);
}

TEST(ExtractTextFields, RegistrationFormTable) {
  auto f = ByName(ExtractTextFields(
      "登记编号：KH-2022-11653 登记日期：2022年2月27日\n"
      "客户名称 成都志诚财税咨询有限责任公司\n"
      "统一社会信用代码 91510104621706014H\n"
      "法定代表人 贾诗志 注册资本 1000 万元\n"
      "手机 14666411586 固定电话 028-85861772\n"
      "电子邮箱 admin@zhicheng.com.cn\n",
      1));
  EXPECT_EQ(f["customer_name"].value, "成都志诚财税咨询有限责任公司");
  EXPECT_EQ(f["uscc"].value, "91510104621706014H");
  EXPECT_EQ(f["registration_date"].value, "2022-02-27");
  EXPECT_EQ(f["legal_representative"].value, "贾诗志");
  // 146 is a data-only prefix libphonenumber does not accept: flagged.
  EXPECT_EQ(f["mobile"].value, "14666411586");
  EXPECT_NE(f["mobile"].problem.find("not a valid number"), std::string::npos);
  EXPECT_EQ(f["phone"].value, "+862885861772");
  EXPECT_EQ(f["email"].value, "admin@zhicheng.com.cn");
}

TEST(ExtractTextFields, EnglishAgreement) {
  auto f = ByName(ExtractTextFields(
      "Agreement No.: SA-2026-0419\n"
      "Date: March 5, 2026\n"
      "Party A (Customer): Northbridge Freight Services Ltd., 48 Calder Street\n"
      "United Kingdom; contact: Eleanor Whitcombe, phone +44 113 496 0731.\n",
      1));
  EXPECT_EQ(f["contract_number"].value, "SA-2026-0419");
  EXPECT_EQ(f["signing_date"].value, "2026-03-05");
  EXPECT_EQ(f["party_a"].value, "Northbridge Freight Services Ltd.");
  EXPECT_EQ(f["contact"].value, "Eleanor Whitcombe");
  EXPECT_EQ(f["phone"].value, "+441134960731");
}

TEST(ExtractPageFields, WordsGiveBoxesAndConfidence) {
  OcrPage page;
  auto word = [&](std::string text, int x, float conf) {
    OcrWord w;
    w.text = std::move(text);
    w.box = Box{x, 100, 40 * 2, 40};
    w.confidence = conf;
    w.line = 0;
    page.words.push_back(w);
  };
  // Tesseract splits Chinese into short runs with no meaningful spaces.
  word("合同", 0, 90);
  word("编号：", 80, 90);
  word("HT-2026-", 170, 80);
  word("0153", 255, 60);
  word("签订日期：", 600, 90);
  word("2026年3月5日", 690, 70);
  auto f = ByName(ExtractPageFields(page, 2));
  ASSERT_EQ(f.count("contract_number"), 1u);
  EXPECT_EQ(f["contract_number"].value, "HT-2026-0153");
  EXPECT_EQ(f["contract_number"].boxes.size(), 2u);
  EXPECT_FLOAT_EQ(f["contract_number"].confidence, 70.f);
  EXPECT_EQ(f["contract_number"].page, 2);
  EXPECT_EQ(f["signing_date"].value, "2026-03-05");
  EXPECT_EQ(f["signing_date"].boxes.size(), 1u);
}

TEST(MergeFields, FirstValidWins) {
  SuggestedField bad{"uscc", "X", "X", "bad", 40, 1, {}};
  SuggestedField good{"uscc", "91350100M000100Y43", "", "", 90, 2, {}};
  SuggestedField later{"uscc", "91310115MA1K482383", "", "", 90, 3, {}};
  auto merged = MergeFields({{bad}, {good}, {later}});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].page, 2);
}

}  // namespace
}  // namespace dossier::fields
