// PgRecords::Search (storage/postgres/records.h): the records' search on
// the PostgreSQL search index (storage/postgres/search.h).
//
// Design notes. A page's page_search row holds its text's tokens at weight
// D and its document's metadata line at weight B (ReindexDocument), so one
// query may match words of the page and of the metadata together, as the
// SQLite index's two columns do. The query is TsQueryText of the shared
// language. Steps, bounded as on SQLite (storage/sqlite/catalog_search.cc):
//   1. Candidates: the newest kCandidates matching pages (highest page id)
//      that pass the filters, each with ts_rank and whether a positive term
//      is in the page text (the same terms restricted to weight D).
//   2. A document found by its metadata alone is one hit (its first page
//      among the candidates), none if it has text hits; the best `limit`
//      are kept, ties by page id ascending.
//   3. Hits: the page's document, customer and number, and a snippet: about
//      kSnippetTokens tokens around the first match in the page text (or
//      in the metadata line for a metadata hit), each match marked [ ].
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "records/vocabulary.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records.h"
#include "storage/postgres/records_internal.h"
#include "storage/postgres/search.h"
#include "storage/search_syntax.h"
#include "storage/search_tokens.h"

namespace dossier::storage::postgres {
namespace {

constexpr int kMaxLimit = 1000;
constexpr int kCandidates = 1000;
constexpr int kSnippetTokens = 24;
// ts_rank's weights for {D, C, B, A}: the page text counts most.
constexpr std::string_view kRankWeights = "{1.0, 0.1, 0.2, 0.1}";

const Sql kHitDetail{"records.hit_detail",
                     "SELECT d.id, c.code, d.title, d.type, p.number, d.status, "
                     "p.text, d.search_meta FROM pages p "
                     "JOIN documents d ON d.id = p.document_id "
                     "JOIN customers c ON c.id = d.customer_id WHERE p.id = $1"};

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// A PostgreSQL array literal of text values: each double-quoted, with "
// and the backslash escaped.
std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

// The terms that must or may be on a page (not under NOT), as their tokens.
void PositiveTerms(const SearchNode& node, std::vector<std::vector<std::string>>& out) {
  switch (node.kind) {
    case SearchNode::Kind::kTerm:
      out.push_back(node.tokens);
      return;
    case SearchNode::Kind::kNot:
      return;
    case SearchNode::Kind::kAnd:
    case SearchNode::Kind::kOr:
      for (const SearchNode& child : node.children) PositiveTerms(child, out);
      return;
  }
}

// A tsquery that matches when any positive term is in the page text
// (weight D), each term as the phrase of its index tokens.
std::string TextHitQuery(const std::vector<std::vector<std::string>>& terms) {
  std::string out;
  for (const auto& term : terms) {
    if (!out.empty()) out += " | ";
    const std::vector<std::string> tokens = QueryTermTokens(term);
    out += '(';
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0) out += " <-> ";
      out += '\'';
      for (char c : tokens[i]) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
      }
      out += "':D";
    }
    out += ')';
  }
  return out;
}

