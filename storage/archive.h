// Archive: a folder holding one catalog and one file store.
//
//   DIR/catalog.sqlite     SQLite catalog (see catalog.h), the default; or
//   DIR/catalog-url        the libpq URL of a PostgreSQL catalog
//                          (storage/postgres/catalog.h), one line, shared
//                          by every station that mounts the folder
//                          (docs/deploy.md, "Several stations")
//   DIR/objects/           content-addressed PDFs (see file_store.h)
//   DIR/dossier-archive    marker file with the format version
//   DIR/log-signing.key    Ed25519 key that signs exported logs (access.h)
//
// The archive is readable by its owner alone: the folder and every folder
// in it 0700, every file 0600 (docs/access.md). Init and Open set the
// process's umask to 077 (RestrictNewFiles), so every later write keeps
// that whatever the caller's umask: stored objects, SQLite's -wal, -shm and
// -journal files, backups, reports and session files.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "storage/postgres/catalog.h"
#include "storage/sqlite/catalog.h"
#include "storage/file_store.h"

namespace dossier::storage {

namespace postgres {
class PgRecords;
}  // namespace postgres

// Sets the process's umask to 077: files and folders created from now on
// are for their owner alone. The one place the program's file modes are
// decided; called by Archive::Init, Archive::Open, Backup and restore.
void RestrictNewFiles();

// Folders in the archive wider than 0700 and files wider than 0600, each
// "PATH is mode 0644, should be 0600"; empty when all are owner-only.
std::vector<std::string> ArchiveModeProblems(const std::filesystem::path& dir);

// The archive folder to use: explicit if given, else $DOSSIER_ARCHIVE,
// else ./archive.
std::filesystem::path ResolveArchiveDir(
    const std::optional<std::filesystem::path>& explicit_dir);

// The PostgreSQL URL of the archive in dir (its catalog-url file, one
// line), without connecting. kNotFound when the archive has no catalog-url
// (its catalog is SQLite); kConflict when it also has catalog.sqlite;
// kCatalog when the file holds no PostgreSQL URL.
Result<std::string> ReadCatalogUrl(const std::filesystem::path& dir,
                                   Env* env = Env::Default());

// The marker, the objects/ folder and every stored file are read and
// written through env (core/env.h); the catalog is SQLite's own business.
// REQUIRES: env is not null and outlives the Archive; not owned.
class Archive {
 public:
  // Creates a new archive in dir (created if missing, must be empty of a
  // previous archive) with an SQLite catalog. kConflict if an archive is
  // already there.
  static Result<std::unique_ptr<Archive>> Init(const std::filesystem::path& dir,
                                               Env* env = Env::Default());
  // Creates a new archive in dir whose catalog is the PostgreSQL database
  // at url. The database must not hold a catalog yet (kConflict naming the
  // server otherwise: a further station opens the folder, it does not init
  // it); it is given the schema. kCatalog naming the server if it cannot
  // be reached; nothing is left in dir then.
  static Result<std::unique_ptr<Archive>> InitPostgres(
      const std::filesystem::path& dir, const std::string& url,
      Env* env = Env::Default());
  // Opens an existing archive, on whichever catalog it has; kNotFound with
  // a hint to run `dossier init`.
  static Result<std::unique_ptr<Archive>> Open(const std::filesystem::path& dir,
                                               Env* env = Env::Default());
  ~Archive();

  const std::filesystem::path& dir() const { return dir_; }
  // The records store: what every use case and the pipeline work with.
  RecordsStore& records() { return *records_; }
  // Which catalog the archive has.
  bool on_postgres() const { return pg_ != nullptr; }
  // Where the catalog is, for messages: its file, or user@host:port/db.
  std::string catalog_location() const;
  // The SQLite catalog itself, for what only SQLite does (its backups,
  // package import, and the SQLite tests).
  // REQUIRES: !on_postgres().
  Catalog& catalog() { return *sqlite_; }
  // The SQLite catalog, or null on PostgreSQL.
  Catalog* sqlite() { return sqlite_.get(); }
  // The PostgreSQL catalog the other stores are made on, or null on SQLite.
  postgres::PgCatalog* postgres() { return pg_.get(); }
  FileStore& files() { return files_; }

 private:
  Archive(std::filesystem::path dir, std::unique_ptr<Catalog> catalog,
          Env* env);
  Archive(std::filesystem::path dir, std::unique_ptr<postgres::PgCatalog> pg,
          Env* env);
  std::filesystem::path dir_;
  std::unique_ptr<Catalog> sqlite_;
  std::unique_ptr<postgres::PgCatalog> pg_;
  std::unique_ptr<postgres::PgRecords> pg_records_;
  RecordsStore* records_ = nullptr;
  FileStore files_;
};

}  // namespace dossier::storage
