// Internal to app/: the guard every use case runs inside. It checks the
// operation's permission for the caller, collects the records the request
// names, and appends exactly one access-log entry with the outcome.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/station.h"
#include "core/result.h"

namespace dossier::app {

class Operation {
 public:
  // REQUIRES: station and caller outlive the Operation.
  Operation(Station& station, const Caller& caller, std::string_view name);

  const Principal& principal() const { return caller_.principal; }
  const std::string& user() const { return caller_.principal.user; }
  Station& station() { return station_; }

  // Ok if the caller's roles grant the operation's permission; otherwise
  // logs the refusal ("denied") and returns kPermissionDenied.
  Status Authorize();
  // A further permission the request needs (e.g. user.manage to change
  // another user's password); refusals are logged the same way.
  Status Require(std::string_view permission);
  // Adds a record id to the log entry.
  void Record(const std::string& id);

  // Logs the outcome and returns the result. A result that succeeded but
  // could not be logged becomes the logging error: nothing is done unlogged.
  template <typename T>
  Result<T> Finish(Result<T> result) {
    Status logged = result ? Log("ok", "")
                           : Log(OutcomeOf(result.error()), result.error().message);
    if (result && !logged) return std::unexpected(logged.error());
    return result;
  }
  Status Finish(Status status);

 private:
  static std::string OutcomeOf(const Error& error);
  Status Log(const std::string& outcome, const std::string& detail);

  Station& station_;
  const Caller& caller_;
  std::string name_;
  std::vector<std::string> records_;
  bool logged_ = false;
};

}  // namespace dossier::app
