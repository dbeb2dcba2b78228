// Query parser: lexer over code points (positions are 1-based character
// numbers, as a user counts them), recursive descent into a small tree,
// then FTS5 text with every operand quoted.
//
//   or   := and ("OR" and)*
//   and  := unary (["AND"] unary)*
//   unary:= ("NOT" | "-") unary | primary
//   primary := "(" or ")" | "\"phrase\"" | word
#include "storage/sqlite/search_query.h"

#include <fmt/format.h>
#include <unicode/uchar.h>

#include <memory>
#include <string>
#include <vector>

#include "core/text.h"
#include "storage/sqlite/fts_tokenizer.h"

namespace dossier::storage {
namespace {

enum class Tok { kWord, kPhrase, kAnd, kOr, kNot, kOpen, kClose, kEnd };

struct Token {
  Tok kind;
  std::string text;  // for words and phrases
  size_t pos = 0;    // 1-based character position
};

struct Node {
  enum Kind { kTerm, kAnd, kOr, kNot } kind;
  std::string phrase;  // FTS5 phrase body (tokens joined by spaces)
  size_t pos = 0;
  std::vector<std::unique_ptr<Node>> children;
};
using NodePtr = std::unique_ptr<Node>;

void AppendQuoted(std::string_view token, std::string& out) {
  for (char c : token) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
}

// Tokens of one term joined by spaces; NormalizeText per term, because it
// removes the space between two CJK characters and would glue terms. In the
// bigram form a run of CJK tokens is written without spaces (see
// search_query.h).
std::string PhraseOf(std::string_view term, MatchForm form) {
  std::vector<std::string> tokens;
  ForEachToken(NormalizeText(term), [&](std::string_view token, size_t, size_t) {
    tokens.emplace_back(token);
    return 0;
  });
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

class Parser {
 public:
  Parser(std::string_view input, MatchForm form) : input_(input), form_(form) {}

  Result<std::string> Run() {
    if (auto s = Lex(); !s) return std::unexpected(s.error());
    if (tokens_.size() == 1) return NothingToSearch();
    auto tree = ParseOr();
    if (!tree) return std::unexpected(tree.error());
    if (Peek().kind == Tok::kClose) {
      return Fail(Peek().pos, "')' has no matching '('");
    }
    if (!*tree) return NothingToSearch();
    std::string out;
    if (auto s = Emit(**tree, out, true); !s) return std::unexpected(s.error());
    return out;
  }

 private:
  std::unexpected<Error> NothingToSearch() const {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("search query '{}' has no letters or digits "
                                 "to search for",
                                 input_));
  }

  std::unexpected<Error> Fail(size_t pos, std::string_view what) const {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("search query '{}': {} (at character {})",
                                 input_, what, pos));
  }

