// Field extraction from text as OCR damages it, on generated variations:
// labels with confused characters, spaces between their characters, colon
// variants and full-width forms; values in the next cell or the line below
// (word boxes shifted at random); and misread check characters, which keep
// their raw value and problem and get one-character corrections for the
// reviewer, least sure character first.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/text.h"
#include "fields/extract.h"
#include "fields/normalize.h"

namespace dossier::fields {
namespace {

std::map<std::string, SuggestedField> ByName(const std::vector<SuggestedField>& fields) {
  std::map<std::string, SuggestedField> m;
  for (const auto& f : fields) m.emplace(f.name, f);
  return m;
}

// A valid USCC: 9 + type + 6-digit division + 9 organisation characters.
std::string RandomUscc(std::mt19937& rng) {
  static const std::string kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string s = "91";
  for (int i = 0; i < 6; ++i) s += static_cast<char>('0' + rng() % 10);
  for (int i = 0; i < 9; ++i) s += kAlphabet[rng() % kAlphabet.size()];
  s += UsccCheckChar(s);
  return s;
}

// A valid resident ID: division 110105, a real birth date, a sequence.
std::string RandomId(std::mt19937& rng) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "110105%04d%02d%02d%03d", 1950 + static_cast<int>(rng() % 50),
                1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28),
                static_cast<int>(rng() % 1000));
  std::string s = buf;
  s += ResidentIdCheckChar(s);
  return s;
}

struct Case {
  std::string label;  // as printed
  std::string field;
  std::string value;  // as printed
  std::string want;   // normalised
};

// Damages a printed label as OCR does: one character replaced by a
// look-alike, spaces between characters, or both.
std::u32string Damage(const std::u32string& label, const std::map<char32_t, std::u32string>& lookalikes,
                      int kind, std::mt19937& rng) {
  std::u32string out;
  const size_t swap = 1 + rng() % (label.size() - 1);
  for (size_t i = 0; i < label.size(); ++i) {
    char32_t c = label[i];
    if ((kind == 0 || kind == 2) && i == swap) {
      auto it = lookalikes.find(c);
      if (it != lookalikes.end()) c = it->second[rng() % it->second.size()];
    }
    if ((kind == 1 || kind == 2) && i > 0) out += U' ';
    out += c;
  }
  return out;
}

TEST(OcrTolerance, LabelsReadWithConfusionsSpacesAndColonVariants) {
  // Look-alikes OCR produces for label characters, as seen in Tesseract's
  // output of printed forms (a few per character).
  const std::map<char32_t, std::u32string> lookalikes = {
      {U'编', U"偏遍"}, {U'号', U"弓亏"}, {U'统', U"充"}, {U'社', U"杜"},
      {U'信', U"倍"},   {U'代', U"伐"},   {U'码', U"玛吗"}, {U'客', U"容"},
      {U'户', U"卢"},   {U'名', U"各"},   {U'称', U"秤"},  {U'联', U"耿"},
      {U'系', U"糸"},   {U'话', U"活"},   {U'机', U"杌"},  {U'签', U"答"},
      {U'订', U"汀"},   {U'期', U"斯"},   {U'证', U"正"},  {U'份', U"分"},
      {U'登', U"澄"},   {U'记', U"纪"},   {U'同', U"间"},  {U'邮', U"郎"}};
  const std::vector<std::string> colons = {"：", ":", "∶", " : ", "；", " ", "|"};
  std::mt19937 rng(15);
  int found = 0, total = 0, wrong = 0;
  for (int round = 0; round < 40; ++round) {
    const std::string uscc = RandomUscc(rng), id = RandomId(rng);
    const std::vector<Case> cases = {
        {"合同编号", "contract_number", "HT-2024-0" + std::to_string(100 + round),
         "HT-2024-0" + std::to_string(100 + round)},
        {"统一社会信用代码", "uscc", uscc, uscc},
        {"客户名称", "customer_name", "苏州睿达文化传媒有限公司", "苏州睿达文化传媒有限公司"},
        {"联系电话", "phone", "028-85861772", "+862885861772"},
        {"身份证号码", "id_number", id, id},
        {"签订日期", "signing_date", "2024年11月12日", "2024-11-12"},
        {"登记日期", "registration_date", "2022-02-27", "2022-02-27"},
        {"电子邮箱", "email", "admin@zhicheng.com.cn", "admin@zhicheng.com.cn"},
    };
    for (const Case& c : cases) {
      const int kind = static_cast<int>(rng() % 3);
      std::string colon = colons[rng() % colons.size()];
      std::string value = c.value;
      if (rng() % 3 == 0) value = EncodeUtf8(DecodeUtf8(value));  // unchanged
      const std::string line =
          EncodeUtf8(Damage(DecodeUtf8(c.label), lookalikes, kind, rng)) + colon + value;
      auto fields = ByName(ExtractTextFields("客户信息\n" + line + "\n", 1));
      ++total;
      auto it = fields.find(c.field);
      if (it != fields.end() && it->second.value == c.want) {
        ++found;
      } else {
        ADD_FAILURE() << "not read: " << line;
      }
      for (const auto& [name, f] : fields) {
        if (name != c.field) ++wrong, ADD_FAILURE() << "extra " << name << " from " << line;
      }
    }
  }
  EXPECT_EQ(found, total);
  EXPECT_EQ(wrong, 0);
}

