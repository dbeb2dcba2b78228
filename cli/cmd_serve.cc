// `dossier serve`: runs the server (server/serve.h) on this archive.
#include <fmt/format.h>

#include "cli/command.h"
#include "server/serve.h"

#ifndef DOSSIER_WEB_DIR
#define DOSSIER_WEB_DIR ""
#endif

namespace dossier::cli {

void RegisterServe(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "serve",
      "Serve the archive over HTTP: the API and the web UI (运行服务器). It "
      "needs an archive with users; run it as the archive's own system user "
      "(docs/deploy.md)");
  struct Args {
    std::string listen = "127.0.0.1:8080";
    std::string socket;
    std::string web = DOSSIER_WEB_DIR;
    int workers = 4;
    int idle_minutes = 30;
    int session_hours = 8;
    bool behind_proxy = false;
    std::uint64_t upload_limit_mb = 512;
    std::string hot_folder;
    bool queue_uploads = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--socket", args->socket, "Listen on this Unix socket instead");
  cmd->add_option("--web", args->web, "Folder of the built web UI")->capture_default_str();
  cmd->add_option("--workers", args->workers, "Worker threads for requests")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--idle-minutes", args->idle_minutes,
                  "A session ends after this many minutes without a request")
      ->check(CLI::Range(1, 24 * 60))
      ->capture_default_str();
  cmd->add_option("--session-hours", args->session_hours, "A session's absolute lifetime")
      ->check(CLI::Range(1, 168))
      ->capture_default_str();
  cmd->add_option("--upload-limit-mb", args->upload_limit_mb, "Largest upload accepted")
      ->check(CLI::Range(1, 16384))
      ->capture_default_str();
  cmd->add_option("--hot-folder", args->hot_folder,
                  "The folder `dossier watch` serves: its status (waiting, failed and why) "
                  "is shown on the upload screen");
  cmd->add_flag("--queue-uploads", args->queue_uploads,
                "Put uploads on the archive's work queue for `dossier worker` processes "
                "(on this or other stations) instead of ingesting them here");
  cmd->add_flag("--behind-proxy", args->behind_proxy,
                "Trust X-Forwarded-Proto from a TLS proxy (cookies become Secure)");
  cmd->callback([&global, args, action] {
    *action = [&global, args]() -> Result<int> {
      server::ServeOptions options;
      if (args->socket.empty()) {
        if (auto s = server::ParseListen(args->listen, options.listen); !s) {
          return std::unexpected(s.error());
        }
      } else {
        options.listen.socket = args->socket;
      }
      options.limits.workers = args->workers;
      options.limits.upload_limit = args->upload_limit_mb * 1024 * 1024;
      options.api.archive = app::ResolveArchiveDir(
          global.archive_dir.empty() ? std::nullopt
                                     : std::optional<std::filesystem::path>(global.archive_dir));
      options.api.web = args->web;
      options.api.idle_timeout = std::chrono::minutes(args->idle_minutes);
      options.api.session_hours = args->session_hours;
      options.api.behind_proxy = args->behind_proxy;
      options.api.hot_folder = args->hot_folder;
      options.api.queue_uploads = args->queue_uploads;
      auto s = server::Serve(options, [](const std::string& where) {
        fmt::print("dossier serve: listening on {} (Ctrl-C or SIGTERM stops)\n", where);
        std::fflush(stdout);
      });
      if (!s) return std::unexpected(s.error());
      fmt::print("dossier serve: stopped\n");
      return 0;
    };
  });
}

}  // namespace dossier::cli
