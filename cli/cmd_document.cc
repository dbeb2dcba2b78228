// `dossier document refile DOC`: app::RefileDocument.
#include <fmt/format.h>

#include "app/records.h"
#include "cli/command.h"
#include "records/vocabulary.h"

namespace dossier::cli {

// Prints what a refile changed, one line per changed value.
void PrintRefile(const app::RefileResult& r) {
  const auto& b = r.before;
  const auto& a = r.after;
  Print("{}\trefiled\n", a.display_id);
  if (b.customer_code != a.customer_code) {
    Print("  customer        {} {} -> {} {}\n", b.customer_code,
          b.customer_name, a.customer_code, a.customer_name);
  }
  if (b.type != a.type) Print("  type            {} -> {}\n", b.type, a.type);
  if (b.title != a.title) Print("  title           {} -> {}\n", b.title, a.title);
  if (b.archive_number != a.archive_number) {
    Print("  archive number  {} -> {}\n", b.archive_number, a.archive_number);
  }
}

void RegisterDocument(CLI::App& app, const GlobalOptions& global,
                      Action* action) {
  auto* cmd = app.add_subcommand("document", "Change how a document is filed");
  cmd->require_subcommand(1);
  struct Args {
    std::string id;
    std::string customer, type, title, reason;
  };
  auto args = std::make_shared<Args>();
  auto* refile = cmd->add_subcommand(
      "refile",
      "Move a document to another customer and/or change its type or title;\n"
      "the reason and every old value are kept in its history. A filed\n"
      "document that changes type gets a new archive number\n"
      "(docs/coding-rule.md).");
  refile->add_option("DOC", args->id, "Document, e.g. D000012")->required();
  auto* customer =
      refile->add_option("--customer", args->customer, "Customer code it moves to");
  auto* type = refile->add_option("--type", args->type, "New document type")
                   ->check(CLI::IsMember(records::DocumentTypeNames()));
  auto* title = refile->add_option("--title", args->title, "New title");
  refile->add_option("--reason", args->reason, "Why (kept in its history)")
      ->required();
  refile->callback([&global, action, args, customer, type, title] {
    app::RefileInput input;
    input.document = args->id;
    if (customer->count()) input.customer = args->customer;
    if (type->count()) input.type = args->type;
    if (title->count()) input.title = args->title;
    input.reason = args->reason;
    *action = AppAction([&global, input]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto done = app::RefileDocument(**station, CurrentCaller(), input);
      if (!done) return std::unexpected(done.error());
      PrintRefile(*done);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
