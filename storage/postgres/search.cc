// PgSearchIndex (storage/postgres/search.h): tsvector and tsquery written
// by our code from the shared tokens and query tree.
#include "storage/postgres/search.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "records/vocabulary.h"
#include "storage/postgres/database.h"
#include "storage/search_syntax.h"
#include "storage/search_tokens.h"

namespace dossier::storage::postgres {
namespace {

// tsvector's limits (PostgreSQL's MAXENTRYPOS, MAXNUMPOS).
constexpr size_t kMaxPosition = 16383;
constexpr size_t kMaxPositionsPerLexeme = 256;
// Rows per INSERT when indexing.
constexpr size_t kBatch = 500;

// A lexeme as tsvector/tsquery input reads it: quoted, with a quote and a
// backslash escaped. Our tokens are letters and digits: this never changes one.
void AppendLexeme(std::string_view token, std::string& out) {
  out.push_back('\'');
  for (char c : token) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
}

void EmitTsQuery(const SearchNode& node, std::string& out) {
  using Kind = SearchNode::Kind;
  switch (node.kind) {
    case Kind::kTerm: {
      const std::vector<std::string> tokens = QueryTermTokens(node.tokens);
      if (tokens.size() > 1) out += '(';
      for (size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0) out += " <-> ";
        AppendLexeme(tokens[i], out);
      }
      if (tokens.size() > 1) out += ')';
      return;
    }
    case Kind::kNot:
      out += "!(";
      EmitTsQuery(node.children.front(), out);
      out += ')';
      return;
    case Kind::kAnd:
    case Kind::kOr: {
      out += '(';
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += node.kind == Kind::kAnd ? " & " : " | ";
        EmitTsQuery(node.children[i], out);
      }
      out += ')';
      return;
    }
  }
}

// An element of a PostgreSQL array literal: double-quoted, " and \ escaped.
void AppendArrayElement(std::string_view value, std::string& out) {
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

template <typename T, typename F>
std::string ArrayLiteral(const std::vector<T>& values, F&& element) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendArrayElement(element(values[i]), out);
  }
  out.push_back('}');
  return out;
}

Status CheckFilter(const PgSearchFilter& filter) {
  for (const std::string& t : filter.types) {
    if (auto known = records::ParseDocumentType(t); !known) {
      return std::unexpected(known.error());
    }
  }
  for (const std::string& s : filter.statuses) {
    if (auto known = records::ParseDocumentStatus(s); !known) {
      return std::unexpected(known.error());
    }
  }
  return Ok();
}

// The WHERE clause of a search: $1 is the tsquery; each filter adds one
// bound array parameter.
std::string WhereOf(const PgSearchFilter& filter, std::vector<std::string>& params) {
  std::string where = "tokens @@ $1::tsquery";
  auto param = [&](std::string value) {
    params.push_back(std::move(value));
    return params.size();
  };
  if (!filter.customer_ids.empty()) {
    where += fmt::format(
        " AND customer_id = ANY(${}::bigint[])",
        param(ArrayLiteral(filter.customer_ids,
                           [](std::int64_t id) { return std::to_string(id); })));
  }
  auto same = [](const std::string& s) -> const std::string& { return s; };
  if (!filter.types.empty()) {
    where += fmt::format(" AND type = ANY(${}::text[])",
                         param(ArrayLiteral(filter.types, same)));
  }
  if (!filter.statuses.empty()) {
    where += fmt::format(" AND status = ANY(${}::text[])",
                         param(ArrayLiteral(filter.statuses, same)));
  }
  return where;
}

}  // namespace

std::string TsVectorText(std::string_view text, bool* over_limits) {
  // Lexemes in first-seen order with their 1-based positions.
  std::unordered_map<std::string, size_t> index;
  std::vector<std::pair<std::string, std::vector<size_t>>> lexemes;
  bool over = false;
  ForEachIndexToken(text, [&](std::string_view token, size_t position, bool,
                              size_t, size_t) {
    auto [it, added] = index.try_emplace(std::string(token), lexemes.size());
    if (added) lexemes.emplace_back(std::string(token), std::vector<size_t>());
    auto& positions = lexemes[it->second].second;
    if (position + 1 > kMaxPosition ||
        positions.size() >= kMaxPositionsPerLexeme) {
      over = true;
    }
    if (positions.size() < kMaxPositionsPerLexeme) {
      positions.push_back(std::min(position + 1, kMaxPosition));
    }
    return 0;
  });
  std::string out;
  for (const auto& [lexeme, positions] : lexemes) {
    if (!out.empty()) out.push_back(' ');
    AppendLexeme(lexeme, out);
    for (size_t i = 0; i < positions.size(); ++i) {
      out += i == 0 ? ':' : ',';
      out += std::to_string(positions[i]);
    }
  }
  if (over_limits != nullptr) *over_limits = over;
  return out;
}

Result<std::string> TsQueryText(std::string_view user_query) {
  auto tree = ParseSearchQuery(user_query);
  if (!tree) return std::unexpected(tree.error());
  std::string out;
  EmitTsQuery(*tree, out);
  return out;
}

