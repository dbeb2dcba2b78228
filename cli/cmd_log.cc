// `dossier log show|verify|export`: the hash-chained access log
// (storage/access.h, docs/access.md). Auditors and admins only.
#include <fmt/format.h>

#include "app/governance.h"
#include "app/json.h"
#include "core/json_text.h"
#include "cli/command.h"

namespace dossier::cli {
namespace {

int ReportCheck(const storage::LogCheck& check, std::string_view what) {
  if (!check.ok) {
    if (check.first_bad > 0) {
      Print("{}: FAILED at entry {}: {}\n", what, check.first_bad,
                 check.problem);
    } else {
      Print("{}: FAILED: {}\n", what, check.problem);
    }
    return kExitVerifyFailed;
  }
  Print("{}: ok, {} entries, head entry {} {}\n", what, check.entries,
             check.head_seq, check.head_hash);
  return kExitOk;
}

}  // namespace

void RegisterLog(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "log", "The access log: who did what, when, with what outcome");
  cmd->require_subcommand(1);
  struct LogArgs {
    storage::LogFilter filter;
    bool json = false;
    std::string file;
    std::string head;
    std::string key;
    std::string to;
    bool force = false;
  };
  auto args = std::make_shared<LogArgs>();
  auto run = [&global, action](CLI::App* sub,
                               std::function<Result<int>(app::Station&)> body) {
    sub->callback([&global, action, body] {
      *action = StationAction(global, body);
    });
  };

  auto* show = cmd->add_subcommand("show", "Show log entries, oldest first");
  show->add_option("--user", args->filter.user, "Only this user's entries");
  show->add_option("--record", args->filter.record,
                   "Only entries naming this record (D000012, KH-…, OR…, L…)");
  show->add_option("--since", args->filter.since,
                   "From this time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC)");
  show->add_option("--until", args->filter.until,
                   "Up to this time (a date includes the whole day)");
  show->add_flag("--json", args->json, "One JSON object per line");
  run(show, [args](app::Station& st) -> Result<int> {
    auto entries = app::ReadLog(st, CurrentCaller(), args->filter);
    if (!entries) return std::unexpected(entries.error());
    const TimeZone zone = st.Zone();
    for (const auto& e : *entries) {
      if (args->json) {
        fmt::print("{}\n", DumpJson(json::ToJson(e)));
      } else {
        // Each value escaped (Safe): a claimed name or a detail with tabs
        // or newlines cannot add a column or fake an entry.
        // The time in the archive's zone; --json keeps UTC.
        fmt::print("{}\t{}\t{}\t{}\t{}\t{}{}\n", e.seq,
                   Safe(zone.DisplayUtc(e.at)),
                   Safe(e.actor), Safe(e.outcome), Safe(e.command),
                   Safe(e.args), e.detail.empty() ? "" : "\t" + Safe(e.detail));
      }
    }
    return kExitOk;
  });

  auto* verify = cmd->add_subcommand(
      "verify", "Check the hash chain; names the first modified, deleted, "
                "inserted or reordered entry (exit 12)");
  verify->add_option("--file", args->file,
                     "Check an exported copy (dossier log export) instead");
  verify->add_option("--head", args->head,
                     "Also require this earlier head hash (from an export) "
                     "to be in the chain: detects a cut-off tail");
  verify->add_option("--key", args->key,
                     "With --file: the public key the export must be signed "
                     "with (default: this archive's, if the copy is from it)");
  verify->callback([&global, args, action] {
    *action = AppAction([&global, args]() -> Result<int> {
      auto station = OpenStation(global);
      if (!args->file.empty()) {
        // A copy can be checked without any archive.
        std::optional<std::string> key;
        if (!args->key.empty()) key = args->key;
        auto check = app::VerifyLogCopy(station ? *station : nullptr,
                                        CurrentCaller(), args->file, key);
        if (!check) return std::unexpected(check.error());
        return ReportCheck(*check, args->file);
      }
      if (!station) return std::unexpected(station.error());
      auto check = app::VerifyLog(**station, CurrentCaller(), args->head);
      if (!check) return std::unexpected(check.error());
      return ReportCheck(*check, "access log");
    });
  });

  auto* exp = cmd->add_subcommand(
      "export", "Write the whole log with its chain head, signed with the "
                "archive's Ed25519 key");
  exp->add_option("--to", args->to, "Output file (JSON)")->required();
  exp->add_flag("--force", args->force, "Overwrite the file if it exists");
  run(exp, [args](app::Station& st) -> Result<int> {
    auto check = app::ExportLog(st, CurrentCaller(), args->to, args->force);
    if (!check) return std::unexpected(check.error());
    Print("Exported {} entries to {}; head entry {} {}\n", check->entries,
               args->to, check->head_seq, check->head_hash);
    return kExitOk;
  });
}

}  // namespace dossier::cli
