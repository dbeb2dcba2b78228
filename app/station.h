// The application layer: one function per use case, shared by every face
// (the `dossier` CLI, the server). Each use case takes a Caller (who acts and
// how the request came), checks the permission of its operation by name
// (governance/policy.h), normalises entered values, writes one access-log
// entry with the outcome, calls the domains and returns a named result
// struct with masking applied for the caller's roles. A face only
// translates requests into these calls and prints or serialises results.
//
// A Station is an open archive: the catalog is opened once per process
// (per command for the CLI) and reached only through it.
//
// Thread safety: a Station is NOT thread-safe (its catalog connection is
// not); use one per thread.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "governance/policy.h"

namespace dossier::storage {
class Archive;
class AccessStore;
class Catalog;
class RecordsStore;
class CustodyStore;
class RetentionStore;
class WorkQueue;
}  // namespace dossier::storage

namespace dossier::app {

using governance::Principal;

// How a request reached the application, for the access log.
struct Channel {
  std::string face = "cli";       // "cli" or "http"
  std::vector<std::string> args;  // the command line after the program
                                  // name, or {METHOD, target}; secrets and
                                  // sensitive values are redacted before
                                  // they are logged
};

// Who acts, and through what.
struct Caller {
  Principal principal;
  Channel channel;
};

// What a face knows about who is asking, for Authenticate.
struct Credentials {
  std::string user;                     // claimed name; '' = unknown
  bool user_given = false;  // named explicitly (a session must be theirs)
  std::optional<std::string> session;   // a session token
  std::optional<std::string> password;  // with user
};

// The archive folder to use: explicit if given, else $DOSSIER_ARCHIVE,
// else ./archive.
std::filesystem::path ResolveArchiveDir(
    const std::optional<std::filesystem::path>& explicit_dir);

class Station {
 public:
  // Opens an existing archive (storage::ResolveArchiveDir applies to an
  // empty dir); kNotFound with a hint to run `dossier init`.
  static Result<std::unique_ptr<Station>> Open(const std::filesystem::path& dir);
  // Wraps an archive the caller opened (init, restore).
  explicit Station(std::unique_ptr<storage::Archive> archive);
  ~Station();
  Station(const Station&) = delete;
  Station& operator=(const Station&) = delete;

  storage::Archive& archive() { return *archive_; }
  // The records store (customer files, documents, review, history, search).
  storage::RecordsStore& records();
  // The SQLite catalog itself, for what only SQLite does yet (package
  // import). REQUIRES: !OnPostgres(); use cases check with SqliteOnly.
  storage::Catalog& catalog();
  // Whether the catalog is on PostgreSQL (docs/deploy.md).
  bool OnPostgres();
  // Ok on an SQLite archive; kUnsupported naming `what` and the server on
  // a PostgreSQL one, for the few use cases that are SQLite-only yet.
  Status SqliteOnly(std::string_view what);
  storage::AccessStore& access() { return *access_; }
  storage::CustodyStore& custody() { return *custody_; }
  storage::RetentionStore& retention() { return *retention_; }
  // OCR work queued for `dossier worker` (storage/work_queue.h).
  storage::WorkQueue& queue() { return *queue_; }
  // Where the catalog is: its SQLite file, or user@host:port/dbname of its
  // PostgreSQL server (never the password).
  std::string CatalogLocation();
  // The archive's time zone (core/clock.h); every time a use case shows is
  // in it.
  TimeZone Zone();

 private:
  std::unique_ptr<storage::Archive> archive_;
  std::unique_ptr<storage::AccessStore> access_;
  std::unique_ptr<storage::CustodyStore> custody_;
  std::unique_ptr<storage::RetentionStore> retention_;
  std::unique_ptr<storage::WorkQueue> queue_;
};

// Finds who the credentials name. On an open station (no users) the claimed
// user acts as admin. On a secured archive a session token, else a password
// for the user; neither is kPermissionDenied "not logged in". A refusal is
// written to the access log under `operation` with the channel's args, its
// actor the claimed name as ClaimedActor (the name was not proven).
Result<Principal> Authenticate(Station& station, const Credentials& credentials,
                               const Channel& channel,
                               std::string_view operation);

// The log's actor for a caller who only asserted a name (a refused login,
// a refused session): "claimed:NAME", never a bare user name; '' stays ''.
std::string ClaimedActor(const std::string& name);

// Runs fn as the named operation: checks the caller's permission (a
// refusal is logged and returned as kPermissionDenied), runs fn and logs
// its outcome. For use cases that are not yet their own app function.
Result<int> Run(Station& station, const Caller& caller,
                std::string_view operation,
                const std::function<Result<int>()>& fn);

// The ids of records (documents, customers, originals, locations, loans,
// audits, archive numbers) in command-line style arguments, upper-cased.
std::vector<std::string> RecordsIn(const std::vector<std::string>& args);
// Arguments with secrets removed and sensitive values masked, as logged.
std::vector<std::string> Redact(const std::vector<std::string>& args);

}  // namespace dossier::app
