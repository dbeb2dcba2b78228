// History rows and settings on PostgreSQL (storage/postgres/common.h).
#include "storage/postgres/common.h"

#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace dossier::storage::postgres {
namespace {

const Sql kHistory{"history.insert",
                   "INSERT INTO history (table_name, record_id, field, old_value, "
                   "new_value, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7)"};
const Sql kGetSetting{"settings.get",
                      "SELECT id, value FROM settings WHERE section = $1"};
const Sql kInsertSetting{
    "settings.insert",
    "INSERT INTO settings (section, value, updated_at, updated_by) "
    "VALUES ($1, $2, $3, $4) RETURNING id"};
const Sql kUpdateSetting{"settings.update",
                         "UPDATE settings SET value = $2, updated_at = $3, "
                         "updated_by = $4 WHERE id = $1"};

}  // namespace

std::string NowUtc() { return FormatUtc(Now()); }

void WriteHistory(Tx& tx, const std::string& table, std::int64_t record_id,
                  const std::string& field,
                  const std::optional<std::string>& old_value,
                  const std::string& new_value, const std::string& actor,
                  const std::string& at) {
  tx.Exec(kHistory, table, record_id, field, old_value, new_value, actor, at);
}

std::optional<std::string> GetSetting(Tx& tx, const std::string& section) {
  auto r = tx.Exec(kGetSetting, section);
  if (r.empty()) return std::nullopt;
  return Text(r[0][1]);
}

Status PutSetting(Tx& tx, const std::string& section, const std::string& json_value,
                  const std::string& actor) {
  if (section.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "setting section name is empty");
  }
  if (!nlohmann::json::accept(json_value)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting " + section + ": value is not valid JSON");
  }
  const std::string now = NowUtc();
  auto r = tx.Exec(kGetSetting, section);
  std::int64_t id = 0;
  std::optional<std::string> old;
  if (r.empty()) {
    id = Int(tx.Exec(kInsertSetting, section, json_value, now, actor)[0][0]);
  } else {
    id = Int(r[0][0]);
    old = Text(r[0][1]);
    tx.Exec(kUpdateSetting, id, json_value, now, actor);
  }
  WriteHistory(tx, "settings", id, section, old, json_value, actor, now);
  return Ok();
}

}  // namespace dossier::storage::postgres