TEST(OcrTolerance, RunningTextWithLabelWordsGivesNoFields) {
  // Words that look like labels inside sentences: no colon, no value kind.
  const char* text =
      "乙方应按照甲方的要求完成档案编码与建档。\n"
      "甲方向乙方支付合同金额的百分之三十作为预付款。\n"
      "客户名称变更的，应当及时书面通知对方。\n"
      "联系电话如有变更，双方应及时告知。\n"
      "统一社会信用代码证书复印件一份。\n";
  auto fields = ExtractTextFields(text, 1);
  for (const auto& f : fields) ADD_FAILURE() << f.name << " = " << f.raw;
}

// OCR words for a form: one word per cell, each on its own OCR line.
struct FormWords {
  OcrPage page;
  void Add(const std::string& text, int x, int y, int w, int h, float conf = 90.f) {
    OcrWord word;
    word.text = text;
    word.box = {x, y, w, h};
    word.confidence = conf;
    word.line = static_cast<int>(page.lines.size());
    OcrLine line;
    line.box = word.box;
    line.text = text;
    line.block = word.line;
    page.lines.push_back(line);
    page.words.push_back(word);
  }
};

TEST(OcrTolerance, ValueInTheNextCellOrTheLineBelowUsingTheBoxes) {
  std::mt19937 rng(4);
  int found = 0, total = 0;
  for (int round = 0; round < 30; ++round) {
    const std::string uscc = RandomUscc(rng);
    const bool below = round % 2 == 1;
    const int h = 30 + static_cast<int>(rng() % 20);
    const int x = 100 + static_cast<int>(rng() % 200), y = 300 + static_cast<int>(rng() % 200);
    FormWords form;
    form.page.width = 2480, form.page.height = 3508;
    // An unrelated line above, the label cell, and its value: in the cell
    // to the right (a gap of up to 8 line heights, a few pixels up or down)
    // or on the line below (shifted right by up to a line height).
    form.Add("客户信息登记表", x, y - 4 * h, 7 * h, h);
    form.Add("统一社会信用代码", x, y, 8 * h, h);
    const int dy = static_cast<int>(rng() % (h / 3)) - h / 6;
    if (below) {
      form.Add(uscc, x + static_cast<int>(rng() % h), y + h + h / 2 + dy, 9 * h, h);
    } else {
      form.Add(uscc, x + 8 * h + h + static_cast<int>(rng() % (7 * h)), y + dy, 9 * h, h);
    }
    form.Add("客户类型 企业", x, y + 4 * h, 6 * h, h);
    auto fields = ByName(ExtractPageFields(form.page, 1));
    ++total;
    if (fields.count("uscc") && fields["uscc"].value == uscc) {
      ++found;
    } else {
      ADD_FAILURE() << (below ? "below" : "right") << " round " << round;
    }
  }
  EXPECT_EQ(found, total);
}

