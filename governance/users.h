// Who may be a user (docs/access.md): the shape of a user name, the
// shortest password, and that every user holds at least one known role.
// Pure functions, safe from any thread; the store that keeps users is
// storage::AccessStore (storage/access_store.h).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace dossier::governance {

// 1 to 64 bytes, no spaces or control characters; kInvalidArgument.
Status ValidUserName(const std::string& name);
// At least 8 bytes; kInvalidArgument naming the user.
Status ValidPassword(const std::string& name, const std::string& password);
// A new user: a valid name and password, one or more roles, each known
// (governance/policy.h). kInvalidArgument naming what is wrong.
Status CheckNewUser(const std::string& name, const std::string& password,
                    const std::vector<std::string>& roles);

}  // namespace dossier::governance
