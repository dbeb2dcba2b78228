#include "storage/sqlite/schema.h"

namespace dossier::storage {

// Migration 11: the work queue of `dossier worker` (storage/work_queue.h).
// lease_until is in epoch seconds of this machine's clock. Items are never
// deleted: a done item names the documents its ingest made.
const std::string_view kSchemaV11Queue = R"sql(
CREATE TABLE work_items (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind <> ''),
  spool       TEXT NOT NULL CHECK (spool <> ''),
  payload     TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'queued'
              CHECK (state IN ('queued', 'running', 'done', 'failed')),
  enqueued_by TEXT NOT NULL,
  enqueued_at TEXT NOT NULL,
  worker      TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0,
  attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  started_at  TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  result      TEXT NOT NULL DEFAULT '',
  error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_items_open ON work_items(id)
  WHERE state IN ('queued', 'running');
CREATE TRIGGER work_items_no_delete
BEFORE DELETE ON work_items
BEGIN
  SELECT RAISE(ABORT, 'work items may not be deleted');
END;
)sql";

}  // namespace dossier::storage
