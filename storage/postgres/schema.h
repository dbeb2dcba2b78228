// Internal: the PostgreSQL catalog's migrations (storage/postgres/schema.cc).
#pragma once

#include "core/result.h"

namespace dossier::storage::postgres {

class Database;

// 0 for an empty database.
Result<int> ReadSchemaVersion(Database& db);
// Applies every missing migration in one transaction, under an advisory
// lock; kConflict for a schema newer than this build.
Status Migrate(Database& db);

}  // namespace dossier::storage::postgres
