#include <fmt/format.h>

#include <iostream>

#include "app/custody.h"
#include "app/json.h"
#include "cli/custody_commands.h"

namespace dossier::cli {

void RegisterOriginalCommand(CLI::App& app, const GlobalOptions& global,
                             Action* action) {
  auto* cmd = app.add_subcommand("original", "Paper originals and their moves");
  cmd->require_subcommand(1);

  auto* reg = cmd->add_subcommand(
      "register", "Give a paper original its barcode and place (a document, "
                  "or a whole customer folder)");
  auto item = std::make_shared<std::string>();
  auto at = std::make_shared<std::string>();
  auto pages = std::make_shared<int>(-1);
  reg->add_option("ITEM", *item, "Document id (D000012) or customer code")
      ->required();
  reg->add_option("--at", *at, "Location code or barcode")->required();
  reg->add_option("--pages", *pages,
                  "Page count of the paper (default: the catalog's)");
  reg->callback([&global, item, at, pages, action] {
    *action = AppAction([&global, item, at, pages]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::Station& st = **station;
      auto o = app::RegisterOriginal(st, CurrentCaller(), {*item, *at, *pages});
      if (!o) return std::unexpected(o.error());
      Print("{}\t{}\t{}\n", o->barcode, *item, o->location_path);
      return kExitOk;
    });
  });

  auto* move = cmd->add_subcommand(
      "move", "Move originals; all or nothing. Without barcodes (or with -), "
              "reads them from stdin, one per line, as a scanner types them");
  auto barcodes = std::make_shared<std::vector<std::string>>();
  auto to = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  move->add_option("BARCODE", *barcodes, "Original barcodes");
  move->add_option("--to", *to, "Target location code or barcode")->required();
  move->add_option("--reason", *reason, "Why (kept in the chain of custody)")
      ->required();
  move->add_flag("--dry-run", *dry_run, "Check only; change nothing");
  move->callback([&global, barcodes, to, reason, dry_run, action] {
    *action = AppAction([&global, barcodes, to, reason, dry_run]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::Station& st = **station;
      app::MoveInput request{*barcodes, *to, *reason, *dry_run};
      if (request.barcodes.empty() ||
          (request.barcodes.size() == 1 && request.barcodes[0] == "-")) {
        request.barcodes = ReadScanLines(std::cin);
      }
      auto result = app::MoveOriginals(st, CurrentCaller(), request);
      if (!result) return std::unexpected(result.error());
      if (*dry_run) {
        const auto& problems = result->problems;
        for (const auto& p : problems) {
          Print("{}{}\n", p.barcode.empty() ? "" : p.barcode + ": ",
                     p.problem);
        }
        if (!problems.empty()) return kExitConflict;
        Print("{} originals can move to {}\n", request.barcodes.size(), *to);
        return kExitOk;
      }
      const auto* moved = &result->outcome;
      Print("Moved {} originals to {} ({} already there)\n", moved->moved,
                 *to, moved->already_there);
      return kExitOk;
    });
  });

  auto* show = cmd->add_subcommand("show", "Show one original");
  auto barcode = std::make_shared<std::string>();
  show->add_option("BARCODE", *barcode, "Original barcode")->required();
  auto json = std::make_shared<bool>(false);
  show->add_flag("--json", *json, "Print the original as JSON");
  show->callback([&global, barcode, json, action] {
    *action = AppAction([&global, barcode, json]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::Station& st = **station;
      auto o = app::ShowOriginal(st, CurrentCaller(), *barcode);
      if (!o) return std::unexpected(o.error());
      if (*json) return PrintJson(json::ToJson(*o));
      const TimeZone zone = st.Zone();
      Print("Original  {}\nItem      {} {}\nCustomer  {} {}\nPages     {}\n"
                 "Location  {}\nState     {} {}\nRegistered {} by {}\n",
                 o->barcode, o->document_display_id, o->title, o->customer_code,
                 o->customer_name, o->page_count, o->location_path, o->state,
                 o->loan_id, zone.DisplayUtc(o->registered_at), o->registered_by);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
