#include "app/station.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "app/operation.h"
#include "governance/masking.h"
#include "storage/sqlite/access.h"
#include "storage/archive.h"
#include "storage/sqlite/custody.h"
#include "storage/sqlite/retention.h"
#include "storage/sqlite/work_queue.h"
#include "storage/postgres/access.h"
#include "storage/postgres/custody.h"
#include "storage/postgres/retention.h"
#include "storage/postgres/work_queue.h"

namespace dossier::app {
namespace {

// A database URL's password (postgresql://user:PASSWORD@host, or a libpq
// password=PASSWORD pair) becomes (redacted).
std::string RedactUrlPassword(const std::string& arg) {
  static const std::regex kUserInfo(R"(([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@)");
  static const std::regex kPair(R"((\bpassword\s*=\s*)('[^']*'|\S+))", std::regex::icase);
  if (arg.find("://") == std::string::npos && arg.find('=') == std::string::npos) return arg;
  return std::regex_replace(std::regex_replace(arg, kUserInfo, "$1(redacted)@"), kPair,
                            "$1(redacted)");
}

bool IsSecretOption(std::string_view option) {
  for (std::string_view word : {"password", "token", "secret"}) {
    if (option.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// "NAME=VALUE" (`search --field id_number=…`, also after "--field="): the
// value masked when NAME is a sensitive field.
std::string MaskFieldEquals(const std::string& arg) {
  size_t start = 0;
  if (arg.starts_with("--")) {
    start = arg.find('=');
    if (start == std::string::npos) return arg;
    ++start;
  }
  const size_t eq = arg.find('=', start);
  if (eq == std::string::npos) return arg;
  if (!governance::IsSensitiveField(arg.substr(start, eq - start))) return arg;
  return arg.substr(0, eq + 1) + governance::MaskValue(arg.substr(eq + 1));
}

void AddUnique(std::vector<std::string>& ids, const std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

Station::Station(std::unique_ptr<storage::Archive> archive)
    : archive_(std::move(archive)) {
  if (storage::postgres::PgCatalog* pg = archive_->postgres()) {
    access_ = std::make_unique<storage::postgres::PgAccess>(*pg, archive_->dir());
    custody_ = std::make_unique<storage::postgres::PgCustody>(*pg);
    retention_ = std::make_unique<storage::postgres::PgRetention>(*pg, archive_->files());
    queue_ = std::make_unique<storage::postgres::PgWorkQueue>(*pg);
    return;
  }
  storage::Catalog& catalog = archive_->catalog();
  access_ = std::make_unique<storage::Access>(catalog);
  custody_ = std::make_unique<storage::Custody>(catalog);
  retention_ = std::make_unique<storage::Retention>(catalog, archive_->files());
  queue_ = std::make_unique<storage::SqliteWorkQueue>(catalog);
}

Station::~Station() = default;

std::filesystem::path ResolveArchiveDir(
    const std::optional<std::filesystem::path>& explicit_dir) {
  return storage::ResolveArchiveDir(explicit_dir);
}

Result<std::unique_ptr<Station>> Station::Open(const std::filesystem::path& dir) {
  auto archive = storage::Archive::Open(dir);
  if (!archive) return std::unexpected(archive.error());
  auto station = std::make_unique<Station>(std::move(*archive));
  // An archive from before the key file: its signing key leaves the catalog.
  if (auto s = station->access().MigrateSigningKey(); !s) {
    return std::unexpected(s.error());
  }
  return station;
}

storage::Catalog& Station::catalog() { return archive_->catalog(); }

storage::RecordsStore& Station::records() { return archive_->records(); }

bool Station::OnPostgres() { return archive_->on_postgres(); }

Status Station::SqliteOnly(std::string_view what) {
  if (!archive_->on_postgres()) return Ok();
  return MakeError(ErrorCode::kUnsupported,
                   fmt::format("{} works on an SQLite catalog only, and this "
                               "archive's catalog is on PostgreSQL ({}); see "
                               "docs/deploy.md",
                               what, archive_->catalog_location()));
}

std::string Station::CatalogLocation() { return archive_->catalog_location(); }

TimeZone Station::Zone() { return archive_->records().Zone(); }

// --- Operation ----------------------------------------------------------------

Operation::Operation(Station& station, const Caller& caller,
                     std::string_view name)
    : station_(station), caller_(caller), name_(name),
      records_(RecordsIn(caller.channel.args)) {}

Status Operation::Authorize() {
  return Require(governance::PermissionForOperation(name_));
}

Status Operation::Require(std::string_view permission) {
  Status allowed = governance::CheckPermission(caller_.principal.roles, permission);
  if (caller_.principal.user.empty() && permission != governance::kPublic) {
    allowed = MakeError(ErrorCode::kPermissionDenied,
                        "not logged in to this archive");
  }
  if (allowed) return allowed;
  if (auto s = Log("denied", allowed.error().message); !s) {
    return std::unexpected(s.error());
  }
  return allowed;
}

void Operation::Record(const std::string& id) {
  if (!id.empty()) AddUnique(records_, id);
}

Status Operation::Finish(Status status) {
  Status logged = status ? Log("ok", "")
                         : Log(OutcomeOf(status.error()), status.error().message);
  if (status && !logged) return logged;
  return status;
}

std::string Operation::OutcomeOf(const Error& error) {
  return error.code == ErrorCode::kPermissionDenied
             ? "denied"
             : std::string("error:") + ErrorCodeName(error.code);
}

Status Operation::Log(const std::string& outcome, const std::string& detail) {
  if (logged_) return Ok();  // one entry per operation
  logged_ = true;
  auto entry = station_.access().AppendLog(storage::NewLogEntry{
      caller_.principal.user, name_, Redact(caller_.channel.args), records_,
      outcome, governance::MaskText(detail)});
  if (!entry) return std::unexpected(entry.error());
  return Ok();
}

// --- Authentication -----------------------------------------------------------

Result<Principal> Authenticate(Station& station, const Credentials& credentials,
                               const Channel& channel,
                               std::string_view operation) {
  storage::AccessStore& access = station.access();
  auto open = access.IsOpenStation();
  if (!open) return std::unexpected(open.error());
  Result<Principal> who;
  if (*open) {
    who = access.OpenStationPrincipal(credentials.user.empty() ? "unknown"
                                                               : credentials.user);
  } else if (credentials.session) {
    who = access.ResumeSession(*credentials.session);
  } else if (credentials.password) {
    who = access.CheckPassword(credentials.user, *credentials.password);
  } else {
    who = MakeError(ErrorCode::kPermissionDenied,
                    "not logged in to this archive: run `dossier login NAME` "
                    "(or set DOSSIER_SESSION, or DOSSIER_PASSWORD for one "
                    "command)");
  }
  if (who && credentials.user_given && who->user != credentials.user) {
    who = MakeError(ErrorCode::kPermissionDenied,
                    fmt::format("DOSSIER_USER is {} but the session belongs "
                                "to {}: unset DOSSIER_USER or log in as {}",
                                credentials.user, who->user, credentials.user));
  }
  if (who) return who;
  // The refusal is logged under the name that was claimed, marked as such:
  // the user column only ever holds a proven name.
  Caller claimed{Principal{ClaimedActor(credentials.user), {}, false, "", ""},
                 channel};
  Operation op(station, claimed, operation);
  return op.Finish(Result<Principal>(std::unexpected(who.error())));
}

std::string ClaimedActor(const std::string& name) {
  return name.empty() ? std::string() : "claimed:" + name;
}

Result<int> Run(Station& station, const Caller& caller,
                std::string_view operation,
                const std::function<Result<int>()>& fn) {
  Operation op(station, caller, operation);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  Result<int> result = fn();
  if (result && *result != 0) {
    // A batch that finished with warnings or failed inputs: logged as ok
    // with its exit code, as the work was done.
    auto logged = op.Finish(Status(Ok()));
    if (!logged) return std::unexpected(logged.error());
    return result;
  }
  return op.Finish(std::move(result));
}

// --- Log hygiene --------------------------------------------------------------

std::vector<std::string> Redact(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  bool redact_next = false;
  bool mask_next = false;
  for (const auto& arg : args) {
    // A positional field name (`review correct D1 phone VALUE`) makes the
    // value after it sensitive too.
    if (!redact_next && !mask_next && !arg.starts_with("-") &&
        governance::IsSensitiveField(arg)) {
      out.push_back(arg);
      mask_next = true;
      continue;
    }
    if (redact_next || mask_next) {
      out.push_back(redact_next ? "(redacted)" : governance::MaskValue(arg));
      redact_next = mask_next = false;
      continue;
    }
    if (arg.starts_with("--")) {
      std::string field = arg.substr(2, arg.find('=') - 2);
      std::replace(field.begin(), field.end(), '-', '_');
      if (governance::IsSensitiveField(field)) {
        auto eq = arg.find('=');
        if (eq == std::string::npos) {
          mask_next = true;
          out.push_back(arg);
        } else {
          out.push_back(arg.substr(0, eq + 1) +
                        governance::MaskValue(arg.substr(eq + 1)));
        }
        continue;
      }
    }
    if (arg.starts_with("--") && IsSecretOption(arg) &&
        !arg.ends_with("-stdin")) {
      auto eq = arg.find('=');
      if (eq == std::string::npos) {
        redact_next = true;
        out.push_back(arg);
      } else {
        out.push_back(arg.substr(0, eq + 1) + "(redacted)");
      }
      continue;
    }
    out.push_back(MaskFieldEquals(arg));
  }
  // Whatever still looks like an ID or phone number (a search for one, a
  // value given to an option without a field name) is masked too.
  for (auto& arg : out) arg = governance::MaskText(RedactUrlPassword(arg));
  return out;
}

std::vector<std::string> RecordsIn(const std::vector<std::string>& args) {
  static const std::regex kId(
      R"(D\d{1,9}|KH-\d{4}-\d{6}-[0-9A-Z]|OR\d{8}[0-9A-Z]|LC\d{6}[0-9A-Z]|)"
      R"(L\d{6}|AU\d{6}|DA-\d{4}-[A-Z]{2}-\d{6}-[0-9A-Z])",
      std::regex::icase);
  std::vector<std::string> ids;
  for (const auto& arg : args) {
    std::string value = arg;
    if (arg.starts_with("--")) {
      auto eq = arg.find('=');
      if (eq == std::string::npos) continue;
      value = arg.substr(eq + 1);
    }
    if (!std::regex_match(value, kId)) continue;
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    AddUnique(ids, value);
  }
  return ids;
}

}  // namespace dossier::app
