#include "app/users.h"

#include "app/operation.h"

namespace dossier::app {

Result<AddedUser> AddUser(Station& station, const Caller& caller,
                          const std::string& name, const std::string& password,
                          const std::vector<std::string>& roles) {
  Operation op(station, caller, "user.add");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<AddedUser> {
    auto open = station.access().IsOpenStation();
    if (!open) return std::unexpected(open.error());
    auto user = station.access().AddUser(name, password, roles, op.user());
    if (!user) return std::unexpected(user.error());
    return AddedUser{*user, *open};
  };
  return op.Finish(run());
}

Result<std::vector<storage::User>> ListUsers(Station& station,
                                             const Caller& caller) {
  Operation op(station, caller, "user.list");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.access().ListUsers());
}

namespace {

Result<storage::User> ChangeRole(Station& station, const Caller& caller,
                                 const std::string& name,
                                 const std::string& role, bool grant) {
  Operation op(station, caller, grant ? "user.grant" : "user.revoke");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::User> {
    auto s = grant ? station.access().GrantRole(name, role, op.user())
                   : station.access().RevokeRole(name, role, op.user());
    if (!s) return std::unexpected(s.error());
    return station.access().GetUser(name);
  };
  return op.Finish(run());
}

}  // namespace

Result<storage::User> GrantRole(Station& station, const Caller& caller,
                                const std::string& name, const std::string& role) {
  return ChangeRole(station, caller, name, role, true);
}

Result<storage::User> RevokeRole(Station& station, const Caller& caller,
                                 const std::string& name,
                                 const std::string& role) {
  return ChangeRole(station, caller, name, role, false);
}

Result<storage::User> SetUserActive(Station& station, const Caller& caller,
                                    const std::string& name, bool active) {
  Operation op(station, caller, active ? "user.enable" : "user.disable");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::User> {
    if (auto s = station.access().SetActive(name, active, op.user()); !s) {
      return std::unexpected(s.error());
    }
    return station.access().GetUser(name);
  };
  return op.Finish(run());
}

Result<std::int64_t> UnlockUser(Station& station, const Caller& caller,
                                const std::string& name) {
  Operation op(station, caller, "user.unlock");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<std::int64_t> {
    auto state = station.access().GetLoginState(name);
    if (!state) return std::unexpected(state.error());
    if (auto s = station.access().UnlockUser(name, op.user()); !s) {
      return std::unexpected(s.error());
    }
    return state->failures;
  };
  return op.Finish(run());
}

Status SetPassword(Station& station, const Caller& caller,
                   const std::string& name, const std::string& password) {
  Operation op(station, caller, "user.passwd");
  if (auto s = op.Authorize(); !s) return s;
  const std::string target = name.empty() ? op.user() : name;
  if (target != op.user()) {
    if (auto s = op.Require("user.manage"); !s) return s;
  }
  return op.Finish(station.access().SetPassword(target, password, op.user()));
}

}  // namespace dossier::app
