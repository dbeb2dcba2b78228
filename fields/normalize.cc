#include "fields/normalize.h"

#include <fmt/format.h>
#include <phonenumbers/phonenumberutil.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/text.h"

namespace dossier::fields {
namespace {

std::unexpected<Error> Invalid(std::string_view what, std::string_view input,
                               std::string_view reason) {
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("{} '{}': {}", what, input, reason));
}

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 ||
         c == 0xA0;
}

std::u32string Trim32(std::u32string s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::u32string Fold32(std::string_view utf8) {
  std::u32string out;
  for (char32_t c : DecodeUtf8(utf8)) {
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
    if (c == 0x3000) c = ' ';
    if (c == 0xFFE5) c = 0xA5;  // full-width yen sign to ¥
    out.push_back(c);
  }
  return Trim32(std::move(out));
}

// Removes every space (OCR and clerks put them anywhere in codes).
std::u32string WithoutSpaces(std::u32string s) {
  std::u32string out;
  for (char32_t c : s) {
    if (!IsSpace(c)) out.push_back(c);
  }
  return out;
}

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// "" if fine, else the reason.
std::string CheckYmd(int y, int m, int d) {
  if (y < 1900 || y > 2199) return fmt::format("year {} is out of range", y);
  if (m < 1 || m > 12) return fmt::format("month {} does not exist", m);
  if (d < 1 || d > DaysInMonth(y, m)) {
    return fmt::format("{}-{:02d} has no day {}", y, m, d);
  }
  return "";
}

// Value of a Chinese digit (ordinary or capital), or -1.
int ChineseDigit(char32_t c) {
  switch (c) {
    case U'零': case U'〇': case U'○': case U'O': return 0;
    case U'一': case U'壹': return 1;
    case U'二': case U'贰': case U'貳': case U'两': return 2;
    case U'三': case U'叁': case U'參': return 3;
    case U'四': case U'肆': return 4;
    case U'五': case U'伍': return 5;
    case U'六': case U'陆': case U'陸': return 6;
    case U'七': case U'柒': return 7;
    case U'八': case U'捌': return 8;
    case U'九': case U'玖': return 9;
    default: return -1;
  }
}

int ChineseUnit(char32_t c) {
  switch (c) {
    case U'十': case U'拾': return 10;
    case U'百': case U'佰': return 100;
    case U'千': case U'仟': return 1000;
    default: return 0;
  }
}

// A number written in Arabic digits or Chinese numerals below 10000
// (二〇二四 digit by digit, 三十一 with units). nullopt if it is neither.
std::optional<int> SmallNumber(std::u32string_view s) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  bool arabic = true;
  for (char32_t c : s) arabic = arabic && IsDigit(c);
  if (arabic) {
    int v = 0;
    for (char32_t c : s) v = v * 10 + static_cast<int>(c - '0');
    return v;
  }
  bool has_unit = false;
  for (char32_t c : s) {
    if (ChineseUnit(c)) has_unit = true;
    else if (ChineseDigit(c) < 0) return std::nullopt;
  }
  if (!has_unit) {  // digit by digit: 二〇二四
    int v = 0;
    for (char32_t c : s) v = v * 10 + ChineseDigit(c);
    return v;
  }
  int total = 0, digit = 0;
  bool seen_digit = false;
  for (char32_t c : s) {
    if (int u = ChineseUnit(c)) {
      total += (seen_digit ? digit : 1) * u;
      digit = 0;
      seen_digit = false;
    } else {
      digit = ChineseDigit(c);
      seen_digit = true;
    }
  }
  return total + digit;
}

std::string FormatFen(std::int64_t fen) {
  return fmt::format("{}.{:02d}", fen / 100, static_cast<int>(fen % 100));
}

