// Moving an archive's catalog from SQLite to PostgreSQL (`dossier migrate
// --to postgresql://…`, operation archive.migrate; docs/deploy.md,
// "Moving an archive to PostgreSQL").
//
// The copy is made under the SQLite catalog's write lock, into a new empty
// PostgreSQL database, in one transaction (storage/postgres/catalog_load.h),
// and then checked before the archive is switched:
//   - every copied table read back has the same number of rows and the same
//     digest over every value of every row (this covers the history, the
//     access log and the custody events);
//   - the access log's hash chain verifies on PostgreSQL;
//   - every stored file a document names is in the file store and has the
//     checksum the catalog records.
// Only when all hold is the archive switched: DIR/catalog-url names the
// database, and the SQLite catalog is kept as DIR/catalog.sqlite.migrated
// (never deleted). A failed check switches nothing: the archive goes on
// with its SQLite catalog, and the message names the table or file.
//
// Other processes must not use the archive meanwhile (stop `dossier serve`
// and workers): those that try to write wait for the lock and then fail.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/station.h"

namespace dossier::app {

struct MigratedTable {
  std::string table;
  std::int64_t rows = 0;
  std::string sha256;  // the digest, equal on both sides
};

struct MigrateReport {
  std::string server;  // user@host:port/dbname
  std::vector<MigratedTable> tables;
  std::int64_t pages_indexed = 0;
  std::int64_t log_entries = 0;     // whose chain verified on PostgreSQL
  std::int64_t files_checked = 0;   // stored files whose checksum matched
  std::filesystem::path kept_sqlite;  // the SQLite catalog, kept
};

// On success `station` is replaced by the archive opened on PostgreSQL, and
// the migration is logged there (a failure is logged in the SQLite log).
// kConflict if the archive is on PostgreSQL already or the database holds
// a catalog; kCorrupt-like kCatalog naming the first table, entry or file
// whose check failed.
Result<MigrateReport> MigrateToPostgres(std::unique_ptr<Station>& station,
                                        const Caller& caller, const std::string& url);

}  // namespace dossier::app
