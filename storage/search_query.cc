#include "storage/search_query.h"

#include <unicode/uchar.h>

#include <string>
#include <vector>

#include "core/text.h"
#include "storage/fts_tokenizer.h"

namespace dossier::storage {
namespace {

// Inside an FTS5 string a double quote is written twice. Tokens never hold
// one today, but the escape keeps this safe if the tokenizer changes.
void AppendQuoted(std::string_view token, std::string& out) {
  for (char c : token) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
}

// Splits before normalising: NormalizeText drops the space between two CJK
// characters, which would glue "合同 甲方" (two terms) into one phrase.
std::vector<std::string> SplitOnWhitespace(std::string_view text) {
  std::vector<std::string> terms;
  std::u32string current;
  for (char32_t cp : DecodeUtf8(text)) {
    if (u_isUWhiteSpace(static_cast<UChar32>(cp))) {
      if (!current.empty()) terms.push_back(EncodeUtf8(current));
      current.clear();
    } else {
      current.push_back(cp);
    }
  }
  if (!current.empty()) terms.push_back(EncodeUtf8(current));
  return terms;
}

}  // namespace

Result<std::string> BuildMatchExpression(std::string_view user_input) {
  std::string expression;
  for (const std::string& term : SplitOnWhitespace(user_input)) {
    std::string phrase;
    // Spaces NFKC may produce inside a term only separate tokens of the
    // same phrase.
    ForEachToken(NormalizeText(term),
                 [&](std::string_view token, size_t, size_t) {
                   if (!phrase.empty()) phrase.push_back(' ');
                   AppendQuoted(token, phrase);
                   return 0;
                 });
    if (phrase.empty()) continue;  // a punctuation-only term adds nothing
    if (!expression.empty()) expression += " AND ";
    expression += '"';
    expression += phrase;
    expression += '"';
  }
  if (expression.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "search query '" + std::string(user_input) +
                         "' has no letters or digits to search for");
  }
  return expression;
}

}  // namespace dossier::storage
