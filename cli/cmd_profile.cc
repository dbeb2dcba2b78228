#include <fmt/format.h>

#include "capture/sane_source.h"
#include "cli/capture_commands.h"
#include "pipeline/station.h"

namespace dossier::cli {

// cmd_scan.cc
Result<capture::ScanSettings> ScanSettingsFromArgs(
    capture::ScanSettings base, const std::string& device,
    const std::string& source, const std::string& mode, int dpi,
    const std::vector<std::string>& set);
void AddScanSettingOptions(CLI::App* cmd, std::string* device,
                           std::string* source, std::string* mode, int* dpi,
                           std::vector<std::string>* set);

namespace {

struct ProfileArgs {
  std::string name;
  std::string device;
  std::string source;
  std::string mode;
  int dpi = 0;
  std::vector<std::string> set;
  bool replace = false;
};

std::string Describe(const capture::ScanSettings& s) {
  std::vector<std::string> parts;
  parts.push_back("device " +
                  (s.device.empty() ? std::string("(first found)") : s.device));
  if (s.source != capture::ScanSource::kDefault)
    parts.push_back("source " + ScanSourceName(s.source));
  if (s.mode != capture::ScanMode::kDefault)
    parts.push_back("mode " + ScanModeName(s.mode));
  if (s.dpi > 0) parts.push_back(fmt::format("{} dpi", s.dpi));
  for (const auto& [k, v] : s.extra_options) parts.push_back(k + "=" + v);
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

void RegisterProfile(CLI::App& app, const GlobalOptions& global,
                     Action* action) {
  auto* cmd =
      app.add_subcommand("profile", "Named scan profiles kept in the archive");
  cmd->require_subcommand(1);
  auto args = std::make_shared<ProfileArgs>();

  auto* add = cmd->add_subcommand("add", "Save a scan profile");
  add->add_option("NAME", args->name, "Profile name, e.g. office-adf")
      ->required();
  AddScanSettingOptions(add, &args->device, &args->source, &args->mode,
                        &args->dpi, &args->set);
  add->add_flag("--replace", args->replace, "Replace a profile of that name");
  add->callback([&global, args, action] {
    *action = StationAction(global, [args](app::Station& st) -> Result<int> {
      auto settings = ScanSettingsFromArgs({}, args->device, args->source,
                                           args->mode, args->dpi, args->set);
      if (!settings) return std::unexpected(settings.error());
      pipeline::ScanProfile profile{args->name, *settings};
      if (auto s = app::SaveScanProfile(st, CurrentCaller(), profile,
                                        args->replace);
          !s) {
        return std::unexpected(s.error());
      }
      Print("Saved scan profile {}: {}\n", profile.name,
                 Describe(profile.settings));
      return kExitOk;
    });
  });

  auto* list = cmd->add_subcommand("list", "List scan profiles");
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "Print the profiles as JSON");
  list->callback([&global, json, action] {
    *action = StationAction(global, [json](app::Station& st) -> Result<int> {
      auto profiles = app::ListScanProfiles(st, CurrentCaller());
      if (!profiles) return std::unexpected(profiles.error());
      if (*json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : *profiles) {
          out.push_back({{"name", p.name}, {"settings", Describe(p.settings)}});
        }
        return PrintJson(out);
      }
      if (profiles->empty()) Print("No scan profiles.\n");
      for (const auto& p : *profiles) {
        Print("{:<20} {}\n", p.name, Describe(p.settings));
      }
      return kExitOk;
    });
  });

  auto* remove = cmd->add_subcommand("remove", "Remove a scan profile");
  remove->add_option("NAME", args->name, "Profile name")->required();
  remove->callback([&global, args, action] {
    *action = StationAction(global, [args](app::Station& st) -> Result<int> {
      if (auto s = app::RemoveScanProfile(st, CurrentCaller(), args->name);
          !s) {
        return std::unexpected(s.error());
      }
      Print("Removed scan profile {}\n", args->name);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
