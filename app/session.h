// Archive creation and sessions as use cases (operations archive.init,
// session.login, session.logout; docs/access.md). Each logs itself: init
// and login need no prior login, so there is no principal to check first.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "app/station.h"
#include "storage/access_store.h"

namespace dossier::app {

struct InitInput {
  std::filesystem::path dir;
  std::string admin;     // '' = an open station
  std::string password;  // for admin; at least 8 characters
  // '' = an SQLite catalog in the folder (the default); else the libpq URL
  // of an empty PostgreSQL database that becomes the catalog, shared by
  // every station that mounts the folder (docs/deploy.md).
  std::string catalog_url;
};

// Creates the archive (and its first admin) and logs the creation as
// `claimed_user` (open station) or the admin. A bad password is refused
// before anything is created; so is a PostgreSQL server that cannot be
// reached or whose database already holds a catalog.
Result<std::unique_ptr<Station>> InitArchive(const InitInput& input,
                                             const std::string& claimed_user,
                                             const Channel& channel);

struct LoginResult {
  storage::NewSession session;
  storage::User user;
};
// Checks the password and starts a session of `hours` (1..168); failures
// (unknown user, wrong password, disabled user) are logged under the name.
// kConflict on an open station, which needs no login.
Result<LoginResult> Login(Station& station, const Channel& channel,
                          const std::string& name, const std::string& password,
                          int hours);
// true while the archive has no users (an open station).
Result<bool> IsOpenStation(Station& station);
// The archive's random identity (32 hex digits), e.g. to name a session file.
Result<std::string> ArchiveId(Station& station);

// Ends the session with this token (kNotFound if unknown).
Status Logout(Station& station, const Caller& caller, const std::string& token);

}  // namespace dossier::app
