// What every AccessStore backend does the same way, apart from its SQL:
// password hashes, session tokens, the fields of a new log entry, the log
// filter's time bounds, and the log-signing key in its own 0600 file with
// the signed export (docs/access.md). The rules themselves are
// governance's (governance/users.h, governance/access_log.h); this is the
// libsodium and file work around them, so the SQLite and the PostgreSQL
// stores keep one copy of it.
//
// Thread safety: every function may be called from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
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

// 1..168 hours; kInvalidArgument otherwise.
Status CheckSessionHours(int hours);
// 32 random bytes as 64 hex digits, expiring `hours` from now. Only the
// token's SHA-256 (Sha256Hex) is stored.
NewSession MakeSession(int hours);

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
