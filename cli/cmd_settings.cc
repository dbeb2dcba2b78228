// `dossier settings timezone [ZONE]`: the archive's time zone, in which
// times are shown and due dates reckoned (app::SetTimeZone).
// `dossier settings login-throttle [--delay-ms N] [--max-delay-ms N]
// [--lockout-after N]`: waits and lockout after failed logins.
#include <fmt/format.h>

#include "app/governance.h"
#include "cli/command.h"

namespace dossier::cli {

void RegisterSettings(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand("settings", "Archive settings");
  cmd->require_subcommand(1);
  auto* tz = cmd->add_subcommand(
      "timezone",
      "Show or set the archive's time zone (an IANA name such as\n"
      "Asia/Shanghai); times are stored in UTC and shown in this zone");
  auto zone = std::make_shared<std::string>();
  tz->add_option("ZONE", *zone, "New zone (default: show the current one)");
  tz->callback([&global, zone, action] {
    *action = StationAction(global, [zone](app::Station& st) -> Result<int> {
      auto name = app::SetTimeZone(st, CurrentCaller(), *zone);
      if (!name) return std::unexpected(name.error());
      Print("{}\t{}\n", *name, st.Zone().Display(Now()));
      return kExitOk;
    });
  });

  auto* throttle = cmd->add_subcommand(
      "login-throttle",
      "Show or set how failed logins are slowed down and locked out: each\n"
      "failure in a row doubles the wait before the next attempt (per name\n"
      "and per station), and a name is locked after --lockout-after failures\n"
      "until an admin runs `dossier user unlock NAME`");
  auto change = std::make_shared<app::ThrottleChange>();
  throttle->add_option("--delay-ms", change->delay_ms,
                       "Wait after the first failure (0 = no waits)")
      ->check(CLI::NonNegativeNumber);
  throttle->add_option("--max-delay-ms", change->max_delay_ms,
                       "Longest wait")
      ->check(CLI::NonNegativeNumber);
  throttle->add_option("--lockout-after", change->lockout_after,
                       "Failures in a row that lock a name (0 = never)")
      ->check(CLI::NonNegativeNumber);
  throttle->callback([&global, change, action] {
    *action = StationAction(global, [change](app::Station& st) -> Result<int> {
      auto t = app::SetLoginThrottle(st, CurrentCaller(), *change);
      if (!t) return std::unexpected(t.error());
      Print("delay_ms\t{}\nmax_delay_ms\t{}\nlockout_after\t{}\n",
            t->delay_ms, t->max_delay_ms, t->lockout_after);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
