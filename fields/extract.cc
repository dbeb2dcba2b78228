// Label-driven field extraction.
//
// Design notes. OCR of Chinese pages returns a "word" per character or per
// short run, with spaces that mean nothing; tables come out as cells joined
// by spaces; the last page of a contract prints 甲方(盖章): 乙方(盖章): on one
// line and the two names in columns on the next. So:
//   - a page is turned into lines of code points, each code point knowing the
//     OCR word it came from; words are joined without a space unless the gap
//     between their boxes is wide (a table column or a printed space);
//   - labels are matched at every position, longest first; a value runs from
//     after the label (an optional parenthesised role such as (委托方), then
//     colons and spaces) to the first character that cannot belong to that
//     kind of value, or to the next label;
//   - a party label whose value is empty takes its column of the next line.
#include "fields/extract.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/text.h"
#include "fields/normalize.h"

namespace dossier::fields {
namespace {

enum class Kind {
  kCode,     // contract numbers: letters, digits, - / _
  kParty,    // a name after 甲方 / 乙方 / Party A
  kName,     // a person or company name
  kUscc,     // 18 letters and digits, spaces inside tolerated
  kIdNumber,
  kPhone,    // digits, spaces, + - ( )
  kEmail,
  kDate,
  kAmount,
};

struct Label {
  std::u32string text;
  std::string field;  // for kParty: "a" or "b"
  Kind kind;
  bool needs_colon = false;  // running text mentions the label too
};

const std::vector<Label>& Labels() {
  static const std::vector<Label> kLabels = [] {
    std::vector<Label> l = {
        {U"合同编号", "contract_number", Kind::kCode},
        {U"合同号", "contract_number", Kind::kCode},
        {U"Agreement No.", "contract_number", Kind::kCode},
        {U"Contract No.", "contract_number", Kind::kCode},
        {U"甲方", "a", Kind::kParty, true},
        {U"乙方", "b", Kind::kParty, true},
        {U"Party A", "a", Kind::kParty, true},
        {U"Party B", "b", Kind::kParty, true},
        {U"统一社会信用代码", "uscc", Kind::kUscc},
        {U"客户名称", "customer_name", Kind::kName},
        {U"法定代表人", "legal_representative", Kind::kName},
        {U"联系人", "contact", Kind::kName},
        {U"contact", "contact", Kind::kName, true},
        {U"联系电话", "phone", Kind::kPhone},
        {U"固定电话", "phone", Kind::kPhone},
        {U"电话", "phone", Kind::kPhone},
        {U"手机", "mobile", Kind::kPhone},
        {U"phone", "phone", Kind::kPhone},
        {U"Tel", "phone", Kind::kPhone, true},
        {U"电子邮箱", "email", Kind::kEmail},
        {U"邮箱", "email", Kind::kEmail},
        {U"E-mail", "email", Kind::kEmail},
        {U"身份证号码", "id_number", Kind::kIdNumber},
        {U"身份证号", "id_number", Kind::kIdNumber},
        {U"公民身份号码", "id_number", Kind::kIdNumber},
        {U"签订日期", "signing_date", Kind::kDate},
        {U"签署日期", "signing_date", Kind::kDate},
        {U"签约日期", "signing_date", Kind::kDate},
        {U"Date", "signing_date", Kind::kDate, true},
        {U"登记日期", "registration_date", Kind::kDate},
        {U"合同金额", "amount", Kind::kAmount},
        {U"总金额", "amount", Kind::kAmount},
    };
    std::stable_sort(l.begin(), l.end(), [](const Label& x, const Label& y) {
      return x.text.size() > y.text.size();
    });
    return l;
  }();
  return kLabels;
}

struct Line {
  std::u32string text;
  std::vector<int> word;    // per code point: index into the page's words, -1
  std::vector<int> symbol;  // per code point: its index in that word's text
  Box box;                  // the OCR line's box; empty from plain text
};

bool IsSpace(char32_t c) { return c == ' ' || c == '\t' || c == 0x3000; }
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char32_t c) {
  return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool IsHan(char32_t c) { return c >= 0x3400 && c <= 0x9FFF; }

char32_t Fold(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFF01 + 0x21;
  if (c == 0x3000) return ' ';
  return c;
}

bool IsChineseNumeral(char32_t c) {
  return std::u32string_view(U"零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟元圆角分整正")
             .find(c) != std::u32string_view::npos;
}

// Characters OCR reads in place of a label's characters: shapes that
// differ by a stroke or a radical in the Song, Hei and Kai faces forms are
// printed in, and Latin look-alikes. Only label characters are listed.
std::u32string_view Confusable(char32_t c) {
  static const std::map<char32_t, std::u32string_view> kTable = {
      {U'合', U"含台今令仓"}, {U'同', U"间周向问回"}, {U'编', U"偏遍骗缟"},
      {U'号', U"弓亏兮丐"},   {U'甲', U"申由田中"},   {U'乙', U"己已Zz2"},
      {U'方', U"万力六亢芳"}, {U'统', U"绕纷充铳"},   {U'一', U"-_ー—"},
      {U'社', U"杜祉柱礼"},   {U'会', U"全合今云"},   {U'信', U"倍言佶"},
      {U'用', U"甩月川"},     {U'代', U"伐化伏付"},   {U'码', U"玛吗妈冯马"},
      {U'客', U"容各窖害"},   {U'户', U"卢尸沪尹"},   {U'名', U"各石吕"},
      {U'称', U"秤林弥"},     {U'法', U"去注沽"},     {U'定', U"走足淀宝"},
      {U'表', U"衰麦袁素"},   {U'人', U"入八大"},     {U'联', U"耿朕聊"},
      {U'系', U"糸条"},       {U'电', U"由甩申巴"},   {U'话', U"活诂括适"},
      {U'固', U"回困图国"},   {U'手', U"毛才于乎"},   {U'机', U"杌仉肌札"},
      {U'邮', U"郎由"},       {U'箱', U"葙厢籍"},     {U'身', U"射乌自"},
      {U'份', U"分伤仿"},     {U'证', U"正征怔让"},   {U'公', U"么仑"},
      {U'民', U"氏艮"},       {U'签', U"答筌笠"},     {U'订', U"汀盯钉讨计"},
      {U'署', U"暑著"},       {U'约', U"纳钓均"},     {U'日', U"曰目口白"},
      {U'期', U"斯朗明棋"},   {U'登', U"澄瞪凳"},     {U'记', U"纪汜讫计"},
      {U'金', U"全舍釜"},     {U'额', U"颌頞領领"},   {U'总', U"忌悬恳"},
      {U'子', U"了孑"},
  };
  auto it = kTable.find(c);
  return it == kTable.end() ? std::u32string_view() : it->second;
}

bool SameLabelChar(char32_t label, char32_t read) {
  return read == label || Confusable(label).find(read) != std::u32string_view::npos;
}

// Length of the text at s[i] that reads as the label, 0 if none. Exact:
// character for character. Tolerant (Chinese labels): spaces OCR inserted
// between the characters, characters it confused (Confusable), and in a
// label of four or more characters one other Chinese character in place of
// any but the first, or in one of six or more one character missing.
size_t LabelAt(const std::u32string& s, size_t i, const Label& label, bool tolerant) {
  const std::u32string& t = label.text;
  if (!tolerant || !IsHan(t.front())) {
    if (s.compare(i, t.size(), t) != 0) return 0;
    // A Latin label must not be part of a longer word (Date in Updated).
    if (IsAsciiAlnum(t.front()) && i > 0 && IsAsciiAlnum(s[i - 1])) return 0;
    return t.size();
  }
  int substitutions = t.size() >= 4 ? 1 : 0;
  int drops = t.size() >= 6 ? 1 : 0;
  size_t j = i;
  for (size_t k = 0; k < t.size(); ++k) {
    if (k > 0) {
      while (j < s.size() && IsSpace(s[j])) ++j;
    }
    if (j < s.size() && SameLabelChar(t[k], s[j])) {
      ++j;
      continue;
    }
    if (k == 0) return 0;
    if (drops > 0 && k + 1 < t.size() && j < s.size() && SameLabelChar(t[k + 1], s[j])) {
      --drops;
      continue;
    }
    if (substitutions > 0 && j < s.size() && IsHan(s[j])) {
      --substitutions;
      ++j;
      continue;
    }
    return 0;
  }
  return j - i;
}

struct LabelMatch {
  const Label* label = nullptr;
  size_t length = 0;
};

// Longest label first, each read exactly or else tolerantly: 身份证号吗 is
// 身份证号码 misread, not 身份证号 followed by 吗.
LabelMatch AnyLabelAt(const std::u32string& s, size_t i) {
  for (const Label& label : Labels()) {
    for (bool tolerant : {false, true}) {
      if (size_t n = LabelAt(s, i, label, tolerant)) return {&label, n};
    }
  }
  return {};
}

// A name an organisation has: ends in 公司, 厂, 中心 ...
bool IsOrganisation(std::u32string_view name) {
  // 有限公忆: the last character misread, the company's form still read.
  if (name.size() >= 6 && (name.find(U"有限") != std::u32string_view::npos ||
                           name.find(U"股份") != std::u32string_view::npos)) {
    return true;
  }
  for (std::u32string_view suffix :
       {U"公司", U"厂", U"中心", U"事务所", U"集团", U"银行", U"医院", U"学校",
        U"大学", U"研究院", U"研究所", U"协会", U"商行", U"合作社", U"店"}) {
    if (name.size() > suffix.size() + 1 && name.ends_with(suffix)) return true;
  }
  return false;
}

// A few capital letters after a Chinese label: OCR's reading of Chinese
// characters in a Latin model (联系人: FER), not a name.
bool LooksLikeMisreadHan(std::u32string_view value) {
  if (value.empty() || value.size() > 5) return false;
  for (char32_t c : value) {
    if (!(c >= 'A' && c <= 'Z')) return false;
  }
  return true;
}



// Punctuation that continues a sentence: a "value" followed by it is part
// of running text (客户名称变更的，应当…), not a form's cell.
bool ContinuesSentence(char32_t c) {
  return std::u32string_view(U"，。、；,").find(c) != std::u32string_view::npos;
}

bool IsColon(char32_t c) {
  return c == ':' || c == U'∶' || c == U'﹕' || c == U'ː';
}

// After a label: an optional (role), then colons and spaces. Returns the
// value start and whether a colon was seen.
std::pair<size_t, bool> SkipToValue(const std::u32string& s, size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  // OCR reads the round bracket of (委托方) as 〈 or [ often enough.
  constexpr std::u32string_view kOpen = U"(〈<[【", kClose = U")〉>]】";
  if (i < s.size() && kOpen.find(s[i]) != std::u32string_view::npos) {
    auto close = s.find_first_of(kClose, i);
    if (close != std::u32string::npos && close - i < 12) {
      i = close + 1;
    } else {
      // The closing bracket lost: 乙方 (保管方 : …, up to the colon.
      for (size_t k = i + 1; k < s.size() && k < i + 9; ++k) {
        if (IsColon(s[k])) {
          i = k;
          break;
        }
      }
    }
  }
  bool colon = false;
  // OCR reads the colon as ; or . too, and a table's rule as |.
  while (i < s.size() && (IsColon(s[i]) || IsSpace(s[i]) || s[i] == '|' || s[i] == '.' ||
                          (s[i] == ';' && !colon))) {
    colon = colon || IsColon(s[i]) || s[i] == ';';
    ++i;
  }
  return {i, colon};
}

bool Accepts(Kind kind, char32_t c, size_t len) {
  switch (kind) {
    case Kind::kCode:
      return IsAsciiAlnum(c) || c == '-' || c == '/' || c == '_';
    case Kind::kUscc:
    case Kind::kIdNumber:
      return IsAsciiAlnum(c) || (c == ' ' && len > 0);
    case Kind::kPhone:
      return IsDigit(c) || c == '+' || c == '-' || c == '(' || c == ')' ||
             (c == ' ' && len > 0);
    case Kind::kEmail:
      return !IsSpace(c) && !IsHan(c) && c != ',' && c != ';';
    case Kind::kDate:
      return IsDigit(c) || c == '/' || c == '-' || c == '.' || c == U'年' ||
             c == U'月' || c == U'日' || IsChineseNumeral(c) ||
             (c == ' ' && len > 0) || (c >= 'A' && c <= 'z') || c == ',';
    case Kind::kName:
    case Kind::kParty:
      return !IsSpace(c) && c != ',' && c != ';' && c != ':' && c != '(' &&
             !ContinuesSentence(c);
    case Kind::kAmount:
      return true;  // parsed separately
  }
  return false;
}

struct Span {
  size_t begin = 0;
  size_t end = 0;
};

Span ScanValue(const Line& line, size_t start, Kind kind) {
  const std::u32string& s = line.text;
  size_t i = start;
  const bool latin = i < s.size() && IsAsciiAlnum(s[i]);
  while (i < s.size()) {
    if (AnyLabelAt(s, i).label != nullptr) break;
    char32_t c = s[i];
    // Latin names (Party A: Northbridge Freight Services Ltd.) hold spaces.
    bool ok = (Accepts(kind, c, i - start) &&
               !((kind == Kind::kName || kind == Kind::kParty) && latin && IsHan(c))) ||
              ((kind == Kind::kName || kind == Kind::kParty) && latin &&
               c == ' ');
    if (!ok) break;
    ++i;
  }
  while (i > start && (IsSpace(s[i - 1]) || s[i - 1] == ',' ||
                       s[i - 1] == '-' || s[i - 1] == ';')) {
    --i;
  }
  // "法定代表人或授权代表：" is a label of its own, not a name.
  if ((kind == Kind::kName || kind == Kind::kParty) && i < s.size() &&
      s[i] == ':') {
    return {start, start};
  }
  if (kind == Kind::kDate) {
    // Keep up to the day: 2021年6月27日起 is cut by the scan already; a
    // trailing English word (March 5, 2026 and) is dropped.
    while (i > start && !(IsDigit(s[i - 1]) || s[i - 1] == U'日' ||
                          IsChineseNumeral(s[i - 1]))) {
      --i;
    }
  }
  return {start, i};
}

// The figures in brackets a little after an amount's words, (¥48,000.00),
// without the sign; OCR reads ¥ as Y too.
std::optional<Span> BracketFigures(const std::u32string& s, size_t i) {
  const size_t end = std::min(s.size(), i + 16);
  for (size_t p = i; p < end; ++p) {
    if (s[p] == U'。' || s[p] == ';') break;
    if (s[p] != '(') continue;
    size_t q = p + 1;
    while (q < s.size() && IsSpace(s[q])) ++q;
    if (q >= s.size() || (s[q] != U'¥' && s[q] != U'￥' && s[q] != 'Y')) continue;
    size_t d = q + 1;
    while (d < s.size() && IsSpace(s[d])) ++d;
    size_t k = d;
    while (k < s.size() && (IsDigit(s[k]) || s[k] == ',' || s[k] == '.')) ++k;
    if (k > d && k < s.size() && (IsSpace(s[k]) || s[k] == ')')) return Span{d, k};
  }
  return std::nullopt;
}

// The amount after 合同金额 / 总金额: skip 为, 人民币, a colon; take Chinese
// numerals, or figures when introduced by a currency sign or a colon.
std::optional<Span> ScanAmount(const std::u32string& s, size_t i, bool colon) {
  while (i < s.size() && (s[i] == U'为' || IsSpace(s[i]) || s[i] == ':')) {
    colon = colon || s[i] == ':';
    ++i;
  }
  size_t begin = i;
  bool currency = false;
  for (std::u32string_view p : {U"人民币", U"RMB", U"¥", U"￥"}) {
    if (s.compare(i, p.size(), p) == 0) {
      i += p.size();
      currency = true;
      break;
    }
  }
  size_t j = i;
  if (j < s.size() && IsChineseNumeral(s[j]) && !IsDigit(s[j])) {
    while (j < s.size() && IsChineseNumeral(s[j])) ++j;
    // Words broken by a misread character (伍抬业万): the figures in
    // brackets after them, when OCR read those.
    if (j < s.size() && IsHan(s[j])) {
      if (auto figures = BracketFigures(s, j)) return figures;
    }
    return Span{begin, j};
  }
  if (j < s.size() && s[j] == U'¥') ++j, currency = true;
  if (!currency && !colon) return std::nullopt;
  size_t k = j;
  while (k < s.size() && (IsDigit(s[k]) || s[k] == ',' || s[k] == '.')) ++k;
  // Words OCR could not read at all (人民币类万零伍佰元整, ARMEA TICE):
  // the figures in brackets after them.
  if (k == j) return BracketFigures(s, j);
  if (k < s.size() && (s[k] == U'万' || s[k] == U'元')) ++k;
  return Span{begin, k};
}

// The figures in (¥48,000.00) right after a capital amount, for a check.
std::optional<std::u32string> FiguresAfter(const std::u32string& s, size_t i) {
  while (i < s.size() && (s[i] == '(' || IsSpace(s[i]))) ++i;
  if (i >= s.size() || (s[i] != U'¥' && s[i] != U'￥')) return std::nullopt;
  size_t j = i + 1;
  while (j < s.size() && (IsDigit(s[j]) || s[j] == ',' || s[j] == '.')) ++j;
  if (j == i + 1) return std::nullopt;
  return s.substr(i, j - i);
}

class PageExtractor {
 public:
  PageExtractor(std::vector<Line> lines, const std::vector<OcrWord>* words,
                int page)
      : lines_(std::move(lines)), words_(words), page_(page) {}

  std::vector<SuggestedField> Run() {
    for (size_t n = 0; n < lines_.size(); ++n) ScanLine(n);
    // One field per name, as for a document (MergeFields): a value printed
    // twice (签订日期 once per party) is one field, and a valid reading
    // wins over a misread one.
    return MergeFields({std::move(out_)});
  }

 private:
  // A party line whose label OCR could not read (甲方 as HT or AA): a short
  // head of Latin letters, a role in brackets, a colon and an
  // organisation's name. The first such line on a page is party A, the
  // next party B, as contracts print them.
  bool InferParty(size_t n) {
    const std::u32string& s = lines_[n].text;
    constexpr std::u32string_view kOpen = U"(〈<[【";
    size_t i = 0;
    while (i < s.size() && (IsSpace(s[i]) || s[i] == '.')) ++i;
    const size_t head = i;
    while (i < s.size() && i - head < 4 && kOpen.find(s[i]) == std::u32string_view::npos) {
      if (IsHan(s[i])) return false;
      ++i;
    }
    if (i == head || i >= s.size() || kOpen.find(s[i]) == std::u32string_view::npos) {
      return false;
    }
    if (AnyLabelAt(s, head).label != nullptr || party_ == "b") return false;
    auto [start, colon] = SkipToValue(s, i);
    if (!colon) return false;
    Span v = ScanValue(lines_[n], start, Kind::kParty);
    if (v.end <= v.begin || !IsOrganisation(s.substr(v.begin, v.end - v.begin))) return false;
    party_ = party_.empty() ? "a" : "b";
    Emit("party_" + party_, n, v);
    return true;
  }

  void ScanLine(size_t n) {
    const std::u32string& s = lines_[n].text;
    int party_column = 0;
    if (InferParty(n)) return;
    ScanPeriod(n);
    size_t i = 0;
    while (i < s.size()) {
      const LabelMatch match = AnyLabelAt(s, i);
      const Label* label = match.label;
      if (label == nullptr) {
        ++i;
        continue;
      }
      auto [start, colon] = SkipToValue(s, i + match.length);
      if (label->needs_colon && !colon) {
        i += match.length;
        continue;
      }
      size_t next = start;
      switch (label->kind) {
        case Kind::kParty: {
          party_ = label->field;
          Span v = ScanValue(lines_[n], start, Kind::kParty);
          if (v.end > v.begin) {
            Emit("party_" + party_, n, v);
            next = v.end;
          } else if (n + 1 < lines_.size()) {
            ColumnValue("party_" + party_, n + 1, party_column);
          }
          ++party_column;
          break;
        }
        case Kind::kAmount: {
          auto v = ScanAmount(s, start, colon);
          if (v) {
            Emit("amount", n, *v);
            CheckFigures(n, v->end);
            next = v->end;
          }
          break;
        }
        default: {
          Span v = ScanValue(lines_[n], start, label->kind);
          const bool running_text = label->kind == Kind::kName && !colon &&
                                    v.end < s.size() && ContinuesSentence(s[v.end]);
          const std::u32string_view value(s.data() + v.begin, v.end - v.begin);
          // A Chinese name OCR read as a few capitals (联系人: FER); a code
          // cut short by a misread character (HT-|C-2024: HT) has no digit.
          const bool misread =
              (label->kind == Kind::kName && IsHan(label->text.front()) &&
               LooksLikeMisreadHan(value)) ||
              (label->kind == Kind::kCode && !value.empty() &&
               std::none_of(value.begin(), value.end(), IsDigit));
          if (running_text || misread) {
            // Not a field: the label's words inside a sentence, or a value
            // misread past use.
          } else if (v.end > v.begin) {
            Emit(Scoped(label->field, label->kind), n, v);
            next = v.end;
          } else if (auto found = LayoutValue(n, i, i + match.length, label->kind)) {
            Emit(Scoped(label->field, label->kind), found->first, found->second);
          }
        }
      }
      i = std::max(next, i + match.length);
    }
  }

  // The box of the OCR words of line n from code point begin to end.
  std::optional<Box> SpanBox(size_t n, size_t begin, size_t end) const {
    if (words_ == nullptr) return std::nullopt;
    std::optional<Box> box;
    for (size_t k = begin; k < end && k < lines_[n].word.size(); ++k) {
      const int w = lines_[n].word[k];
      if (w < 0) continue;
      const Box& b = (*words_)[w].box;
      if (!box) {
        box = b;
        continue;
      }
      const int x1 = std::max(box->x + box->width, b.x + b.width);
      const int y1 = std::max(box->y + box->height, b.y + b.height);
      box->x = std::min(box->x, b.x), box->y = std::min(box->y, b.y);
      box->width = x1 - box->x, box->height = y1 - box->y;
    }
    return box;
  }

  // A label with nothing after it on its line (a form's label cell): the
  // value is the OCR line to its right on the same row (the next cell),
  // else the line just below it, starting under the label. Needs the word
  // boxes; the value must start that line and be of the label's kind.
  std::optional<std::pair<size_t, Span>> LayoutValue(size_t n, size_t label_begin,
                                                     size_t label_end, Kind kind) const {
    const auto label_box = SpanBox(n, label_begin, label_end);
    if (!label_box || label_box->height <= 0) return std::nullopt;
    const Box& lb = *label_box;
    const int h = lb.height;
    auto value_at = [&](size_t m) -> std::optional<std::pair<size_t, Span>> {
      const std::u32string& t = lines_[m].text;
      if (AnyLabelAt(t, 0).label != nullptr) return std::nullopt;
      const size_t start = SkipToValue(t, 0).first;
      if (start < t.size() && AnyLabelAt(t, start).label != nullptr) return std::nullopt;
      Span v = ScanValue(lines_[m], start, kind);
      if (v.end <= v.begin) return std::nullopt;
      return std::pair{m, v};
    };
    // Right: vertically overlapping by half a line, starting after the
    // label, the nearest one.
    std::optional<size_t> right;
    int right_gap = 0;
    std::optional<size_t> below;
    int below_gap = 0;
    for (size_t m = 0; m < lines_.size(); ++m) {
      if (m == n) continue;
      const Box& b = lines_[m].box;
      if (b.width <= 0 || b.height <= 0) continue;
      const int overlap = std::min(lb.y + lb.height, b.y + b.height) - std::max(lb.y, b.y);
      const int gap = b.x - (lb.x + lb.width);
      if (overlap >= std::min(h, b.height) / 2 && gap >= -h / 2 && gap <= 20 * h &&
          (!right || gap < right_gap)) {
        right = m, right_gap = gap;
      }
      const int drop = b.y - (lb.y + lb.height);
      if (drop >= -h / 3 && drop <= 2 * h && b.x >= lb.x - 2 * h && b.x <= lb.x + lb.width &&
          (!below || drop < below_gap)) {
        below = m, below_gap = drop;
      }
    }
    if (right) {
      if (auto v = value_at(*right)) return v;
    }
    if (below) return value_at(*below);
    return std::nullopt;
  }

  // 自2021年6月27日起至2023年5月31日止 / 自 2023年9月21日 至 2023年9月28日
  void ScanPeriod(size_t n) {
    const std::u32string& s = lines_[n].text;
    for (size_t i = s.find(U'自'); i != std::u32string::npos;
         i = s.find(U'自', i + 1)) {
      size_t a = i + 1;
      while (a < s.size() && IsSpace(s[a])) ++a;
      Span from = ScanValue(lines_[n], a, Kind::kDate);
      if (from.end <= from.begin || !IsDigit(s[from.begin])) continue;
      size_t b = from.end;
      while (b < s.size() && (IsSpace(s[b]) || s[b] == U'起')) ++b;
      if (b >= s.size() || s[b] != U'至') continue;
      ++b;
      while (b < s.size() && IsSpace(s[b])) ++b;
      Span to = ScanValue(lines_[n], b, Kind::kDate);
      if (to.end <= to.begin) continue;
      Emit("start_date", n, from);
      Emit("end_date", n, to);
      return;
    }
  }

  // Within the 乙方 block, contact and phone belong to party B.
  std::string Scoped(const std::string& field, Kind kind) const {
    if (kind == Kind::kUscc) {
      return party_.empty() ? field : "party_" + party_ + "_uscc";
    }
    if (party_ == "b" &&
        (field == "contact" || field == "phone" || field == "mobile" ||
         field == "email")) {
      return "party_b_" + field;
    }
    return field;
  }

  // 甲方(盖章): 乙方(盖章): above the two names in columns.
  void ColumnValue(const std::string& name, size_t n, int column) {
    const std::u32string& s = lines_[n].text;
    std::vector<Span> cells;
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && IsSpace(s[i])) ++i;
      size_t b = i;
      while (i < s.size() && !IsSpace(s[i])) ++i;
      if (i > b) cells.push_back({b, i});
    }
    if (column >= static_cast<int>(cells.size())) return;
    Span v = cells[column];
    if (AnyLabelAt(s, v.begin).label != nullptr || v.end - v.begin < 2) return;
    for (size_t k = v.begin; k < v.end; ++k) {
      if (!IsHan(s[k]) && !IsAsciiAlnum(s[k]) && s[k] != '(' && s[k] != ')') {
        return;
      }
    }
    Emit(name, n, v);
  }