// Figures: 48,000.00 / 48000 / 4.8 then an optional 万 or 亿.
std::optional<std::int64_t> ParseFigures(std::u32string_view s,
                                         std::string& reason) {
  std::int64_t units = 0;
  int decimals = -1;
  int digits = 0;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char32_t c = s[i];
    if (IsDigit(c)) {
      if (decimals >= 0) ++decimals;
      if (++digits > 15) {
        reason = "has too many digits";
        return std::nullopt;
      }
      units = units * 10 + static_cast<int>(c - '0');
    } else if (c == ',' && decimals < 0) {
      continue;
    } else if (c == '.' && decimals < 0) {
      decimals = 0;
    } else {
      break;
    }
  }
  if (digits == 0) {
    reason = "has no digits";
    return std::nullopt;
  }
  if (decimals < 0) decimals = 0;
  std::int64_t multiplier = 100;  // to fen
  if (i < s.size() && s[i] == U'万') multiplier *= 10'000, ++i;
  else if (i < s.size() && s[i] == U'亿') multiplier *= 100'000'000, ++i;
  std::int64_t scale = 1;
  for (int k = 0; k < decimals; ++k) scale *= 10;
  if ((units * multiplier) % scale != 0) {
    reason = "has more decimal places than fen (0.01)";
    return std::nullopt;
  }
  std::u32string_view rest = s.substr(i);
  for (std::u32string_view suffix : {U"元整", U"元", U"圆", U"yuan", U"整"}) {
    if (rest == suffix) {
      rest = {};
      break;
    }
  }
  if (!rest.empty()) {
    reason = fmt::format("has '{}' after the number", EncodeUtf8(rest));
    return std::nullopt;
  }
  return units * multiplier / scale;
}

// Chinese capitals or ordinary numerals: 肆万捌仟元整, 壹佰元伍角陆分.
std::optional<std::int64_t> ParseChineseAmount(std::u32string_view s,
                                               std::string& reason) {
  std::int64_t total = 0, section = 0;
  int digit = 0;
  bool seen_digit = false, seen_any = false, after_yuan = false, ended = false;
  std::int64_t fen = 0;
  for (char32_t c : s) {
    if (ended) {
      reason = "has characters after 整";
      return std::nullopt;
    }
    if (int d = ChineseDigit(c); d >= 0) {
      digit = d;
      seen_digit = true;
      seen_any = true;
    } else if (after_yuan && (c == U'角' || c == U'分')) {
      fen += digit * (c == U'角' ? 10 : 1);
      digit = 0;
      seen_digit = false;
    } else if (after_yuan) {
      if (c == U'整' || c == U'正') {
        ended = true;
      } else {
        reason = fmt::format("has '{}' after 元", EncodeUtf8(std::u32string(1, c)));
        return std::nullopt;
      }
    } else if (int u = ChineseUnit(c)) {
      section += (seen_digit ? digit : 1) * u;
      digit = 0;
      seen_digit = false;
      seen_any = true;
    } else if (c == U'万') {
      total += (section + digit) * 10'000;
      section = digit = 0;
      seen_digit = false;
    } else if (c == U'亿') {
      total = (total + section + digit) * 100'000'000;
      section = digit = 0;
      seen_digit = false;
    } else if (c == U'元' || c == U'圆') {
      total += section + digit;
      section = digit = 0;
      seen_digit = false;
      after_yuan = true;
    } else if (c == U'整' || c == U'正') {
      ended = true;
    } else {
      reason = fmt::format("'{}' is not a Chinese numeral",
                           EncodeUtf8(std::u32string(1, c)));
      return std::nullopt;
    }
  }
  if (!seen_any) {
    reason = "has no numerals";
    return std::nullopt;
  }
  if (!after_yuan) total += section + digit;
  else if (seen_digit) {
    reason = "has a digit after 元 without 角 or 分";
    return std::nullopt;
  }
  return total * 100 + fen;
}

bool IsUsccChar(char32_t c) {
  return (c >= '0' && c <= '9') ||
         (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'S' &&
          c != 'V' && c != 'Z');
}

constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string FoldFullWidth(std::string_view utf8) {
  return EncodeUtf8(Fold32(utf8));
}

