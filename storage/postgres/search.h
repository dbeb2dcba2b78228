// Chinese and English full-text search on PostgreSQL 15 (docs/search-bench.md).
//
// Design notes. pg_trgm cannot use its index for 1- and 2-character terms,
// and no Chinese parser (zhparser, pg_jieba, pg_bigm, PGroonga) is in
// Debian. So the tokens are ours, the same as the SQLite index's
// (storage/search_tokens.h): each page's text becomes a tsvector written by
// this code, lexemes = the unigram and colocated bigram tokens with their
// positions (1-based token numbers; a bigram at the position of its first
// character), in a GIN index (storage/postgres/search_schema.h). No text
// search configuration runs on the server: tsvector and tsquery are built as
// text and cast, so no dictionary or stemmer changes a lexeme.
//
// A query is parsed by the shared language (storage/search_syntax.h) and
// written as a tsquery: AND &, OR |, NOT !, and a term of several tokens as
// a phrase of its QueryTermTokens joined by <-> (合同书 -> '合同' <-> '同书',
// 公司abc -> '公司' <-> '司' <-> 'abc'). A 1-character term is its unigram,
// a 2-character term its one bigram. Both match exactly the pages whose
// tokens contain the term's tokens in a row, as on SQLite.
//
// Ranking is bounded as on SQLite (storage/sqlite/catalog_search.cc): the
// newest kCandidates matching pages that pass the filters (highest page id)
// are ranked with ts_rank, and the best `limit` kept (ties: lower page id
// first). Every match is still counted and reachable (MatchingPages).
//
// Limits of tsvector (PostgreSQL's, not ours): positions above 16383 are
// stored as 16383 and a lexeme keeps at most 256 positions, so on a page of
// more than 16383 tokens, or with a token more than 256 times, a phrase
// (<->) may miss occurrences past those limits; single-token terms are
// unaffected. IndexPages reports such pages in `over_limits` of its result.
//
// Thread safety: as PgCatalog's stores; one PgSearchIndex per thread.
// REQUIRES: the PgCatalog outlives the index.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/postgres/catalog.h"

namespace dossier::storage::postgres {

// One page to index. text is NormalizeText'ed (as stored in the catalog).
struct PgPageText {
  std::int64_t page_id = 0;
  std::int64_t document_id = 0;
  std::int64_t customer_id = 0;
  std::string type;    // records::DocumentType name, e.g. "contract"
  std::string status;  // records::DocumentStatus name, e.g. "filed"
  std::string text;
};

// Filters, as on SQLite's SearchQuery: a page passes when its customer is
// one of customer_ids (a customer and, with its group, the group's members,
// resolved by the caller), its type one of types and its status one of
// statuses; an empty list does not filter.
struct PgSearchFilter {
  std::vector<std::int64_t> customer_ids;
  std::vector<std::string> types;
  std::vector<std::string> statuses;
};

struct PgSearchHit {
  std::int64_t page_id = 0;
  std::int64_t document_id = 0;
  double score = 0;  // ts_rank, higher is better
};

struct PgIndexResult {
  std::int64_t pages = 0;
  // Pages beyond tsvector's position limits (see above).
  std::vector<std::int64_t> over_limits;
};

// The tsvector text of a page (for tests and the benchmark's loader).
// over_limits, if not null, is set when the text passes tsvector's limits.
std::string TsVectorText(std::string_view text, bool* over_limits = nullptr);

// The tsquery text of a user's query; kInvalidArgument as
// ParseSearchQuery.
Result<std::string> TsQueryText(std::string_view user_query);

class PgSearchIndex {
 public:
  // Most matching pages that are ranked (see above).
  static constexpr int kCandidates = 1000;
  static constexpr int kMaxLimit = 1000;

  explicit PgSearchIndex(PgCatalog& catalog) : catalog_(catalog) {}

  // Adds or replaces the pages' rows, in one transaction. kInvalidArgument
  // naming the page for an unknown type or status.
  Result<PgIndexResult> IndexPages(const std::vector<PgPageText>& pages);
  Status RemoveDocument(std::int64_t document_id);

  // The best `limit` (1..kMaxLimit) of the newest kCandidates matches.
  Result<std::vector<PgSearchHit>> Search(std::string_view query,
                                          const PgSearchFilter& filter,
                                          int limit);
  // Every matching page id, ascending (recall checks, counts).
  Result<std::vector<std::int64_t>> MatchingPages(std::string_view query,
                                                  const PgSearchFilter& filter);

  // After a bulk load, what autovacuum does after many changes: merges the
  // GIN index's pending list into the tree and gathers the planner's
  // statistics (ANALYZE).
  Status Maintain();

  // Bytes of the table with its TOAST, and of its GIN index (benchmark).
  Result<std::int64_t> TableBytes();
  Result<std::int64_t> IndexBytes();

 private:
  PgCatalog& catalog_;
};

}  // namespace dossier::storage::postgres
