// Filling an empty PostgreSQL catalog from another backend's tables
// (`dossier migrate`, app/migrate.h), and reading it back to check the copy.
//
// LoadCatalog copies, in one transaction, every table of the PostgreSQL
// schema that the source has, in foreign-key order, with the source's ids:
//   - a source table or column with no place here is an error naming it,
//     and nothing is written (only the old in-catalog signing key is left
//     out: stations keep it in the key file, storage/access_secrets.h);
//   - what PostgreSQL derives is made again from the copied rows: the
//     search index (page_search, with each document's metadata), the
//     custody counters, and the identity sequences, so the next id issued
//     follows the copied ones;
//   - the schema's own first rows (the archive's identity) are replaced by
//     the source's, so the access log's hash chain stays valid.
// Each table's digest is computed from the source's rows as they are
// copied and, by DigestCatalog, from the rows read back: equal digests mean
// the same values in every column of every row (booleans, numbers and JSON
// compared by value, text and bytes exactly).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/postgres/catalog.h"
#include "storage/table_source.h"

namespace dossier::storage::postgres {

struct TableDigest {
  std::string table;
  std::vector<std::string> columns;  // those copied
  std::int64_t rows = 0;
  std::string sha256;  // over the normalised rows, in primary-key order
};

struct LoadReport {
  std::vector<TableDigest> tables;  // as read from the source
  std::int64_t pages_indexed = 0;
};

// REQUIRES: the catalog is new (PgCatalog::Create): its tables are empty
// apart from the schema's own first rows. kConflict if it holds documents,
// customers or log entries.
Result<LoadReport> LoadCatalog(PgCatalog& catalog, TableSource& source);

// The digests of the tables LoadCatalog copied (their copied columns), as
// the catalog holds them now.
Result<std::vector<TableDigest>> DigestCatalog(PgCatalog& catalog,
                                               const std::vector<TableDigest>& copied);

}  // namespace dossier::storage::postgres
