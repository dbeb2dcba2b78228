#include <fmt/format.h>

#include "capture/sane_source.h"
#include "cli/capture_commands.h"
#include "pipeline/station.h"

namespace dossier::cli {

namespace {

struct ScanArgs {
  bool list_devices = false;
  std::string profile;
  std::string device;
  std::string source;
  std::string mode;
  int dpi = 0;
  std::vector<std::string> set;
  CaptureIngestArgs ingest;
};

}  // namespace

// Applies command-line scan settings over a base (a profile's, or empty).
// Shared with `dossier profile add`.
Result<capture::ScanSettings> ScanSettingsFromArgs(
    capture::ScanSettings base, const std::string& device,
    const std::string& source, const std::string& mode, int dpi,
    const std::vector<std::string>& set) {
  if (!device.empty()) base.device = device;
  if (!source.empty()) {
    auto s = capture::ParseScanSource(source);
    if (!s) return std::unexpected(s.error());
    base.source = *s;
  }
  if (!mode.empty()) {
    auto m = capture::ParseScanMode(mode);
    if (!m) return std::unexpected(m.error());
    base.mode = *m;
  }
  if (dpi > 0) base.dpi = dpi;
  for (const auto& kv : set) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("--set {}: use NAME=VALUE", kv));
    }
    base.extra_options.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return base;
}

void AddScanSettingOptions(CLI::App* cmd, std::string* device,
                           std::string* source, std::string* mode, int* dpi,
                           std::vector<std::string>* set) {
  cmd->add_option(
      "--device", *device,
      "SANE device name (see --list-devices; default: the first found)");
  cmd->add_option("--source", *source, "flatbed, adf or adf-duplex")
      ->check(CLI::IsMember({"flatbed", "adf", "adf-duplex"}));
  cmd->add_option("--mode", *mode, "color, gray or lineart")
      ->check(CLI::IsMember({"color", "gray", "lineart"}));
  cmd->add_option("--dpi", *dpi, "Resolution in dots per inch")
      ->check(CLI::Range(50, 1200));
  cmd->add_option(
      "--set", *set,
      "Backend option NAME=VALUE as `scanimage --help -d DEVICE` lists "
      "them (repeatable)");
}

void RegisterScan(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "scan",
      "Scan from a scanner (SANE) and ingest the pages.\nThe flatbed gives one "
      "page; a feeder is read until empty. Pages scanned before a jam or\n"
      "another scanner error are kept.");
  auto args = std::make_shared<ScanArgs>();
  cmd->add_flag("--list-devices", args->list_devices, "List scanners and exit");
  cmd->add_option(
      "--profile", args->profile,
      "Saved scan profile (`dossier profile add`); options given here "
      "override it");
  AddScanSettingOptions(cmd, &args->device, &args->source, &args->mode,
                        &args->dpi, &args->set);
  AddCaptureIngestOptions(cmd, &args->ingest, /*with_split=*/true);
  cmd->callback([&global, args, action] {
    *action = AppAction([&global, args]() -> Result<int> {
      if (args->list_devices) {
        auto devices = capture::ListScanners();
        if (!devices) return std::unexpected(devices.error());
        if (devices->empty()) {
          Print("No scanners found.\n");
          return kExitOk;
        }
        for (const auto& d : *devices) {
          Print("{:<28} {} {} ({})\n", d.name, d.vendor, d.model, d.type);
        }
        return kExitOk;
      }
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::ScanInput input;
      input.capture = args->ingest;
      input.profile = args->profile;
      input.adjust = [args](capture::ScanSettings base) {
        return ScanSettingsFromArgs(base, args->device, args->source,
                                    args->mode, args->dpi, args->set);
      };
      input.on_open = [](const std::string& scanner) {
        Print("Scanning from {}\n", scanner);
        std::fflush(stdout);
      };
      auto report =
          app::Scan(**station, CurrentCaller(), input, PrintingCallbacks());
      if (!report) return std::unexpected(report.error());
      int rc = PrintIngestSummary(*report);
      if (report->source_error &&
          report->stored() + report->duplicates() == 0) {
        return ExitCodeFor(report->source_error->code);
      }
      return rc;
    });
  });
}

}  // namespace dossier::cli
