#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "archive/report.h"
#include "capture/barcode.h"
#include "cli/custody_commands.h"
#include "core/file_util.h"

namespace dossier::cli {
namespace {

void PrintAudit(const storage::Audit& a) {
  fmt::print("{}  {:<6} {:<12} started {} by {}{}\n", a.display_id, a.status,
             a.location_code, a.started_at, a.started_by,
             a.closed_at.empty() ? "" : ", closed " + a.closed_at);
  if (a.status == "closed") {
    fmt::print("    found {}  missing {}  misplaced {}  unknown {}  on loan {}"
               "  duplicates {}  ({} scans){}\n",
               a.found, a.missing, a.misplaced, a.unknown, a.on_loan,
               a.duplicates, a.scans,
               a.moves_applied_at.empty()
                   ? ""
                   : "  moves applied by " + a.moves_applied_by);
  }
}

// Writes DIR/AUxxxxxx.pdf and .csv; the default DIR is ARCHIVE/reports.
Result<std::filesystem::path> WriteReport(storage::Custody& custody,
                                          const storage::Audit& audit,
                                          const std::filesystem::path& dir) {
  auto lines = custody.AuditReport(audit.display_id);
  if (!lines) return std::unexpected(lines.error());
  archive::AuditReportData data;
  data.audit_id = audit.display_id;
  data.location_path = audit.location_path;
  data.started = audit.started_at + " by " + audit.started_by;
  data.closed = audit.closed_at + " by " + audit.closed_by;
  data.counts = {{"found", audit.found},         {"missing", audit.missing},
                 {"misplaced", audit.misplaced}, {"unknown", audit.unknown},
                 {"on loan", audit.on_loan},     {"duplicates", audit.duplicates}};
  for (const auto& l : *lines) {
    data.lines.push_back({l.category, l.barcode,
                          l.customer_code.empty()
                              ? ""
                              : l.customer_code + " " + l.customer_name,
                          l.title, l.registered_at, l.found_at, l.suggested_to,
                          l.scan_count});
  }
  // The report lists found originals last: they need no action.
  auto pdf = archive::WriteAuditReportPdf(data);
  if (!pdf) return std::unexpected(pdf.error());
  const auto base = dir / audit.display_id;
  if (auto s = WriteFileAtomic(base.string() + ".pdf", *pdf); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = WriteFileAtomic(base.string() + ".csv",
                               archive::WriteAuditReportCsv(data));
      !s) {
    return std::unexpected(s.error());
  }
  return base;
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
  start->callback([&global, location, action] {
    *action = [&global, location]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Custody custody((*archive)->catalog());
      auto a = custody.StartAudit(*location, CurrentUser());
      if (!a) return std::unexpected(a.error());
      PrintAudit(*a);
      return kExitOk;
    };
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
    *action = [&global, audit_id, files, photos]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Custody custody((*archive)->catalog());
      storage::ScanOutcome total;
      auto feed = [&](const std::vector<std::string>& lines,
                      const std::string& source) -> Status {
        auto r = custody.AddScans(*audit_id, lines, source);
        if (!r) return std::unexpected(r.error());
        total.items += r->items;
        total.contexts += r->contexts;
        return Ok();
      };
      for (const auto& f : *files) {
        std::ifstream in(f);
        if (!in) return MakeError(ErrorCode::kNotFound, f + ": cannot open");
        if (auto s = feed(ReadScanLines(in), f); !s) {
          return std::unexpected(s.error());
        }
      }
      for (const auto& p : *photos) {
        auto codes = capture::DecodeBarcodesInFile(p);
        if (!codes) return std::unexpected(codes.error());
        std::vector<std::string> lines;
        for (const auto& c : *codes) lines.push_back(c.text);
        // A location label in the photo says where the items are.
        std::stable_partition(lines.begin(), lines.end(), [](const auto& s) {
          return storage::IsLocationBarcode(storage::NormalizeScan(s));
        });
        fmt::print("{}: {} barcodes\n", p, lines.size());
        if (auto s = feed(lines, p); !s) return std::unexpected(s.error());
      }
      if (files->empty() && photos->empty()) {
        if (auto s = feed(ReadScanLines(std::cin), "stdin"); !s) {
          return std::unexpected(s.error());
        }
      }
      fmt::print("Recorded {} items ({} location labels)\n", total.items,
                 total.contexts);
      return kExitOk;
    };
  });

  auto report_dir = std::make_shared<std::string>();
  auto* close = cmd->add_subcommand(
      "close", "Reconcile and close; writes the report as PDF and CSV");
  close->add_option("AUDIT", *audit_id, "Audit id")->required();
  close->add_option("--report-dir", *report_dir,
                    "Where to write the report (default: ARCHIVE/reports)");
  close->callback([&global, audit_id, report_dir, action] {
    *action = [&global, audit_id, report_dir]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Custody custody((*archive)->catalog());
      auto a = custody.CloseAudit(*audit_id, CurrentUser());
      if (!a) return std::unexpected(a.error());
      PrintAudit(*a);
      auto base = WriteReport(custody, *a,
                              report_dir->empty()
                                  ? (*archive)->dir() / "reports"
                                  : std::filesystem::path(*report_dir));
      if (!base) return std::unexpected(base.error());
      fmt::print("Report: {}.pdf, {}.csv\n", base->string(), base->string());
      return kExitOk;
    };
  });

  auto* report = cmd->add_subcommand("report", "Show a closed audit's lines "
                                               "(and rewrite its files)");
  report->add_option("AUDIT", *audit_id, "Audit id")->required();
  report->add_option("--report-dir", *report_dir, "Write the PDF and CSV here");
  report->callback([&global, audit_id, report_dir, action] {
    *action = [&global, audit_id, report_dir]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Custody custody((*archive)->catalog());
      auto a = custody.GetAudit(*audit_id);
      if (!a) return std::unexpected(a.error());
      PrintAudit(*a);
      auto lines = custody.AuditReport(*audit_id);
      if (!lines) return std::unexpected(lines.error());
      for (const auto& l : *lines) {
        if (l.category == "found") continue;
        fmt::print("  {:<10} {:<12} registered {:<12} found {:<12} {}{}\n",
                   l.category, l.barcode, l.registered_at, l.found_at,
                   l.suggested_to.empty() ? "" : "move to " + l.suggested_to,
                   l.scan_count > 1 ? fmt::format(" (x{})", l.scan_count) : "");
      }
      if (!report_dir->empty()) {
        auto base = WriteReport(custody, *a, *report_dir);
        if (!base) return std::unexpected(base.error());
      }
      return kExitOk;
    };
  });

  auto* history = cmd->add_subcommand("history", "Past audits of a location");
  history->add_option("LOCATION", *location, "Location code")->required();
  history->callback([&global, location, action] {
    *action = [&global, location]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Custody custody((*archive)->catalog());
      auto audits = custody.AuditHistory(*location);
      if (!audits) return std::unexpected(audits.error());
      for (const auto& a : *audits) PrintAudit(a);
      return kExitOk;
    };
  });

  auto* apply = cmd->add_subcommand(
      "apply-moves", "Apply the report's suggested moves in one step "
                     "(by an approver other than the auditor)");
  apply->add_option("AUDIT", *audit_id, "Audit id")->required();
  apply->callback([&global, audit_id, action] {
    *action = [&global, audit_id]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Custody custody((*archive)->catalog());
      auto moved = custody.ApplyAuditMoves(*audit_id, CurrentUser());
      if (!moved) return std::unexpected(moved.error());
      fmt::print("Moved {} originals\n", moved->moved);
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
