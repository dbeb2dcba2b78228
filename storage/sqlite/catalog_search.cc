// Catalog: full-text search over page text (see search_query.h for how user
// input becomes an FTS5 expression, fts_tokenizer.h for the tokens).
//
// Design notes. A common term (合, 合同, invoice) matches most pages, and
// anything that looks at every match (ranking all of them, bm25()'s
// document-frequency pass) grows with the archive. So a search runs in three
// steps, each bounded:
//   1. Candidates: the newest kCandidates pages (highest rowid; never fewer
//      than the limit) that match and pass the filters. FTS5 yields rowids
//      in order, so ORDER BY rowid DESC LIMIT stops early; or, when the
//      customer filters leave few pages (at most kCustomerPagesScan), those
//      pages are the outer loop and each is checked against the index.
//   2. Ranking: dossier_rank() (BM25 without the IDF walk, fts_tokenizer.h)
//      over the candidates only; the best `limit` are kept, ties newest
//      last (page id ascending), as before.
//   3. Hits: page, document and customer columns and the snippet for those
//      few, one indexed lookup each (MATCH with rowid = ?).
// Since schema 9 a row also carries its document's metadata (column meta,
// catalog_index.cc). dossier_text_hits() tells the candidates that match in
// the page text from those that match only by metadata; of the latter, one
// per document is kept, and none for a document that has text matches.
// Recall is unchanged: every matching page is a candidate when there are at
// most kCandidates of them; beyond that the ranking is within the newest
// kCandidates, which is the documented trade-off (docs/search-bench.md).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "records/vocabulary.h"
#include "storage/sqlite/catalog.h"
#include "core/json_text.h"
#include "storage/sqlite/catalog_impl.h"
#include "storage/sqlite/fts_tokenizer.h"
#include "storage/sqlite/search_query.h"

namespace dossier::storage {
namespace {

constexpr int kMaxLimit = 1000;

// Step 1 above: how many matching pages are ranked.
constexpr int kCandidates = 1000;
// Customer filters that leave at most this many pages drive the query from
// the pages (one index probe each) instead of from the index's doclists.
constexpr int kCustomerPagesScan = 5000;

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
  return DumpJson(nlohmann::json(values));
}

}  // namespace

