// Internal: turns a user's search query into an FTS5 MATCH expression.
//
// The query language and its parser are shared by every backend
// (storage/search_syntax.h); this file writes the parsed tree as FTS5 text.
// User text never reaches MATCH as written: every term becomes a quoted
// FTS5 phrase of its tokens: 合同 becomes "合 同", two adjacent unigrams,
// i.e. the substring. A negated Chinese term is negated as one phrase
// (NOT "合 同"), never character by character.
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
