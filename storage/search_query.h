// Internal: turns a user's search input into an FTS5 MATCH expression.
//
// User input never reaches MATCH as written: FTS5 has its own query syntax
// (AND, OR, NOT, NEAR, *, ^, column filters, parentheses) in which ordinary
// input such as `"` or `(` is a syntax error. Instead:
//   1. split on (Unicode) whitespace into terms;
//   2. NormalizeText each term (the normalisation the indexed text went
//      through; done per term because it removes spaces between CJK);
//   3. cut each term with the index tokenizer (fts_tokenizer.h);
//   4. write each term as a quoted phrase of its tokens, terms joined by AND.
// So "合同 Contract" becomes `"合 同" AND "contract"`: 合同 must appear as
// adjacent characters and "contract" as a word, in any order on the page.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier::storage {

// kInvalidArgument if the input holds no searchable token (empty, spaces,
// punctuation only).
Result<std::string> BuildMatchExpression(std::string_view user_input);

}  // namespace dossier::storage
