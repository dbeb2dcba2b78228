// Internal: the custody part of the PostgreSQL catalog's schema, its own
// migration entry in storage/postgres/schema.cc (storage/postgres/custody.h
// explains the store). The tables follow the SQLite catalog's
// (storage/sqlite/schema_custody.cc) with PostgreSQL's types and the same
// second line of defence in triggers; times are ISO 8601 UTC text.
#pragma once

#include <string_view>

namespace dossier::storage::postgres {

// Version 4: locations, paper originals, the chain of custody, loans and
// their approvals, cabinet audits with their scans and results.
inline constexpr std::string_view kCustodyMigration = R"sql(
-- The last number issued of each custody record: location and original
-- barcodes and the display ids of loans (L000001) and audits (AU000001)
-- are made from these. Only grows; a refused call uses none up.
CREATE TABLE custody_counters (
  name       text PRIMARY KEY CHECK (name IN ('locations', 'originals', 'loans',
                                             'audits')),
  last_value bigint NOT NULL CHECK (last_value >= 0)
);
INSERT INTO custody_counters (name, last_value)
  VALUES ('locations', 0), ('originals', 0), ('loans', 0), ('audits', 0);
CREATE FUNCTION dossier_counter_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.last_value < OLD.last_value THEN
    RAISE EXCEPTION 'a custody counter may not decrease'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER custody_counters_grow BEFORE UPDATE ON custody_counters
  FOR EACH ROW EXECUTE FUNCTION dossier_counter_grows();
CREATE TRIGGER custody_counters_no_delete BEFORE DELETE ON custody_counters
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('custody counters may not be deleted');

-- room > cabinet > shelf > box (> folder). code is what people read
-- (A-03-2-017), barcode what scanners read (LC + 6 digits + check).
CREATE TABLE locations (
  id         bigint PRIMARY KEY CHECK (id BETWEEN 1 AND 999999),
  code       text NOT NULL UNIQUE,
  barcode    text NOT NULL UNIQUE,
  kind       text NOT NULL CHECK (kind IN ('room', 'cabinet', 'shelf', 'box',
                                           'folder')),
  parent_id  bigint REFERENCES locations (id),
  name       text NOT NULL DEFAULT '',
  capacity   integer CHECK (capacity IS NULL OR capacity > 0),
  security   text NOT NULL DEFAULT '',
  created_at text NOT NULL,
  created_by text NOT NULL
);
CREATE INDEX locations_parent ON locations (parent_id);

-- A paper original: one document, or a whole customer folder.
CREATE TABLE originals (
  id            bigint PRIMARY KEY CHECK (id BETWEEN 1 AND 99999999),
  barcode       text NOT NULL UNIQUE,
  document_id   bigint REFERENCES documents (id),
  customer_id   bigint NOT NULL REFERENCES customers (id),
  page_count    integer NOT NULL CHECK (page_count >= 0),
  location_id   bigint NOT NULL REFERENCES locations (id),
  state         text NOT NULL DEFAULT 'in-place'
                CHECK (state IN ('in-place', 'on-loan', 'returned-flagged',
                                 'destroyed')),
  registered_at text NOT NULL,
  registered_by text NOT NULL
);
CREATE INDEX originals_location ON originals (location_id);
CREATE INDEX originals_document ON originals (document_id);
CREATE INDEX originals_customer ON originals (customer_id);
CREATE UNIQUE INDEX originals_one_per_document
  ON originals (document_id) WHERE document_id IS NOT NULL AND state <> 'destroyed';
CREATE UNIQUE INDEX originals_one_folder_per_customer
  ON originals (customer_id) WHERE document_id IS NULL AND state <> 'destroyed';

-- An original that is not in place (on loan, or back with a flagged
-- return) cannot be moved or destroyed; originals are never deleted.
CREATE FUNCTION dossier_original_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.location_id <> OLD.location_id AND OLD.state <> 'in-place' THEN
    RAISE EXCEPTION 'original % is not in place (on loan?) and cannot be moved',
      OLD.barcode USING ERRCODE = 'restrict_violation';
  END IF;
  IF NEW.state = 'destroyed' AND OLD.state <> 'in-place' THEN
    RAISE EXCEPTION 'original % is not in place (on loan?) and cannot be destroyed',
      OLD.barcode USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER originals_guard BEFORE UPDATE ON originals
  FOR EACH ROW EXECUTE FUNCTION dossier_original_guard();
CREATE TRIGGER originals_no_delete BEFORE DELETE ON originals
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('originals are never deleted; destroy sets their state');

-- 借阅. kind paper: original_id set; kind electronic: a copy of document_id.
-- round: 0 for the first request, +1 per renewal; approvals are per round.
CREATE TABLE loans (
  id             bigint PRIMARY KEY CHECK (id >= 1),
  kind           text NOT NULL CHECK (kind IN ('paper', 'electronic')),
  original_id    bigint REFERENCES originals (id),
  document_id    bigint REFERENCES documents (id),
  requester      text NOT NULL,
  purpose        text NOT NULL,
  recipient      text NOT NULL,
  external       boolean NOT NULL,
  due_date       text NOT NULL,
  requested_due  text,
  status         text NOT NULL CHECK (status IN ('requested', 'approved',
                   'rejected', 'checked-out', 'renewal-requested', 'returned',
                   'return-flagged', 'exported')),
  round          integer NOT NULL DEFAULT 0,
  requested_at   text NOT NULL,
  checked_out_at text,
  checked_out_by text,
  returned_at    text,
  returned_by    text,
  return_pages   integer,
  return_note    text,
  resolution     text,
  CHECK ((kind = 'paper') = (original_id IS NOT NULL))
);
CREATE INDEX loans_original ON loans (original_id);
CREATE INDEX loans_document ON loans (document_id);
CREATE INDEX loans_status ON loans (status, due_date);

CREATE TABLE loan_approvals (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  loan_id  bigint NOT NULL REFERENCES loans (id),
  round    integer NOT NULL,
  approver text NOT NULL,
  decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
  note     text NOT NULL DEFAULT '',
  at       text NOT NULL,
  UNIQUE (loan_id, round, approver)
);

-- Chain of custody: who, when, from, to, why. Append-only.
CREATE TABLE custody_events (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  original_id      bigint NOT NULL REFERENCES originals (id),
  event            text NOT NULL,
  from_location_id bigint REFERENCES locations (id),
  to_location_id   bigint REFERENCES locations (id),
  loan_id          bigint REFERENCES loans (id),
  actor            text NOT NULL,
  at               text NOT NULL,
  reason           text NOT NULL DEFAULT ''
);
CREATE INDEX custody_events_original ON custody_events (original_id, id);
CREATE TRIGGER custody_events_append_only BEFORE UPDATE OR DELETE ON custody_events
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('custody events are append-only');

-- 盘点. One audit of one location subtree; one open audit per location.
CREATE TABLE audits (
  id               bigint PRIMARY KEY CHECK (id >= 1),
  location_id      bigint NOT NULL REFERENCES locations (id),
  status           text NOT NULL CHECK (status IN ('open', 'closed')),
  started_at       text NOT NULL,
  started_by       text NOT NULL,
  closed_at        text,
  closed_by        text,
  moves_applied_at text,
  moves_applied_by text
);
CREATE INDEX audits_location ON audits (location_id, id);
CREATE UNIQUE INDEX audits_one_open ON audits (location_id) WHERE status = 'open';

-- Barcodes as scanned, in order; context_location_id: the last location
-- barcode scanned before it (the box the scanner was in), if any.
CREATE TABLE audit_scans (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id            bigint NOT NULL REFERENCES audits (id),
  barcode             text NOT NULL,
  context_location_id bigint REFERENCES locations (id),
  source              text NOT NULL,
  at                  text NOT NULL
);
CREATE INDEX audit_scans_audit ON audit_scans (audit_id, barcode);

-- The reconciliation kept when an audit closes.
CREATE TABLE audit_results (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id               bigint NOT NULL REFERENCES audits (id),
  category               text NOT NULL CHECK (category IN ('found', 'missing',
                           'misplaced', 'unknown', 'on-loan', 'duplicate')),
  barcode                text NOT NULL,
  original_id            bigint REFERENCES originals (id),
  registered_location_id bigint REFERENCES locations (id),
  found_location_id      bigint REFERENCES locations (id),
  suggested_location_id  bigint REFERENCES locations (id),
  scan_count             integer NOT NULL
);
CREATE INDEX audit_results_audit ON audit_results (audit_id, category);
)sql";

}  // namespace dossier::storage::postgres
