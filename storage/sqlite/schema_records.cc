#include "storage/sqlite/schema.h"

namespace dossier::storage {

// Migration 2: archive settings; customer files (groups, contacts, checked
// identifiers), document fields, review and filing. See docs/catalog.md.
const std::string_view kSchemaV2Records = R"sql(
-- Settings of this archive (scan profiles, lending rules, ...), one JSON
-- value per section. Changes are recorded in history like any record.
CREATE TABLE settings (
  id       INTEGER PRIMARY KEY,
  section  TEXT NOT NULL UNIQUE,
  value    TEXT NOT NULL CHECK (json_valid(value)),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

-- Group customers: a subsidiary points at its parent. Checked identifiers
-- and contact data of the customer itself, normalised (fields/normalize.h).
ALTER TABLE customers ADD COLUMN parent_id INTEGER REFERENCES customers(id);
ALTER TABLE customers ADD COLUMN uscc TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN id_number TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX customers_parent ON customers(parent_id);
CREATE INDEX customers_uscc ON customers(uscc) WHERE uscc <> '';

-- Several contacts per customer, each with a role (法定代表人, 经办人, ...).
CREATE TABLE contacts (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  role        TEXT NOT NULL,
  name        TEXT NOT NULL,
  phone       TEXT NOT NULL DEFAULT '',
  email       TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX contacts_customer ON contacts(customer_id);

-- Fields of a document: suggested by extraction, corrected by a reviewer.
-- problem is non-empty while the value failed its check.
CREATE TABLE document_fields (
  id          INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  name        TEXT NOT NULL,
  value       TEXT NOT NULL,
  raw         TEXT NOT NULL DEFAULT '',
  problem     TEXT NOT NULL DEFAULT '',
  confidence  REAL NOT NULL DEFAULT 0,
  page        INTEGER NOT NULL DEFAULT 0,
  boxes       TEXT NOT NULL DEFAULT '[]',
  source      TEXT NOT NULL CHECK (source IN ('extracted', 'entered')),
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  UNIQUE (document_id, name)
);
CREATE INDEX document_fields_value ON document_fields(name, value);

-- Review and filing: pending -> filed (with an archive number) or
-- rejected (with a reason) -> replaced (by a rescan).
ALTER TABLE documents ADD COLUMN archive_number TEXT;
ALTER TABLE documents ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN reviewed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN replaces_id INTEGER REFERENCES documents(id);
CREATE UNIQUE INDEX documents_archive_number ON documents(archive_number)
  WHERE archive_number IS NOT NULL;
CREATE INDEX documents_status ON documents(status);

-- Last archive number issued per year and document type; only grows.
CREATE TABLE archive_sequence (
  year          INTEGER NOT NULL,
  type_code     TEXT NOT NULL,
  last_sequence INTEGER NOT NULL CHECK (last_sequence >= 0),
  PRIMARY KEY (year, type_code)
);
CREATE TRIGGER archive_sequence_no_decrease
BEFORE UPDATE OF last_sequence ON archive_sequence
WHEN NEW.last_sequence < OLD.last_sequence
BEGIN
  SELECT RAISE(ABORT, 'archive number sequence may not decrease');
END;
CREATE TRIGGER archive_sequence_no_delete
BEFORE DELETE ON archive_sequence
BEGIN
  SELECT RAISE(ABORT, 'archive number sequence may not be deleted');
END;
CREATE INDEX history_at ON history(at);
)sql";

}  // namespace dossier::storage