// About kSnippetTokens tokens of text around its first match of a term,
// every match in them marked [ ], '…' where text was left out.
std::string Snippet(std::string_view text,
                    const std::vector<std::vector<std::string>>& terms) {
  struct Token {
    std::string text;
    size_t start, end;
  };
  std::vector<Token> tokens;
  ForEachToken(text, [&](std::string_view token, size_t start, size_t end) {
    tokens.push_back({std::string(token), start, end});
    return 0;
  });
  if (tokens.empty()) return std::string();
  // reach[i]: one past the last token of the longest match starting at i
  // (0 for none); a phrase is marked as one span.
  std::vector<size_t> reach(tokens.size(), 0);
  size_t first = tokens.size();
  for (size_t i = 0; i < tokens.size(); ++i) {
    for (const auto& term : terms) {
      if (term.empty() || i + term.size() > tokens.size()) continue;
      bool match = true;
      for (size_t k = 0; k < term.size() && match; ++k) {
        match = tokens[i + k].text == term[k];
      }
      if (!match) continue;
      reach[i] = std::max(reach[i], i + term.size());
      first = std::min(first, i);
    }
  }
  if (first == tokens.size()) first = 0;
  const size_t lead = kSnippetTokens / 3;
  size_t begin = first > lead ? first - lead : 0;
  const size_t end = std::min(tokens.size(), begin + kSnippetTokens);
  if (end - begin < static_cast<size_t>(kSnippetTokens)) {
    begin = end > static_cast<size_t>(kSnippetTokens) ? end - kSnippetTokens : 0;
  }
  std::string out;
  if (begin > 0) out += "…";
  size_t at = tokens[begin].start;
  size_t open_until = 0;  // one past the last token of the open span
  bool open = false;
  for (size_t i = begin; i < end; ++i) {
    out.append(text.substr(at, tokens[i].start - at));
    if (reach[i] > 0 && !open) {
      out += '[';
      open = true;
    }
    open_until = std::max(open_until, reach[i]);
    out.append(text.substr(tokens[i].start, tokens[i].end - tokens[i].start));
    at = tokens[i].end;
    if (open && (i + 1 >= open_until || i + 1 == end)) {
      // A match that touches this one (CJK characters) continues the mark.
      const bool joins = i + 1 < end && reach[i + 1] > 0 &&
                         tokens[i + 1].start == tokens[i].end;
      if (!joins) {
        out += ']';
        open = false;
      }
    }
  }
  if (end < tokens.size()) out += "…";
  return out;
}

}  // namespace

