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
  std::vector<int> word;  // per code point: index into the page's words, -1
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

bool LabelAt(const std::u32string& s, size_t i, const Label& label) {
  if (s.compare(i, label.text.size(), label.text) != 0) return false;
  // A Latin label must not be part of a longer word (Date in Updated).
  if (IsAsciiAlnum(label.text.front()) && i > 0 && IsAsciiAlnum(s[i - 1])) {
    return false;
  }
  return true;
}

const Label* AnyLabelAt(const std::u32string& s, size_t i) {
  for (const Label& label : Labels()) {
    if (LabelAt(s, i, label)) return &label;
  }
  return nullptr;
}

// After a label: an optional (role), then colons and spaces. Returns the
// value start and whether a colon was seen.
std::pair<size_t, bool> SkipToValue(const std::u32string& s, size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  // OCR reads the round bracket of (委托方) as 〈 or [ often enough.
  constexpr std::u32string_view kOpen = U"(〈<[【", kClose = U")〉>]】";
  if (i < s.size() && kOpen.find(s[i]) != std::u32string_view::npos) {
    auto close = s.find_first_of(kClose, i);
    if (close != std::u32string::npos && close - i < 12) i = close + 1;
  }
  bool colon = false;
  while (i < s.size() && (s[i] == ':' || IsSpace(s[i]) ||
                          (s[i] == '.' && !colon))) {
    colon = colon || s[i] == ':';
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
      return !IsSpace(c) && c != ',' && c != ';' && c != ':' && c != '(';
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
    if (AnyLabelAt(s, i) != nullptr) break;
    char32_t c = s[i];
    // Latin names (Party A: Northbridge Freight Services Ltd.) hold spaces.
    bool ok = Accepts(kind, c, i - start) ||
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
    return Span{begin, j};
  }
  if (j < s.size() && s[j] == U'¥') ++j, currency = true;
  if (!currency && !colon) return std::nullopt;
  size_t k = j;
  while (k < s.size() && (IsDigit(s[k]) || s[k] == ',' || s[k] == '.')) ++k;
  if (k == j) return std::nullopt;
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
    return std::move(out_);
  }

 private:
  void ScanLine(size_t n) {
    const std::u32string& s = lines_[n].text;
    int party_column = 0;
    ScanPeriod(n);
    size_t i = 0;
    while (i < s.size()) {
      const Label* label = AnyLabelAt(s, i);
      if (label == nullptr) {
        ++i;
        continue;
      }
      auto [start, colon] = SkipToValue(s, i + label->text.size());
      if (label->needs_colon && !colon) {
        i += label->text.size();
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
          if (v.end > v.begin) {
            Emit(Scoped(label->field, label->kind), n, v);
            next = v.end;
          }
        }
      }
      i = std::max(next, i + label->text.size());
    }
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
    if (AnyLabelAt(s, v.begin) != nullptr || v.end - v.begin < 2) return;
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
        }
      }
      for (char32_t c : text) {
        line.text.push_back(Fold(c));
        line.word.push_back(w);
      }
      previous = &word;
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
