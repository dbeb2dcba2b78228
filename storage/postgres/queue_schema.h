// Internal: the work queue's part of the PostgreSQL catalog's schema, its
// own migration entry in storage/postgres/schema.cc (storage/postgres/
// work_queue.h explains the store). The table follows the SQLite
// catalog's (storage/sqlite/schema_queue.cc), with the same refusal to
// delete in a trigger.
#pragma once

#include <string_view>

namespace dossier::storage::postgres {

// The work queue of `dossier worker` (storage/work_queue.h). lease_until is
// in epoch seconds of the server's clock, so workers on machines with
// skewed clocks agree on when a lease ends. payload and result stay text:
// they are given back byte for byte. Items are never deleted: a done item
// names the documents its ingest made. Ids come from an identity, so a
// queueing that was rolled back leaves a gap in the W numbers.
inline constexpr std::string_view kQueueMigration = R"sql(
CREATE TABLE work_items (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL CHECK (kind <> ''),
  spool       text NOT NULL CHECK (spool <> ''),
  payload     text NOT NULL,
  state       text NOT NULL DEFAULT 'queued'
              CHECK (state IN ('queued', 'running', 'done', 'failed')),
  enqueued_by text NOT NULL,
  enqueued_at text NOT NULL,
  worker      text NOT NULL DEFAULT '',
  lease_until bigint NOT NULL DEFAULT 0,
  attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  started_at  text NOT NULL DEFAULT '',
  finished_at text NOT NULL DEFAULT '',
  result      text NOT NULL DEFAULT '',
  error       text NOT NULL DEFAULT ''
);
-- What claims look at: the open items, oldest first.
CREATE INDEX work_items_open ON work_items (id)
  WHERE state IN ('queued', 'running');
CREATE INDEX work_items_state ON work_items (state, id);
CREATE TRIGGER work_items_no_delete BEFORE DELETE ON work_items
  FOR EACH ROW EXECUTE FUNCTION dossier_refuse('work items may not be deleted');
CREATE TRIGGER work_items_no_truncate BEFORE TRUNCATE ON work_items
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_refuse('work items may not be deleted');
)sql";

}  // namespace dossier::storage::postgres