TEST(OcrTolerance, AValueFarFromItsLabelIsNotTaken) {
  FormWords form;
  form.page.width = 2480, form.page.height = 3508;
  form.Add("统一社会信用代码", 100, 300, 320, 40);
  // Another column's text two lines down and far right: not this label's.
  form.Add("91510104621706014H", 1400, 420, 360, 40);
  auto fields = ByName(ExtractPageFields(form.page, 1));
  EXPECT_EQ(fields.count("uscc"), 0u);
}

// A misread character: the field keeps what was read and its problem; the
// corrections hold the true value, first when OCR was least sure of the
// misread character.
TEST(OcrTolerance, MisreadCheckCharactersGetRankedCorrectionsNeverApplied) {
  std::mt19937 rng(7);
  const std::map<char, char> misread = {{'0', 'O'}, {'1', 'I'}, {'8', 'B'}, {'5', 'S'},
                                        {'2', 'Z'}, {'6', 'G'}, {'7', '1'}, {'3', '8'}};
  int first = 0, listed = 0, total = 0;
  for (int round = 0; round < 60; ++round) {
    const bool id = round % 2 == 1;
    const std::string truth = id ? RandomId(rng) : RandomUscc(rng);
    // Change one character to a look-alike that breaks the check.
    std::string read = truth;
    int pos = -1;
    for (int tries = 0; tries < 50 && pos < 0; ++tries) {
      const int p = static_cast<int>(rng() % 18);
      auto it = misread.find(truth[p]);
      if (it == misread.end()) continue;
      read[p] = it->second;
      if ((id ? NormalizeResidentId(read) : NormalizeUscc(read)).has_value()) {
        read = truth;
        continue;
      }
      pos = p;
    }
    if (pos < 0) continue;
    FormWords form;
    form.page.width = 2480, form.page.height = 3508;
    const std::string label = id ? "身份证号码：" : "统一社会信用代码：";
    form.Add(label + read, 100, 300, 900, 40);
    OcrWord& word = form.page.words.back();
    word.symbol_confidence.assign(DecodeUtf8(word.text).size(), 95.f);
    const size_t offset = DecodeUtf8(label).size();
    word.symbol_confidence[offset + pos] = 40.f + static_cast<float>(rng() % 30);
    // Another character OCR was not sure of either, but less unsure.
    word.symbol_confidence[offset + (pos + 5) % 18] = 75.f;
    auto fields = ByName(ExtractPageFields(form.page, 1));
    const std::string name = id ? "id_number" : "uscc";
    ASSERT_TRUE(fields.count(name)) << read;
    const SuggestedField& f = fields[name];
    ++total;
    EXPECT_EQ(f.value, read) << "never fixed silently";
    EXPECT_EQ(f.raw, read);
    EXPECT_FALSE(f.problem.empty());
    ASSERT_FALSE(f.corrections.empty()) << read;
    EXPECT_LE(f.corrections.size(), 5u);
    bool has = false;
    for (const auto& c : f.corrections) {
      EXPECT_TRUE((id ? NormalizeResidentId(c.value) : NormalizeUscc(c.value)).has_value())
          << c.value;
      int changed = 0;
      for (int k = 0; k < 18; ++k) changed += c.value[k] != read[k];
      EXPECT_EQ(changed, 1) << c.value;
      has = has || c.value == truth;
    }
    listed += has;
    if (f.corrections.front().value == truth) {
      ++first;
      EXPECT_EQ(f.corrections.front().position, pos);
      EXPECT_EQ(f.corrections.front().read, std::string(1, read[pos]));
      EXPECT_LT(f.corrections.front().confidence, 75.f);
    }
  }
  EXPECT_GT(total, 40);
  EXPECT_EQ(listed, total);
  EXPECT_EQ(first, total);
}

TEST(OcrTolerance, ValidNumbersGetNoCorrections) {
  std::mt19937 rng(9);
  for (int i = 0; i < 10; ++i) {
    auto f = ByName(ExtractTextFields("统一社会信用代码：" + RandomUscc(rng) +
                                          "\n身份证号码：" + RandomId(rng) + "\n",
                                      1));
    EXPECT_TRUE(f["uscc"].problem.empty());
    EXPECT_TRUE(f["uscc"].corrections.empty());
    EXPECT_TRUE(f["id_number"].corrections.empty());
  }
}

}  // namespace
}  // namespace dossier::fields
