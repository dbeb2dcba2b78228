// dossier worker and dossier jobs: the work queue (app/queue.h).
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>

#include "app/queue.h"
#include "cli/capture_commands.h"

namespace dossier::cli {

namespace {

struct WorkerArgs {
  std::string name;
  int lease = 60;
  int max_attempts = 3;
  double poll = 2.0;
  bool once = false;
  int jobs = 1;
};

struct JobsArgs {
  std::string item;
  std::string state;
  int limit = 50;
};

void PrintItem(const storage::WorkItem& w) {
  Print("{}  {:<7}  {}  by {}  attempts {}{}{}\n", w.display_id, w.state, w.enqueued_at,
        w.enqueued_by, w.attempts, w.worker.empty() ? "" : "  worker " + w.worker,
        w.error.empty() ? "" : "\n    error: " + EscapeControls(w.error, true));
}

}  // namespace

void RegisterWorker(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "worker",
      "Take queued OCR work (`dossier ingest --queue`) and clean, OCR and file "
      "it.\nRun one or more on any machine sharing the archive. A worker that "
      "dies\nloses its lease and another does the item again; the same input "
      "is never\nfiled twice. SIGTERM or Ctrl-C stops after the current item.");
  auto args = std::make_shared<WorkerArgs>();
  cmd->add_option("--name", args->name, "Worker name in the queue (default HOST:PID)");
  cmd->add_option("--lease-seconds", args->lease,
                  "Lease on an item, renewed while it runs (default 60)")
      ->check(CLI::Range(3, 86400));
  cmd->add_option("--max-attempts", args->max_attempts,
                  "Claims of one item before it fails (default 3)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--poll-seconds", args->poll,
                  "Seconds between looks at an empty queue (default 2)")
      ->check(CLI::Range(0.05, 600.0));
  cmd->add_option("--jobs", args->jobs, "OCR workers per item (default 1)")
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--once", args->once, "Leave when the queue is empty");
  cmd->callback([&global, args, action] {
    *action = StationAction(global, [args](app::Station& st) -> Result<int> {
      app::WorkerOptions options;
      options.name = args->name;
      options.lease_seconds = args->lease;
      options.max_attempts = args->max_attempts;
      options.poll_seconds = args->poll;
      options.once = args->once;
      options.jobs = args->jobs;
      const std::atomic<bool>& stop = StopOnSigintAndSigterm();
      options.stop = &stop;
      app::WorkerCallbacks callbacks;
      callbacks.ingest = PrintingCallbacks();
      callbacks.on_claim = [](const storage::WorkItem& w) {
        Print("taking {} (attempt {}, queued by {})\n", w.display_id, w.attempts,
              w.enqueued_by);
        std::fflush(stdout);
      };
      callbacks.on_end = [](const storage::WorkItem& w,
                            const Result<pipeline::IngestReport>& r) {
        if (w.state == "done") {
          Print("done   {}: {} stored, {} duplicate(s), {} failed\n", w.display_id,
                r ? r->stored() : 0, r ? r->duplicates() : 0, r ? r->failed() : 0);
        } else if (w.state == "failed") {
          Print("failed {}: {}\n", w.display_id, EscapeControls(w.error, true));
        } else {
          Print("lost   {}: another worker took it over\n", w.display_id);
        }
        std::fflush(stdout);
      };
      auto report = app::RunWorker(st, CurrentCaller(), options, callbacks);
      if (!report) return std::unexpected(report.error());
      Print("{}: {} item(s) done, {} failed, {} lost\n",
            stop.load() ? "Stopped" : "Finished", report->done, report->failed,
            report->lost);
      return report->failed > 0 ? kExitPartial : kExitOk;
    });
  });

  auto* jobs = app.add_subcommand(
      "jobs",
      "The work queue: queued, running, done and failed OCR work, newest first;\n"
      "with ITEM, one item and its result.");
  auto jargs = std::make_shared<JobsArgs>();
  jobs->add_option("ITEM", jargs->item, "A work item (W000012)");
  jobs->add_option("--state", jargs->state, "Only items in this state")
      ->check(CLI::IsMember({"queued", "running", "done", "failed"}));
  jobs->add_option("--limit", jargs->limit, "At most this many (default 50)")
      ->check(CLI::Range(1, 100000));
  jobs->callback([&global, jargs, action] {
    *action = StationAction(global, [jargs](app::Station& st) -> Result<int> {
      if (!jargs->item.empty()) {
        auto w = app::ShowWork(st, CurrentCaller(), jargs->item);
        if (!w) return std::unexpected(w.error());
        PrintItem(*w);
        if (!w->result.empty()) Print("    result: {}\n", w->result);
        return kExitOk;
      }
      auto items = app::ListWork(st, CurrentCaller(), jargs->state, jargs->limit);
      if (!items) return std::unexpected(items.error());
      if (items->empty()) Print("no work items / 没有任务\n");
      for (const auto& w : *items) PrintItem(w);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
