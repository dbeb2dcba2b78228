// Internal: the records part of the PostgreSQL catalog's schema, its own
// migration entry in storage/postgres/schema.cc (storage/postgres/records.h
// explains the store). The tables follow the SQLite catalog's
// (storage/sqlite/schema.cc, schema_records.cc, catalog_verification.cc)
// with PostgreSQL's types; times are ISO 8601 UTC text, as the interface
// speaks them. Values the vocabulary knows (records/vocabulary.h) are
// CHECKed here too, so a row no code path should write is refused by the
// server as well.
#pragma once

#include <string_view>

namespace dossier::storage::postgres {

// Version 3: customer files, contacts, documents, pages and their words,
// fields, kept files, review and filing, the verification log. Pages'
// search rows live in page_search (version 2): the page text's tokens at
// weight D, the document's metadata line (title, customer, numbers, field
// values) at weight B.
inline constexpr std::string_view kRecordsMigration = R"sql(
-- Last customer code sequence issued per year; only grows, so a code is
-- never issued twice, even after a customer row is gone.
CREATE TABLE code_sequence (
  year          integer PRIMARY KEY CHECK (year BETWEEN 1 AND 9999),
  last_sequence bigint NOT NULL CHECK (last_sequence >= 0)
);

CREATE TABLE customers (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code       text NOT NULL UNIQUE,
  year       integer NOT NULL,
  sequence   integer NOT NULL CHECK (sequence BETWEEN 1 AND 999999),
  name       text NOT NULL CHECK (btrim(name) <> ''),
  kind       text NOT NULL CHECK (kind IN ('company', 'person')),
  created_at text NOT NULL,
  created_by text NOT NULL CHECK (created_by <> ''),
  parent_id  bigint REFERENCES customers (id) CHECK (parent_id <> id),
  uscc       text NOT NULL DEFAULT '',
  id_number  text NOT NULL DEFAULT '',
  phone      text NOT NULL DEFAULT '',
  email      text NOT NULL DEFAULT '',
  address    text NOT NULL DEFAULT '',
  UNIQUE (year, sequence)
);
CREATE INDEX customers_parent ON customers (parent_id);
-- A USCC names one legal entity: one customer file per USCC.
CREATE UNIQUE INDEX customers_uscc ON customers (uscc) WHERE uscc <> '';

CREATE TABLE contacts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  role        text NOT NULL CHECK (btrim(role) <> ''),
  name        text NOT NULL CHECK (btrim(name) <> ''),
  phone       text NOT NULL DEFAULT '',
  email       text NOT NULL DEFAULT '',
  address     text NOT NULL DEFAULT '',
  created_at  text NOT NULL,
  created_by  text NOT NULL
);
CREATE INDEX contacts_customer ON contacts (customer_id);

-- Review and filing: pending -> filed (with an archive number) or
-- rejected (with a reason) -> replaced (by a rescan).
CREATE TABLE documents (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id     bigint NOT NULL REFERENCES customers (id),
  type            text NOT NULL CHECK (type IN ('contract', 'form', 'id-copy',
                      'correspondence', 'other')),
  title           text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'filed',
                      'rejected', 'replaced', 'destroyed')),
  pdf_sha256      text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
  pdf_size        bigint NOT NULL CHECK (pdf_size >= 0),
  page_count      integer NOT NULL CHECK (page_count >= 1),
  mean_confidence double precision NOT NULL,
  source_key      text NOT NULL DEFAULT '',
  created_at      text NOT NULL,
  created_by      text NOT NULL CHECK (created_by <> ''),
  warnings        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(warnings) = 'array'),
  archive_number  text UNIQUE,
  review_reason   text NOT NULL DEFAULT '',
  reviewed_by     text NOT NULL DEFAULT '',
  reviewed_at     text NOT NULL DEFAULT '',
  replaces_id     bigint REFERENCES documents (id),
  search_meta     text NOT NULL DEFAULT '',
  CHECK ((status = 'filed') <= (archive_number IS NOT NULL))
);
CREATE INDEX documents_customer ON documents (customer_id, id);
CREATE INDEX documents_status ON documents (status, id);
-- Idempotent ingest: one document per customer and input.
CREATE UNIQUE INDEX documents_source_key ON documents (customer_id, source_key)
  WHERE source_key <> '';

