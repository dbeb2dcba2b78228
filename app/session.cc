#include "app/session.h"

#include <fmt/format.h>

#include "app/operation.h"
#include "storage/archive.h"

namespace dossier::app {

Result<std::unique_ptr<Station>> InitArchive(const InitInput& input,
                                             const std::string& claimed_user,
                                             const Channel& channel) {
  if (!input.admin.empty() && input.password.size() < 8) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("password for user {} is too short (at least "
                                 "8 characters)",
                                 input.admin));
  }
  auto archive = input.catalog_url.empty()
                     ? storage::Archive::Init(input.dir)
                     : storage::Archive::InitPostgres(input.dir, input.catalog_url);
  if (!archive) return std::unexpected(archive.error());
  auto station = std::make_unique<Station>(std::move(*archive));
  Principal principal{claimed_user, {"admin"}, true, "open-station", ""};
  if (!input.admin.empty()) {
    auto user = station->access().AddUser(input.admin, input.password,
                                          {"admin"}, input.admin);
    if (!user) return std::unexpected(user.error());
    principal = Principal{input.admin, {"admin"}, false, "password", ""};
  }
  Caller caller{principal, channel};
  Operation op(*station, caller, "archive.init");
  if (auto s = op.Finish(Status(Ok())); !s) return std::unexpected(s.error());
  return station;
}

Result<LoginResult> Login(Station& station, const Channel& channel,
                          const std::string& name, const std::string& password,
                          int hours) {
  auto run = [&]() -> Result<LoginResult> {
    auto open = station.access().IsOpenStation();
    if (!open) return std::unexpected(open.error());
    if (*open) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("archive {} is an open station (no users): "
                                   "no login needed; secure it with `dossier "
                                   "user add NAME --role admin`",
                                   station.archive().dir().string()));
    }
    auto session = station.access().CreateSession(name, password, hours);
    if (!session) return std::unexpected(session.error());
    auto user = station.access().GetUser(name);
    if (!user) return std::unexpected(user.error());
    return LoginResult{*session, *user};
  };
  Result<LoginResult> result = run();
  // Only a login that succeeded proves the name.
  Caller caller{Principal{result ? name : ClaimedActor(name), {}, false,
                          "password", ""},
                channel};
  Operation op(station, caller, "session.login");
  return op.Finish(std::move(result));
}

Result<bool> IsOpenStation(Station& station) {
  return station.access().IsOpenStation();
}

Result<std::string> ArchiveId(Station& station) {
  return station.access().ArchiveId();
}

Status Logout(Station& station, const Caller& caller, const std::string& token) {
  Operation op(station, caller, "session.logout");
  if (auto s = op.Authorize(); !s) return s;
  return op.Finish(station.access().EndSession(token));
}

}  // namespace dossier::app
