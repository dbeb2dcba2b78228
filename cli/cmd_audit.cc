#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "app/custody.h"
#include "app/json.h"
#include "cli/custody_commands.h"

namespace dossier::cli {
namespace {

void PrintAudit(const storage::Audit& a, const TimeZone& zone) {
  Print("{}  {:<6} {:<12} started {} by {}{}\n", a.display_id, a.status,
             a.location_code, zone.DisplayUtc(a.started_at), a.started_by,
             a.closed_at.empty() ? "" : ", closed " + zone.DisplayUtc(a.closed_at));
  if (a.status == "closed") {
    Print("    found {}  missing {}  misplaced {}  unknown {}  on loan {}"
               "  duplicates {}  ({} scans){}\n",
               a.found, a.missing, a.misplaced, a.unknown, a.on_loan,
               a.duplicates, a.scans,
               a.moves_applied_at.empty()
                   ? ""
                   : "  moves applied by " + a.moves_applied_by);
  }
}

}  // namespace

void RegisterAuditCommand(CLI::App& app, const GlobalOptions& global,
                          Action* action) {
  auto* cmd = app.add_subcommand("audit", "Cabinet audits (盘点)");
  cmd->require_subcommand(1);

  auto location = std::make_shared<std::string>();
  auto* start = cmd->add_subcommand("start", "Open an audit of a location");
  start->add_option("--location", *location, "Location code or barcode")
      ->required();
  auto json = std::make_shared<bool>(false);
  start->callback([&global, location, action] {
    *action = StationAction(global, [location](app::Station& st) -> Result<int> {
      auto a = app::StartAudit(st, CurrentCaller(), *location);
      if (!a) return std::unexpected(a.error());
      PrintAudit(*a, st.Zone());
      return kExitOk;
    });
  });

  auto audit_id = std::make_shared<std::string>();
  auto files = std::make_shared<std::vector<std::string>>();
  auto photos = std::make_shared<std::vector<std::string>>();
  auto* scan = cmd->add_subcommand(
      "scan", "Feed scanned barcodes: stdin lines (a scanner), --file, or "
              "--photo (every barcode and QR code in the photo). Scan a box "
              "label first to say where the following items are");
  scan->add_option("AUDIT", *audit_id, "Audit id, e.g. AU000003")->required();
  scan->add_option("--file", *files, "Text file of barcodes, one per line");
  scan->add_option("--photo", *photos, "Photo or scan of the shelf");
  scan->callback([&global, audit_id, files, photos, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      app::AuditScanInput input;
      input.audit = *audit_id;
      for (const auto& f : *files) {
        std::ifstream in(f);
        if (!in) return MakeError(ErrorCode::kNotFound, f + ": cannot open");
        input.batches.emplace_back(f, ReadScanLines(in));
      }
      for (const auto& p : *photos) input.photos.emplace_back(p);
      if (files->empty() && photos->empty()) {
        input.batches.emplace_back("stdin", ReadScanLines(std::cin));
      }
      auto r = app::AddAuditScans(st, CurrentCaller(), input);
      if (!r) return std::unexpected(r.error());
      for (const auto& [photo, count] : r->photo_barcodes) {
        Print("{}: {} barcodes\n", photo, count);
      }
      Print("Recorded {} items ({} location labels)\n", r->total.items,
                 r->total.contexts);
      return kExitOk;
    });
  });

  auto report_dir = std::make_shared<std::string>();
  auto* close = cmd->add_subcommand(
      "close", "Reconcile and close; writes the report as PDF and CSV");
  close->add_option("AUDIT", *audit_id, "Audit id")->required();
  close->add_option("--report-dir", *report_dir,
                    "Where to write the report (default: ARCHIVE/reports)");
  close->callback([&global, audit_id, report_dir, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto r = app::CloseAudit(st, CurrentCaller(), *audit_id, *report_dir);
      if (!r) return std::unexpected(r.error());
      PrintAudit(r->audit, st.Zone());
      Print("Report: {}.pdf, {}.csv\n", r->report_base.string(),
                 r->report_base.string());
      return kExitOk;
    });
  });

  auto* report = cmd->add_subcommand("report", "Show a closed audit's lines "
                                               "(and rewrite its files)");
  report->add_option("AUDIT", *audit_id, "Audit id")->required();
  report->add_option("--report-dir", *report_dir, "Write the PDF and CSV here");
  report->add_flag("--json", *json, "Print the audit and its lines as JSON");
  report->callback([&global, audit_id, report_dir, json, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto r = app::AuditReport(st, CurrentCaller(), *audit_id, *report_dir);
      if (!r) return std::unexpected(r.error());
      if (*json) {
        nlohmann::json out = json::ToJson(r->audit);
        out["lines"] = r->lines;
        return PrintJson(out);
      }
      PrintAudit(r->audit, st.Zone());
      for (const auto& l : r->lines) {
        if (l.category == "found") continue;
        Print("  {:<10} {:<12} registered {:<12} found {:<12} {}{}\n",
                   l.category, l.barcode, l.registered_at, l.found_at,
                   l.suggested_to.empty() ? "" : "move to " + l.suggested_to,
                   l.scan_count > 1 ? fmt::format(" (x{})", l.scan_count) : "");
      }
      return kExitOk;
    });
  });

  auto* history = cmd->add_subcommand("history", "Past audits of a location");
  history->add_option("LOCATION", *location, "Location code")->required();
  history->add_flag("--json", *json, "Print the audits as JSON");
  history->callback([&global, location, json, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto audits = app::AuditHistory(st, CurrentCaller(), *location);
      if (!audits) return std::unexpected(audits.error());
      if (*json) return PrintJson(json::ToJson(*audits));
      const TimeZone zone = st.Zone();
      for (const auto& a : *audits) PrintAudit(a, zone);
      return kExitOk;
    });
  });

  auto* apply = cmd->add_subcommand(
      "apply-moves", "Apply the report's suggested moves in one step "
                     "(by an approver other than the auditor)");
  apply->add_option("AUDIT", *audit_id, "Audit id")->required();
  apply->callback([&global, audit_id, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto moved = app::ApplyAuditMoves(st, CurrentCaller(), *audit_id);
      if (!moved) return std::unexpected(moved.error());
      Print("Moved {} originals\n", moved->moved);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
