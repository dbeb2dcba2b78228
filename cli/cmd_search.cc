#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "cli/command.h"

namespace dossier::cli {

namespace {

struct SearchArgs {
  std::vector<std::string> words;
  std::string customer;
  int limit = 20;
  bool json = false;
};

}  // namespace

void RegisterSearch(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "search",
      "Full-text search of the OCR text. All words must occur; Chinese terms\n"
      "of any length (even one character) match as written, English words\n"
      "case-insensitively.");
  auto args = std::make_shared<SearchArgs>();
  cmd->add_option("QUERY", args->words, "Words to find")->required();
  cmd->add_option("--customer", args->customer, "Only this customer's documents");
  cmd->add_option("--limit", args->limit, "Most hits to show (default 20)")
      ->check(CLI::Range(1, 10000));
  cmd->add_flag("--json", args->json, "Print hits as JSON");
  cmd->callback([&global, args, action] {
    *action = [&global, args]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::SearchQuery q;
      for (const auto& w : args->words) q.text += (q.text.empty() ? "" : " ") + w;
      q.customer_code = args->customer;
      q.limit = args->limit;
      auto hits = (*archive)->catalog().Search(q);
      if (!hits) return std::unexpected(hits.error());
      if (args->json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& h : *hits) {
          out.push_back({{"document", h.display_id},
                         {"customer", h.customer_code},
                         {"title", h.title},
                         {"type", h.type},
                         {"page", h.page_number},
                         {"score", h.score},
                         {"snippet", h.snippet}});
        }
        fmt::print("{}\n", out.dump(2, ' ', false,
                                    nlohmann::json::error_handler_t::replace));
        return kExitOk;
      }
      if (hits->empty()) {
        fmt::print("No documents contain: {}\n", q.text);
        return kExitOk;
      }
      int rank = 1;
      for (auto h : *hits) {
        std::replace(h.snippet.begin(), h.snippet.end(), '\n', ' ');
        fmt::print("{:>2}. {} page {}  {}  [{}] {}\n    {}\n", rank++, h.display_id,
                   h.page_number, h.customer_code, h.type, h.title, h.snippet);
      }
      fmt::print("{} hit(s)\n", hits->size());
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
