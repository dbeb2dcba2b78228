#include "storage/sqlite/schema.h"

namespace dossier::storage {

// Migration 6: retention rules, legal holds and destruction (tombstones,
// approvals, shredding of originals). See docs/governance.md.
//
// Nothing written here is ever deleted: triggers refuse DELETE on the
// destruction records, on documents (a destroyed document keeps its row,
// status 'destroyed', as part of its tombstone) and on history, so ids,
// codes and archive numbers are never reused and the record of what was
// destroyed, when and by whose approval outlives the documents.
const std::string_view kSchemaV6Retention = R"sql(
-- How long documents of one type are kept, counted from an event:
--   filing            the review decision (documents.reviewed_at)
--   contract-end      the document field end_date (YYYY-MM-DD)
--   relationship-end  the customer's relationship_ended_on
CREATE TABLE retention_rules (
  id            INTEGER PRIMARY KEY,
  document_type TEXT NOT NULL UNIQUE,
  event         TEXT NOT NULL CHECK (event IN ('filing', 'contract-end',
                                               'relationship-end')),
  years         INTEGER NOT NULL CHECK (years BETWEEN 0 AND 200),
  updated_at    TEXT NOT NULL,
  updated_by    TEXT NOT NULL
);

-- The day the business relationship with the customer ended (YYYY-MM-DD),
-- '' while it goes on.
ALTER TABLE customers ADD COLUMN relationship_ended_on TEXT NOT NULL DEFAULT '';

-- Legal holds: while a hold is not released, nothing of the document (or
-- of any document of the customer) may be destroyed.
CREATE TABLE legal_holds (
  id             INTEGER PRIMARY KEY,
  document_id    INTEGER REFERENCES documents(id),
  customer_id    INTEGER REFERENCES customers(id),
  reason         TEXT NOT NULL CHECK (reason <> ''),
  placed_by      TEXT NOT NULL,
  placed_at      TEXT NOT NULL,
  released_by    TEXT,
  released_at    TEXT,
  release_reason TEXT,
  CHECK ((document_id IS NULL) <> (customer_id IS NULL))
);
CREATE INDEX legal_holds_document ON legal_holds(document_id)
  WHERE released_at IS NULL;
CREATE INDEX legal_holds_customer ON legal_holds(customer_id)
  WHERE released_at IS NULL;

-- A destruction batch: proposed -> approved (electronic files purged) ->
-- completed (every original shredded); or proposed -> cancelled.
CREATE TABLE destruction_batches (
  id                 INTEGER PRIMARY KEY,
  status             TEXT NOT NULL CHECK (status IN ('proposed', 'approved',
                                                     'completed', 'cancelled')),
  reason             TEXT NOT NULL DEFAULT '',
  proposed_by        TEXT NOT NULL,
  proposed_at        TEXT NOT NULL,
  approved_by        TEXT,
  approved_at        TEXT,
  cancelled_by       TEXT,
  cancelled_at       TEXT,
  certificate_sha256 TEXT,
  certificate_at     TEXT
);

-- One document of a batch, with its tombstone: what it was, copied when
-- proposed, kept after the document's content is purged.
CREATE TABLE destruction_items (
  id             INTEGER PRIMARY KEY,
  batch_id       INTEGER NOT NULL REFERENCES destruction_batches(id),
  document_id    INTEGER NOT NULL REFERENCES documents(id),
  display_id     TEXT NOT NULL,
  archive_number TEXT NOT NULL DEFAULT '',
  customer_code  TEXT NOT NULL,
  customer_name  TEXT NOT NULL,
  type           TEXT NOT NULL,
  title          TEXT NOT NULL,
  page_count     INTEGER NOT NULL,
  pdf_sha256     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  filed_at       TEXT NOT NULL DEFAULT '',
  event          TEXT NOT NULL,
  event_date     TEXT NOT NULL,
  retention_years INTEGER NOT NULL,
  due_on         TEXT NOT NULL,
  destroyed_at   TEXT,
  file_purged_at TEXT,
  UNIQUE (batch_id, document_id)
);
CREATE INDEX destruction_items_document ON destruction_items(document_id);

-- The physical shredding of one original (who, when, witness).
CREATE TABLE shredding_records (
  id          INTEGER PRIMARY KEY,
  batch_id    INTEGER NOT NULL REFERENCES destruction_batches(id),
  original_id INTEGER NOT NULL UNIQUE REFERENCES originals(id),
  barcode     TEXT NOT NULL,
  shredded_by TEXT NOT NULL,
  witness     TEXT NOT NULL,
  shredded_at TEXT NOT NULL,
  method      TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  CHECK (witness <> shredded_by)
);

CREATE TRIGGER destruction_batches_no_delete BEFORE DELETE ON destruction_batches
BEGIN SELECT RAISE(ABORT, 'destruction records are never deleted'); END;
CREATE TRIGGER destruction_items_no_delete BEFORE DELETE ON destruction_items
BEGIN SELECT RAISE(ABORT, 'destruction records are never deleted'); END;
CREATE TRIGGER shredding_records_no_delete BEFORE DELETE ON shredding_records
BEGIN SELECT RAISE(ABORT, 'destruction records are never deleted'); END;
CREATE TRIGGER shredding_records_no_update BEFORE UPDATE ON shredding_records
BEGIN SELECT RAISE(ABORT, 'shredding records are append-only'); END;
CREATE TRIGGER legal_holds_no_delete BEFORE DELETE ON legal_holds
BEGIN SELECT RAISE(ABORT, 'legal holds are released, never deleted'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are never deleted; destruction keeps a tombstone'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is never deleted'); END;
-- A destroyed document stays destroyed.
CREATE TRIGGER documents_destroyed_final BEFORE UPDATE OF status ON documents
WHEN OLD.status = 'destroyed' AND NEW.status <> 'destroyed'
BEGIN SELECT RAISE(ABORT, 'a destroyed document cannot be restored'); END;
)sql";

}  // namespace dossier::storage
