#include <fmt/format.h>

#include "cli/capture_commands.h"
#include "core/file_util.h"
#include "pipeline/station.h"
#include "records/vocabulary.h"

namespace dossier::cli {

namespace {

struct CoverArgs {
  std::string customer;
  std::string type;
  std::string title;
  std::string to;
};

}  // namespace

void RegisterCover(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "cover",
      "Make a printable cover sheet (PDF with a QR code). Put it on top of a\n"
      "document; ingesting or scanning with --split starts a new document "
      "there.");
  auto args = std::make_shared<CoverArgs>();
  cmd->add_option("--customer", args->customer, "Customer code")->required();
  cmd->add_option("--type", args->type, "Document type")
      ->required()
      ->check(CLI::IsMember(records::DocumentTypeNames()));
  cmd->add_option("--title", args->title, "Document title (optional)");
  cmd->add_option("--to", args->to, "PDF file to write")->required();
  cmd->callback([&global, args, action] {
    *action = StationAction(global, [args](app::Station& st) -> Result<int> {
      capture::CoverSheet sheet{args->customer, args->type, args->title};
      if (auto s = app::MakeCoverSheet(st, CurrentCaller(), sheet, args->to); !s) {
        return std::unexpected(s.error());
      }
      Print("Cover sheet for {} ({}) written to {}\n", args->customer,
                 args->type, args->to);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
