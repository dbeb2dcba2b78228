// Access policy: roles, permissions, the operations of the application
// layer and what each needs, and field masking. Manual 3.4 (least privilege
// per role). Pure data and functions: no catalog, no I/O. See
// docs/access.md for the matrix; tests/access/ spells out every cell.
//
// Operations are named "<domain>.<verb>" ("loan.approve", "document.search")
// and are the same for every face (CLI, server): a rule is keyed by the
// operation, never by a command line or a URL.
#pragma once

#include <chrono>
#include <cstdint>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dossier::governance {

struct PermissionInfo {
  std::string_view name;         // e.g. "loan.approve"
  std::string_view description;
};

// The seven roles, in the documented order.
std::span<const std::string_view> Roles();
// Every permission, in the documented order.
std::span<const PermissionInfo> Permissions();
bool IsRole(std::string_view role);
bool IsPermission(std::string_view permission);
// The matrix: true if the role grants the permission. Unknown names: false.
bool RoleHasPermission(std::string_view role, std::string_view permission);
// Ok if any role grants the permission; else kPermissionDenied naming the
// roles and the permission: "permission denied: role clerk lacks
// 'loan.approve'".
Status CheckPermission(std::span<const std::string> roles,
                       std::string_view permission);

// Pseudo-permissions. kPublic: no login needed (login itself, init);
// kAnyUser: any logged-in user (logout, whoami, own password); kUnlisted:
// what an operation missing from the table needs, which only admin holds.
inline constexpr std::string_view kPublic = "";
inline constexpr std::string_view kAnyUser = "any-user";
inline constexpr std::string_view kUnlisted = "unlisted-operation";

struct OperationInfo {
  std::string_view name;        // "loan.approve"
  std::string_view permission;  // a permission, kPublic or kAnyUser
};
// Every operation of the application layer, for documentation and tests.
std::span<const OperationInfo> Operations();
// The permission an operation needs; kUnlisted for an unknown operation.
std::string_view PermissionForOperation(std::string_view operation);

// --- Login throttling ---------------------------------------------------------
//
// After failed logins every further attempt waits, the wait doubling with
// each failure in a row (per claimed name, and per station over all names),
// up to max_delay_ms; after lockout_after failures in a row the name is
// locked until an admin unlocks it (`dossier user unlock NAME`). Set with
// `dossier settings login-throttle`; 0 turns a part off.
struct LoginThrottle {
  int delay_ms = 250;        // wait after the first failure
  int max_delay_ms = 30000;  // the wait never grows beyond this
  int lockout_after = 10;    // failures in a row that lock the name; 0 = never
};
// The wait before the next attempt after `failures` failures in a row:
// 0 for none, else delay_ms * 2^(failures-1), at most max_delay_ms.
std::chrono::milliseconds LoginDelay(const LoginThrottle& throttle,
                                     std::int64_t failures);
// True once the name has failed lockout_after times in a row.
bool LoginLocked(const LoginThrottle& throttle, std::int64_t failures);

// Who acts: the authenticated user of a request.
struct Principal {
  std::string user;
  std::vector<std::string> roles;
  bool open_station = false;  // trusted name on an open station
  // How the user was authenticated: "password", "session", "open-station"
  // or "system" (a service acting for itself, such as a hot folder).
  std::string auth;
  std::string station;  // the host or face the request came from
};

// true if any of the principal's roles grants the permission (kPublic and
// kAnyUser: always).
bool Holds(const Principal& principal, std::string_view permission);

// Field masking. Sensitive: id_number, phone, mobile and names ending in
// _id_number, _phone or _mobile. Roles without "customer.pii" see them
// masked: 110105********002X, +86138****8000.
bool IsSensitiveField(std::string_view field);
std::string MaskValue(std::string_view value);
// value as the principal may see it: masked when the field is sensitive
// and the principal lacks "customer.pii".
std::string MaskFor(const Principal& principal, std::string_view field,
                    const std::string& value);

}  // namespace dossier::governance
