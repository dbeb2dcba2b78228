#include "storage/sqlite/schema.h"

namespace dossier::storage {

// Migration 3: paper originals, locations, custody, loans and audits.
// See docs/custody.md for the rules the columns and triggers enforce.
const std::string_view kSchemaV3Custody = R"sql(
-- room > cabinet > shelf > box (> folder). code is what people read
-- (A-03-2-017), barcode what scanners read (LC + 6 digits + check).
CREATE TABLE locations (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  barcode    TEXT NOT NULL UNIQUE,
  kind       TEXT NOT NULL CHECK (kind IN ('room', 'cabinet', 'shelf', 'box',
                                           'folder')),
  parent_id  INTEGER REFERENCES locations(id),
  name       TEXT NOT NULL DEFAULT '',
  capacity   INTEGER CHECK (capacity IS NULL OR capacity > 0),
  security   TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX locations_parent ON locations(parent_id);

-- A paper original: one document, or a whole customer folder.
-- state: in-place | on-loan | returned-flagged | destroyed.
CREATE TABLE originals (
  id            INTEGER PRIMARY KEY,
  barcode       TEXT NOT NULL UNIQUE,
  document_id   INTEGER REFERENCES documents(id),
  customer_id   INTEGER NOT NULL REFERENCES customers(id),
  page_count    INTEGER NOT NULL CHECK (page_count >= 0),
  location_id   INTEGER NOT NULL REFERENCES locations(id),
  state         TEXT NOT NULL DEFAULT 'in-place'
                CHECK (state IN ('in-place', 'on-loan', 'returned-flagged',
                                 'destroyed')),
  registered_at TEXT NOT NULL,
  registered_by TEXT NOT NULL
);
CREATE INDEX originals_location ON originals(location_id);
CREATE INDEX originals_document ON originals(document_id);
CREATE INDEX originals_customer ON originals(customer_id);
CREATE UNIQUE INDEX originals_one_per_document
  ON originals(document_id) WHERE document_id IS NOT NULL AND state <> 'destroyed';

-- Second line of defence behind the library's checks: an original that is
-- not in place (on loan, or back with a flagged return) cannot be moved or
-- destroyed.
CREATE TRIGGER originals_no_move_unless_in_place
BEFORE UPDATE OF location_id ON originals
WHEN NEW.location_id <> OLD.location_id AND OLD.state <> 'in-place'
BEGIN
  SELECT RAISE(ABORT, 'original is not in place (on loan?) and cannot be moved');
END;
CREATE TRIGGER originals_no_destroy_unless_in_place
BEFORE UPDATE OF state ON originals
WHEN NEW.state = 'destroyed' AND OLD.state <> 'in-place'
BEGIN
  SELECT RAISE(ABORT, 'original is not in place (on loan?) and cannot be destroyed');
END;
CREATE TRIGGER originals_no_delete
BEFORE DELETE ON originals
BEGIN
  SELECT RAISE(ABORT, 'originals are never deleted; destroy sets their state');
END;

-- Chain of custody: who, when, from, to, why. Append-only.
-- event: register | move | checkout | return | resolve.
CREATE TABLE custody_events (
  id               INTEGER PRIMARY KEY,
  original_id      INTEGER NOT NULL REFERENCES originals(id),
  event            TEXT NOT NULL,
  from_location_id INTEGER REFERENCES locations(id),
  to_location_id   INTEGER REFERENCES locations(id),
  loan_id          INTEGER REFERENCES loans(id),
  actor            TEXT NOT NULL,
  at               TEXT NOT NULL,
  reason           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_events_original ON custody_events(original_id);
CREATE TRIGGER custody_events_append_only_u BEFORE UPDATE ON custody_events
BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;
CREATE TRIGGER custody_events_append_only_d BEFORE DELETE ON custody_events
BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;

-- 借阅. kind paper: original_id set; kind electronic: a copy of document_id.
-- status: requested | approved | rejected | checked-out |
--         renewal-requested | returned | return-flagged | exported.
-- round: 0 for the first request, +1 per renewal; approvals are per round.
CREATE TABLE loans (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('paper', 'electronic')),
  original_id    INTEGER REFERENCES originals(id),
  document_id    INTEGER REFERENCES documents(id),
  requester      TEXT NOT NULL,
  purpose        TEXT NOT NULL,
  recipient      TEXT NOT NULL,
  external       INTEGER NOT NULL CHECK (external IN (0, 1)),
  due_date       TEXT NOT NULL,
  requested_due  TEXT,
  status         TEXT NOT NULL,
  round          INTEGER NOT NULL DEFAULT 0,
  requested_at   TEXT NOT NULL,
  checked_out_at TEXT,
  checked_out_by TEXT,
  returned_at    TEXT,
  returned_by    TEXT,
  return_pages   INTEGER,
  return_note    TEXT,
  resolution     TEXT,
  CHECK ((kind = 'paper') = (original_id IS NOT NULL))
);
CREATE INDEX loans_original ON loans(original_id);
CREATE INDEX loans_status ON loans(status, due_date);

CREATE TABLE loan_approvals (
  id       INTEGER PRIMARY KEY,
  loan_id  INTEGER NOT NULL REFERENCES loans(id),
  round    INTEGER NOT NULL,
  approver TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
  note     TEXT NOT NULL DEFAULT '',
  at       TEXT NOT NULL,
  UNIQUE (loan_id, round, approver)
);

-- 盘点. One audit of one location subtree.
CREATE TABLE audits (
  id                 INTEGER PRIMARY KEY,
  location_id        INTEGER NOT NULL REFERENCES locations(id),
  status             TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  started_at         TEXT NOT NULL,
  started_by         TEXT NOT NULL,
  closed_at          TEXT,
  closed_by          TEXT,
  moves_applied_at   TEXT,
  moves_applied_by   TEXT
);
CREATE INDEX audits_location ON audits(location_id);

-- Barcodes as scanned, in order. context_location_id: the last location
-- barcode scanned before this one (the box the scanner was in), if any.
CREATE TABLE audit_scans (
  id                  INTEGER PRIMARY KEY,
  audit_id            INTEGER NOT NULL REFERENCES audits(id),
  barcode             TEXT NOT NULL,
  context_location_id INTEGER REFERENCES locations(id),
  source              TEXT NOT NULL,
  at                  TEXT NOT NULL
);
CREATE INDEX audit_scans_audit ON audit_scans(audit_id, barcode);

-- The reconciliation written when an audit closes; the report is kept.
-- category: found | missing | misplaced | unknown | on-loan | duplicate.
CREATE TABLE audit_results (
  id                     INTEGER PRIMARY KEY,
  audit_id               INTEGER NOT NULL REFERENCES audits(id),
  category               TEXT NOT NULL,
  barcode                TEXT NOT NULL,
  original_id            INTEGER REFERENCES originals(id),
  registered_location_id INTEGER REFERENCES locations(id),
  found_location_id      INTEGER REFERENCES locations(id),
  suggested_location_id  INTEGER REFERENCES locations(id),
  scan_count             INTEGER NOT NULL
);
CREATE INDEX audit_results_audit ON audit_results(audit_id, category);
)sql";

}  // namespace dossier::storage