// "March 5, 2026" or "5 March 2026"; 0 in y if the text has no month name.
static void EnglishDate(std::u32string_view s, int& y, int& m, int& d) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun",
      "jul", "aug", "sep", "oct", "nov", "dec"};
  std::vector<std::string> words(1);
  for (char32_t c : s) {
    if (c == ' ' || c == ',') {
      if (!words.back().empty()) words.emplace_back();
    } else if (c < 0x80) {
      words.back().push_back(static_cast<char>(std::tolower(static_cast<int>(c))));
    } else {
      return;
    }
  }
  if (words.back().empty()) words.pop_back();
  if (words.size() != 3) return;
  auto month_of = [&](const std::string& w) {
    for (size_t i = 0; i < kMonths.size(); ++i) {
      if (w.size() >= 3 && w.compare(0, 3, kMonths[i]) == 0) return int(i) + 1;
    }
    return 0;
  };
  auto number = [](const std::string& w) {
    if (w.empty() || w.size() > 4) return -1;
    for (char c : w) if (c < '0' || c > '9') return -1;
    return std::stoi(w);
  };
  if (int mm = month_of(words[0]); mm > 0) {
    m = mm, d = number(words[1]), y = number(words[2]);
  } else if (int mm2 = month_of(words[1]); mm2 > 0) {
    m = mm2, d = number(words[0]), y = number(words[2]);
  }
}

Result<std::string> NormalizeDate(std::string_view text) {
  constexpr std::string_view kWhat = "date";
  int y = 0, m = 0, d = 0;
  EnglishDate(Fold32(text), y, m, d);
  if (y != 0 || m != 0) {
    if (std::string reason = CheckYmd(y, m, d); !reason.empty()) {
      return Invalid(kWhat, text, reason);
    }
    return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
  }
  std::u32string s = WithoutSpaces(Fold32(text));
  if (s.empty()) return Invalid(kWhat, text, "is empty");
  auto y_pos = s.find(U'年');
  if (y_pos != std::u32string::npos) {
    auto m_pos = s.find(U'月', y_pos);
    if (m_pos == std::u32string::npos) {
      return Invalid(kWhat, text, "has 年 but no 月");
    }
    size_t d_end = s.find_first_of(U"日号", m_pos);
    if (d_end == std::u32string::npos) d_end = s.size();
    else if (d_end + 1 != s.size()) {
      return Invalid(kWhat, text, "has characters after 日");
    }
    auto year = SmallNumber(std::u32string_view(s).substr(0, y_pos));
    auto month = SmallNumber(
        std::u32string_view(s).substr(y_pos + 1, m_pos - y_pos - 1));
    auto day = SmallNumber(
        std::u32string_view(s).substr(m_pos + 1, d_end - m_pos - 1));
    if (!year || !month || !day) {
      return Invalid(kWhat, text, "year, month or day is not a number");
    }
    y = *year, m = *month, d = *day;
  } else if (s.size() == 8 &&
             std::all_of(s.begin(), s.end(), IsDigit)) {  // 20240305
    y = std::stoi(EncodeUtf8(s.substr(0, 4)));
    m = std::stoi(EncodeUtf8(s.substr(4, 2)));
    d = std::stoi(EncodeUtf8(s.substr(6, 2)));
  } else {
    std::vector<std::u32string> parts(1);
    char32_t sep = 0;
    for (char32_t c : s) {
      if (c == '-' || c == '/' || c == '.') {
        if (sep != 0 && c != sep) {
          return Invalid(kWhat, text, "mixes separators");
        }
        sep = c;
        parts.emplace_back();
      } else if (IsDigit(c)) {
        parts.back().push_back(c);
      } else {
        return Invalid(kWhat, text, "is not a date this program reads");
      }
    }
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() ||
        parts[2].empty()) {
      return Invalid(kWhat, text, "needs year, month and day");
    }
    auto num = [](const std::u32string& p) { return *SmallNumber(p); };
    if (parts[0].size() == 4) {
      y = num(parts[0]), m = num(parts[1]), d = num(parts[2]);
    } else if (parts[2].size() == 4 && sep == '.') {
      d = num(parts[0]), m = num(parts[1]), y = num(parts[2]);
    } else if (parts[2].size() == 4) {
      return Invalid(kWhat, text,
                     "day-first or month-first cannot be told apart; write "
                     "it as YYYY-MM-DD");
    } else {
      return Invalid(kWhat, text, "needs a four-digit year");
    }
    if (parts[1].size() > 2 || (parts[0].size() != 4 && parts[0].size() > 2) ||
        (parts[2].size() != 4 && parts[2].size() > 2)) {
      return Invalid(kWhat, text, "month and day have at most two digits");
    }
  }
  if (std::string reason = CheckYmd(y, m, d); !reason.empty()) {
    return Invalid(kWhat, text, reason);
  }
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

