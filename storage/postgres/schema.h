// Internal: the PostgreSQL catalog's migrations (storage/postgres/schema.cc).
#pragma once

#include "core/result.h"

namespace dossier::storage::postgres {

class Database;

// 0 for an empty database.
Result<int> ReadSchemaVersion(Database& db);
// Applies every missing migration up to version `up_to` (tests make an
// older catalog with it) in one transaction, under an advisory lock;
// kConflict for a schema newer than this build, and with only_new for any
// schema at all (a new archive must start on a database without one).
Status Migrate(Database& db, int up_to, bool only_new = false);

}  // namespace dossier::storage::postgres
