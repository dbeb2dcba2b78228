// The search query language, parsed into a tree that every catalog backend
// translates into its own index query (storage/sqlite/search_query.h into
// an FTS5 MATCH expression, storage/postgres/search.h into a tsquery). No
// database here.
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
// A term (a word or a quoted phrase) is NormalizeText'ed and cut by the
// index tokenizer (storage/search_tokens.h): it matches a page whose tokens
// contain the term's tokens in a row, i.e. the substring 合同, or the words
// of a phrase next to each other. A negated Chinese term is negated as one
// phrase, never character by character. An operand without letters or
// digits (，) is dropped.
//
// A NOT must sit in an AND with at least one positive operand (合同 NOT
// 乙方): a query of exclusions only would list the whole archive. Errors
// are kInvalidArgument and say where: "search query '合同 OR': OR needs a
// term after it (at character 4)".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dossier::storage {

struct SearchNode {
  enum class Kind { kTerm, kAnd, kOr, kNot };
  Kind kind = Kind::kTerm;
  // kTerm: the term's tokens (ForEachToken of the normalised term), never
  // empty. The page must hold them at consecutive positions.
  std::vector<std::string> tokens;
  size_t pos = 0;  // 1-based character position in the query
  // kAnd, kOr: two or more operands (kNot only under kAnd, next to at least
  // one positive operand); kNot: exactly one.
  std::vector<SearchNode> children;
};

// Parses and checks a user's query. kInvalidArgument naming the query and
// the character position on a syntax error or a query with nothing to
// search for.
Result<SearchNode> ParseSearchQuery(std::string_view user_input);

}  // namespace dossier::storage
