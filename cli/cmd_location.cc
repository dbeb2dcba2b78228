#include <fmt/format.h>

#include "app/custody.h"
#include "app/json.h"
#include "app/sheets.h"
#include "cli/custody_commands.h"

namespace dossier::cli {
namespace {

void PrintLocation(const storage::Location& l) {
  Print("{:<14} {:<8} {:<10} {:>4}{} {}\n", l.code, l.kind, l.barcode,
             l.original_count,
             l.capacity > 0 ? fmt::format("/{:<4}", l.capacity) : "     ",
             l.name);
}

}  // namespace

void RegisterLocationCommand(CLI::App& app, const GlobalOptions& global,
                             Action* action) {
  auto* cmd = app.add_subcommand(
      "location", "Storage locations: room > cabinet > shelf > box > folder");
  cmd->require_subcommand(1);

  auto* add = cmd->add_subcommand("add", "Add one location");
  auto loc = std::make_shared<storage::NewLocation>();
  add->add_option("CODE", loc->code, "Location code, e.g. A-03-2-017")->required();
  add->add_option("--kind", loc->kind, "room, cabinet, shelf, box or folder")
      ->required()
      ->check(CLI::IsMember({"room", "cabinet", "shelf", "box", "folder"}));
  add->add_option("--in", loc->parent, "Parent location (code or barcode)");
  add->add_option("--name", loc->name, "Name, e.g. 档案室 2");
  add->add_option("--capacity", loc->capacity,
                  "How many originals it holds (0: unlimited)");
  add->add_option("--security", loc->security, "Security level note");
  add->callback([&global, loc, action] {
    *action = AppAction([&global, loc]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::Station& st = **station;
      auto l = app::AddLocation(st, CurrentCaller(), *loc);
      if (!l) return std::unexpected(l.error());
      Print("{}\t{}\t{}\n", l->code, l->barcode, l->path);
      return kExitOk;
    });
  });

  auto* cab = cmd->add_subcommand(
      "add-cabinet",
      "Add a cabinet with its shelves and boxes, e.g. A-03 --shelves 5 --boxes 20");
  auto spec = std::make_shared<storage::CabinetSpec>();
  cab->add_option("CODE", spec->code, "Cabinet code, e.g. A-03")->required();
  cab->add_option("--in", spec->parent, "The room")->required();
  cab->add_option("--shelves", spec->shelves, "Number of shelves")->required();
  cab->add_option("--boxes", spec->boxes_per_shelf, "Boxes per shelf")->required();
  cab->add_option("--box-capacity", spec->box_capacity,
                  "Originals per box (0: unlimited)");
  cab->add_option("--security", spec->security, "Security level note");
  cab->callback([&global, spec, action] {
    *action = AppAction([&global, spec]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::Station& st = **station;
      auto made = app::AddCabinet(st, CurrentCaller(), *spec);
      if (!made) return std::unexpected(made.error());
      Print("Added {} locations: {} .. {}\n", made->size(),
                 made->front().code, made->back().code);
      return kExitOk;
    });
  });

  auto* list = cmd->add_subcommand("list", "List locations");
  auto under = std::make_shared<std::string>();
  list->add_option("--under", *under, "Only this location and those below it");
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "Print the locations as JSON");
  list->callback([&global, under, json, action] {
    *action = AppAction([&global, under, json]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::Station& st = **station;
      auto all = app::ListLocations(st, CurrentCaller(), *under);
      if (all && *json) return PrintJson(json::ToJson(*all));
      if (!all) return std::unexpected(all.error());
      for (const auto& l : *all) PrintLocation(l);
      return kExitOk;
    });
  });

  auto* tree = cmd->add_subcommand("tree", "Show locations as a tree");
  auto root = std::make_shared<std::string>();
  tree->add_option("LOCATION", *root, "Start here (default: everything)");
  tree->add_flag("--json", *json, "Print the locations as JSON");
  tree->callback([&global, root, json, action] {
    *action = AppAction([&global, root, json]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::Station& st = **station;
      auto all = app::ListLocations(st, CurrentCaller(), *root, true);
      if (all && *json) return PrintJson(json::ToJson(*all));
      if (!all) return std::unexpected(all.error());
      for (const auto& l : *all) {
        const auto depth = std::count(l.path.begin(), l.path.end(), '/');
        Print("{}{} ({}, {} originals{})\n",
                   std::string(static_cast<size_t>(depth) * 2, ' '), l.code,
                   l.kind, l.original_count,
                   l.capacity > 0 ? fmt::format(" of {}", l.capacity) : "");
      }
      return kExitOk;
    });
  });

  auto* sheet = cmd->add_subcommand(
      "sheet", "Print what a box (or any location) holds, as a PDF sheet");
  auto sheet_key = std::make_shared<std::string>();
  auto sheet_out = std::make_shared<app::SheetOutput>();
  sheet->add_option("LOCATION", *sheet_key, "Code or barcode")->required();
  sheet->add_option("-o,--to", sheet_out->to, "PDF file to write")->required();
  sheet->add_flag("--force", sheet_out->force, "Replace an existing file");
  sheet->add_option("--font", sheet_out->font, "CJK TrueType font file");
  sheet->callback([&global, sheet_key, sheet_out, action] {
    *action = AppAction([&global, sheet_key, sheet_out]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto done =
          app::PrintBoxSheet(**station, CurrentCaller(), *sheet_key, *sheet_out);
      if (!done) return std::unexpected(done.error());
      Print("Wrote the contents of {} ({} originals) to {}\n", done->subject,
            done->rows, done->written.string());
      return kExitOk;
    });
  });

  auto* show = cmd->add_subcommand("show", "Show a location and its originals");
  auto key = std::make_shared<std::string>();
  show->add_option("LOCATION", *key, "Code or barcode")->required();
  show->add_flag("--json", *json, "Print the location and its originals as JSON");
  show->callback([&global, key, json, action] {
    *action = AppAction([&global, key, json]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::Station& st = **station;
      auto view = app::ShowLocation(st, CurrentCaller(), *key);
      if (!view) return std::unexpected(view.error());
      if (*json) {
        nlohmann::json out = json::ToJson(view->location);
        out["held"] = view->originals;
        return PrintJson(out);
      }
      const storage::Location* l = &view->location;
      Print("Location  {}\nKind      {}\nBarcode   {}\nPath      {}\n"
                 "Name      {}\nSecurity  {}\nCapacity  {}\nHolds     {}\n",
                 l->code, l->kind, l->barcode, l->path, l->name, l->security,
                 l->capacity > 0 ? std::to_string(l->capacity) : "unlimited",
                 l->original_count);
      for (const auto& o : view->originals) {
        Print("  {}  {:<16} {:<8} {} {}\n", o.barcode, o.state,
                   o.document_display_id.empty() ? o.customer_code
                                                 : o.document_display_id,
                   o.customer_name, o.title);
      }
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
