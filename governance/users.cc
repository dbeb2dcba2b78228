// Who may be a user (governance/users.h).
#include "governance/users.h"

#include <fmt/format.h>

#include "governance/policy.h"

namespace dossier::governance {
namespace {

constexpr size_t kMinPasswordBytes = 8;

}  // namespace

Status ValidUserName(const std::string& name) {
  if (name.empty() || name.size() > 64) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("user name '{}' must be 1 to 64 characters",
                                 name));
  }
  for (unsigned char c : name) {
    if (c <= ' ' || c == 0x7f) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("user name '{}' may not contain spaces or "
                                   "control characters",
                                   name));
    }
  }
  return Ok();
}

Status ValidPassword(const std::string& name, const std::string& password) {
  if (password.size() < kMinPasswordBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("password for user {} is too short (at least "
                                 "{} characters)",
                                 name, kMinPasswordBytes));
  }
  return Ok();
}

Status CheckNewUser(const std::string& name, const std::string& password,
                    const std::vector<std::string>& roles) {
  if (auto s = ValidUserName(name); !s) return s;
  if (auto s = ValidPassword(name, password); !s) return s;
  if (roles.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("user {} needs at least one role", name));
  }
  for (const auto& role : roles) {
    if (!IsRole(role)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("user {}: unknown role '{}'", name, role));
    }
  }
  return Ok();
}

}  // namespace dossier::governance
