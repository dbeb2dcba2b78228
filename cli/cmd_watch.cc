#include <fmt/format.h>

#include <atomic>
#include <csignal>

#include "cli/capture_commands.h"
#include "pipeline/hot_folder.h"

namespace dossier::cli {

namespace {

struct WatchArgs {
  std::string dir;
  double settle = 5.0;
  double poll = 1.0;
  double max_wait = 600.0;
  bool once = false;
  CaptureIngestArgs ingest;
};

}  // namespace

void RegisterWatch(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "watch",
      "Watch a hot folder: ingest each file once it is completely written, "
      "then\n"
      "move it to DIR/done/ (or DIR/failed/ with a .reason.txt). Files in a\n"
      "sub-folder named after a customer code are filed under that customer;\n"
      "files in DIR are split at cover sheets unless --customer is given.\n"
      "Symbolic links are never followed: a link goes to DIR/failed/. A file\n"
      "being processed when the station stopped goes to DIR/failed/ at the\n"
      "next start. Ctrl-C stops after the current file.");
  auto args = std::make_shared<WatchArgs>();
  cmd->add_option("DIR", args->dir, "Folder to watch")->required();
  cmd->add_option(
         "--settle", args->settle,
         "Seconds a file's size and time must stay unchanged (default 5)")
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--poll", args->poll, "Seconds between looks (default 1)")
      ->check(CLI::Range(0.01, 600.0));
  cmd->add_option("--max-wait", args->max_wait,
                  "Seconds to wait for a file that stays incomplete or open "
                  "for writing\nbefore it fails (default 600)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_flag("--once", args->once, "Process the files there now, then exit");
  AddCaptureIngestOptions(cmd, &args->ingest, /*with_split=*/false);
  cmd->callback([&global, args, action] {
    *action = StationAction(global, [args](app::Station& st) -> Result<int> {
      app::WatchInput options;
      options.capture = args->ingest;
      options.dir = args->dir;
      options.settle_seconds = args->settle;
      options.poll_seconds = args->poll;
      options.max_wait_seconds = args->max_wait;
      options.once = args->once;
      const std::atomic<bool>& stop = StopOnSigintAndSigterm();
      options.stop = &stop;

      pipeline::WatchCallbacks callbacks;
      callbacks.ingest = PrintingCallbacks();
      callbacks.on_start = [](const std::filesystem::path& f) {
        Print("taking {}\n", f.string());
        std::fflush(stdout);
      };
      callbacks.on_file = [](const pipeline::WatchFileEvent& e) {
        if (e.ok) {
          Print("done   {} -> {}\n", e.file.string(), e.moved_to.string());
        } else {
          Print("failed {} -> {}: {}\n", e.file.string(),
                     e.moved_to.string(), e.reason);
        }
        std::fflush(stdout);
      };
      Print("Watching {} (settle {:g} s){}\n", args->dir, args->settle,
                 args->once ? ", once" : "; Ctrl-C to stop");
      std::fflush(stdout);
      auto report = app::Watch(st, CurrentCaller(), options, callbacks);
      if (!report) return std::unexpected(report.error());
      Print("{}: {} file(s) done, {} failed\n",
                 stop.load() ? "Stopped" : "Finished", report->done,
                 report->failed);
      return report->failed > 0 ? kExitPartial : kExitOk;
    });
  });
}

}  // namespace dossier::cli
