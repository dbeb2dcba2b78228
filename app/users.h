// Users and roles as use cases (operations user.*; docs/access.md). Every
// change is made by the caller's principal and logged.
#pragma once

#include <string>
#include <vector>

#include "app/station.h"
#include "storage/access_store.h"

namespace dossier::app {

struct AddedUser {
  storage::User user;
  bool secured_archive = false;  // this user ended the open station
};
Result<AddedUser> AddUser(Station& station, const Caller& caller,
                          const std::string& name, const std::string& password,
                          const std::vector<std::string>& roles);
Result<std::vector<storage::User>> ListUsers(Station& station,
                                             const Caller& caller);
// Returns the user with their roles afterwards.
Result<storage::User> GrantRole(Station& station, const Caller& caller,
                                const std::string& name, const std::string& role);
Result<storage::User> RevokeRole(Station& station, const Caller& caller,
                                 const std::string& name,
                                 const std::string& role);
Result<storage::User> SetUserActive(Station& station, const Caller& caller,
                                    const std::string& name, bool active);
// Clears a user's failed logins and lockout (user.unlock; an admin's
// action, logged). Returns the failures that were counted.
Result<std::int64_t> UnlockUser(Station& station, const Caller& caller,
                                const std::string& name);
// Anyone may set their own password; another user's needs user.manage.
// name '' = the caller. Ends the user's sessions.
Status SetPassword(Station& station, const Caller& caller,
                   const std::string& name, const std::string& password);

}  // namespace dossier::app