  void CheckFigures(size_t n, size_t after) {
    if (out_.empty() || out_.back().name != "amount" ||
        !out_.back().problem.empty()) {
      return;
    }
    auto figures = FiguresAfter(lines_[n].text, after);
    if (!figures) return;
    auto value = NormalizeAmount(EncodeUtf8(*figures));
    if (value && *value != out_.back().value) {
      out_.back().problem = "amount in words " + out_.back().value +
                            " differs from the figures " + *value;
      out_.back().confidence /= 2;
    }
  }

  // One-character corrections of a USCC or ID number that failed its
  // check, ranked by how unsure OCR was of the character each changes.
  std::vector<Correction> Corrections(const std::string& name, const Line& line,
                                      Span v) const {
    std::vector<OneCharacterFix> fixes;
    const std::string raw = EncodeUtf8(line.text.substr(v.begin, v.end - v.begin));
    if (name.ends_with("uscc")) {
      fixes = UsccOneCharacterFixes(raw);
    } else if (name == "id_number") {
      fixes = ResidentIdOneCharacterFixes(raw);
    }
    if (fixes.empty()) return {};
    // The value's characters (spaces skipped) and the confidence of each.
    std::vector<float> confidence;
    for (size_t k = v.begin; k < v.end; ++k) {
      if (IsSpace(line.text[k])) continue;
      float c = -1.f;
      const int w = line.word[k];
      if (w >= 0 && words_ != nullptr) {
        const OcrWord& word = (*words_)[w];
        const int sym = line.symbol[k];
        c = sym >= 0 && sym < static_cast<int>(word.symbol_confidence.size())
                ? word.symbol_confidence[sym]
                : word.confidence;
      }
      confidence.push_back(c);
    }
    std::vector<Correction> out;
    for (const OneCharacterFix& fix : fixes) {
      Correction c;
      c.value = fix.value;
      c.position = fix.position;
      c.read = EncodeUtf8(std::u32string(1, fix.read));
      if (fix.position < static_cast<int>(confidence.size())) {
        c.confidence = confidence[fix.position];
      }
      out.push_back(std::move(c));
    }
    auto lookalike = [](const Correction& c) {
      static const std::set<std::pair<char, char>> kPairs = {
          {'O', '0'}, {'D', '0'}, {'Q', '0'}, {'I', '1'}, {'L', '1'}, {'T', '1'},
          {'S', '5'}, {'Z', '2'}, {'B', '8'}, {'G', '6'}, {'A', '4'}, {'U', '0'},
          {'E', '3'}, {'Y', '7'}, {'V', 'Y'}, {'J', '1'}};
      const char read = c.read.size() == 1 ? c.read[0] : 0;
      const char now = c.value[c.position];
      return kPairs.contains({read, now}) || kPairs.contains({now, read});
    };
    std::stable_sort(out.begin(), out.end(), [&](const Correction& a, const Correction& b) {
      const float ca = a.confidence < 0 ? 1000.f : a.confidence;
      const float cb = b.confidence < 0 ? 1000.f : b.confidence;
      if (ca != cb) return ca < cb;
      return lookalike(a) && !lookalike(b);
    });
    if (out.size() > 5) out.resize(5);
    return out;
  }

