// Catalog: full-text search over page text (see search_query.h for how user
// input becomes an FTS5 expression, fts_tokenizer.h for the tokens).
#include <fmt/format.h>

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

}  // namespace

Result<std::vector<SearchHit>> Catalog::Search(const SearchQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("search limit {} must be between 1 and {}",
                                 query.limit, kMaxLimit));
  }
  auto expression = BuildMatchExpression(query.text);
  if (!expression) return std::unexpected(expression.error());

  const Database& db = impl_->db;
  std::string code;
  if (!query.customer_code.empty()) {
    auto canonical = CanonicalCustomerCode(query.customer_code);
    if (!canonical) return std::unexpected(canonical.error());
    auto customer_id = CustomerIdByCode(db, *canonical);
    if (!customer_id) return std::unexpected(customer_id.error());
    code = *canonical;
  }

  // bm25() is lower for better matches; the hit's score is its negation so
  // that higher is better, as SearchHit promises.
  auto stmt = db.Prepare(
      fmt::format("SELECT d.id, c.code, d.title, d.type, p.number, "
                  "bm25(page_fts) AS rank, "
                  "snippet(page_fts, 0, '[', ']', '…', {}) "
                  "FROM page_fts "
                  "JOIN pages p ON p.id = page_fts.rowid "
                  "JOIN documents d ON d.id = p.document_id "
                  "JOIN customers c ON c.id = d.customer_id "
                  "WHERE page_fts MATCH ?1 AND (?2 = '' OR c.code = ?2) "
                  "ORDER BY rank, p.id LIMIT ?3",
                  kSnippetTokens),
      "searching for '" + query.text + "'");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, *expression).Bind(2, code).Bind(3, query.limit);

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
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace dossier::storage
