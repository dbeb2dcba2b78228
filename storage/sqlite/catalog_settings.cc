// Catalog: archive settings (one JSON value per section, with history).
#include <nlohmann/json.hpp>

#include "storage/sqlite/catalog_impl.h"
#include "core/json_text.h"

namespace dossier::storage {

Result<std::optional<std::string>> Catalog::GetSetting(const std::string& section) {
  auto stmt = impl_->db.Prepare("SELECT value FROM settings WHERE section = ?",
                                "reading setting " + section);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, section);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(stmt->ColumnText(0));
}

Status Catalog::PutSetting(const std::string& section, const std::string& json_value,
                           const std::string& actor) {
  if (section.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "setting section name is empty");
  }
  if (!nlohmann::json::accept(json_value)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting " + section + ": value is not valid JSON");
  }
  const std::string what = "saving setting " + section;
  auto tx = Transaction::Begin(impl_->db, what);
  if (!tx) return std::unexpected(tx.error());
  std::optional<std::string> old;
  std::int64_t id = 0;
  {
    auto stmt = impl_->db.Prepare("SELECT id, value FROM settings WHERE section = ?", what);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->Bind(1, section);
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (*row) {
      id = stmt->ColumnInt64(0);
      old = stmt->ColumnText(1);
    }
  }
  const UtcNow now = CurrentUtc();
  auto upsert = impl_->db.Prepare(
      "INSERT INTO settings (section, value, updated_at, updated_by) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(section) DO UPDATE SET "
      "value = ?2, updated_at = ?3, updated_by = ?4",
      what);
  if (!upsert) return std::unexpected(upsert.error());
  upsert->Bind(1, section).Bind(2, json_value).Bind(3, now.iso8601).Bind(4, actor);
  if (auto s = upsert->Run(); !s) return s;
  if (id == 0) {
    auto q = impl_->db.QueryInt("SELECT last_insert_rowid()", what);
    if (!q) return std::unexpected(q.error());
    id = *q;
  }
  if (auto s = WriteHistory(impl_->db, "settings", id, section, old, json_value,
                            actor, now.iso8601);
      !s) {
    return s;
  }
  return tx->Commit();
}

TimeZone Catalog::Zone() {
  auto value = GetSetting("site");
  if (value && *value) {
    auto j = nlohmann::json::parse(**value, nullptr, false);
    if (j.is_object() && j.contains("timezone") && j["timezone"].is_string()) {
      if (auto zone = TimeZone::Named(j["timezone"].get<std::string>())) {
        return *zone;
      }
    }
  }
  return TimeZone::Machine();
}

Status Catalog::SetZone(const std::string& name, const std::string& actor) {
  auto zone = TimeZone::Named(name);
  if (!zone) return std::unexpected(zone.error());
  nlohmann::json site = nlohmann::json::object();
  auto value = GetSetting("site");
  if (!value) return std::unexpected(value.error());
  if (*value) {
    auto j = nlohmann::json::parse(**value, nullptr, false);
    if (j.is_object()) site = j;
  }
  site["timezone"] = zone->name();
  return PutSetting("site", DumpJson(site), actor);
}

}  // namespace dossier::storage
