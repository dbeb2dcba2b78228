#include "storage/sqlite/schema.h"

namespace dossier::storage {

// Migration 5: users, roles, sessions and the access log. See
// docs/access.md. An archive upgraded from an older version has no users:
// it is an open station until the first admin is added.
const std::string_view kSchemaV5Access = R"sql(
-- One row: the archive's random identity (names session files) and the key
-- pair that signs exported access logs (created on first export).
CREATE TABLE access_identity (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  archive_id  TEXT NOT NULL,
  sign_public TEXT NOT NULL DEFAULT '',
  sign_secret TEXT NOT NULL DEFAULT ''
);
INSERT INTO access_identity (id, archive_id) VALUES (1, lower(hex(randomblob(16))));
CREATE TRIGGER access_identity_no_delete BEFORE DELETE ON access_identity
BEGIN
  SELECT RAISE(ABORT, 'the archive identity may not be deleted');
END;

-- Users are never deleted, only disabled, so names in the log stay unique.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,            -- libsodium crypto_pwhash_str (argon2id)
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL
);
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
  SELECT RAISE(ABORT, 'users may not be deleted; disable them');
END;

CREATE TABLE user_roles (
  user_id    INTEGER NOT NULL REFERENCES users(id),
  role       TEXT NOT NULL CHECK (role IN ('scanner', 'clerk', 'reviewer',
                 'archivist', 'records-manager', 'auditor', 'admin')),
  granted_at TEXT NOT NULL,
  granted_by TEXT NOT NULL,
  PRIMARY KEY (user_id, role)
);

-- Only the SHA-256 of a session token is stored.
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  ended_at     TEXT
);

-- The access log: append-only, hash-chained (docs/access.md). Never pruned,
-- also not when documents are destroyed.
CREATE TABLE access_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  command   TEXT NOT NULL,
  args      TEXT NOT NULL,   -- JSON array of arguments, secrets redacted
  records   TEXT NOT NULL,   -- space-separated record ids the command named
  outcome   TEXT NOT NULL,   -- ok | error:<code> | denied
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX access_log_actor ON access_log(actor);
CREATE INDEX access_log_at ON access_log(at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
  SELECT RAISE(ABORT, 'the access log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
  SELECT RAISE(ABORT, 'the access log is append-only');
END;
)sql";

// Migration 8: failed logins in a row per claimed name (known or not, so a
// lockout tells nothing about which names exist) and per station (the row
// named ' station', which no user name can be: names have no spaces).
const std::string_view kSchemaV8Logins = R"sql(
CREATE TABLE login_failures (
  name      TEXT PRIMARY KEY,
  failures  INTEGER NOT NULL CHECK (failures >= 0),
  last_at   TEXT NOT NULL,
  locked_at TEXT
);
)sql";

}  // namespace dossier::storage
