// The permission matrix and the operation table (docs/access.md). Pure data:
// changing a cell here changes who may do what, so the tests in
// tests/access/ spell out every cell and must change with it.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "governance/policy.h"

#include "governance/masking.h"

namespace dossier::governance {
namespace {

constexpr std::array<std::string_view, 7> kRoles = {
    "scanner", "clerk",   "reviewer", "archivist",
    "records-manager", "auditor", "admin"};

constexpr PermissionInfo kPermissions[] = {
    {"document.ingest", "scan and ingest pages; scan profiles in use"},
    {"document.read", "search and show documents; review queue"},
    {"document.export", "export a document's PDF or text"},
    {"document.verify", "check stored files (fixity, PDF/A)"},
    {"customer.read", "show and list customer files and their history"},
    {"customer.write", "open and change customer files and contacts"},
    {"customer.pii", "see ID numbers and phone numbers unmasked"},
    {"review.decide", "correct fields, approve, reject, replace, refile documents"},
    {"profile.manage", "add and remove scan profiles"},
    {"location.read", "list locations, show originals, where"},
    {"location.manage", "add rooms, cabinets, shelves, boxes"},
    {"original.manage", "register and move paper originals"},
    {"label.print", "print barcode labels"},
    {"loan.read", "list loans and overdue loans"},
    {"loan.request", "request and renew loans"},
    {"loan.approve", "approve or reject loans, resolve flagged returns"},
    {"loan.handle", "check out and take back originals"},
    {"audit.run", "run cabinet audits (盘点)"},
    {"audit.apply", "apply the moves an audit found"},
    {"retention.manage", "retention rules, legal holds, destruction"},
    {"backup.manage", "make, verify and restore backups"},
    {"user.manage", "add users, grant and revoke roles"},
    {"log.read", "read, verify and export the access log"},
};

// Role -> permissions; admin holds every permission (and kUnlisted).
struct RoleGrant {
  std::string_view role;
  std::initializer_list<std::string_view> permissions;
};

const std::array<RoleGrant, 6>& Grants() {
  static const std::array<RoleGrant, 6> kGrants = {{
      {"scanner", {"document.ingest", "document.read", "customer.read"}},
      {"clerk",
       {"document.read", "document.export", "customer.read", "customer.write",
        "customer.pii", "location.read", "loan.read", "loan.request"}},
      {"reviewer",
       {"document.read", "document.verify", "customer.read", "customer.pii",
        "review.decide"}},
      {"archivist",
       {"document.read", "document.verify", "customer.read", "profile.manage",
        "location.read", "location.manage", "original.manage", "label.print",
        "loan.read", "loan.handle", "audit.run"}},
      {"records-manager",
       {"document.read", "customer.read", "location.read", "loan.read",
        "loan.approve", "audit.apply", "retention.manage"}},
      {"auditor",
       {"document.read", "document.verify", "customer.read", "location.read",
        "loan.read", "log.read"}},
  }};
  return kGrants;
}

constexpr OperationInfo kOperations[] = {
    // Sessions and users.
    {"session.login", kPublic},
    {"server.start", kPublic},  // logged as system:server
    {"session.logout", kAnyUser},
    {"session.whoami", kAnyUser},
    {"dashboard.show", kAnyUser},
    {"job.show", kAnyUser},  // own upload jobs only
    {"user.passwd", kAnyUser},  // another user's password: user.manage
    {"user.add", "user.manage"},
    {"user.list", "user.manage"},
    {"user.grant", "user.manage"},
    {"user.revoke", "user.manage"},
    {"user.disable", "user.manage"},
    {"user.enable", "user.manage"},
    {"user.unlock", "user.manage"},
    {"archive.init", kPublic},  // creates the archive and its first admin
    {"archive.settings", "user.manage"},
    {"log.show", "log.read"},
    {"log.verify", "log.read"},
    {"log.export", "log.read"},
    // Capture.
    {"document.ingest", "document.ingest"},
    {"capture.scan", "document.ingest"},
    {"capture.watch", "document.ingest"},
    {"capture.hotfolder", "document.ingest"},
    {"capture.cover", "document.ingest"},
    {"queue.add", "document.ingest"},   // dossier ingest --queue
    {"queue.work", "document.ingest"},  // dossier worker, per item
    {"queue.list", "document.ingest"},  // dossier jobs
    {"profile.list", "document.ingest"},
    {"profile.add", "profile.manage"},
    {"profile.remove", "profile.manage"},
    // Records.
    {"document.search", "document.read"},
    {"document.show", "document.read"},
    {"document.preview", "document.read"},
    {"document.hits", "document.read"},
    {"document.export", "document.export"},
    {"document.verify", "document.verify"},
    // Lists as CSV files and packages (app/exports.h, app/packages.h).
    {"customer.export-csv", "customer.read"},
    {"document.export-csv", "document.read"},
    {"loan.export-csv", "loan.read"},
    {"review.export-csv", "document.read"},
    {"retention.export-due-csv", "retention.manage"},
    {"package.export", "document.export"},  // and customer.pii
    {"package.import", "backup.manage"},
    {"customer.add", "customer.write"},
    {"customer.update", "customer.write"},
    {"customer.link", "customer.write"},
    {"customer.contact.add", "customer.write"},
    {"customer.show", "customer.read"},
    {"customer.list", "customer.read"},
    {"customer.index", "customer.read"},
    {"record.history", "customer.read"},
    {"review.list", "document.read"},
    {"review.show", "document.read"},
    {"review.correct", "review.decide"},
    {"review.approve", "review.decide"},
    {"review.reject", "review.decide"},
    {"review.replace", "review.decide"},
    {"review.link", "review.decide"},
    {"document.refile", "review.decide"},
    // Custody.
    {"location.add", "location.manage"},
    {"location.add-cabinet", "location.manage"},
    {"location.list", "location.read"},
    {"location.tree", "location.read"},
    {"location.show", "location.read"},
    {"location.sheet", "location.read"},
    {"original.where", "location.read"},
    {"original.show", "location.read"},
    {"original.register", "original.manage"},
    {"original.move", "original.manage"},
    {"label.print", "label.print"},
    {"loan.request", "loan.request"},
    {"loan.renew", "loan.request"},
    {"loan.approve", "loan.approve"},
    {"loan.reject", "loan.approve"},
    {"loan.resolve", "loan.approve"},
    {"loan.checkout", "loan.handle"},
    {"loan.return", "loan.handle"},
    {"loan.list", "loan.read"},
    {"loan.overdue", "loan.read"},
    {"audit.start", "audit.run"},
    {"audit.scan", "audit.run"},
    {"audit.close", "audit.run"},
    {"audit.report", "audit.run"},
    {"audit.history", "audit.run"},
    {"audit.apply-moves", "audit.apply"},
    // Retention and destruction.
    {"retention.rule.set", "retention.manage"},
    {"retention.rule.list", "retention.manage"},
    {"retention.relationship-end", "retention.manage"},
    {"retention.due", "retention.manage"},
    {"hold.add", "retention.manage"},
    {"hold.release", "retention.manage"},
    {"hold.list", "retention.manage"},
    {"destroy.propose", "retention.manage"},
    {"destroy.approve", "retention.manage"},
    {"destroy.cancel", "retention.manage"},
    {"destroy.record-shredding", "retention.manage"},
    {"destroy.show", "retention.manage"},
    {"destroy.certificate", "retention.manage"},
    // Backups.
    {"backup.create", "backup.manage"},
    {"backup.verify", "backup.manage"},
    {"backup.sweep", "backup.manage"},
    {"backup.restore", "backup.manage"},
    // Moving the catalog to PostgreSQL (dossier migrate).
    {"archive.migrate", "backup.manage"},
};

}  // namespace

std::span<const std::string_view> Roles() { return kRoles; }

std::span<const PermissionInfo> Permissions() { return kPermissions; }

bool IsRole(std::string_view role) {
  return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

bool IsPermission(std::string_view permission) {
  return std::any_of(std::begin(kPermissions), std::end(kPermissions),
                     [&](const PermissionInfo& p) { return p.name == permission; });
}

bool RoleHasPermission(std::string_view role, std::string_view permission) {
  if (role == "admin") {
    return IsPermission(permission) || permission == kUnlisted;
  }
  for (const auto& grant : Grants()) {
    if (grant.role != role) continue;
    return std::find(grant.permissions.begin(), grant.permissions.end(),
                     permission) != grant.permissions.end();
  }
  return false;
}

Status CheckPermission(std::span<const std::string> roles,
                       std::string_view permission) {
  if (permission == kPublic || permission == kAnyUser) return Ok();
  for (const auto& role : roles) {
    if (RoleHasPermission(role, permission)) return Ok();
  }
  if (roles.empty()) {
    return MakeError(ErrorCode::kPermissionDenied,
                     fmt::format("permission denied: user has no role, lacks "
                                 "'{}'",
                                 permission));
  }
  return MakeError(
      ErrorCode::kPermissionDenied,
      fmt::format("permission denied: role{} {} lack{} '{}'",
                  roles.size() > 1 ? "s" : "", fmt::join(roles, ", "),
                  roles.size() > 1 ? "" : "s", permission));
}

std::span<const OperationInfo> Operations() { return kOperations; }

std::string_view PermissionForOperation(std::string_view operation) {
  for (const auto& op : kOperations) {
    if (op.name == operation) return op.permission;
  }
  return kUnlisted;
}

bool Holds(const Principal& principal, std::string_view permission) {
  return CheckPermission(principal.roles, permission).has_value();
}

bool IsSensitiveField(std::string_view field) {
  std::string name(field);
  for (char& c : name) {
    c = c == '-' ? '_'
                 : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (name == "tel") return true;
  for (std::string_view suffix :
       {"id_number", "idnumber", "id_card", "phone", "mobile", "_tel"}) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

std::string MaskValue(std::string_view value) {
  // Keeps what identifies the kind of number (region code of an ID card,
  // country code and carrier prefix of a phone) and the last four
  // characters, as printed on receipts; ASCII-only values are expected.
  const size_t n = value.size();
  if (n <= 4) return std::string(n, '*');
  size_t keep_front = 0;
  if (n >= 15) {
    keep_front = 6;  // ID card: the six-digit region code
  } else if (value.front() == '+' && n >= 11) {
    keep_front = n - 8;  // +86 138 ****: country code and prefix
  } else if (n >= 8) {
    keep_front = 3;
  }
  std::string masked(value.substr(0, keep_front));
  masked.append(n - keep_front - 4, '*');
  masked.append(value.substr(n - 4));
  return masked;
}

std::string MaskFor(const Principal& principal, std::string_view field,
                    const std::string& value) {
  if (value.empty() || !IsSensitiveField(field) ||
      Holds(principal, "customer.pii")) {
    return value;
  }
  return MaskValue(value);
}

std::string MaskText(std::string_view text) {
  auto digit = [&](size_t i) {
    return i < text.size() && text[i] >= '0' && text[i] <= '9';
  };
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const bool plus = text[i] == '+' && digit(i + 1);
    // A run starts at a digit (or '+digit') not glued to a previous digit.
    if (!(digit(i) || plus)) {
      out += text[i++];
      continue;
    }
    // Part of a record id (KH-2026-000001-0, OR00000012X, DA-…): kept.
    auto letter = [&](size_t k) {
      return std::isalpha(static_cast<unsigned char>(text[k])) != 0;
    };
    const bool in_id =
        !plus && i > 0 &&
        (letter(i - 1) || (text[i - 1] == '-' && i > 1 && letter(i - 2)));
    size_t j = plus ? i + 1 : i;
    std::string compact = plus ? "+" : "";
    size_t digits = 0;
    while (true) {
      while (digit(j)) {
        compact += text[j++];
        ++digits;
      }
      // One space or hyphen between two digit groups continues the run.
      if ((j < text.size() && (text[j] == ' ' || text[j] == '-')) &&
          digit(j + 1)) {
        ++j;
        continue;
      }
      break;
    }
    if (j < text.size() && (text[j] == 'X' || text[j] == 'x') &&
        !(j + 1 < text.size() &&
          std::isalnum(static_cast<unsigned char>(text[j + 1])))) {
      compact += 'X';
      ++j;
    }
    if (digits >= 11 && !in_id) {
      out += MaskValue(compact);
    } else {
      out.append(text.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

std::string MaskTextFor(const Principal& principal, const std::string& text) {
  if (text.empty() || Holds(principal, "customer.pii")) return text;
  return MaskText(text);
}

std::chrono::milliseconds LoginDelay(const LoginThrottle& throttle,
                                     std::int64_t failures) {
  if (failures <= 0 || throttle.delay_ms <= 0) return std::chrono::milliseconds(0);
  const std::int64_t cap = std::max(throttle.max_delay_ms, 0);
  std::int64_t delay = throttle.delay_ms;
  for (std::int64_t i = 1; i < failures && delay < cap; ++i) delay *= 2;
  return std::chrono::milliseconds(std::min(delay, cap));
}

bool LoginLocked(const LoginThrottle& throttle, std::int64_t failures) {
  return throttle.lockout_after > 0 && failures >= throttle.lockout_after;
}

}  // namespace dossier::governance
