// A catalog on a PostgreSQL 15 server (docs/deploy.md, "PostgreSQL"):
// the connection pool and the versioned schema the PostgreSQL stores
// (storage/postgres/access.h, ...) live on. Several stations open the same
// database at once; each use case runs in one SERIALIZABLE transaction,
// serialization failures and deadlocks are retried, and a lost connection
// is a kCatalog error naming the server, with nothing half-written
// (storage/postgres/database.h states the contract).
//
// The URL is libpq's: postgresql://user:password@host:port/dbname?... (or
// key=value pairs). Messages name the server as user@host:port/dbname,
// never with the password.
//
// The schema: a schema_version table and migrations applied in order
// (storage/postgres/schema.cc) under an advisory lock, so stations opening
// a new or older database at once migrate it once.
//
// Thread safety: a PgCatalog may be shared by threads (the pool is locked);
// the stores on it follow their interfaces (one per thread).
// REQUIRES: a PgCatalog outlives every store made on it.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier::storage::postgres {

class Database;  // storage/postgres/database.h

struct PoolOptions {
  int pool_size = 4;     // idle connections kept for reuse
  int max_attempts = 8;  // runs of one transaction lost to serialization
  std::chrono::milliseconds first_backoff{2};  // doubled per lost run
  std::chrono::milliseconds max_backoff{250};
  int connect_timeout_s = 10;
};

// True when text has the form of a libpq connection string: a
// postgresql:// or postgres:// URL, or key=value pairs. Nothing is
// connected to.
bool IsConnectionString(std::string_view text);
// user@host:port/dbname of a libpq URL or conninfo string, for messages.
std::string ServerName(const std::string& url);
// The URL with its database name replaced (postgresql:// URLs only).
Result<std::string> WithDatabase(const std::string& url, const std::string& dbname);

// A connection for a client tool (pg_dump, pg_restore): the URL as libpq
// key=value pairs without the password, and the password ('' if the URL
// has none), so no password is ever on a command line.
struct ToolConnection {
  std::string conninfo;
  std::string password;
};
Result<ToolConnection> ForTool(const std::string& url);

// The newest schema version this build writes.
int LatestPgSchemaVersion();

class PgCatalog {
 public:
  // Connects and brings the schema to the latest version (creating it in
  // an empty database). kCatalog naming the server if it cannot be
  // reached; kConflict if the database holds a newer schema than this
  // build knows.
  static Result<std::unique_ptr<PgCatalog>> Open(const std::string& url,
                                                 const PoolOptions& options = {});
  // As Open, for a new archive: kConflict naming the server if the
  // database already holds a catalog (of any version).
  static Result<std::unique_ptr<PgCatalog>> Create(const std::string& url,
                                                   const PoolOptions& options = {});
  ~PgCatalog();

  Result<int> SchemaVersion();
  const std::string& server() const;
  Database& db() { return *db_; }

 private:
  explicit PgCatalog(std::unique_ptr<Database> db);
  std::unique_ptr<Database> db_;
};

// For tests and `dossier init`: create or drop a database on the server of
// `url` (connecting to the database the URL names). Names are
// [a-z0-9_]{1,63}; kInvalidArgument otherwise. Dropping ends the
// database's other connections first and is a no-op if it is absent.
Status CreateDatabase(const std::string& url, const std::string& name);
Status DropDatabase(const std::string& url, const std::string& name);

}  // namespace dossier::storage::postgres
