// Catalog: full-text search over page text (see search_query.h for how user
// input becomes an FTS5 expression, fts_tokenizer.h for the tokens).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "storage/catalog.h"
#include "storage/catalog_impl.h"
#include "storage/search_query.h"

namespace dossier::storage {
namespace {

constexpr int kMaxLimit = 1000;

// snippet() counts tokens, and a Chinese token is one character: 24 tokens
// give about a dozen characters on each side of the hit, and for Latin text
// about a line.
constexpr int kSnippetTokens = 24;

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

std::string JsonArray(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump();
}

}  // namespace

Result<std::vector<SearchHit>> Catalog::Search(const SearchQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("search limit {} must be between 1 and {}",
                                 query.limit, kMaxLimit));
  }
  auto expression = BuildMatchExpression(query.text);
  if (!expression) return std::unexpected(expression.error());
  for (const std::string* date : {&query.date_from, &query.date_to}) {
    if (!date->empty() && !IsIsoDate(*date)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("search date '{}' must be YYYY-MM-DD", *date));
    }
  }

  const Database& db = impl_->db;
  // Filters become SQL conditions with numbered parameters; values are
  // always bound, never spliced into the SQL text.
  std::vector<std::string> where = {"page_fts MATCH ?1"};
  std::vector<std::string> params = {*expression};
  auto param = [&](std::string value) {
    params.push_back(std::move(value));
    return fmt::format("?{}", params.size());
  };
  if (!query.customer_code.empty()) {
    auto canonical = CanonicalCustomerCode(query.customer_code);
    if (!canonical) return std::unexpected(canonical.error());
    auto customer_id = CustomerIdByCode(db, *canonical);
    if (!customer_id) return std::unexpected(customer_id.error());
    if (query.include_group) {
      where.push_back(fmt::format(
          "d.customer_id IN (WITH RECURSIVE grp(id) AS (SELECT {} UNION "
          "SELECT k.id FROM customers k JOIN grp ON k.parent_id = grp.id) "
          "SELECT id FROM grp)",
          param(std::to_string(*customer_id))));
    } else {
      where.push_back("d.customer_id = " + param(std::to_string(*customer_id)));
    }
  }
  if (query.access.customer_codes) {
    where.push_back("c.code IN (SELECT value FROM json_each(" +
                    param(JsonArray(*query.access.customer_codes)) + "))");
  }
  if (!query.types.empty()) {
    where.push_back("d.type IN (SELECT value FROM json_each(" +
                    param(JsonArray(query.types)) + "))");
  }
  if (!query.statuses.empty()) {
    where.push_back("d.status IN (SELECT value FROM json_each(" +
                    param(JsonArray(query.statuses)) + "))");
  }
  if (!query.date_from.empty() || !query.date_to.empty()) {
    const std::string from = param(query.date_from.empty() ? "0000-00-00"
                                                           : query.date_from);
    const std::string to =
        param(query.date_to.empty() ? "9999-99-99" : query.date_to);
    if (query.date_field.empty()) {
      where.push_back(fmt::format("substr(d.created_at, 1, 10) BETWEEN {} AND {}",
                                  from, to));
    } else {
      where.push_back(fmt::format(
          "EXISTS (SELECT 1 FROM document_fields f WHERE f.document_id = d.id "
          "AND f.name = {} AND f.problem = '' AND f.value BETWEEN {} AND {})",
          param(query.date_field), from, to));
    }
  }
  for (const auto& [name, value] : query.field_equals) {
    where.push_back(fmt::format(
        "EXISTS (SELECT 1 FROM document_fields f WHERE f.document_id = d.id "
        "AND f.name = {} AND f.value = {})",
        param(name), param(value)));
  }
  std::string conditions;
  for (const std::string& w : where) {
    conditions += (conditions.empty() ? "" : " AND ") + w;
  }

  // bm25() is lower for better matches; the hit's score is its negation so
  // that higher is better, as SearchHit promises.
  auto stmt = db.Prepare(
      fmt::format("SELECT d.id, c.code, d.title, d.type, p.number, "
                  "bm25(page_fts) AS rank, "
                  "snippet(page_fts, 0, '[', ']', '…', {}), d.status "
                  "FROM page_fts "
                  "JOIN pages p ON p.id = page_fts.rowid "
                  "JOIN documents d ON d.id = p.document_id "
                  "JOIN customers c ON c.id = d.customer_id "
                  "WHERE {} ORDER BY rank, p.id LIMIT {}",
                  kSnippetTokens, conditions, query.limit),
      "searching for '" + query.text + "'");
  if (!stmt) return std::unexpected(stmt.error());
  for (size_t i = 0; i < params.size(); ++i) {
    stmt->Bind(static_cast<int>(i) + 1, params[i]);
  }

  std::vector<SearchHit> hits;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    SearchHit hit;
    hit.document_id = stmt->ColumnInt64(0);
    hit.display_id = fmt::format("D{:06d}", hit.document_id);
    hit.customer_code = stmt->ColumnText(1);
    hit.title = stmt->ColumnText(2);
    hit.type = stmt->ColumnText(3);
    hit.page_number = stmt->ColumnInt(4);
    hit.score = -stmt->ColumnDouble(5);
    hit.snippet = stmt->ColumnText(6);
    hit.status = stmt->ColumnText(7);
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace dossier::storage
