// `dossier export DOC --to FILE`: app::Export (lending rules for electronic
// copies apply there); `export csv KIND -o FILE`: app::ExportCsv;
// `export package (--customer CODE | --query TEXT) -o DIR` and
// `import package DIR`: app/packages.h.
#include <fmt/format.h>

#include "app/documents.h"
#include "app/exports.h"
#include "app/packages.h"
#include "cli/command.h"

namespace dossier::cli {

namespace {

void RegisterExportCsv(CLI::App* export_cmd, const GlobalOptions& global,
                       Action* action) {
  auto* csv = export_cmd->add_subcommand(
      "csv",
      "Write a list as CSV (RFC 4180, UTF-8): customers, documents, loans,\n"
      "review (the review queue) or retention-due. Values masked as on screen.");
  auto input = std::make_shared<app::CsvExportInput>();
  csv->add_option("KIND", input->kind, "customers|documents|loans|review|retention-due")
      ->required()
      ->check(CLI::IsMember(app::CsvKinds()));
  csv->add_option("-o,--to", input->to, "Destination file, e.g. customers.csv")
      ->required();
  csv->add_option("--customer", input->customer,
                  "documents, review: only this customer's");
  csv->add_option("--status", input->status,
                  "documents, loans, review: only this status");
  csv->add_flag("--bom", input->bom,
                "Start with a UTF-8 byte order mark (for Excel)");
  csv->add_flag("--force", input->force, "Overwrite the destination if it exists");
  csv->callback([&global, input, action] {
    *action = AppAction([&global, input]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto done = app::ExportCsv(**station, CurrentCaller(), *input);
      if (!done) return std::unexpected(done.error());
      Print("Exported {} {} row(s) to {}\n", done->rows, input->kind,
            done->written.string());
      return kExitOk;
    });
  });
}

void RegisterExportPackage(CLI::App* export_cmd, const GlobalOptions& global,
                           Action* action) {
  auto* pkg = export_cmd->add_subcommand(
      "package",
      "Write a customer file or a search result as a BagIt package\n"
      "(docs/package-format.md) that another archive can import");
  auto input = std::make_shared<app::PackageExportInput>();
  pkg->add_option("--customer", input->customer, "The customer file, by code");
  pkg->add_option("--query", input->query,
                  "Or every document this search finds (search syntax)");
  pkg->add_option("-o,--to", input->to, "New or empty folder for the package")
      ->required();
  pkg->callback([&global, input, action] {
    *action = AppAction([&global, input]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto done = app::ExportPackage(**station, CurrentCaller(), *input);
      if (!done) return std::unexpected(done.error());
      Print("Exported {} document(s) of {} customer(s) to {} ({} files, {} "
            "bytes)\n",
            done->documents.size(), done->customers.size(), done->dir.string(),
            done->payload_files, done->payload_bytes);
      for (const auto& s : done->skipped) Print("  skipped {}\n", s);
      return kExitOk;
    });
  });
}

// `import` lives here beside its counterpart.
void RegisterImport(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand("import", "Import into this archive");
  cmd->require_subcommand(1);
  auto* pkg = cmd->add_subcommand(
      "package",
      "Import a package made by `export package`: every checksum is verified\n"
      "first; a damaged or conflicting package changes nothing");
  auto dir = std::make_shared<std::string>();
  pkg->add_option("DIR", *dir, "The package folder")->required();
  pkg->callback([&global, dir, action] {
    *action = AppAction([&global, dir]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto done = app::ImportPackage(**station, CurrentCaller(), *dir);
      if (!done) return std::unexpected(done.error());
      Print("Verified {} file(s); imported {} document(s)\n",
            done->files_verified, done->outcome.documents.size());
      for (const auto& c : done->outcome.customers_added) {
        Print("  customer {} added\n", c);
      }
      for (const auto& c : done->outcome.customers_matched) {
        Print("  customer {} was here already (same name)\n", c);
      }
      for (const auto& [from, to] : done->outcome.documents) {
        Print("  {} -> {}\n", from, to);
      }
      return kExitOk;
    });
  });
}

}  // namespace

void RegisterExport(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "export",
      "Write a document's archived PDF to a file (checksum verified); "
      "`export csv`, `export package` for lists and packages");
  auto input = std::make_shared<app::ExportInput>();
  auto to = std::make_shared<std::string>();
  cmd->add_option("DOC", input->document,
                  "Document id (D000012), archive number or original barcode");
  cmd->add_option("--to", *to, "Destination file, e.g. contract.pdf");
  cmd->add_flag("--force", input->force, "Overwrite the destination if it exists");
  cmd->add_flag("--text", input->text,
                "Write the OCR text (UTF-8, pages separated by form feeds) "
                "instead of the PDF");
  cmd->add_option("--kept", input->kept,
                  "Write file N kept with the document instead (the scanned "
                  "PDF as received, a page left out as blank; `show` lists them)")
      ->check(CLI::PositiveNumber);
  RegisterExportCsv(cmd, global, action);
  RegisterExportPackage(cmd, global, action);
  cmd->callback([&global, cmd, input, to, action] {
    if (!cmd->get_subcommands().empty()) return;  // csv or package
    *action = AppAction([&global, input, to]() -> Result<int> {
      if (input->document.empty() || to->empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "export needs DOC and --to FILE (or: export csv, "
                         "export package)");
      }
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::ExportInput request = *input;
      request.to = *to;
      auto done = app::Export(**station, CurrentCaller(), request);
      if (!done) return std::unexpected(done.error());
      if (request.kept > 0) {
        Print("Exported kept file {} of {} to {}\n", request.kept,
              done->document.display_id, done->written.string());
        return kExitOk;
      }
      Print("Exported {}{} ({} pages) to {}\n",
                 request.text ? "the text of " : "", done->document.display_id,
                 done->document.page_count, done->written.string());
      return kExitOk;
    });
  });
  RegisterImport(app, global, action);
}

}  // namespace dossier::cli
