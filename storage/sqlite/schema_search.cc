#include "storage/sqlite/schema.h"

namespace dossier::storage {

// Migration 7: the page index gets CJK bigrams (fts_tokenizer.h), so a
// Chinese word of two or more characters is a phrase of bigrams with short
// doclists instead of a phrase of common single characters. The table is
// recreated with the new tokenizer option and rebuilt from pages.text
// (external content: 'rebuild' reads every page again), then merged into
// one segment. Text, rowids and snippets are unchanged.
const std::string_view kSchemaV7Search = R"sql(
DROP TABLE page_fts;
CREATE VIRTUAL TABLE page_fts USING fts5(
  text, document_id UNINDEXED,
  content = 'pages', content_rowid = 'id',
  tokenize = 'dossier bigrams'
);
INSERT INTO page_fts(page_fts) VALUES ('rebuild');
INSERT INTO page_fts(page_fts) VALUES ('optimize');
)sql";

}  // namespace dossier::storage

namespace dossier::storage {

// Migration 10: the document's metadata (title, customer name and code,
// archive number, original barcodes, field values) in the search index
// beside the page text (catalog_index.cc). documents.search_meta holds the
// indexed line; page_fts gets a third column `meta` and reads its content
// from the view page_search. FillSearchIndexV10 computes every document's
// line and rebuilds the index once.
const std::string_view kSchemaV10SearchMeta = R"sql(
ALTER TABLE documents ADD COLUMN search_meta TEXT NOT NULL DEFAULT '';
DROP TABLE page_fts;
CREATE VIEW page_search AS
  SELECT p.id AS id, p.text AS text, p.document_id AS document_id,
         d.search_meta AS meta
  FROM pages p JOIN documents d ON d.id = p.document_id;
CREATE VIRTUAL TABLE page_fts USING fts5(
  text, document_id UNINDEXED, meta,
  content = 'page_search', content_rowid = 'id',
  tokenize = 'dossier bigrams'
);
)sql";

}  // namespace dossier::storage
