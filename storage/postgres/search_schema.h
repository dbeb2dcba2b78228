// Internal: the search part of the PostgreSQL catalog's schema, its own
// migration entry in storage/postgres/schema.cc (storage/postgres/search.h
// explains the design).
#pragma once

#include <string_view>

namespace dossier::storage::postgres {

// Pages' search tokens, one row per page: a tsvector written by our code
// (storage/search_tokens.h), with a GIN index, and the columns the search
// filters on. GIN's fastupdate stays on (the default): a page adds some
// hundreds of lexemes, and inserting each into the tree at once made
// indexing about ten times slower than the pending list, which autovacuum
// (or PgSearchIndex::Maintain) merges in bulk.
inline constexpr std::string_view kSearchMigration = R"sql(
CREATE TABLE page_search (
  page_id     bigint PRIMARY KEY,
  document_id bigint NOT NULL,
  customer_id bigint NOT NULL,
  type        text NOT NULL,
  status      text NOT NULL,
  tokens      tsvector NOT NULL
);
CREATE INDEX page_search_tokens ON page_search USING gin (tokens);
CREATE INDEX page_search_customer ON page_search (customer_id, page_id);
CREATE INDEX page_search_document ON page_search (document_id);
)sql";

}  // namespace dossier::storage::postgres
