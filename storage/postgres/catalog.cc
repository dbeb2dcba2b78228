// PgCatalog (storage/postgres/catalog.h): a connection pool and a schema.
#include "storage/postgres/catalog.h"

#include "storage/postgres/database.h"
#include "storage/postgres/schema.h"

namespace dossier::storage::postgres {

PgCatalog::PgCatalog(std::unique_ptr<Database> db) : db_(std::move(db)) {}
PgCatalog::~PgCatalog() = default;

Result<std::unique_ptr<PgCatalog>> PgCatalog::Open(const std::string& url,
                                                   const PoolOptions& options) {
  auto db = Database::Connect(url, options);
  if (!db) return std::unexpected(db.error());
  if (auto s = Migrate(**db, LatestPgSchemaVersion()); !s) return std::unexpected(s.error());
  return std::unique_ptr<PgCatalog>(new PgCatalog(std::move(*db)));
}

Result<std::unique_ptr<PgCatalog>> PgCatalog::Create(const std::string& url,
                                                     const PoolOptions& options) {
  auto db = Database::Connect(url, options);
  if (!db) return std::unexpected(db.error());
  if (auto s = Migrate(**db, LatestPgSchemaVersion(), /*only_new=*/true); !s) {
    return std::unexpected(s.error());
  }
  return std::unique_ptr<PgCatalog>(new PgCatalog(std::move(*db)));
}

Result<int> PgCatalog::SchemaVersion() { return ReadSchemaVersion(*db_); }

const std::string& PgCatalog::server() const { return db_->server(); }

}  // namespace dossier::storage::postgres
