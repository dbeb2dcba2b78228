// Internal: turns a user's search query into an FTS5 MATCH expression.
//
// Query syntax (docs/catalog.md, "Queries"):
//   合同 甲方            both terms (AND is implied between terms)
//   合同 AND 甲方        the same
//   合同 OR 协议         either
//   合同 NOT 乙方        合同 but not 乙方; -乙方 is the same as NOT 乙方
//   "service agreement" the words next to each other, in this order
//   (合同 OR 协议) 甲方  parentheses group
// AND, OR and NOT are operators only in capitals; lower-case and, or, not
// are searched as words. Precedence: NOT binds tightest, then AND, then OR.
//
// User text never reaches MATCH as written. Every term is NormalizeText'ed
// and cut by the index tokenizer (fts_tokenizer.h) into a quoted FTS5
// phrase: 合同 becomes "合 同", two adjacent unigrams, i.e. the substring.
// A negated Chinese term is negated as one phrase (NOT "合 同"), never
// character by character, so NOT cannot be bypassed for CJK terms.
//
// Errors are kInvalidArgument and say where: "search query '合同 OR':
// OR at character 4 needs a term after it".
//
// Two forms of the same expression (they match the same pages):
//   kUnigrams  a Chinese run as a phrase of its characters, "合 同 书", for
//              an index without bigrams, and for snippet() highlighting;
//   kBigrams   for the 'dossier bigrams' index (fts_tokenizer.h): a run
//              written without spaces, "合同书", which the tokenizer turns
//              into the bigram phrase 合同 同书; a run of two or more that is
//              followed by more tokens in the same phrase also gets its last
//              character as a unigram ("公司 司 abc") so that the positions of
//              the tokens after it line up.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier::storage {

enum class MatchForm { kUnigrams, kBigrams };

Result<std::string> BuildMatchExpression(
    std::string_view user_input, MatchForm form = MatchForm::kUnigrams);

}  // namespace dossier::storage