Result<std::vector<SearchHit>> Catalog::Search(const SearchQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("search limit {} must be between 1 and {}",
                                 query.limit, kMaxLimit));
  }
  auto expression = BuildMatchExpression(query.text, MatchForm::kBigrams);
  if (!expression) return std::unexpected(expression.error());
  auto highlight = BuildMatchExpression(query.text, MatchForm::kUnigrams);
  if (!highlight) return std::unexpected(highlight.error());
  for (const std::string* date : {&query.date_from, &query.date_to}) {
    if (!date->empty() && !IsIsoDate(*date)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("search date '{}' must be YYYY-MM-DD", *date));
    }
  }

  const Database& db = impl_->db;
  // Filters become SQL conditions with numbered parameters; values are
  // always bound, never spliced into the SQL text. ?1 is the MATCH
  // expression (unused by the page count below).
  std::vector<std::string> where;
  std::vector<std::string> params = {*expression};
  auto param = [&](std::string value) {
    params.push_back(std::move(value));
    return fmt::format("?{}", params.size());
  };
  bool by_customer = false;
  if (!query.customer_code.empty()) {
    auto canonical = CanonicalCustomerCode(query.customer_code);
    if (!canonical) return std::unexpected(canonical.error());
    auto customer_id = CustomerIdByCode(db, *canonical);
    if (!customer_id) return std::unexpected(customer_id.error());
    by_customer = true;
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
    by_customer = true;
    where.push_back("c.code IN (SELECT value FROM json_each(" +
                    param(JsonArray(*query.access.customer_codes)) + "))");
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
  std::string filters;
  for (const std::string& w : where) filters += " AND " + w;
  const std::string what = "searching for '" + query.text + "'";
  auto bind_all = [&](Statement& stmt) {
    for (size_t i = 0; i < params.size(); ++i) {
      stmt.Bind(static_cast<int>(i) + 1, params[i]);
    }
  };

  // Step 1: which plan. Counting the filtered pages stops at the threshold,
  // and the customer filters use the documents_customer index.
  bool from_pages = false;
  if (by_customer) {
    auto count = db.Prepare(
        fmt::format("SELECT count(*) FROM (SELECT 1 FROM documents d "
                    "JOIN customers c ON c.id = d.customer_id "
                    "JOIN pages p ON p.document_id = d.id "
                    "WHERE ?1 IS NOT NULL{} LIMIT {})",
                    filters, kCustomerPagesScan + 1),
        what);
    if (!count) return std::unexpected(count.error());
    bind_all(*count);
    auto row = count->Step();
    if (!row) return std::unexpected(row.error());
    from_pages = *row && count->ColumnInt64(0) <= kCustomerPagesScan;
  }
  const int candidates = std::max(kCandidates, query.limit);
  // CROSS JOIN keeps page_fts the inner loop (SQLite does not reorder it).
  auto select = db.Prepare(
      from_pages
          ? fmt::format("SELECT p.id, {}(page_fts), {}(page_fts) "
                        "FROM documents d "
                        "JOIN customers c ON c.id = d.customer_id "
                        "JOIN pages p ON p.document_id = d.id "
                        "CROSS JOIN page_fts "
                        "WHERE page_fts.rowid = p.id AND page_fts MATCH ?1{} "
                        "ORDER BY p.id DESC LIMIT {}",
                        kRankFunctionName, kTextHitsFunctionName, filters,
                        candidates)
      : where.empty()
          // No filters: every indexed page has its document (foreign keys),
          // so the joins would only cost lookups.
          ? fmt::format("SELECT rowid, {}(page_fts), {}(page_fts) "
                        "FROM page_fts "
                        "WHERE page_fts MATCH ?1 ORDER BY rowid DESC LIMIT {}",
                        kRankFunctionName, kTextHitsFunctionName, candidates)
          : fmt::format("SELECT page_fts.rowid, {}(page_fts), {}(page_fts) "
                        "FROM page_fts "
                        "JOIN pages p ON p.id = page_fts.rowid "
                        "JOIN documents d ON d.id = p.document_id "
                        "JOIN customers c ON c.id = d.customer_id "
                        "WHERE page_fts MATCH ?1{} "
                        "ORDER BY page_fts.rowid DESC LIMIT {}",
                        kRankFunctionName, kTextHitsFunctionName, filters,
                        candidates),
      what);
  if (!select) return std::unexpected(select.error());
  bind_all(*select);
  struct Candidate {
    std::int64_t page_id;
    double score;
    bool in_text;  // some query term is in the page text, not only in meta
  };
  std::vector<Candidate> ranked;
  std::vector<Candidate> meta_only;
  while (true) {
    auto row = select->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    Candidate c{select->ColumnInt64(0), select->ColumnDouble(1),
                select->ColumnInt64(2) > 0};
    (c.in_text ? ranked : meta_only).push_back(c);
  }
  // Every page of a document carries its metadata: a document found by its
  // metadata alone is one hit (its first page among the candidates), not
  // one per page; a document with pages that match by their text gives
  // those pages only.
  if (!meta_only.empty()) {
    auto document_of = db.Prepare(
        "SELECT document_id FROM pages WHERE id = ?1", what);
    if (!document_of) return std::unexpected(document_of.error());
    auto lookup = [&](std::int64_t page_id) -> Result<std::int64_t> {
      document_of->Reset();
      document_of->Bind(1, page_id);
      auto row = document_of->Step();
      if (!row) return std::unexpected(row.error());
      return *row ? document_of->ColumnInt64(0) : 0;
    };
    std::set<std::int64_t> by_text;
    for (const Candidate& c : ranked) {
      auto document = lookup(c.page_id);
      if (!document) return std::unexpected(document.error());
      by_text.insert(*document);
    }
    std::map<std::int64_t, Candidate> first_page;
    for (const Candidate& c : meta_only) {
      auto document = lookup(c.page_id);
      if (!document) return std::unexpected(document.error());
      if (*document == 0 || by_text.contains(*document)) continue;
      auto [it, added] = first_page.emplace(*document, c);
      if (!added && c.page_id < it->second.page_id) it->second = c;
    }
    for (const auto& [document, c] : first_page) ranked.push_back(c);
  }

  // Step 2: the best `limit` of them.
  auto better = [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.page_id < b.page_id;
  };
  const size_t keep = std::min(ranked.size(), static_cast<size_t>(query.limit));
  std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(),
                    better);
  ranked.resize(keep);

  // Step 3: the hits. The snippet uses the unigram form of the expression,
  // which matches the same pages, so that the marks cover whole characters
  // (search_query.h). Only the snippet shown is made (?3: of the text,
  // else of the metadata): each one tokenizes its whole column again.
  auto detail = db.Prepare(
      fmt::format("SELECT d.id, c.code, d.title, d.type, p.number, d.status, "
                  "CASE WHEN ?3 THEN snippet(page_fts, 0, '[', ']', '…', {0}) "
                  "ELSE snippet(page_fts, 2, '[', ']', '…', {0}) END "
                  "FROM page_fts "
                  "JOIN pages p ON p.id = page_fts.rowid "
                  "JOIN documents d ON d.id = p.document_id "
                  "JOIN customers c ON c.id = d.customer_id "
                  "WHERE page_fts MATCH ?1 AND page_fts.rowid = ?2",
                  kSnippetTokens),
      what);
  if (!detail) return std::unexpected(detail.error());
  std::vector<SearchHit> hits;
  hits.reserve(ranked.size());
  for (const Candidate& candidate : ranked) {
    detail->Reset();
    detail->Bind(1, *highlight).Bind(2, candidate.page_id)
        .Bind(3, candidate.in_text ? 1 : 0);
    auto row = detail->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) {
      return MakeError(ErrorCode::kInternal,
                       fmt::format("{}: page {} matched the bigram index but "
                                   "not the highlight expression",
                                   what, candidate.page_id));
    }
    SearchHit hit;
    hit.document_id = detail->ColumnInt64(0);
    hit.display_id = fmt::format("D{:06d}", hit.document_id);
    hit.customer_code = detail->ColumnText(1);
    hit.title = detail->ColumnText(2);
    hit.type = detail->ColumnText(3);
    hit.page_number = detail->ColumnInt(4);
    hit.status = detail->ColumnText(5);
    hit.matched = candidate.in_text ? "text" : "metadata";
    hit.snippet = detail->ColumnText(6);
    hit.score = candidate.score;
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace dossier::storage