Result<PgIndexResult> PgSearchIndex::IndexPages(
    const std::vector<PgPageText>& pages) {
  PgIndexResult result;
  std::vector<std::string> vectors;
  vectors.reserve(pages.size());
  for (const PgPageText& page : pages) {
    if (auto known = records::ParseDocumentType(page.type); !known) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("indexing page {}: {}", page.page_id,
                                   known.error().message));
    }
    if (auto known = records::ParseDocumentStatus(page.status); !known) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("indexing page {}: {}", page.page_id,
                                   known.error().message));
    }
    bool over = false;
    vectors.push_back(TsVectorText(page.text, &over));
    if (over) result.over_limits.push_back(page.page_id);
  }
  result.pages = static_cast<std::int64_t>(pages.size());
  auto s = catalog_.db().Transact(
      fmt::format("indexing {} pages for search", pages.size()),
      [&](Tx& tx) -> Status {
        for (size_t begin = 0; begin < pages.size(); begin += kBatch) {
          const size_t end = std::min(pages.size(), begin + kBatch);
          std::vector<std::int64_t> ids, documents, customers;
          std::vector<std::string> types, statuses, tokens;
          for (size_t i = begin; i < end; ++i) {
            ids.push_back(pages[i].page_id);
            documents.push_back(pages[i].document_id);
            customers.push_back(pages[i].customer_id);
            types.push_back(pages[i].type);
            statuses.push_back(pages[i].status);
            tokens.push_back(vectors[i]);
          }
          auto number = [](std::int64_t v) { return std::to_string(v); };
          auto same = [](const std::string& v) -> const std::string& { return v; };
          tx.raw().exec_params(
              "INSERT INTO page_search (page_id, document_id, customer_id, "
              "type, status, tokens) SELECT * FROM unnest($1::bigint[], "
              "$2::bigint[], $3::bigint[], $4::text[], $5::text[], "
              "$6::tsvector[]) ON CONFLICT (page_id) DO UPDATE SET "
              "document_id = excluded.document_id, customer_id = "
              "excluded.customer_id, type = excluded.type, status = "
              "excluded.status, tokens = excluded.tokens",
              ArrayLiteral(ids, number), ArrayLiteral(documents, number),
              ArrayLiteral(customers, number), ArrayLiteral(types, same),
              ArrayLiteral(statuses, same), ArrayLiteral(tokens, same));
        }
        return Ok();
      });
  if (!s) return std::unexpected(s.error());
  return result;
}

Status PgSearchIndex::RemoveDocument(std::int64_t document_id) {
  return catalog_.db().Transact(
      fmt::format("removing document {} from search", document_id),
      [&](Tx& tx) -> Status {
        tx.raw().exec_params("DELETE FROM page_search WHERE document_id = $1",
                             document_id);
        return Ok();
      });
}

Result<std::vector<PgSearchHit>> PgSearchIndex::Search(
    std::string_view query, const PgSearchFilter& filter, int limit) {
  if (limit < 1 || limit > kMaxLimit) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("search limit {} must be between 1 and {}",
                                 limit, kMaxLimit));
  }
  auto tsquery = TsQueryText(query);
  if (!tsquery) return std::unexpected(tsquery.error());
  if (auto s = CheckFilter(filter); !s) return std::unexpected(s.error());
  std::vector<std::string> params = {*tsquery};
  const std::string where = WhereOf(filter, params);
  // The candidates first (newest matches), then ts_rank over them only.
  const std::string sql = fmt::format(
      "SELECT page_id, document_id, ts_rank(tokens, $1::tsquery) AS score "
      "FROM (SELECT page_id, document_id, tokens FROM page_search WHERE {} "
      "ORDER BY page_id DESC LIMIT {}) candidates "
      "ORDER BY score DESC, page_id LIMIT {}",
      where, std::max(kCandidates, limit), limit);
  return catalog_.db().Transact(
      fmt::format("searching for '{}'", query),
      [&](Tx& tx) -> Result<std::vector<PgSearchHit>> {
        auto rows = tx.raw().exec_params(sql, pqxx::prepare::make_dynamic_params(params));
        std::vector<PgSearchHit> hits;
        hits.reserve(rows.size());
        for (const auto& row : rows) {
          hits.push_back({Int(row[0]), Int(row[1]), row[2].as<double>()});
        }
        return hits;
      });
}

Result<std::vector<std::int64_t>> PgSearchIndex::MatchingPages(
    std::string_view query, const PgSearchFilter& filter) {
  auto tsquery = TsQueryText(query);
  if (!tsquery) return std::unexpected(tsquery.error());
  if (auto s = CheckFilter(filter); !s) return std::unexpected(s.error());
  std::vector<std::string> params = {*tsquery};
  const std::string sql = fmt::format(
      "SELECT page_id FROM page_search WHERE {} ORDER BY page_id",
      WhereOf(filter, params));
  return catalog_.db().Transact(
      fmt::format("listing the pages that match '{}'", query),
      [&](Tx& tx) -> Result<std::vector<std::int64_t>> {
        auto rows = tx.raw().exec_params(sql, pqxx::prepare::make_dynamic_params(params));
        std::vector<std::int64_t> ids;
        ids.reserve(rows.size());
        for (const auto& row : rows) ids.push_back(Int(row[0]));
        return ids;
      });
}

Status PgSearchIndex::Maintain() {
  return catalog_.db().Transact("maintaining the search index",
                                [](Tx& tx) -> Status {
    tx.Run("SELECT gin_clean_pending_list('page_search_tokens')");
    tx.Run("ANALYZE page_search");
    return Ok();
  });
}

Result<std::int64_t> PgSearchIndex::TableBytes() {
  return catalog_.db().Transact("measuring the search table",
                                [](Tx& tx) -> Result<std::int64_t> {
    return Int(tx.Run("SELECT pg_table_size('page_search')")[0][0]);
  });
}

Result<std::int64_t> PgSearchIndex::IndexBytes() {
  return catalog_.db().Transact("measuring the search index",
                                [](Tx& tx) -> Result<std::int64_t> {
    return Int(tx.Run("SELECT pg_relation_size('page_search_tokens')")[0][0]);
  });
}

}  // namespace dossier::storage::postgres
