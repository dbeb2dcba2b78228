// The PostgreSQL catalog's schema: migrations in order, each run once in
// the transaction that records its version (storage/postgres/catalog.h).
// The tables mirror the SQLite catalog's (storage/sqlite/schema*.cc) with
// PostgreSQL's types: identity keys, times as ISO 8601 UTC text (the
// stores compare them as text, as on SQLite), JSON as jsonb only where the
// server need not keep the exact bytes.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "storage/postgres/database.h"
#include "storage/postgres/schema.h"
#include "storage/postgres/custody_schema.h"
#include "storage/postgres/queue_schema.h"
#include "storage/postgres/records_schema.h"
#include "storage/postgres/retention_schema.h"
#include "storage/postgres/search_schema.h"

namespace dossier::storage::postgres {
namespace {

// Version 1: what every store shares (settings, history) and access:
// the archive identity, users, roles, sessions, failed logins and the
// hash-chained access log (docs/access.md).
constexpr std::string_view kV1Access = R"sql(
CREATE TABLE settings (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  section    text NOT NULL UNIQUE,
  value      text NOT NULL,
  updated_at text NOT NULL,
  updated_by text NOT NULL
);

CREATE TABLE history (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name text NOT NULL,
  record_id  bigint NOT NULL,
  field      text NOT NULL,
  old_value  text,
  new_value  text,
  actor      text NOT NULL,
  at         text NOT NULL
);
CREATE INDEX history_record ON history (table_name, record_id);
CREATE INDEX history_at ON history (at);

-- Refuses a change to a table that is append-only or never loses rows.
CREATE FUNCTION dossier_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$;

-- One row: the archive's random identity and the public half of the key
-- that signs exported access logs (the secret half is in a 0600 file).
CREATE TABLE access_identity (
  id          integer PRIMARY KEY CHECK (id = 1),
  archive_id  text NOT NULL,
  sign_public text NOT NULL DEFAULT ''
);
INSERT INTO access_identity (id, archive_id)
  VALUES (1, md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text));
CREATE TRIGGER access_identity_no_delete BEFORE DELETE ON access_identity
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('the archive identity may not be deleted');

-- Users are never deleted, only disabled, so names in the log stay unique.
CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    text NOT NULL,
  created_by    text NOT NULL
);
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('users may not be deleted; disable them');

CREATE TABLE user_roles (
  user_id    bigint NOT NULL REFERENCES users (id),
  role       text NOT NULL CHECK (role IN ('scanner', 'clerk', 'reviewer',
                 'archivist', 'records-manager', 'auditor', 'admin')),
  granted_at text NOT NULL,
  granted_by text NOT NULL,
  PRIMARY KEY (user_id, role)
);

-- Only the SHA-256 of a session token is stored.
CREATE TABLE sessions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id),
  token_sha256 text NOT NULL UNIQUE,
  created_at   text NOT NULL,
  expires_at   text NOT NULL,
  ended_at     text
);

-- Failed logins in a row per claimed name, and per station (' station').
CREATE TABLE login_failures (
  name      text PRIMARY KEY,
  failures  bigint NOT NULL CHECK (failures >= 0),
  last_at   text NOT NULL,
  locked_at text
);

-- The access log: append-only, hash-chained. Never pruned.
CREATE TABLE access_log (
  seq       bigint PRIMARY KEY CHECK (seq >= 1),
  at        text NOT NULL,
  actor     text NOT NULL,
  command   text NOT NULL,
  args      text NOT NULL,
  records   text NOT NULL,
  outcome   text NOT NULL,
  detail    text NOT NULL,
  prev_hash text NOT NULL,
  hash      text NOT NULL
);
CREATE INDEX access_log_actor ON access_log (actor);
CREATE INDEX access_log_at ON access_log (at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('the access log is append-only');
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_refuse('the access log is append-only');
)sql";

// Version 2: pages' search tokens (storage/postgres/search_schema.h).
// Version 3: the records (storage/postgres/records_schema.h).
// Version 4: custody (storage/postgres/custody_schema.h).
// Version 5: retention and destruction (storage/postgres/retention_schema.h).
// Version 6: the work queue (storage/postgres/queue_schema.h).
// Version 7: kept files unique per source (storage/postgres/records_schema.h).
constexpr std::array<std::string_view, 7> kMigrations = {
    kV1Access,         kSearchMigration,    kRecordsMigration,
    kCustodyMigration, kRetentionMigration, kQueueMigration,
    kDocumentFilesMigration};

// Any constant: the advisory lock key of migrations ("dossier" in ASCII).
constexpr std::int64_t kMigrationLock = 0x646f7373696572;

}  // namespace

int LatestPgSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Result<int> ReadSchemaVersion(Database& db) {
  return db.Transact("reading the schema version", [](Tx& tx) -> Result<int> {
    auto exists = tx.Run(
        "SELECT to_regclass('schema_version') IS NOT NULL");
    if (!exists[0][0].as<bool>()) return 0;
    auto r = tx.Run("SELECT coalesce(max(version), 0) FROM schema_version");
    return r[0][0].as<int>();
  });
}

Status Migrate(Database& db, int up_to, bool only_new) {
  up_to = std::min(up_to, LatestPgSchemaVersion());
  return db.Transact("migrating the catalog schema", [up_to, only_new,
                                                      &db](Tx& tx) -> Status {
    // Stations opening one database at once: the first migrates, the
    // others wait here and then find nothing to do.
    tx.Run(fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLock));
    tx.Run("CREATE TABLE IF NOT EXISTS schema_version ("
           "version integer PRIMARY KEY, applied_at text NOT NULL)");
    auto r = tx.Run("SELECT coalesce(max(version), 0) FROM schema_version");
    const int current = r[0][0].as<int>();
    if (only_new && current > 0) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{} already holds a dossier catalog (schema "
                                   "version {}): a further station opens the "
                                   "archive folder that names it, it does not "
                                   "init it again",
                                   db.server(), current));
    }
    if (current > LatestPgSchemaVersion()) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("the catalog's schema is version {}, newer "
                                   "than this program knows ({}): use a newer "
                                   "dossier",
                                   current, LatestPgSchemaVersion()));
    }
    for (int v = current + 1; v <= up_to; ++v) {
      tx.Run(std::string(kMigrations[v - 1]));
      tx.Run(fmt::format(
          "INSERT INTO schema_version (version, applied_at) VALUES ({}, "
          "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
          v));
    }
    return Ok();
  });
}

}  // namespace dossier::storage::postgres
