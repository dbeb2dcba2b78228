// Query parser: lexer over code points (positions are 1-based character
// numbers, as a user counts them), recursive descent into a small tree,
// then a check of where NOT may stand.
//
//   or   := and ("OR" and)*
//   and  := unary (["AND"] unary)*
//   unary:= ("NOT" | "-") unary | primary
//   primary := "(" or ")" | "\"phrase\"" | word
#include "storage/search_syntax.h"

#include <fmt/format.h>
#include <unicode/uchar.h>

#include <memory>
#include <string>
#include <vector>

#include "core/text.h"
#include "storage/search_tokens.h"

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
  std::vector<std::string> tokens;
  size_t pos = 0;
  std::vector<std::unique_ptr<Node>> children;
};
using NodePtr = std::unique_ptr<Node>;

class Parser {
 public:
  explicit Parser(std::string_view input) : input_(input) {}

  Result<SearchNode> Run() {
    if (auto s = Lex(); !s) return std::unexpected(s.error());
    if (tokens_.size() == 1) return NothingToSearch();
    auto tree = ParseOr();
    if (!tree) return std::unexpected(tree.error());
    if (Peek().kind == Tok::kClose) {
      return Fail(Peek().pos, "')' has no matching '('");
    }
    if (!*tree) return NothingToSearch();
    if (auto s = Check(**tree); !s) return std::unexpected(s.error());
    return Convert(**tree);
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
      auto node = std::make_unique<Node>(Node{Node::kNot, {}, op.pos, {}});
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
        // NormalizeText per term: across terms it would remove the space
        // between two CJK characters and glue them.
        std::vector<std::string> tokens;
        ForEachToken(NormalizeText(t.text),
                     [&](std::string_view token, size_t, size_t) {
                       tokens.emplace_back(token);
                       return 0;
                     });
        if (tokens.empty()) return NodePtr();
        return std::make_unique<Node>(
            Node{Node::kTerm, std::move(tokens), t.pos, {}});
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
    auto node = std::make_unique<Node>(Node{kind, {}, pos, {}});
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    return node;
  }

  // A NOT must sit in an AND with at least one positive operand; checked
  // in the order the query reads.
  Status Check(const Node& node) {
    switch (node.kind) {
      case Node::kTerm:
        return Ok();
      case Node::kNot:
        return Fail(node.pos,
                    "NOT needs a term to exclude from, e.g. 合同 NOT 乙方");
      case Node::kOr:
        for (const auto& c : node.children) {
          if (auto s = Check(*c); !s) return s;
        }
        return Ok();
      case Node::kAnd: {
        const Node* first_negative = nullptr;
        bool positive = false;
        for (const auto& c : node.children) {
          if (c->kind != Node::kNot) positive = true;
          if (c->kind == Node::kNot && !first_negative) first_negative = c.get();
        }
        if (!positive) {
          return Fail(first_negative->pos,
                      "NOT needs a term to exclude from, e.g. 合同 NOT 乙方");
        }
        for (const auto& c : node.children) {
          if (c->kind == Node::kNot) continue;
          if (auto s = Check(*c); !s) return s;
        }
        for (const auto& c : node.children) {
          if (c->kind != Node::kNot) continue;
          if (auto s = Check(*c->children.front()); !s) return s;
        }
        return Ok();
      }
    }
    return Ok();
  }

  static SearchNode Convert(const Node& node) {
    SearchNode out;
    out.kind = node.kind == Node::kTerm  ? SearchNode::Kind::kTerm
               : node.kind == Node::kAnd ? SearchNode::Kind::kAnd
               : node.kind == Node::kOr  ? SearchNode::Kind::kOr
                                         : SearchNode::Kind::kNot;
    out.tokens = node.tokens;
    out.pos = node.pos;
    for (const auto& c : node.children) out.children.push_back(Convert(*c));
    return out;
  }

  std::string_view input_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
  static constexpr int kMaxDepth = 32;
  int depth_ = 0;
};

}  // namespace

Result<SearchNode> ParseSearchQuery(std::string_view user_input) {
  return Parser(user_input).Run();
}

}  // namespace dossier::storage