  Status Lex() {
    std::u32string s = DecodeUtf8(input_);
    size_t i = 0;
    auto is_space = [](char32_t c) {
      return u_isUWhiteSpace(static_cast<UChar32>(c)) != 0;
    };
    while (i < s.size()) {
      char32_t c = s[i];
      const size_t pos = i + 1;
      if (is_space(c)) {
        ++i;
      } else if (c == '(' || c == U'（') {
        tokens_.push_back({Tok::kOpen, "", pos});
        ++i;
      } else if (c == ')' || c == U'）') {
        tokens_.push_back({Tok::kClose, "", pos});
        ++i;
      } else if (c == '"' || c == U'“' || c == U'”') {
        size_t j = i + 1;
        while (j < s.size() && s[j] != '"' && s[j] != U'“' && s[j] != U'”') ++j;
        if (j >= s.size()) return Fail(pos, "the quote is never closed");
        tokens_.push_back(
            {Tok::kPhrase, EncodeUtf8(s.substr(i + 1, j - i - 1)), pos});
        i = j + 1;
      } else if (c == '-' && i + 1 < s.size() && !is_space(s[i + 1]) &&
                 s[i + 1] != ')' &&
                 (tokens_.empty() || i == 0 || is_space(s[i - 1]) ||
                  s[i - 1] == '(')) {
        tokens_.push_back({Tok::kNot, "", pos});
        ++i;
      } else {
        size_t j = i;
        while (j < s.size() && !is_space(s[j]) && s[j] != '(' && s[j] != ')' &&
               s[j] != U'（' && s[j] != U'）' && s[j] != '"' && s[j] != U'“' &&
               s[j] != U'”') {
          ++j;
        }
        std::string word = EncodeUtf8(s.substr(i, j - i));
        Tok kind = Tok::kWord;
        if (word == "AND") kind = Tok::kAnd;
        if (word == "OR") kind = Tok::kOr;
        if (word == "NOT") kind = Tok::kNot;
        tokens_.push_back({kind, word, pos});
        i = j;
      }
    }
    tokens_.push_back({Tok::kEnd, "", s.size() + 1});
    return Ok();
  }

  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_++]; }

  static bool StartsOperand(Tok t) {
    return t == Tok::kWord || t == Tok::kPhrase || t == Tok::kOpen ||
           t == Tok::kNot;
  }

  // A null node is an operand without searchable characters (e.g. "，").
  Result<NodePtr> ParseOr() {
    auto left = ParseAnd();
    if (!left) return left;
    NodePtr node = std::move(*left);
    while (Peek().kind == Tok::kOr) {
      const Token op = Take();
      if (!StartsOperand(Peek().kind)) {
        return Fail(op.pos, "OR needs a term after it");
      }
      auto right = ParseAnd();
      if (!right) return right;
      node = Combine(Node::kOr, std::move(node), std::move(*right), op.pos);
    }
    return node;
  }

  Result<NodePtr> ParseAnd() {
    if (Peek().kind == Tok::kOr || Peek().kind == Tok::kAnd) {
      return Fail(Peek().pos, fmt::format("{} needs a term before it",
                                          Peek().kind == Tok::kOr ? "OR" : "AND"));
    }
    auto left = ParseUnary();
    if (!left) return left;
    NodePtr node = std::move(*left);
    while (true) {
      size_t pos = Peek().pos;
      if (Peek().kind == Tok::kAnd) {
        const Token op = Take();
        if (!StartsOperand(Peek().kind)) {
          return Fail(op.pos, "AND needs a term after it");
        }
      } else if (!StartsOperand(Peek().kind)) {
        break;
      }
      auto right = ParseUnary();
      if (!right) return right;
      node = Combine(Node::kAnd, std::move(node), std::move(*right), pos);
    }
    return node;
  }

  Result<NodePtr> ParseUnary() {
    if (Peek().kind == Tok::kNot) {
      const Token op = Take();
      if (!StartsOperand(Peek().kind) || Peek().kind == Tok::kNot) {
        return Fail(op.pos, "NOT needs a term after it");
      }
      auto operand = ParseUnary();
      if (!operand) return operand;
      if (!*operand) return NodePtr();
      auto node = std::make_unique<Node>(Node{Node::kNot, "", op.pos, {}});
      node->children.push_back(std::move(*operand));
      return node;
    }
    return ParsePrimary();
  }

  Result<NodePtr> ParsePrimary() {
    const Token t = Take();
    switch (t.kind) {
      case Tok::kOpen: {
        if (Peek().kind == Tok::kClose) return Fail(t.pos, "'()' is empty");
        // Each level recurses; a hostile query of thousands of '(' would
        // overflow the stack.
        if (depth_ >= kMaxDepth) {
          return Fail(t.pos, "parentheses are nested too deeply");
        }
        ++depth_;
        auto inner = ParseOr();
        --depth_;
        if (!inner) return inner;
        if (Peek().kind != Tok::kClose) {
          return Fail(t.pos, "'(' is never closed");
        }
        Take();
        return inner;
      }
      case Tok::kWord:
      case Tok::kPhrase: {
        std::string phrase = PhraseOf(t.text, form_);
        if (phrase.empty()) return NodePtr();
        return std::make_unique<Node>(Node{Node::kTerm, phrase, t.pos, {}});
      }
      case Tok::kClose:
        return Fail(t.pos, "')' has no matching '('");
      default:
        return Fail(t.pos, "a term is missing here");
    }
  }

  static NodePtr Combine(Node::Kind kind, NodePtr left, NodePtr right,
                         size_t pos) {
    if (!left) return right;
    if (!right) return left;
    if (left->kind == kind) {
      left->children.push_back(std::move(right));
      return left;
    }
    auto node = std::make_unique<Node>(Node{kind, "", pos, {}});
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    return node;
  }

  // FTS5 has only binary NOT (a NOT b), so a NOT must sit in an AND with at
  // least one positive operand.
  Status Emit(const Node& node, std::string& out, bool top) {
    switch (node.kind) {
      case Node::kTerm:
        out += '"' + node.phrase + '"';
        return Ok();
      case Node::kNot:
        return Fail(node.pos,
                    "NOT needs a term to exclude from, e.g. 合同 NOT 乙方");
      case Node::kOr: {
        if (!top) out += '(';
        for (size_t i = 0; i < node.children.size(); ++i) {
          if (i > 0) out += " OR ";
          if (auto s = Emit(*node.children[i], out, false); !s) return s;
        }
        if (!top) out += ')';
        return Ok();
      }
      case Node::kAnd: {
        std::vector<const Node*> positive, negative;
        for (const auto& c : node.children) {
          (c->kind == Node::kNot ? negative : positive).push_back(c.get());
        }
        if (positive.empty()) {
          return Fail(negative.front()->pos,
                      "NOT needs a term to exclude from, e.g. 合同 NOT 乙方");
        }
        const bool wrap = !top || (!negative.empty() && positive.size() > 1);
        if (!top) out += '(';
        if (wrap && top) out += '(';
        for (size_t i = 0; i < positive.size(); ++i) {
          if (i > 0) out += " AND ";
          if (auto s = Emit(*positive[i], out, false); !s) return s;
        }
        if (wrap && top) out += ')';
        for (const Node* n : negative) {
          out += " NOT ";
          if (auto s = Emit(*n->children.front(), out, false); !s) return s;
        }
        if (!top) out += ')';
        return Ok();
      }
    }
    return Ok();
  }

  std::string_view input_;
  MatchForm form_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
  static constexpr int kMaxDepth = 32;
  int depth_ = 0;
};

}  // namespace

Result<std::string> BuildMatchExpression(std::string_view user_input,
                                         MatchForm form) {
  return Parser(user_input, form).Run();
}

}  // namespace dossier::storage
