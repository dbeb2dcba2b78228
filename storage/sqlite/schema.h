// Internal: connection setup and the ordered list of schema migrations.
//
// The schema version lives in PRAGMA user_version. Migration N upgrades a
// database at version N-1; each runs in its own BEGIN IMMEDIATE transaction
// together with the user_version bump, so a crash leaves the database at a
// whole version and another process opening it meanwhile waits, re-reads the
// version and skips what is already done. To change the schema, append a
// Migration to the list in schema.cc; never edit a released one.
#pragma once

#include <span>
#include <string_view>

#include "core/result.h"
#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage {

struct Migration {
  int version;                   // the user_version after this migration
  std::string_view description;  // for error messages
  std::string_view sql;          // one or more statements
  // Run after sql, in the same transaction, for what SQL alone cannot do
  // (e.g. text normalised by ICU); nullptr for none.
  Status (*after)(const Database& db) = nullptr;
};

// The SQL of migrations 2 and 3, each kept with the code that uses it
// (schema_records.cc, schema_custody.cc).
extern const std::string_view kSchemaV2Records;
extern const std::string_view kSchemaV3Custody;
extern const std::string_view kSchemaV4Verification;  // catalog_verification.cc
extern const std::string_view kSchemaV5Access;        // schema_access.cc
extern const std::string_view kSchemaV6Retention;     // schema_retention.cc
extern const std::string_view kSchemaV7Search;        // schema_search.cc
extern const std::string_view kSchemaV8Logins;        // schema_access.cc
extern const std::string_view kSchemaV9Capture;       // schema_capture.cc
extern const std::string_view kSchemaV10SearchMeta;    // schema_search.cc
extern const std::string_view kSchemaV11Queue;         // schema_queue.cc
// Migration 10's second step (catalog_index.cc).
Status FillSearchIndexV10(const Database& db);

// All migrations, versions 1..N in order.
std::span<const Migration> Migrations();
int LatestSchemaVersion();

// Per-connection settings: busy timeout, WAL, foreign keys, synchronous=FULL,
// and the search tokenizer (FTS5 tokenizers are per connection, so this must
// run before any page_fts access on every connection).
Status ConfigureConnection(const Database& db);

// Applies the migrations newer than the database's user_version.
// kUnsupported if the database is newer than the last migration given.
// REQUIRES: migrations are numbered 1..N without gaps, in order.
Status MigrateSchema(const Database& db, std::span<const Migration> migrations);

}  // namespace dossier::storage
