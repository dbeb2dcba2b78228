// The catalog as a file, for backups, their restore test and the file-store
// sweep (storage/backup.h): copying a live catalog, reading what a copy
// holds, checking a restored one, listing the stored files it names. None
// of these opens the file as a Catalog (no configuration, no migrations),
// so an archive of an older schema is copied and read as it is.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace dossier::storage {

// Copies the catalog at src into dest (a new file) with SQLite's online
// backup API: one read snapshot of the source, so writers go on meanwhile
// (WAL). The copy is switched to rollback-journal mode so it is one
// self-contained file; opening it as a catalog switches it back to WAL.
Status CopyCatalogFile(const std::filesystem::path& src,
                       const std::filesystem::path& dest);

// What a catalog copy holds: its schema version and every document's id,
// stored file and status, ordered by id.
struct CatalogFileDocument {
  std::int64_t id = 0;
  std::string display_id;  // D000012
  std::string pdf_sha256;
  std::string status;
};
struct CatalogFileContents {
  int schema_version = 0;
  std::vector<CatalogFileDocument> documents;
};
// Opens the file read-only.
Result<CatalogFileContents> ReadCatalogFile(const std::filesystem::path& path);

// SQLite's integrity_check answer ("ok" when sound) and the problems found
// (integrity, a foreign key pointing at a missing row). An error opening or
// reading the file is the last problem, and stops the check.
struct CatalogFileCheck {
  std::string integrity;
  std::vector<std::string> problems;
  bool complete = false;  // false when an error stopped the check
};
CatalogFileCheck CheckCatalogFile(const std::filesystem::path& path);

// The SHA-256 of every stored file a document not destroyed names: its
// PDF/A and, from schema 9, the files kept with it (original inputs,
// dropped pages).
Result<std::set<std::string>> NamedObjects(const std::filesystem::path& path);

}  // namespace dossier::storage
