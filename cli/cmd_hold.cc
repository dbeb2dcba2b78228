// `dossier hold add|release|list`: app/governance.h.
#include <fmt/format.h>

#include "app/governance.h"
#include "app/json.h"
#include "cli/governance_commands.h"

namespace dossier::cli {
namespace {

void PrintHold(const storage::LegalHold& h, const TimeZone& zone) {
  Print("{}  {:<8} {:<18} placed {} by {}  {}\n", h.display_id,
             h.active() ? "active" : "released", h.target,
             zone.DisplayUtc(h.placed_at), h.placed_by, h.reason);
  if (!h.active()) {
    Print("    released {} by {}: {}\n", zone.DisplayUtc(h.released_at),
               h.released_by, h.release_reason);
  }
}

}  // namespace

void RegisterHoldCommand(CLI::App& app, const GlobalOptions& global,
                         Action* action) {
  auto* cmd = app.add_subcommand(
      "hold", "Legal holds: nothing held may be destroyed");
  cmd->require_subcommand(1);

  auto* add = cmd->add_subcommand("add", "Place a hold on a document or customer");
  auto target = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  add->add_option("TARGET", *target, "Document id (D000012) or customer code")
      ->required();
  add->add_option("--reason", *reason, "Why (case, request)")->required();
  add->callback([&global, target, reason, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto h = app::AddHold(st, CurrentCaller(), *target, *reason);
      if (!h) return std::unexpected(h.error());
      PrintHold(*h, st.Zone());
      return kExitOk;
    });
  });

  auto* release = cmd->add_subcommand("release", "Release a hold");
  auto hold = std::make_shared<std::string>();
  auto why = std::make_shared<std::string>();
  release->add_option("HOLD", *hold, "Hold id (H000001)")->required();
  release->add_option("--reason", *why, "Why it ends")->required();
  release->callback([&global, hold, why, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto h = app::ReleaseHold(st, CurrentCaller(), *hold, *why);
      if (!h) return std::unexpected(h.error());
      PrintHold(*h, st.Zone());
      return kExitOk;
    });
  });

  auto* list = cmd->add_subcommand("list", "List holds");
  auto all = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  list->add_flag("--all", *all, "Released holds too");
  list->add_flag("--json", *json, "Print the holds as JSON");
  list->callback([&global, all, json, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto holds = app::ListHolds(st, CurrentCaller(), !*all);
      if (!holds) return std::unexpected(holds.error());
      if (*json) return PrintJson(json::ToJson(*holds));
      if (holds->empty()) Print("No holds.\n");
      const TimeZone zone = st.Zone();
      for (const auto& h : *holds) PrintHold(h, zone);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
