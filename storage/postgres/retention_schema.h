// Internal: the retention part of the PostgreSQL catalog's schema, its own
// migration entry in storage/postgres/schema.cc (storage/postgres/
// retention.h explains the store). The tables follow the SQLite catalog's
// (storage/sqlite/schema_retention.cc) with PostgreSQL's types; times are
// ISO 8601 UTC text, dates YYYY-MM-DD text.
//
// Nothing written here is ever deleted: triggers refuse DELETE on the
// destruction records, on legal holds, on documents (a destroyed document
// keeps its row, status 'destroyed', as part of its tombstone) and on
// history, so ids, codes and archive numbers are never reused and the
// record of what was destroyed, when and by whose approval outlives the
// documents.
#pragma once

#include <string_view>

namespace dossier::storage::postgres {

// Version 5: retention rules, the end of a customer relationship, legal
// holds, destruction batches with their tombstones, and the shredding of
// originals.
inline constexpr std::string_view kRetentionMigration = R"sql(
-- The last number issued of each retention record: the display ids of
-- legal holds (H000001) and destruction batches (DB000001) are made from
-- these. Only grows (dossier_counter_grows, version 4); a refused call
-- uses none up.
CREATE TABLE retention_counters (
  name       text PRIMARY KEY CHECK (name IN ('holds', 'batches')),
  last_value bigint NOT NULL CHECK (last_value >= 0)
);
INSERT INTO retention_counters (name, last_value)
  VALUES ('holds', 0), ('batches', 0);
CREATE TRIGGER retention_counters_grow BEFORE UPDATE ON retention_counters
  FOR EACH ROW EXECUTE FUNCTION dossier_counter_grows();
CREATE TRIGGER retention_counters_no_delete BEFORE DELETE ON retention_counters
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('retention counters may not be deleted');

-- How long documents of one type are kept, counted from an event:
--   filing            the review decision (documents.reviewed_at)
--   contract-end      the document field end_date (YYYY-MM-DD)
--   relationship-end  the customer's relationship_ended_on
CREATE TABLE retention_rules (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_type text NOT NULL UNIQUE CHECK (document_type IN ('contract',
                    'form', 'id-copy', 'correspondence', 'other')),
  event         text NOT NULL CHECK (event IN ('filing', 'contract-end',
                    'relationship-end')),
  years         integer NOT NULL CHECK (years BETWEEN 0 AND 200),
  updated_at    text NOT NULL,
  updated_by    text NOT NULL CHECK (updated_by <> '')
);

-- The day the business relationship with the customer ended (YYYY-MM-DD),
-- '' while it goes on.
ALTER TABLE customers ADD COLUMN relationship_ended_on text NOT NULL DEFAULT ''
  CHECK (relationship_ended_on = '' OR
         relationship_ended_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');

-- Legal holds: while a hold is not released, nothing of the document (or
-- of any document of the customer) may be destroyed.
CREATE TABLE legal_holds (
  id             bigint PRIMARY KEY CHECK (id >= 1),
  document_id    bigint REFERENCES documents (id),
  customer_id    bigint REFERENCES customers (id),
  reason         text NOT NULL CHECK (btrim(reason) <> ''),
  placed_by      text NOT NULL,
  placed_at      text NOT NULL,
  released_by    text,
  released_at    text,
  release_reason text,
  CHECK ((document_id IS NULL) <> (customer_id IS NULL)),
  CHECK ((released_at IS NULL) = (released_by IS NULL))
);
CREATE INDEX legal_holds_document ON legal_holds (document_id)
  WHERE released_at IS NULL;
CREATE INDEX legal_holds_customer ON legal_holds (customer_id)
  WHERE released_at IS NULL;

-- A destruction batch: proposed -> approved (electronic files purged) ->
-- completed (every original shredded); or proposed -> cancelled.
CREATE TABLE destruction_batches (
  id                 bigint PRIMARY KEY CHECK (id >= 1),
  status             text NOT NULL CHECK (status IN ('proposed', 'approved',
                         'completed', 'cancelled')),
  reason             text NOT NULL DEFAULT '',
  proposed_by        text NOT NULL,
  proposed_at        text NOT NULL,
  approved_by        text,
  approved_at        text,
  cancelled_by       text,
  cancelled_at       text,
  certificate_sha256 text,
  certificate_at     text,
  CHECK (approved_by IS NULL OR approved_by <> proposed_by),
  CHECK ((status IN ('approved', 'completed')) = (approved_at IS NOT NULL)),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);

-- One document of a batch, with its tombstone: what it was, copied when
-- proposed, kept after the document's content is purged.
CREATE TABLE destruction_items (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id        bigint NOT NULL REFERENCES destruction_batches (id),
  document_id     bigint NOT NULL REFERENCES documents (id),
  display_id      text NOT NULL,
  archive_number  text NOT NULL DEFAULT '',
  customer_code   text NOT NULL,
  customer_name   text NOT NULL,
  type            text NOT NULL,
  title           text NOT NULL,
  page_count      integer NOT NULL,
  pdf_sha256      text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
  created_at      text NOT NULL,
  filed_at        text NOT NULL DEFAULT '',
  event           text NOT NULL,
  event_date      text NOT NULL,
  retention_years integer NOT NULL,
  due_on          text NOT NULL,
  destroyed_at    text,
  file_purged_at  text,
  UNIQUE (batch_id, document_id),
  CHECK (file_purged_at IS NULL OR destroyed_at IS NOT NULL)
);
CREATE INDEX destruction_items_document ON destruction_items (document_id);
CREATE INDEX destruction_items_unpurged ON destruction_items (id)
  WHERE destroyed_at IS NOT NULL AND file_purged_at IS NULL;

-- The physical shredding of one original (who, when, witness).
CREATE TABLE shredding_records (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id    bigint NOT NULL REFERENCES destruction_batches (id),
  original_id bigint NOT NULL UNIQUE REFERENCES originals (id),
  barcode     text NOT NULL,
  shredded_by text NOT NULL,
  witness     text NOT NULL,
  shredded_at text NOT NULL,
  method      text NOT NULL DEFAULT '',
  recorded_by text NOT NULL,
  recorded_at text NOT NULL,
  CHECK (witness <> shredded_by)
);
CREATE INDEX shredding_records_batch ON shredding_records (batch_id);

CREATE TRIGGER destruction_batches_no_delete BEFORE DELETE ON destruction_batches
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('destruction records are never deleted');
CREATE TRIGGER destruction_items_no_delete BEFORE DELETE ON destruction_items
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('destruction records are never deleted');
CREATE TRIGGER shredding_records_append_only BEFORE UPDATE OR DELETE ON shredding_records
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('shredding records are append-only');
CREATE TRIGGER legal_holds_no_delete BEFORE DELETE ON legal_holds
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('legal holds are released, never deleted');
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('documents are never deleted; destruction keeps a tombstone');
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('history is never deleted');
-- A destroyed document stays destroyed.
CREATE TRIGGER documents_destroyed_final BEFORE UPDATE OF status ON documents
  FOR EACH ROW WHEN (OLD.status = 'destroyed' AND NEW.status <> 'destroyed')
  EXECUTE FUNCTION dossier_refuse('a destroyed document cannot be restored');
)sql";

}  // namespace dossier::storage::postgres
