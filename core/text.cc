#include "core/text.h"

#include <cstdio>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace dossier {

std::string TrimSpace(std::string_view s) {
  const auto space = [](char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::u32string DecodeUtf8(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t i = 0;
  const auto length = static_cast<int32_t>(utf8.size());
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  return out;
}

std::string EncodeUtf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size() * 3);
  for (char32_t cp : cps) {
    uint8_t buf[4];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(buf, n, 4, static_cast<UChar32>(cp), error);
    if (error) {
      n = 0;
      U8_APPEND_UNSAFE(buf, n, 0xFFFD);
    }
    out.append(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  }
  return out;
}

bool IsCjkCodepoint(char32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x2FDF) ||   // radicals
         (cp >= 0x3000 && cp <= 0x303F) ||   // CJK symbols and punctuation
         (cp >= 0x3040 && cp <= 0x30FF) ||   // kana
         (cp >= 0x3100 && cp <= 0x31FF) ||   // bopomofo, kana ext
         (cp >= 0x3400 && cp <= 0x4DBF) ||   // ext A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||   // unified ideographs
         (cp >= 0xAC00 && cp <= 0xD7AF) ||   // Hangul
         (cp >= 0xF900 && cp <= 0xFAFF) ||   // compatibility ideographs
         (cp >= 0xFE30 && cp <= 0xFE4F) ||   // compatibility forms
         (cp >= 0x20000 && cp <= 0x3134F);   // ext B..G
}

namespace {

bool IsSpace(char32_t cp) {
  return cp == U' ' || cp == U'\t' || cp == U'\r' || cp == 0x3000 ||
         cp == 0x00A0 || u_isUWhiteSpace(static_cast<UChar32>(cp));
}

// CJK punctuation after NFKC (e.g. "，" stays U+FF0C? no: NFKC maps it to ',').
// Treat ASCII punctuation next to CJK as CJK-adjacent so "甲方 ：" joins too.
bool JoinsWithoutSpace(char32_t cp) {
  return IsCjkCodepoint(cp) || cp == U',' || cp == U':' || cp == U';' ||
         cp == U'(' || cp == U')' || cp == U'!' || cp == U'?';
}

}  // namespace

std::string NormalizeText(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  std::u32string cps;
  if (U_SUCCESS(status)) {
    icu::UnicodeString in = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    icu::UnicodeString out = nfkc->normalize(in, status);
    std::string bytes;
    if (U_SUCCESS(status)) {
      out.toUTF8String(bytes);
      cps = DecodeUtf8(bytes);
    }
  }
  if (cps.empty()) cps = DecodeUtf8(utf8);

  // Collapse whitespace runs within a line; drop them between CJK neighbours.
  std::u32string result;
  result.reserve(cps.size());
  size_t i = 0;
  while (i < cps.size()) {
    char32_t c = cps[i];
    if (c == U'\n') {
      while (!result.empty() && result.back() == U' ') result.pop_back();
      result.push_back(U'\n');
      ++i;
      continue;
    }
    if (IsSpace(c)) {
      size_t j = i;
      while (j < cps.size() && IsSpace(cps[j]) && cps[j] != U'\n') ++j;
      bool at_line_start = result.empty() || result.back() == U'\n';
      bool at_line_end = j >= cps.size() || cps[j] == U'\n';
      if (!at_line_start && !at_line_end) {
        char32_t prev = result.back();
        char32_t next = cps[j];
        bool prev_cjk = IsCjkCodepoint(prev);
        bool next_cjk = IsCjkCodepoint(next);
        bool drop = (prev_cjk && (next_cjk || JoinsWithoutSpace(next))) ||
                    (next_cjk && JoinsWithoutSpace(prev));
        if (!drop) result.push_back(U' ');
      }
      i = j;
      continue;
    }
    result.push_back(c);
    ++i;
  }
  while (!result.empty() && (result.back() == U' ' || result.back() == U'\n'))
    result.pop_back();
  return EncodeUtf8(result);
}

std::string EscapeControls(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' && keep_newlines) {
      out += '\n';
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\u%04x",
                    static_cast<unsigned>(static_cast<unsigned char>(text[i + 1])));
      out += hex;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string CsvCell(std::string_view text) {
  std::string cell = EscapeControls(text);
  const bool formula =
      !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' ||
                        cell[0] == '@');
  if (formula) cell.insert(cell.begin(), '\'');
  if (!formula && cell.find_first_of(",\"") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace dossier