CREATE TABLE pages (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id  bigint NOT NULL REFERENCES documents (id),
  number       integer NOT NULL CHECK (number >= 1),
  source_file  text NOT NULL,
  source_index integer NOT NULL,
  width        integer NOT NULL,
  height       integer NOT NULL,
  dpi          double precision NOT NULL,
  rotation     integer NOT NULL,
  skew         double precision NOT NULL,
  confidence   real NOT NULL,
  text         text NOT NULL,
  phash        text NOT NULL DEFAULT '',
  UNIQUE (document_id, number)
);

-- A page's OCR words as one array of [text, x, y, width, height,
-- baseline, confidence, line] arrays.
CREATE TABLE words (
  page_id    bigint PRIMARY KEY REFERENCES pages (id),
  word_count integer NOT NULL,
  data       jsonb NOT NULL CHECK (jsonb_typeof(data) = 'array')
);

CREATE TABLE document_fields (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id bigint NOT NULL REFERENCES documents (id),
  name        text NOT NULL CHECK (name <> ''),
  value       text NOT NULL,
  raw         text NOT NULL DEFAULT '',
  problem     text NOT NULL DEFAULT '',
  confidence  real NOT NULL DEFAULT 0,
  page        integer NOT NULL DEFAULT 0,
  boxes       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(boxes) = 'array'),
  source      text NOT NULL CHECK (source IN ('extracted', 'entered')),
  updated_at  text NOT NULL,
  updated_by  text NOT NULL,
  UNIQUE (document_id, name)
);
CREATE INDEX document_fields_value ON document_fields (name, value);

CREATE TABLE document_files (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id  bigint NOT NULL REFERENCES documents (id),
  role         text NOT NULL CHECK (role IN ('original', 'dropped-page')),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size         bigint NOT NULL CHECK (size >= 0),
  media_type   text NOT NULL,
  source_file  text NOT NULL,
  source_index integer NOT NULL,
  note         text NOT NULL,
  created_at   text NOT NULL
);
CREATE INDEX document_files_document ON document_files (document_id, id);

-- Last archive number issued per year and document type; only grows.
CREATE TABLE archive_sequence (
  year          integer NOT NULL,
  type_code     text NOT NULL CHECK (type_code ~ '^[A-Z]{2}$'),
  last_sequence bigint NOT NULL CHECK (last_sequence >= 0),
  PRIMARY KEY (year, type_code)
);
CREATE FUNCTION dossier_sequence_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.last_sequence < OLD.last_sequence THEN
    RAISE EXCEPTION 'a number sequence may not decrease'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER archive_sequence_grows BEFORE UPDATE ON archive_sequence
  FOR EACH ROW EXECUTE FUNCTION dossier_sequence_grows();
CREATE TRIGGER archive_sequence_no_delete BEFORE DELETE ON archive_sequence
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('archive number sequences may not be deleted');
CREATE TRIGGER code_sequence_grows BEFORE UPDATE ON code_sequence
  FOR EACH ROW EXECUTE FUNCTION dossier_sequence_grows();
CREATE TRIGGER code_sequence_no_delete BEFORE DELETE ON code_sequence
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('customer code sequences may not be deleted');

-- Fixity and PDF/A checks, a log: rows are only ever added.
CREATE TABLE verifications (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id bigint NOT NULL REFERENCES documents (id),
  at          text NOT NULL,
  actor       text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('ingest', 'verify')),
  fixity_ok   boolean NOT NULL,
  pdfa_ok     boolean NOT NULL,
  pdfa_level  text NOT NULL,
  problems    jsonb NOT NULL CHECK (jsonb_typeof(problems) = 'array')
);
CREATE INDEX verifications_document ON verifications (document_id, id);
CREATE TRIGGER verifications_append_only BEFORE UPDATE OR DELETE ON verifications
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('the verification log is append-only');
)sql";

// Version 7: a document's kept files are unique per source file and page,
// as on SQLite (a retried ingest cannot keep one twice), and the purge of
// destroyed documents finds every document keeping a file by its SHA-256
// without reading the whole table.
inline constexpr std::string_view kDocumentFilesMigration = R"sql(
ALTER TABLE document_files ADD CONSTRAINT document_files_source
  UNIQUE (document_id, role, source_file, source_index);
CREATE INDEX document_files_sha256 ON document_files (sha256);
)sql";

}  // namespace dossier::storage::postgres
