#include "storage/schema.h"

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
