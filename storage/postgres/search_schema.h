// Internal: the search part of the PostgreSQL catalog's schema, its own
// migration entry in storage/postgres/schema.cc (storage/postgres/search.h
// explains the design).
#pragma once

#include <string_view>

namespace dossier::storage::postgres {

// Pages' search tokens, one row per page: a tsvector written by our code
// (storage/search_tokens.h), with a GIN index, and the columns the search
// filters on. fastupdate is off: a GIN pending list is scanned by every
// query until it is merged, which makes query times depend on how recently
// pages were added.
inline constexpr std::string_view kSearchMigration = R"sql(
CREATE TABLE page_search (
  page_id     bigint PRIMARY KEY,
  document_id bigint NOT NULL,
  customer_id bigint NOT NULL,
  type        text NOT NULL,
  status      text NOT NULL,
  tokens      tsvector NOT NULL
);
CREATE INDEX page_search_tokens ON page_search USING gin (tokens)
  WITH (fastupdate = off);
CREATE INDEX page_search_customer ON page_search (customer_id, page_id);
CREATE INDEX page_search_document ON page_search (document_id);
)sql";

}  // namespace dossier::storage::postgres
