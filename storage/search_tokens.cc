#include "storage/search_tokens.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core/text.h"

namespace dossier::storage {
namespace {

enum class CharClass { kSeparator, kCjk, kWord };

CharClass Classify(UChar32 cp) {
  if (cp < 0) return CharClass::kSeparator;
  bool alnum = u_isalnum(cp);
  if (IsCjkCodepoint(static_cast<char32_t>(cp))) {
    return alnum ? CharClass::kCjk : CharClass::kSeparator;
  }
  if (alnum) return CharClass::kWord;
  // Combining marks continue a word (e.g. decomposed accents that NFKC could
  // not compose); they never start one, see the caller.
  int8_t type = u_charType(cp);
  if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
      type == U_ENCLOSING_MARK) {
    return CharClass::kWord;
  }
  return CharClass::kSeparator;
}

void AppendFolded(UChar32 cp, std::string& out) {
  UChar32 folded = u_foldCase(cp, U_FOLD_CASE_DEFAULT);
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, U8_MAX_LENGTH, folded, error);
  if (!error) out.append(buf, static_cast<size_t>(n));
}

}  // namespace

bool IsCjkToken(std::string_view token) {
  const auto* s = reinterpret_cast<const uint8_t*>(token.data());
  const auto length = static_cast<int32_t>(token.size());
  int32_t i = 0;
  UChar32 cp = -1;
  if (length == 0) return false;
  U8_NEXT(s, i, length, cp);
  return i == length && cp >= 0 && IsCjkCodepoint(static_cast<char32_t>(cp));
}

int ForEachToken(std::string_view text, const TokenSink& sink) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  std::string token;
  size_t token_start = 0;
  bool in_word = false;
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 cp;
    U8_NEXT(s, i, length, cp);
    CharClass cls = Classify(cp);
    bool is_mark = cls == CharClass::kWord && !u_isalnum(cp);
    if (cls == CharClass::kWord && (in_word || !is_mark)) {
      if (!in_word) {
        in_word = true;
        token.clear();
        token_start = static_cast<size_t>(start);
      }
      AppendFolded(cp, token);
      continue;
    }
    if (in_word) {
      in_word = false;
      if (int rc = sink(token, token_start, static_cast<size_t>(start))) {
        return rc;
      }
    }
    if (cls == CharClass::kCjk) {
      token.clear();
      AppendFolded(cp, token);
      if (int rc =
              sink(token, static_cast<size_t>(start), static_cast<size_t>(i))) {
        return rc;
      }
    }
  }
  if (in_word) return sink(token, token_start, text.size());
  return 0;
}

int ForEachIndexToken(std::string_view text, const IndexTokenSink& sink) {
  // One token of look-ahead: a CJK token's bigram needs the next token.
  std::string held;
  size_t held_start = 0, held_end = 0, position = 0;
  bool held_cjk = false, holding = false;
  std::string bigram;
  int rc = ForEachToken(text, [&](std::string_view token, size_t start,
                                  size_t end) {
    const bool cjk = IsCjkToken(token);
    if (holding) {
      if (int r = sink(held, position, false, held_start, held_end)) return r;
      if (held_cjk && cjk) {
        bigram.assign(held).append(token);
        if (int r = sink(bigram, position, true, held_start, end)) return r;
      }
      ++position;
    }
    held.assign(token);
    held_start = start;
    held_end = end;
    held_cjk = cjk;
    holding = true;
    return 0;
  });
  if (rc != 0 || !holding) return rc;
  return sink(held, position, false, held_start, held_end);
}

std::vector<std::string> QueryTermTokens(
    const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  for (size_t i = 0; i < tokens.size();) {
    if (!IsCjkToken(tokens[i])) {
      out.push_back(tokens[i++]);
      continue;
    }
    size_t j = i;
    while (j < tokens.size() && IsCjkToken(tokens[j])) ++j;
    if (j - i == 1) {
      out.push_back(tokens[i]);
    } else {
      for (size_t k = i; k + 1 < j; ++k) out.push_back(tokens[k] + tokens[k + 1]);
      if (j < tokens.size()) out.push_back(tokens[j - 1]);
    }
    i = j;
  }
  return out;
}

}  // namespace dossier::storage
