#include "storage/sqlite/schema.h"

namespace dossier::storage {

// Migration 9: what capture keeps besides a document's PDF/A file.
//  - document_files: files stored (content-addressed, in objects/) with a
//    document: the original input as received (a scanned PDF) and the image
//    of each page --drop-blank left out, so a reviewer can bring it back.
//  - pages.phash: a perceptual hash of the cleaned page (16 hex digits,
//    capture/page_hash.h), to flag the same page scanned again as a likely
//    duplicate. '' for pages stored before this version.
const std::string_view kSchemaV9Capture = R"sql(
CREATE TABLE document_files (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id),
  role         TEXT NOT NULL CHECK (role IN ('original', 'dropped-page')),
  sha256       TEXT NOT NULL,
  size         INTEGER NOT NULL,
  media_type   TEXT NOT NULL,
  source_file  TEXT NOT NULL,
  source_index INTEGER NOT NULL DEFAULT 0,
  note         TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  UNIQUE (document_id, role, source_file, source_index)
);
CREATE INDEX document_files_document ON document_files(document_id);
CREATE INDEX document_files_sha256 ON document_files(sha256);
ALTER TABLE pages ADD COLUMN phash TEXT NOT NULL DEFAULT '';
CREATE INDEX pages_phash ON pages(phash) WHERE phash <> '';
)sql";

}  // namespace dossier::storage
