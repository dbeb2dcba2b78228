#include <fmt/format.h>

#include "cli/command.h"

namespace dossier::cli {

namespace {

void PrintDocuments(const std::vector<storage::DocumentRecord>& docs) {
  if (docs.empty()) {
    fmt::print("  (no documents)\n");
    return;
  }
  for (const auto& d : docs) {
    fmt::print("  {}  {:<14} {:>3} p  {:<8} {}  {}\n", d.display_id, d.type,
               d.page_count, d.status, d.created_at, d.title);
  }
}

}  // namespace

void RegisterCustomer(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand("customer", "Customer files (客户档案)");
  cmd->require_subcommand(1);

  auto* add = cmd->add_subcommand(
      "add", "Open a customer file; prints its new customer code");
  auto name = std::make_shared<std::string>();
  auto kind = std::make_shared<std::string>("company");
  add->add_option("--name", *name, "Customer name (company or person)")->required();
  add->add_option("--kind", *kind, "company or person")
      ->check(CLI::IsMember({"company", "person"}));
  add->callback([&global, name, kind, action] {
    *action = [&global, name, kind]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      auto c = (*archive)->catalog().AddCustomer(*name, *kind, CurrentUser());
      if (!c) return std::unexpected(c.error());
      fmt::print("{}\t{}\t{}\n", c->code, c->kind, c->name);
      return kExitOk;
    };
  });

  auto* show = cmd->add_subcommand("show", "Show a customer file and its documents");
  auto code = std::make_shared<std::string>();
  show->add_option("CODE", *code, "Customer code, e.g. KH-2026-000001-X")->required();
  show->callback([&global, code, action] {
    *action = [&global, code]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      auto& catalog = (*archive)->catalog();
      auto c = catalog.FindCustomer(*code);
      if (!c) return std::unexpected(c.error());
      fmt::print("Customer  {}\nName      {}\nKind      {}\nOpened    {} by {}\n",
                 c->code, c->name, c->kind, c->created_at, c->created_by);
      auto docs = catalog.ListDocuments(c->code);
      if (!docs) return std::unexpected(docs.error());
      fmt::print("Documents ({})\n", docs->size());
      PrintDocuments(*docs);
      return kExitOk;
    };
  });

  auto* list = cmd->add_subcommand("list", "List customer files");
  list->callback([&global, action] {
    *action = [&global]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      auto customers = (*archive)->catalog().ListCustomers();
      if (!customers) return std::unexpected(customers.error());
      for (const auto& c : *customers) {
        fmt::print("{}\t{}\t{}\n", c.code, c.kind, c.name);
      }
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
