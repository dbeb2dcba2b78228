#include <fmt/format.h>

#include "cli/governance_commands.h"
#include "storage/retention.h"

namespace dossier::cli {
namespace {

void PrintHold(const storage::LegalHold& h) {
  fmt::print("{}  {:<8} {:<18} placed {} by {}  {}\n", h.display_id,
             h.active() ? "active" : "released", h.target, h.placed_at,
             h.placed_by, h.reason);
  if (!h.active()) {
    fmt::print("    released {} by {}: {}\n", h.released_at, h.released_by,
               h.release_reason);
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
    *action = [&global, target, reason]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Retention retention((*archive)->catalog(), (*archive)->files());
      auto h = retention.AddHold(*target, *reason, CurrentUser());
      if (!h) return std::unexpected(h.error());
      PrintHold(*h);
      return kExitOk;
    };
  });

  auto* release = cmd->add_subcommand("release", "Release a hold");
  auto hold = std::make_shared<std::string>();
  auto why = std::make_shared<std::string>();
  release->add_option("HOLD", *hold, "Hold id (H000001)")->required();
  release->add_option("--reason", *why, "Why it ends")->required();
  release->callback([&global, hold, why, action] {
    *action = [&global, hold, why]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Retention retention((*archive)->catalog(), (*archive)->files());
      auto h = retention.ReleaseHold(*hold, *why, CurrentUser());
      if (!h) return std::unexpected(h.error());
      PrintHold(*h);
      return kExitOk;
    };
  });

  auto* list = cmd->add_subcommand("list", "List holds");
  auto all = std::make_shared<bool>(false);
  list->add_flag("--all", *all, "Released holds too");
  list->callback([&global, all, action] {
    *action = [&global, all]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Retention retention((*archive)->catalog(), (*archive)->files());
      auto holds = retention.ListHolds(!*all);
      if (!holds) return std::unexpected(holds.error());
      if (holds->empty()) fmt::print("No holds.\n");
      for (const auto& h : *holds) PrintHold(h);
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
