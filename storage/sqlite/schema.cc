#include "storage/sqlite/schema.h"

#include <fmt/format.h>

#include <array>

#include "storage/sqlite/fts_tokenizer.h"

namespace dossier::storage {
namespace {

constexpr int kBusyTimeoutMs = 10'000;

// Version 1: customers, coding-rule sequence, documents, pages, OCR words,
// change history and the page search index. See docs/catalog.md.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE customers (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  year       INTEGER NOT NULL,
  sequence   INTEGER NOT NULL,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('company', 'person')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (year, sequence)
);

-- Last customer sequence issued per year. Rows only ever grow, so a code
-- is never issued twice even if its customer were removed.
CREATE TABLE code_sequence (
  year          INTEGER PRIMARY KEY,
  last_sequence INTEGER NOT NULL CHECK (last_sequence >= 0)
);
CREATE TRIGGER code_sequence_no_decrease
BEFORE UPDATE OF last_sequence ON code_sequence
WHEN NEW.last_sequence < OLD.last_sequence
BEGIN
  SELECT RAISE(ABORT, 'customer code sequence may not decrease');
END;
CREATE TRIGGER code_sequence_no_delete
BEFORE DELETE ON code_sequence
BEGIN
  SELECT RAISE(ABORT, 'customer code sequence may not be deleted');
END;

CREATE TABLE documents (
  id              INTEGER PRIMARY KEY,
  customer_id     INTEGER NOT NULL REFERENCES customers(id),
  type            TEXT NOT NULL CHECK (type IN ('contract', 'form', 'id-copy',
                                                'correspondence', 'other')),
  title           TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending',
  pdf_sha256      TEXT NOT NULL,
  pdf_size        INTEGER NOT NULL,
  page_count      INTEGER NOT NULL,
  mean_confidence REAL NOT NULL,
  source_key      TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  warnings        TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX documents_customer ON documents(customer_id);
CREATE UNIQUE INDEX documents_source_key
  ON documents(customer_id, source_key) WHERE source_key <> '';

CREATE TABLE pages (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id),
  number       INTEGER NOT NULL,
  source_file  TEXT NOT NULL,
  source_index INTEGER NOT NULL,
  width        INTEGER NOT NULL,
  height       INTEGER NOT NULL,
  dpi          REAL NOT NULL,
  rotation     INTEGER NOT NULL,
  skew         REAL NOT NULL,
  confidence   REAL NOT NULL,
  text         TEXT NOT NULL,
  UNIQUE (document_id, number)
);

-- All OCR words of a page as one JSON array; see docs/catalog.md.
CREATE TABLE words (
  page_id    INTEGER PRIMARY KEY REFERENCES pages(id),
  word_count INTEGER NOT NULL,
  data       TEXT NOT NULL
);

CREATE TABLE history (
  id         INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  record_id  INTEGER NOT NULL,
  field      TEXT NOT NULL,
  old_value  TEXT,
  new_value  TEXT,
  actor      TEXT NOT NULL,
  at         TEXT NOT NULL
);
CREATE INDEX history_record ON history(table_name, record_id);

-- External-content index over pages.text: the text is stored once, in
-- pages, and snippet() reads it from there. rowid = pages.id.
CREATE VIRTUAL TABLE page_fts USING fts5(
  text, document_id UNINDEXED,
  content = 'pages', content_rowid = 'id',
  tokenize = 'dossier'
);
)sql";

}  // namespace

std::span<const Migration> Migrations() {
  static const std::array kMigrations = {
      Migration{1, "create the catalog", kSchemaV1},
      Migration{2, "customer files: groups, contacts, fields, review",
                kSchemaV2Records},
      Migration{3, "paper originals: locations, custody, loans, audits",
                kSchemaV3Custody},
      Migration{4, "fixity and PDF/A verification log", kSchemaV4Verification},
      Migration{5, "users, roles, sessions and the access log", kSchemaV5Access},
      Migration{6, "retention, legal holds and destruction", kSchemaV6Retention},
      Migration{7, "CJK bigrams in the page search index", kSchemaV7Search},
      Migration{8, "failed logins and lockouts", kSchemaV8Logins},
      Migration{9, "original inputs, dropped pages and page hashes",
                kSchemaV9Capture},
      Migration{10, "document metadata in the search index",
                kSchemaV10SearchMeta, FillSearchIndexV10},
      Migration{11, "the work queue of dossier worker", kSchemaV11Queue},
  };
  return kMigrations;
}

int LatestSchemaVersion() { return Migrations().back().version; }

Status ConfigureConnection(const Database& db) {
  // The busy timeout first: switching to WAL needs a lock another process
  // may hold.
  if (auto s = db.SetBusyTimeout(std::chrono::milliseconds(kBusyTimeoutMs)); !s) {
    return s;
  }
  auto mode = db.Prepare("PRAGMA journal_mode = WAL", "enabling WAL mode");
  if (!mode) return std::unexpected(mode.error());
  auto row = mode->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row || mode->ColumnText(0) != "wal") {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("catalog {}: the file system does not "
                                 "support WAL mode",
                                 db.path()));
  }
  mode->Reset();
  if (auto s = db.Exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;",
                       "configuring the connection");
      !s) {
    return s;
  }
  if (auto s = RegisterTokenizer(db.get()); !s) {
    return MakeError(
        ErrorCode::kCatalog,
        fmt::format("catalog {}: {}", db.path(), s.error().message));
  }
  return Ok();
}

Status MigrateSchema(const Database& db,
                     std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return MakeError(ErrorCode::kInternal,
                       "schema migrations are not numbered 1..N in order");
    }
  }
  const int latest = static_cast<int>(migrations.size());
  auto version =
      db.QueryInt("PRAGMA user_version", "reading the schema version");
  if (!version) return std::unexpected(version.error());
  if (*version > latest) {
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("catalog {}: schema version {} is newer than "
                                 "this program knows ({}); upgrade dossier",
                                 db.path(), *version, latest));
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= *version) continue;
    std::string what = fmt::format("migrating the schema to version {} ({})",
                                   migration.version, migration.description);
    auto tx = Transaction::Begin(db, what);
    if (!tx) return std::unexpected(tx.error());
    // Another process may have migrated while we waited for the lock.
    auto current = db.QueryInt("PRAGMA user_version", what);
    if (!current) return std::unexpected(current.error());
    if (*current >= migration.version) {
      *version = *current;
      continue;  // the transaction rolls back: nothing was written
    }
    if (auto s = db.Exec(migration.sql, what); !s) return s;
    if (migration.after != nullptr) {
      if (auto s = migration.after(db); !s) return s;
    }
    if (auto s = db.Exec(
            fmt::format("PRAGMA user_version = {}", migration.version), what);
        !s) {
      return s;
    }
    if (auto s = tx->Commit(); !s) return s;
    *version = migration.version;
  }
  return Ok();
}

}  // namespace dossier::storage
