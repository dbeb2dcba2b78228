// `dossier customer add|show|list|update|link|contact add`. Entered values
// are normalised and checked by fields::NormalizeField before they reach the
// catalog; an invalid value is refused with the reason, never corrected.
#include <fmt/format.h>

#include <map>

#include "cli/command.h"
#include "fields/normalize.h"

namespace dossier::cli {

namespace {

void PrintDocuments(const std::vector<storage::DocumentRecord>& docs) {
  if (docs.empty()) {
    fmt::print("  (no documents)\n");
    return;
  }
  for (const auto& d : docs) {
    fmt::print("  {}  {:<14} {:>3} p  {:<8} {}  {}{}\n", d.display_id, d.type,
               d.page_count, d.status, d.created_at, d.title,
               d.archive_number.empty() ? "" : "  " + d.archive_number);
  }
}

struct CustomerArgs {
  std::string code;
  std::string name;
  std::string kind = "company";
  std::map<std::string, std::string> values;  // option name -> raw input
  std::string parent;
  bool unlink = false;
  std::string group;
  bool tree = false;
  std::string role;
};

// Checks a raw value with the field's normaliser; '' stays '' (clears).
Result<std::optional<std::string>> Checked(const CustomerArgs& args,
                                           const std::string& option,
                                           const std::string& field) {
  auto it = args.values.find(option);
  if (it == args.values.end()) return std::optional<std::string>();
  if (it->second.empty()) return std::optional<std::string>("");
  auto value = fields::NormalizeField(field, it->second);
  if (!value) return std::unexpected(value.error());
  return std::optional<std::string>(*value);
}

void AddValueOptions(CLI::App* cmd, CustomerArgs& args) {
  for (const char* option : {"uscc", "id-number", "phone", "email", "address"}) {
    cmd->add_option_function<std::string>(
        fmt::format("--{}", option),
        [&args, option](const std::string& v) { args.values[option] = v; },
        fmt::format("{} (checked; '' clears)", option));
  }
}

Result<storage::CustomerUpdate> UpdateFromArgs(const CustomerArgs& args) {
  storage::CustomerUpdate u;
  for (const auto& [option, field, target] :
       {std::tuple{"uscc", "uscc", &u.uscc},
        {"id-number", "id_number", &u.id_number},
        {"phone", "phone", &u.phone},
        {"email", "email", &u.email},
        {"address", "address", &u.address}}) {
    auto v = Checked(args, option, field);
    if (!v) return std::unexpected(v.error());
    *target = *v;
  }
  return u;
}

void PrintCustomerLine(const storage::Customer& c, int depth) {
  fmt::print("{}{}\t{}\t{}{}\n", std::string(depth * 2, ' '), c.code, c.kind,
             c.name, c.uscc.empty() ? "" : "\t" + c.uscc);
}

}  // namespace

void RegisterCustomer(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand("customer", "Customer files (客户档案)");
  cmd->require_subcommand(1);
  auto args = std::make_shared<CustomerArgs>();
  auto run = [&global, action](CLI::App* sub,
                               std::function<Result<int>(storage::Catalog&)> body) {
    sub->callback([&global, action, body] {
      *action = [&global, body]() -> Result<int> {
        auto archive = OpenArchive(global);
        if (!archive) return std::unexpected(archive.error());
        return body((*archive)->catalog());
      };
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
  run(add, [args](storage::Catalog& catalog) -> Result<int> {
    // Check everything before a code is issued.
    auto update = UpdateFromArgs(*args);
    if (!update) return std::unexpected(update.error());
    if (!args->parent.empty()) {
      auto parent = catalog.FindCustomer(args->parent);
      if (!parent) return std::unexpected(parent.error());
    }
    auto c = catalog.AddCustomer(args->name, args->kind, CurrentUser());
    if (!c) return std::unexpected(c.error());
    if (!args->values.empty()) {
      auto updated = catalog.UpdateCustomer(c->code, *update, CurrentUser());
      if (!updated) return std::unexpected(updated.error());
    }
    if (!args->parent.empty()) {
      auto linked = catalog.LinkCustomer(c->code, args->parent, CurrentUser());
      if (!linked) return std::unexpected(linked.error());
    }
    fmt::print("{}\t{}\t{}\n", c->code, c->kind, c->name);
    return kExitOk;
  });

  auto* show = cmd->add_subcommand(
      "show", "Show a customer file: details, group, contacts, documents");
  show->add_option("CODE", args->code, "Customer code, e.g. KH-2026-000001-X")
      ->required();
  run(show, [args](storage::Catalog& catalog) -> Result<int> {
    auto c = catalog.FindCustomer(args->code);
    if (!c) return std::unexpected(c.error());
    fmt::print("Customer  {}\nName      {}\nKind      {}\nOpened    {} by {}\n",
               c->code, c->name, c->kind, c->created_at, c->created_by);
    for (const auto& [label, value] :
         {std::pair{"USCC", c->uscc},
          {"ID number", ShowField("id_number", c->id_number)},
          {"Phone", ShowField("phone", c->phone)}, {"E-mail", c->email},
          {"Address", c->address},
          {"Group of", c->parent_code}}) {
      if (!value.empty()) fmt::print("{:<9} {}\n", label, value);
    }
    auto members = catalog.GroupMembers(c->code);
    if (!members) return std::unexpected(members.error());
    if (members->size() > 1) {
      fmt::print("Members   {}\n", members->size() - 1);
      for (size_t i = 1; i < members->size(); ++i) {
        PrintCustomerLine((*members)[i], 1);
      }
    }
    auto contacts = catalog.ListContacts(c->code);
    if (!contacts) return std::unexpected(contacts.error());
    if (!contacts->empty()) fmt::print("Contacts ({})\n", contacts->size());
    for (const auto& k : *contacts) {
      fmt::print("  {:<8} {:<8} {:<16} {} {}\n", k.role, k.name,
                 ShowField("phone", k.phone), k.email, k.address);
    }
    auto docs = catalog.ListDocuments(c->code);
    if (!docs) return std::unexpected(docs.error());
    fmt::print("Documents ({})\n", docs->size());
    PrintDocuments(*docs);
    return kExitOk;
  });

  auto* list = cmd->add_subcommand("list", "List customer files");
  list->add_option("--group", args->group,
                   "Only this customer and its subsidiaries");
  list->add_flag("--tree", args->tree, "Show group members under their parent");
  run(list, [args](storage::Catalog& catalog) -> Result<int> {
    if (!args->group.empty()) {
      auto members = catalog.GroupMembers(args->group);
      if (!members) return std::unexpected(members.error());
      for (const auto& c : *members) PrintCustomerLine(c, c.code == members->front().code ? 0 : 1);
      return kExitOk;
    }
    auto customers = catalog.ListCustomers();
    if (!customers) return std::unexpected(customers.error());
    if (!args->tree) {
      for (const auto& c : *customers) {
        fmt::print("{}\t{}\t{}{}\n", c.code, c.kind, c.name,
                   c.parent_code.empty() ? "" : "\tgroup of " + c.parent_code);
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
      "--name", [args](const std::string& v) { args->values["name"] = v; },
      "New name");
  update->add_option_function<std::string>(
      "--kind", [args](const std::string& v) { args->values["kind"] = v; },
      "company or person");
  AddValueOptions(update, *args);
  run(update, [args](storage::Catalog& catalog) -> Result<int> {
    auto u = UpdateFromArgs(*args);
    if (!u) return std::unexpected(u.error());
    if (auto it = args->values.find("name"); it != args->values.end()) {
      u->name = fields::FoldFullWidth(it->second);
    }
    if (auto it = args->values.find("kind"); it != args->values.end()) {
      u->kind = it->second;
    }
    auto c = catalog.UpdateCustomer(args->code, *u, CurrentUser());
    if (!c) return std::unexpected(c.error());
    fmt::print("{}\t{}\t{}\n", c->code, c->kind, c->name);
    return kExitOk;
  });

  auto* link = cmd->add_subcommand(
      "link", "Make a customer a member (subsidiary) of a group parent");
  link->add_option("CODE", args->code, "The subsidiary's customer code")->required();
  link->add_option("--parent", args->parent, "The group parent's customer code");
  link->add_flag("--unlink", args->unlink, "Leave the group");
  run(link, [args](storage::Catalog& catalog) -> Result<int> {
    if (args->parent.empty() == !args->unlink) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "give either --parent CODE or --unlink");
    }
    auto c = catalog.LinkCustomer(args->code, args->parent, CurrentUser());
    if (!c) return std::unexpected(c.error());
    fmt::print("{}\tgroup\t{}\n", c->code,
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
  AddValueOptions(contact_add, *args);
  run(contact_add, [args](storage::Catalog& catalog) -> Result<int> {
    storage::Contact k;
    k.customer_code = args->code;
    k.role = fields::FoldFullWidth(args->role);
    k.name = fields::FoldFullWidth(args->name);
    auto u = UpdateFromArgs(*args);
    if (!u) return std::unexpected(u.error());
    k.phone = u->phone.value_or("");
    k.email = u->email.value_or("");
    k.address = u->address.value_or("");
    auto stored = catalog.AddContact(k, CurrentUser());
    if (!stored) return std::unexpected(stored.error());
    fmt::print("{}\t{}\t{}\t{}\n", stored->customer_code, stored->role,
               stored->name, stored->phone);
    return kExitOk;
  });
}

}  // namespace dossier::cli