Result<std::vector<SearchHit>> PgRecords::Search(const SearchQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("search limit {} must be between 1 and {}",
                                 query.limit, kMaxLimit));
  }
  auto tree = ParseSearchQuery(query.text);
  if (!tree) return std::unexpected(tree.error());
  auto tsquery = TsQueryText(query.text);
  if (!tsquery) return std::unexpected(tsquery.error());
  std::vector<std::vector<std::string>> terms;
  PositiveTerms(*tree, terms);
  for (const std::string* date : {&query.date_from, &query.date_to}) {
    if (!date->empty() && !IsIsoDate(*date)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("search date '{}' must be YYYY-MM-DD", *date));
    }
  }
  // Unknown names are an error, not a filter that quietly matches nothing.
  for (const std::string& t : query.types) {
    if (auto known = records::ParseDocumentType(t); !known) {
      return std::unexpected(known.error());
    }
  }
  for (const std::string& s : query.statuses) {
    if (auto known = records::ParseDocumentStatus(s); !known) {
      return std::unexpected(known.error());
    }
  }
  std::string customer_code;
  if (!query.customer_code.empty()) {
    auto canonical = CanonicalCustomerCode(query.customer_code);
    if (!canonical) return std::unexpected(canonical.error());
    customer_code = *canonical;
  }
  const std::string what = "searching for '" + query.text + "'";
  return catalog_.db().Transact(what, [&](Tx& tx) -> Result<std::vector<SearchHit>> {
    // Filters become conditions on numbered parameters; values are always
    // bound, never spliced into the SQL text.
    std::vector<std::string> params = {*tsquery, TextHitQuery(terms)};
    auto param = [&](std::string value) {
      params.push_back(std::move(value));
      return fmt::format("${}", params.size());
    };
    std::string where = "s.tokens @@ $1::tsquery";
    if (!customer_code.empty()) {
      auto customer_id = CustomerIdByCode(tx, customer_code);
      if (!customer_id) return std::unexpected(customer_id.error());
      const std::string id = param(std::to_string(*customer_id));
      if (query.include_group) {
        where += fmt::format(
            " AND s.customer_id IN (WITH RECURSIVE grp(id) AS (SELECT {}::bigint "
            "UNION SELECT k.id FROM customers k JOIN grp ON k.parent_id = grp.id) "
            "SELECT id FROM grp)",
            id);
      } else {
        where += fmt::format(" AND s.customer_id = {}::bigint", id);
      }
    }
    if (query.access.customer_codes) {
      where += fmt::format(
          " AND s.customer_id IN (SELECT id FROM customers WHERE code = "
          "ANY({}::text[]))",
          param(TextArray(*query.access.customer_codes)));
    }
    if (!query.types.empty()) {
      where += fmt::format(" AND s.type = ANY({}::text[])", param(TextArray(query.types)));
    }
    if (!query.statuses.empty()) {
      where += fmt::format(" AND s.status = ANY({}::text[])",
                           param(TextArray(query.statuses)));
    }
    if (!query.date_from.empty() || !query.date_to.empty()) {
      const std::string from =
          param(query.date_from.empty() ? "0000-00-00" : query.date_from);
      const std::string to = param(query.date_to.empty() ? "9999-99-99" : query.date_to);
      if (query.date_field.empty()) {
        where += fmt::format(
            " AND EXISTS (SELECT 1 FROM documents d WHERE d.id = s.document_id "
            "AND substr(d.created_at, 1, 10) COLLATE \"C\" BETWEEN {} AND {})",
            from, to);
      } else {
        where += fmt::format(
            " AND EXISTS (SELECT 1 FROM document_fields f WHERE f.document_id = "
            "s.document_id AND f.name = {} AND f.problem = '' AND f.value "
            "COLLATE \"C\" BETWEEN {} AND {})",
            param(query.date_field), from, to);
      }
    }
    for (const auto& [name, value] : query.field_equals) {
      where += fmt::format(
          " AND EXISTS (SELECT 1 FROM document_fields f WHERE f.document_id = "
          "s.document_id AND f.name = {} AND f.value = {})",
          param(name), param(value));
    }
    const std::string sql = fmt::format(
        "SELECT s.page_id, s.document_id, ts_rank('{}'::float4[], s.tokens, "
        "$1::tsquery), s.tokens @@ $2::tsquery FROM page_search s WHERE {} "
        "ORDER BY s.page_id DESC LIMIT {}",
        kRankWeights, where, std::max(kCandidates, query.limit));
    struct Candidate {
      std::int64_t page_id;
      std::int64_t document_id;
      double score;
      bool in_text;
    };
    std::vector<Candidate> ranked, meta_only;
    for (const auto& row :
         tx.raw().exec_params(sql, pqxx::prepare::make_dynamic_params(params))) {
      Candidate c{Int(row[0]), Int(row[1]), row[2].as<double>(), row[3].as<bool>()};
      (c.in_text ? ranked : meta_only).push_back(c);
    }
    std::set<std::int64_t> by_text;
    for (const Candidate& c : ranked) by_text.insert(c.document_id);
    std::map<std::int64_t, Candidate> first_page;
    for (const Candidate& c : meta_only) {
      if (by_text.contains(c.document_id)) continue;
      auto [it, added] = first_page.emplace(c.document_id, c);
      if (!added && c.page_id < it->second.page_id) it->second = c;
    }
    for (const auto& [document, c] : first_page) ranked.push_back(c);
    auto better = [](const Candidate& a, const Candidate& b) {
      return a.score != b.score ? a.score > b.score : a.page_id < b.page_id;
    };
    const size_t keep = std::min(ranked.size(), static_cast<size_t>(query.limit));
    std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(), better);
    ranked.resize(keep);

    std::vector<SearchHit> hits;
    hits.reserve(ranked.size());
    for (const Candidate& c : ranked) {
      auto rows = tx.Exec(kHitDetail, c.page_id);
      if (rows.empty()) continue;
      const auto& row = rows[0];
      SearchHit hit;
      hit.document_id = Int(row[0]);
      hit.display_id = DisplayId(hit.document_id);
      hit.customer_code = Text(row[1]);
      hit.title = Text(row[2]);
      hit.type = Text(row[3]);
      hit.page_number = static_cast<int>(Int(row[4]));
      hit.status = Text(row[5]);
      hit.matched = c.in_text ? "text" : "metadata";
      hit.snippet = Snippet(Text(row[c.in_text ? 6 : 7]), terms);
      hit.score = c.score;
      hits.push_back(std::move(hit));
    }
    return hits;
  });
}

}  // namespace dossier::storage::postgres
