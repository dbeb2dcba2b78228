#include "storage/schema.h"

namespace dossier::storage {

// Migration 2: archive settings; customer files (groups, contacts),
// document fields, review.
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
)sql";

}  // namespace dossier::storage
