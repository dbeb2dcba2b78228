// `dossier customer add|show|list|update|link|contact add`: app/records.h,
// which checks entered values, masks and logs.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "app/json.h"
#include "app/records.h"
#include "app/sheets.h"
#include "cli/command.h"

namespace dossier::cli {

namespace {

void PrintDocuments(const std::vector<storage::DocumentRecord>& docs,
                    const TimeZone& zone) {
  if (docs.empty()) {
    Print("  (no documents)\n");
    return;
  }
  for (const auto& d : docs) {
    Print("  {}  {:<14} {:>3} p  {:<8} {}  {}{}\n", d.display_id, d.type,
               d.page_count, d.status, zone.DisplayUtc(d.created_at), d.title,
               d.archive_number.empty() ? "" : "  " + d.archive_number);
  }
}

struct CustomerArgs {
  std::string code;
  std::string name;
  std::string kind = "company";
  app::EnteredValues values;  // field name -> raw input
  std::optional<std::string> new_name;
  std::optional<std::string> new_kind;
  std::string parent;
  bool unlink = false;
  std::string group;
  bool tree = false;
  std::string role;
  bool json = false;
};

void AddValueOptions(CLI::App* cmd, CustomerArgs& args,
                     std::initializer_list<const char*> options = {
                         "uscc", "id-number", "phone", "email", "address"}) {
  for (const char* option : options) {
    std::string field = option;
    std::replace(field.begin(), field.end(), '-', '_');
    cmd->add_option_function<std::string>(
        fmt::format("--{}", option),
        [&args, field](const std::string& v) { args.values[field] = v; },
        fmt::format("{} (checked; '' clears)", option));
  }
}

void PrintCustomerLine(const storage::Customer& c, int depth) {
  fmt::print("{}{}\t{}\t{}{}\n", std::string(depth * 2, ' '), Safe(c.code),
             Safe(c.kind), Safe(c.name), c.uscc.empty() ? "" : "\t" + Safe(c.uscc));
}

}  // namespace

void RegisterCustomer(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand("customer", "Customer files (客户档案)");
  cmd->require_subcommand(1);
  auto args = std::make_shared<CustomerArgs>();
  auto run = [&global, action](CLI::App* sub,
                               std::function<Result<int>(app::Station&)> body) {
    sub->callback([&global, action, body] {
      *action = AppAction([&global, body]() -> Result<int> {
        auto station = OpenStation(global);
        if (!station) return std::unexpected(station.error());
        return body(**station);
      });
    });
  };

  auto* add = cmd->add_subcommand(
      "add", "Open a customer file; prints its new customer code");
  add->add_option("--name", args->name, "Customer name (company or person)")
      ->required();
  add->add_option("--kind", args->kind, "company or person")
      ->check(CLI::IsMember({"company", "person"}));
  add->add_option("--parent", args->parent, "Group parent's customer code");
  AddValueOptions(add, *args);
  add->add_flag("--json", args->json, "Print the new customer as JSON");
  run(add, [args](app::Station& st) -> Result<int> {
    auto c = app::AddCustomer(st, CurrentCaller(),
                              {args->name, args->kind, args->parent, args->values});
    if (!c) return std::unexpected(c.error());
    if (args->json) return PrintJson(json::ToJson(*c));
    Print("{}\t{}\t{}\n", c->code, c->kind, c->name);
    return kExitOk;
  });

  auto* show = cmd->add_subcommand(
      "show", "Show a customer file: details, group, contacts, documents");
  show->add_option("CODE", args->code, "Customer code, e.g. KH-2026-000001-X")
      ->required();
  show->add_flag("--json", args->json, "Print the customer file as JSON");
  run(show, [args](app::Station& st) -> Result<int> {
    auto file = app::ShowCustomer(st, CurrentCaller(), args->code);
    if (!file) return std::unexpected(file.error());
    if (args->json) return PrintJson(json::ToJson(*file));
    const auto& c = file->customer;
    const TimeZone zone = st.Zone();
    Print("Customer  {}\nName      {}\nKind      {}\nOpened    {} by {}\n",
               c.code, c.name, c.kind, zone.DisplayUtc(c.created_at),
               c.created_by);
    for (const auto& [label, value] :
         {std::pair{"USCC", c.uscc}, {"ID number", c.id_number},
          {"Phone", c.phone}, {"E-mail", c.email}, {"Address", c.address},
          {"Group of", c.parent_code}}) {
      if (!value.empty()) Print("{:<9} {}\n", label, value);
    }
    if (!file->members.empty()) {
      Print("Members   {}\n", file->members.size());
      for (const auto& m : file->members) PrintCustomerLine(m, 1);
    }
    if (!file->contacts.empty()) {
      Print("Contacts ({})\n", file->contacts.size());
    }
    for (const auto& k : file->contacts) {
      Print("  {:<8} {:<8} {:<16} {} {}\n", k.role, k.name, k.phone,
                 k.email, k.address);
    }
    Print("Documents ({})\n", file->documents.size());
    PrintDocuments(file->documents, zone);
    return kExitOk;
  });

  auto* index = cmd->add_subcommand(
      "index", "Print the document index of a customer file (卷内目录), PDF");
  auto sheet = std::make_shared<app::SheetOutput>();
  index->add_option("CODE", args->code, "Customer code")->required();
  index->add_option("-o,--to", sheet->to, "PDF file to write")->required();
  index->add_flag("--force", sheet->force, "Replace an existing file");
  index->add_option("--font", sheet->font, "CJK TrueType font file");
  run(index, [args, sheet](app::Station& st) -> Result<int> {
    auto done = app::PrintCustomerIndex(st, CurrentCaller(), args->code, *sheet);
    if (!done) return std::unexpected(done.error());
    Print("Wrote the document index of {} ({} documents) to {}\n",
          done->subject, done->rows, done->written.string());
    return kExitOk;
  });

  auto* list = cmd->add_subcommand("list", "List customer files");
  list->add_option("--group", args->group,
                   "Only this customer and its subsidiaries");
  list->add_option("--name", args->name,
                   "Only customers whose name contains this, e.g. 明川");
  list->add_flag("--tree", args->tree, "Show group members under their parent");
  list->add_flag("--json", args->json, "Print the customers as JSON");
  run(list, [args](app::Station& st) -> Result<int> {
    auto customers =
        app::ListCustomers(st, CurrentCaller(), args->group, args->name);
    if (!customers) return std::unexpected(customers.error());
    if (args->json) return PrintJson(json::ToJson(*customers));
    if (!args->name.empty() && customers->empty()) {
      Print("No customer's name contains {}\n", args->name);
      return kExitOk;
    }
    if (!args->group.empty() && args->name.empty()) {
      for (const auto& c : *customers) {
        PrintCustomerLine(c, c.code == customers->front().code ? 0 : 1);
      }
      return kExitOk;
    }
    if (!args->tree || !args->name.empty()) {
      for (const auto& c : *customers) {
        fmt::print("{}\t{}\t{}{}\n", Safe(c.code), Safe(c.kind), Safe(c.name),
                   c.parent_code.empty() ? "" : "\tgroup of " + Safe(c.parent_code));
      }
      return kExitOk;
    }
    std::multimap<std::string, const storage::Customer*> children;
    for (const auto& c : *customers) children.emplace(c.parent_code, &c);
    std::function<void(const std::string&, int)> walk = [&](const std::string& parent,
                                                             int depth) {
      auto [b, e] = children.equal_range(parent);
      for (auto it = b; it != e; ++it) {
        PrintCustomerLine(*it->second, depth);
        walk(it->second->code, depth + 1);
      }
    };
    walk("", 0);
    return kExitOk;
  });

  auto* update = cmd->add_subcommand(
      "update", "Change a customer's details; old values go to history");
  update->add_option("CODE", args->code, "Customer code")->required();
  update->add_option_function<std::string>(
      "--name", [args](const std::string& v) { args->new_name = v; },
      "New name");
  update->add_option_function<std::string>(
      "--kind", [args](const std::string& v) { args->new_kind = v; },
      "company or person");
  AddValueOptions(update, *args);
  run(update, [args](app::Station& st) -> Result<int> {
    auto c = app::UpdateCustomer(st, CurrentCaller(), args->code,
                                 {args->new_name, args->new_kind, args->values});
    if (!c) return std::unexpected(c.error());
    Print("{}\t{}\t{}\n", c->code, c->kind, c->name);
    return kExitOk;
  });

  auto* link = cmd->add_subcommand(
      "link", "Make a customer a member (subsidiary) of a group parent");
  link->add_option("CODE", args->code, "The subsidiary's customer code")->required();
  link->add_option("--parent", args->parent, "The group parent's customer code");
  link->add_flag("--unlink", args->unlink, "Leave the group");
  run(link, [args](app::Station& st) -> Result<int> {
    if (args->parent.empty() == !args->unlink) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "give either --parent CODE or --unlink");
    }
    auto c = app::LinkCustomer(st, CurrentCaller(), args->code, args->parent);
    if (!c) return std::unexpected(c.error());
    Print("{}\tgroup\t{}\n", c->code,
               c->parent_code.empty() ? "(none)" : c->parent_code);
    return kExitOk;
  });

  auto* contact = cmd->add_subcommand("contact", "Contacts of a customer");
  contact->require_subcommand(1);
  auto* contact_add = contact->add_subcommand(
      "add", "Add a contact: role (法定代表人, 经办人, 财务联系人…), name, phone…");
  contact_add->add_option("CODE", args->code, "Customer code")->required();
  contact_add->add_option("--role", args->role, "Role, e.g. 经办人")->required();
  contact_add->add_option("--name", args->name, "Name")->required();
  AddValueOptions(contact_add, *args, {"phone", "email", "address"});
  run(contact_add, [args](app::Station& st) -> Result<int> {
    auto stored = app::AddContact(st, CurrentCaller(),
                                  {args->code, args->role, args->name, args->values});
    if (!stored) return std::unexpected(stored.error());
    Print("{}\t{}\t{}\t{}\n", stored->customer_code, stored->role,
               stored->name, stored->phone);
    return kExitOk;
  });
}

}  // namespace dossier::cli