  void Emit(const std::string& name, size_t n, Span v) {
    const Line& line = lines_[n];
    SuggestedField f;
    f.name = name;
    f.page = page_;
    f.raw = EncodeUtf8(line.text.substr(v.begin, v.end - v.begin));
    std::set<int> seen;
    double conf_sum = 0;
    for (size_t k = v.begin; k < v.end; ++k) {
      int w = line.word[k];
      if (w < 0 || words_ == nullptr || !seen.insert(w).second) continue;
      f.boxes.push_back((*words_)[w].box);
      conf_sum += (*words_)[w].confidence;
    }
    f.confidence = seen.empty() ? 100.f
                                : static_cast<float>(conf_sum / seen.size());
    auto value = NormalizeField(name, f.raw);
    if (value) {
      f.value = *value;
    } else {
      f.value = f.raw;
      f.problem = value.error().message;
      f.confidence /= 2;
      f.corrections = Corrections(name, line, v);
    }
    out_.push_back(std::move(f));
  }

  std::vector<Line> lines_;
  const std::vector<OcrWord>* words_;
  int page_;
  std::string party_;  // "a", "b" or "": whose block we are in
  std::vector<SuggestedField> out_;
};

Line MakeLine(std::u32string_view text) {
  Line line;
  for (char32_t c : text) {
    line.text.push_back(Fold(c));
    line.word.push_back(-1);
    line.symbol.push_back(-1);
  }
  return line;
}

}  // namespace

