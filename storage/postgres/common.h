// Internal: what every PostgreSQL store writes alike, inside the caller's
// transaction: history rows and settings (tables of schema version 1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "storage/postgres/database.h"

namespace dossier::storage::postgres {

// Now as ISO 8601 UTC with seconds (core/clock.h).
std::string NowUtc();

// Records one field change: old_value nullopt (NULL) for a new record.
void WriteHistory(Tx& tx, const std::string& table, std::int64_t record_id,
                  const std::string& field,
                  const std::optional<std::string>& old_value,
                  const std::string& new_value, const std::string& actor,
                  const std::string& at);

// A settings section's JSON text, if set.
std::optional<std::string> GetSetting(Tx& tx, const std::string& section);
// Sets a section (valid JSON, else kInvalidArgument), with history.
Status PutSetting(Tx& tx, const std::string& section, const std::string& json_value,
                  const std::string& actor);

}  // namespace dossier::storage::postgres
