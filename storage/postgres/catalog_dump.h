// Backups of a PostgreSQL catalog with PostgreSQL's own client tools
// (pg_dump and pg_restore, Debian's postgresql-client-15), for
// storage/backup.h: the catalog is dumped in the custom format, and a
// backup is checked by restoring the dump into a scratch database.
//
// The tools are found in /usr/lib/postgresql/<17|16|15>/bin, else on PATH.
// The password never goes on their command line: it is written to an
// owner-only password file (PGPASSFILE) that is removed afterwards. A tool
// that fails is a kCatalog error naming the server (never the password),
// what was being done, and the end of the tool's own message; a tool that
// is not installed is kUnsupported saying which package to install.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace dossier::storage::postgres {

struct DumpedDocument {
  std::string display_id;  // D000012
  std::string status;
  std::string pdf_sha256;
};

// What the dump holds, read in the very snapshot pg_dump dumped (the
// snapshot is exported from a REPEATABLE READ transaction and handed to
// pg_dump --snapshot), so the list of files a backup needs is exactly the
// dump's.
struct CatalogDump {
  int schema_version = 0;
  std::vector<DumpedDocument> documents;
};

// Dumps the catalog at url into file (replaced if present). Writers are
// not blocked.
Result<CatalogDump> DumpCatalog(const std::string& url, const std::filesystem::path& file);

// Restores a dump into the database at url, in one transaction
// (pg_restore --single-transaction --exit-on-error --no-owner
// --no-privileges): all of it or nothing. kConflict naming the server if
// the database already holds a catalog.
Status RestoreCatalog(const std::filesystem::path& file, const std::string& url);

// The SHA-256 of every file a document that is not destroyed names (its
// PDF/A and the files kept with it), for the file-store sweep.
Result<std::set<std::string>> NamedFiles(const std::string& url);

// A new, empty database on the server of server_url (made through the
// database that URL names; its role needs CREATEDB), named
// dossier_check_<random>, for `backup verify`.
struct ScratchDatabase {
  std::string server_url;  // as given
  std::string name;
  std::string url;  // server_url with the scratch database
};
Result<ScratchDatabase> CreateScratchDatabase(const std::string& server_url);
// Drops it, ending its connections first.
Status DropScratchDatabase(const ScratchDatabase& scratch);

}  // namespace dossier::storage::postgres
