#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/command.h"

namespace dossier::cli {

void RegisterHistory(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "history",
      "Every recorded change of a customer file (with its contacts) or of a\n"
      "document (with its fields and status): who, when, old and new value");
  auto record = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("RECORD", *record, "Customer code (KH-…) or document (D000012)")
      ->required();
  cmd->add_flag("--json", *json, "Print the changes as JSON");
  cmd->callback([&global, record, json, action] {
    *action = [&global, record, json]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      auto& catalog = (*archive)->catalog();
      const bool is_customer =
          record->size() > 3 && (record->starts_with("KH") || record->starts_with("kh"));
      auto entries = is_customer ? catalog.CustomerHistory(*record)
                                 : catalog.DocumentHistory(*record);
      if (!entries) return std::unexpected(entries.error());
      if (*json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& e : *entries) {
          out.push_back({{"record", e.record},
                         {"field", e.field},
                         {"old", e.old_value ? nlohmann::json(ShowField(e.field, *e.old_value)) : nullptr},
                         {"new", e.new_value ? nlohmann::json(ShowField(e.field, *e.new_value)) : nullptr},
                         {"by", e.actor},
                         {"at", e.at}});
        }
        fmt::print("{}\n", out.dump(2, ' ', false,
                                    nlohmann::json::error_handler_t::replace));
        return kExitOk;
      }
      for (const auto& e : *entries) {
        fmt::print("{}  {:<10} {:<12} {:<22} {} -> {}\n", e.at, e.actor, e.record,
                   e.field,
                   e.old_value ? "'" + ShowField(e.field, *e.old_value) + "'" : "(new)",
                   e.new_value ? "'" + ShowField(e.field, *e.new_value) + "'" : "(removed)");
      }
      fmt::print("{} change(s)\n", entries->size());
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
