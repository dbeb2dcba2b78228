#include <fmt/format.h>

#include <algorithm>

#include "app/documents.h"
#include "app/json.h"
#include "cli/command.h"
#include "records/vocabulary.h"

namespace dossier::cli {

namespace {

struct SearchArgs {
  std::vector<std::string> words;
  std::string customer;
  bool group = false;
  std::vector<std::string> types;
  std::vector<std::string> statuses;
  std::string from;
  std::string to;
  std::string date_field;
  std::vector<std::string> fields;  // NAME=VALUE
  int limit = 20;
  bool json = false;
};

}  // namespace

std::vector<std::string> ProtectSearchTerms(std::vector<std::string> args) {
  // The subcommand is the first argument that is not a global option.
  size_t i = 0;
  while (i < args.size() && args[i].starts_with("-")) {
    i += args[i] == "--archive" ? 2 : 1;
  }
  if (i >= args.size() || args[i] != "search") return args;
  for (++i; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") break;  // the rest are positionals already
    if (a.size() > 1 && a[0] == '-' && a[1] != '-' && a != "-h") {
      args[i] = "NOT " + a.substr(1);
    }
  }
  return args;
}

void RegisterSearch(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "search",
      "Full-text search of the OCR text. All words must occur; Chinese terms\n"
      "of any length (even one character) match as written, English words\n"
      "case-insensitively. Syntax: 合同 OR 协议, 合同 NOT 乙方 (or -乙方),\n"
      "\"exact phrase\", (合同 OR 协议) 甲方. AND/OR/NOT only in capitals.");
  auto args = std::make_shared<SearchArgs>();
  cmd->add_option("QUERY", args->words, "Words to find")->required();
  cmd->add_option("--customer", args->customer, "Only this customer's documents");
  cmd->add_flag("--group", args->group,
                "With --customer: also the documents of its group members");
  cmd->add_option("--type", args->types, "Document type (repeatable)")
      ->check(CLI::IsMember(records::DocumentTypeNames()));
  cmd->add_option("--status", args->statuses, "Status (repeatable)")
      ->check(CLI::IsMember(records::DocumentStatusNames()));
  cmd->add_option("--from", args->from, "From date (YYYY-MM-DD, inclusive)");
  cmd->add_option("--to", args->to, "To date (YYYY-MM-DD, inclusive)");
  cmd->add_option("--date-field", args->date_field,
                  "Field the dates apply to, e.g. signing_date (default: scan date)");
  cmd->add_option("--field", args->fields,
                  "NAME=VALUE: the document has this field value (repeatable)");
  cmd->add_option("--limit", args->limit, "Most hits to show (default 20)")
      ->check(CLI::Range(1, 10000));
  cmd->add_flag("--json", args->json, "Print hits as JSON");
  cmd->callback([&global, args, action] {
    *action = AppAction([&global, args]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::SearchInput q;
      for (const auto& w : args->words) q.text += (q.text.empty() ? "" : " ") + w;
      q.customer = args->customer;
      q.group = args->group;
      q.types = args->types;
      q.statuses = args->statuses;
      q.from = args->from;
      q.to = args->to;
      q.date_field = args->date_field;
      q.fields = args->fields;
      q.limit = args->limit;
      auto hits = app::Search(**station, CurrentCaller(), q);
      if (!hits) return std::unexpected(hits.error());
      if (args->json) return PrintJson(json::ToJson(*hits));
      if (hits->empty()) {
        Print("No documents contain: {}\n", q.text);
        return kExitOk;
      }
      int rank = 1;
      for (auto h : *hits) {
        std::replace(h.snippet.begin(), h.snippet.end(), '\n', ' ');
        Print("{:>2}. {} page {}  {}  [{}] {}\n    {}\n", rank++, h.display_id,
                   h.page_number, h.customer_code, h.type, h.title, h.snippet);
      }
      Print("{} hit(s)\n", hits->size());
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