Result<std::string> NormalizePhone(std::string_view text,
                                   std::string_view default_region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const std::string folded = FoldFullWidth(text);
  constexpr std::string_view kWhat = "phone number";
  if (folded.empty()) return Invalid(kWhat, text, "is empty");
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  auto rc = util->Parse(folded, std::string(default_region), &number);
  if (rc != PhoneNumberUtil::NO_PARSING_ERROR) {
    return Invalid(kWhat, text, "is not a phone number");
  }
  if (!util->IsValidNumber(number)) {
    std::string region;
    util->GetRegionCodeForCountryCode(number.country_code(), &region);
    return Invalid(kWhat, text,
                   fmt::format("is not a valid number for region {} (a "
                               "landline needs its area code)",
                               region.empty() ? "?" : region));
  }
  std::string e164;
  util->Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

char UsccCheckChar(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {
      1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    auto pos = kUsccAlphabet.find(first17[i]);
    if (pos == std::string_view::npos) return '\0';
    sum += static_cast<int>(pos) * kWeights[i];
  }
  return kUsccAlphabet[(31 - sum % 31) % 31];
}

Result<std::string> NormalizeUscc(std::string_view text) {
  constexpr std::string_view kWhat = "unified social credit code";
  std::u32string s = WithoutSpaces(Fold32(text));
  for (char32_t& c : s) {
    if (c >= 'a' && c <= 'z') c = c - 'a' + 'A';
  }
  if (s.size() != 18) {
    return Invalid(kWhat, text,
                   fmt::format("has {} characters, expected 18", s.size()));
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsUsccChar(s[i])) {
      return Invalid(kWhat, text,
                     fmt::format("character {} ('{}') is not allowed (0-9 and "
                                 "A-Z without I, O, S, V, Z)",
                                 i + 1, EncodeUtf8(std::u32string(1, s[i]))));
    }
  }
  for (size_t i = 2; i < 8; ++i) {
    if (!IsDigit(s[i])) {
      return Invalid(kWhat, text,
                     "characters 3-8 (administrative division) must be digits");
    }
  }
  std::string code = EncodeUtf8(s);
  if (UsccCheckChar(std::string_view(code).substr(0, 17)) != code[17]) {
    return Invalid(kWhat, text,
                   "check character does not match (GB 32100-2015); the code "
                   "was probably misread or mistyped");
  }
  return code;
}

namespace {

template <typename Check>
std::vector<OneCharacterFix> OneCharacterFixes(std::string_view text,
                                               std::u32string_view alphabet,
                                               Check&& passes) {
  std::u32string s = WithoutSpaces(Fold32(text));
  for (char32_t& c : s) {
    if (c >= 'a' && c <= 'z') c = c - 'a' + 'A';
  }
  std::vector<OneCharacterFix> out;
  if (s.size() != 18 || passes(EncodeUtf8(s))) return out;
  for (size_t i = 0; i < s.size(); ++i) {
    std::u32string candidate = s;
    for (char32_t c : alphabet) {
      if (c == s[i]) continue;
      candidate[i] = c;
      std::string value = EncodeUtf8(candidate);
      if (passes(value)) out.push_back({value, static_cast<int>(i), s[i]});
    }
  }
  return out;
}

}  // namespace

std::vector<OneCharacterFix> UsccOneCharacterFixes(std::string_view text) {
  return OneCharacterFixes(text, U"0123456789ABCDEFGHJKLMNPQRTUWXY",
                           [](const std::string& v) { return NormalizeUscc(v).has_value(); });
}

std::vector<OneCharacterFix> ResidentIdOneCharacterFixes(std::string_view text) {
  return OneCharacterFixes(text, U"0123456789X", [](const std::string& v) {
    return NormalizeResidentId(v).has_value();
  });
}

