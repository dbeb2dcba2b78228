// What every AccessStore backend does the same way, apart from its SQL:
// password hashes, the login check with its throttle, session tokens and
// the checks of a stored session, the fields of a new log entry, the log
// filter's time bounds, and the log-signing key in its own 0600 file with
// the signed export (docs/access.md). The rules themselves are
// governance's (governance/users.h, governance/access_log.h); this is the
// libsodium, file and control flow around them, so the SQLite and the
// PostgreSQL stores keep one copy of it. A function that takes a store
// calls its public AccessStore methods; the backend passes what only its
// SQL can do (reading a user's row, counting a login) as callbacks.
//
// Thread safety: every function may be called from any thread; one that
// takes a store uses it on the calling thread, as AccessStore requires.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "governance/access_log.h"
#include "storage/access_store.h"

namespace dossier::storage::access_secrets {

// sodium_init(), once per process; kInternal if libsodium cannot start.
Status InitSodium();

// crypto_pwhash_str (argon2id, the library's "interactive" limits).
Result<std::string> HashPassword(const std::string& password);
// Verifies password against hash; against a fixed dummy hash of the same
// cost when hash is nullopt (no such user), so that a known and an unknown
// name cost the same. False for the dummy.
bool VerifyPassword(const std::optional<std::string>& hash,
                    const std::string& password);
// kPermissionDenied "login failed for NAME", and its locked-out form.
Error LoginFailed(const std::string& name);
Error LoginLockedOut(const std::string& name, std::int64_t failures);
// The row of login_failures counting failures over all names (no user name
// has a space).
inline constexpr char kStationRow[] = " station";

// --- Users, logins and sessions ----------------------------------------------

// A user's row as a login reads it.
struct UserRow {
  std::int64_t id = 0;
  std::string password_hash;
  bool active = false;
};
// kNotFound "user NAME does not exist".
Error NoSuchUser(const std::string& name);
// AccessStore::OpenStationPrincipal of every backend: the open station's
// admin while the archive has no users, kConflict once it has.
Result<Principal> OpenStationPrincipalOf(AccessStore& store,
                                         const std::string& name);

// The "login-throttle" setting's text (nullopt while it is not set) as a
// throttle: the defaults for what it does not say, or when it is not a JSON
// object.
governance::LoginThrottle ParseLoginThrottle(const std::optional<std::string>& text);
// The setting's text for a throttle; kInvalidArgument for negative values.
Result<std::string> LoginThrottleText(const governance::LoginThrottle& throttle);
// The login state of a name that failed `failures` times in a row, on a
// station whose names failed `station_failures` times.
LoginState LoginStateOf(const governance::LoginThrottle& throttle,
                        std::int64_t failures, std::int64_t station_failures);
// AccessStore::CheckPassword of every backend, apart from its SQL: waits
// the delay that earlier failures earned, verifies the password (once,
// whether or not the name exists), has the attempt counted, and refuses a
// failed or locked-out login. find_user reads the name's row; count_login
// counts an attempt (true: it succeeded). The user's row on success.
Result<UserRow> CheckLogin(
    AccessStore& store, const std::string& name, const std::string& password,
    const std::function<Result<std::optional<UserRow>>()>& find_user,
    const std::function<Status(bool ok)>& count_login);

// 1..168 hours; kInvalidArgument otherwise.
Status CheckSessionHours(int hours);
// 32 random bytes as 64 hex digits, expiring `hours` from now. Only the
// token's SHA-256 (Sha256Hex) is stored.
NewSession MakeSession(int hours);
// What AccessStore::CreateSession of every backend does before it stores
// the session: checks hours and the password, then makes the session.
Result<NewSession> StartSession(AccessStore& store, const std::string& name,
                                const std::string& password, int hours);
// Whether a stored session of user `name` still lets them in:
// kPermissionDenied if it has ended, has expired (expires_at is not after
// now) or the user is disabled.
Status CheckSession(const std::string& name, bool ended,
                    const std::string& expires_at, bool user_active);

// The log entry for `entry` at now: every text field valid UTF-8 (bytes
// that are not are escaped as \xNN), args as a JSON array, records
// space-separated. seq, prev_hash and hash are left for the store.
governance::LogEntry PrepareLogEntry(const NewLogEntry& entry);
// prev_hash of entry 1.
inline const std::string kZeroHash(64, '0');
// A LogFilter bound for `at`: '' (open), a date, or an ISO 8601 time. A
// date in `until` covers the whole day ("2026-03-01T~" sorts after every
// time of it). kInvalidArgument for anything else.
Result<std::string> LogTimeBound(const std::string& text, bool until);
// The record filter for a LIKE ... ESCAPE '\' pattern: %, _ and \ escaped.
std::string EscapeLike(const std::string& text);

// --- The log-signing key ---------------------------------------------------

// $DOSSIER_LOG_KEY if set, else log-signing.key in dir.
std::filesystem::path SigningKeyFileIn(const std::filesystem::path& dir);
// The secret key's hex text from the file; nullopt if the file is absent.
// Refuses a file others may read (kPermissionDenied) or that is not a
// regular file (kIo).
Result<std::optional<std::string>> ReadKeyFile(const std::filesystem::path& file);
// Writes a new key file (0600, never over an existing one: kConflict).
Status WriteKeyFile(const std::filesystem::path& file, const std::string& sk_hex);
struct KeyPair {
  std::string public_hex;
  std::string secret_hex;
};
KeyPair NewKeyPair();
// The public key (hex) of a secret key's hex text; kCatalog naming file if
// the text is damaged.
Result<std::string> PublicKeyOf(const std::string& sk_hex,
                                const std::filesystem::path& file);
// The signed export of the whole log (docs/access.md); entries in seq
// order. Wipes its copies of the secret.
Result<std::string> SignedExport(const std::string& archive_id,
                                 const std::vector<governance::LogEntry>& entries,
                                 std::string sk_hex,
                                 const std::filesystem::path& file);
// AccessStore::SigningPublicKey of every backend: the public key of
// `secret`, the store's secret key (its SigningSecret), whose copy is wiped.
Result<std::string> SigningPublicKeyOf(const AccessStore& store,
                                       Result<std::string> secret);
// AccessStore::ExportLog of every backend: the signed export of the store's
// archive id and whole log, with `secret`, the store's secret key (its
// SigningSecret, made first). The copies of the secret are wiped whatever
// fails.
Result<std::string> ExportLogOf(AccessStore& store, Result<std::string> secret);

}  // namespace dossier::storage::access_secrets
