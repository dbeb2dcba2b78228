// The shared query tree (storage/search_syntax.h) written as FTS5 text, every
// operand quoted.
#include "storage/sqlite/search_query.h"

#include <string>
#include <vector>

#include "storage/search_syntax.h"
#include "storage/sqlite/fts_tokenizer.h"

namespace dossier::storage {
namespace {

void AppendQuoted(std::string_view token, std::string& out) {
  for (char c : token) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
}

// A term's tokens joined by spaces. In the bigram form a run of CJK tokens
// is written without spaces (see search_query.h).
std::string PhraseOf(const std::vector<std::string>& tokens, MatchForm form) {
  std::string phrase;
  auto part = [&](std::string_view text) {
    if (!phrase.empty()) phrase.push_back(' ');
    AppendQuoted(text, phrase);
  };
  for (size_t i = 0; i < tokens.size();) {
    if (form == MatchForm::kUnigrams || !IsCjkToken(tokens[i])) {
      part(tokens[i++]);
      continue;
    }
    size_t j = i;
    std::string run;
    while (j < tokens.size() && IsCjkToken(tokens[j])) run += tokens[j++];
    part(run);
    if (j - i >= 2 && j < tokens.size()) part(tokens[j - 1]);
    i = j;
  }
  return phrase;
}

// FTS5 has only binary NOT (a NOT b); the parser made sure every NOT sits
// in an AND with at least one positive operand.
void Emit(const SearchNode& node, MatchForm form, std::string& out, bool top) {
  using Kind = SearchNode::Kind;
  switch (node.kind) {
    case Kind::kTerm:
      out += '"' + PhraseOf(node.tokens, form) + '"';
      return;
    case Kind::kNot:  // only under kAnd, handled there
      return;
    case Kind::kOr: {
      if (!top) out += '(';
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += " OR ";
        Emit(node.children[i], form, out, false);
      }
      if (!top) out += ')';
      return;
    }
    case Kind::kAnd: {
      std::vector<const SearchNode*> positive, negative;
      for (const auto& c : node.children) {
        (c.kind == Kind::kNot ? negative : positive).push_back(&c);
      }
      const bool wrap = !top || (!negative.empty() && positive.size() > 1);
      if (!top) out += '(';
      if (wrap && top) out += '(';
      for (size_t i = 0; i < positive.size(); ++i) {
        if (i > 0) out += " AND ";
        Emit(*positive[i], form, out, false);
      }
      if (wrap && top) out += ')';
      for (const SearchNode* n : negative) {
        out += " NOT ";
        Emit(n->children.front(), form, out, false);
      }
      if (!top) out += ')';
      return;
    }
  }
}

}  // namespace

Result<std::string> BuildMatchExpression(std::string_view user_input,
                                         MatchForm form) {
  auto tree = ParseSearchQuery(user_input);
  if (!tree) return std::unexpected(tree.error());
  std::string out;
  Emit(*tree, form, out, true);
  return out;
}

}  // namespace dossier::storage