char ResidentIdCheckChar(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                                   3, 7, 9, 10, 5, 8, 4, 2};
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (first17[i] < '0' || first17[i] > '9') return '\0';
    sum += (first17[i] - '0') * kWeights[i];
  }
  return "10X98765432"[sum % 11];
}

Result<std::string> NormalizeResidentId(std::string_view text) {
  constexpr std::string_view kWhat = "resident ID number";
  std::u32string s = WithoutSpaces(Fold32(text));
  if (!s.empty() && s.back() == 'x') s.back() = 'X';
  if (s.size() != 18) {
    return Invalid(kWhat, text,
                   fmt::format("has {} characters, expected 18", s.size()));
  }
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(s[i])) return Invalid(kWhat, text, "first 17 must be digits");
  }
  if (!IsDigit(s[17]) && s[17] != 'X') {
    return Invalid(kWhat, text, "last character must be a digit or X");
  }
  std::string id = EncodeUtf8(s);
  const int province = std::stoi(id.substr(0, 2));
  static constexpr std::array<int, 38> kProvinces = {
      11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44,
      45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 0,  0,  0};
  if (province == 0 ||
      std::find(kProvinces.begin(), kProvinces.end(), province) ==
          kProvinces.end()) {
    return Invalid(kWhat, text,
                   fmt::format("province code {:02d} does not exist", province));
  }
  const int y = std::stoi(id.substr(6, 4));
  const int m = std::stoi(id.substr(10, 2));
  const int d = std::stoi(id.substr(12, 2));
  if (std::string reason = CheckYmd(y, m, d); !reason.empty()) {
    return Invalid(kWhat, text, "birth date " + id.substr(6, 8) + ": " + reason);
  }
  if (ResidentIdCheckChar(std::string_view(id).substr(0, 17)) != id[17]) {
    return Invalid(kWhat, text,
                   "check digit does not match (GB 11643-1999); the number "
                   "was probably misread or mistyped");
  }
  return id;
}

Result<std::string> NormalizeAmount(std::string_view text) {
  constexpr std::string_view kWhat = "amount";
  std::u32string s = WithoutSpaces(Fold32(text));
  for (std::u32string_view prefix :
       {U"人民币", U"RMB", U"CNY", U"¥", U"￥", U"rmb"}) {
    if (s.starts_with(prefix)) {
      s.erase(0, prefix.size());
      break;
    }
  }
  if (s.starts_with(U"¥")) s.erase(0, 1);
  if (s.empty()) return Invalid(kWhat, text, "has no number");
  std::string reason;
  std::optional<std::int64_t> fen;
  if (IsDigit(s.front())) {
    fen = ParseFigures(s, reason);
  } else {
    fen = ParseChineseAmount(s, reason);
  }
  if (!fen) return Invalid(kWhat, text, reason);
  return FormatFen(*fen);
}

Result<std::string> NormalizeEmail(std::string_view text) {
  constexpr std::string_view kWhat = "e-mail address";
  std::string s = EncodeUtf8(WithoutSpaces(Fold32(text)));
  auto at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != s.npos) {
    return Invalid(kWhat, text, "needs exactly one @ with a name before it");
  }
  std::string domain = s.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string::npos || dot == 0 || domain.back() == '.') {
    return Invalid(kWhat, text, "domain must have a dot, like example.com");
  }
  for (char& c : domain) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s.substr(0, at + 1) + domain;
}

Result<std::string> NormalizeField(std::string_view name,
                                   std::string_view value) {
  if (EndsWith(name, "date")) return NormalizeDate(value);
  if (EndsWith(name, "phone") || EndsWith(name, "mobile")) {
    return NormalizePhone(value);
  }
  if (EndsWith(name, "uscc")) return NormalizeUscc(value);
  if (name == "id_number" || EndsWith(name, "_id_number")) {
    return NormalizeResidentId(value);
  }
  if (name == "amount") return NormalizeAmount(value);
  if (EndsWith(name, "email")) return NormalizeEmail(value);
  std::string folded = FoldFullWidth(value);
  if (folded.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("field {} is empty", name));
  }
  return folded;
}

}  // namespace dossier::fields