std::vector<SuggestedField> ExtractTextFields(std::string_view text,
                                              int page_number) {
  std::vector<Line> lines;
  std::u32string all = DecodeUtf8(text);
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find(U'\n', start);
    if (end == std::u32string::npos) end = all.size();
    lines.push_back(MakeLine(std::u32string_view(all).substr(start, end - start)));
    start = end + 1;
  }
  return PageExtractor(std::move(lines), nullptr, page_number).Run();
}

std::vector<SuggestedField> ExtractPageFields(const OcrPage& page,
                                              int page_number) {
  if (page.words.empty()) return ExtractTextFields(page.text, page_number);
  // Words in reading order, grouped by line.
  std::map<int, std::vector<int>> by_line;
  for (size_t i = 0; i < page.words.size(); ++i) {
    by_line[page.words[i].line].push_back(static_cast<int>(i));
  }
  std::vector<Line> lines;
  for (auto& [line_index, indexes] : by_line) {
    Line line;
    const OcrWord* previous = nullptr;
    for (int w : indexes) {
      const OcrWord& word = page.words[w];
      std::u32string text = DecodeUtf8(word.text);
      if (text.empty()) continue;
      if (previous != nullptr) {
        const int gap = word.box.x - (previous->box.x + previous->box.width);
        const int height = std::max(1, std::max(word.box.height,
                                                previous->box.height));
        char32_t last = line.text.empty() ? U' ' : line.text.back();
        const bool latin_pair = IsAsciiAlnum(last) || IsAsciiAlnum(Fold(text[0]));
        if (gap > height * 8 / 10 || (latin_pair && gap > height / 5)) {
          line.text.push_back(' ');
          line.word.push_back(-1);
          line.symbol.push_back(-1);
        }
      }
      for (size_t k = 0; k < text.size(); ++k) {
        line.text.push_back(Fold(text[k]));
        line.word.push_back(w);
        line.symbol.push_back(static_cast<int>(k));
      }
      previous = &word;
    }
    // The line's box: its words' boxes together.
    bool first = true;
    for (int w : indexes) {
      const Box& b = page.words[w].box;
      if (first) {
        line.box = b;
        first = false;
        continue;
      }
      const int x1 = std::max(line.box.x + line.box.width, b.x + b.width);
      const int y1 = std::max(line.box.y + line.box.height, b.y + b.height);
      line.box.x = std::min(line.box.x, b.x);
      line.box.y = std::min(line.box.y, b.y);
      line.box.width = x1 - line.box.x;
      line.box.height = y1 - line.box.y;
    }
    lines.push_back(std::move(line));
  }
  return PageExtractor(std::move(lines), &page.words, page_number).Run();
}

std::vector<SuggestedField> MergeFields(
    const std::vector<std::vector<SuggestedField>>& per_page) {
  std::vector<SuggestedField> merged;
  std::map<std::string, size_t> index;
  for (const auto& page : per_page) {
    for (const SuggestedField& f : page) {
      auto it = index.find(f.name);
      if (it == index.end()) {
        index[f.name] = merged.size();
        merged.push_back(f);
      } else if (!merged[it->second].problem.empty() && f.problem.empty()) {
        merged[it->second] = f;
      }
    }
  }
  return merged;
}

std::vector<SuggestedField> ExtractDocumentFields(
    const std::vector<OcrPage>& pages) {
  std::vector<std::vector<SuggestedField>> per_page;
  for (size_t i = 0; i < pages.size(); ++i) {
    per_page.push_back(ExtractPageFields(pages[i], static_cast<int>(i) + 1));
  }
  return MergeFields(per_page);
}

}  // namespace dossier::fields
