// The libsodium and key-file work every AccessStore backend shares
// (storage/access_secrets.h).
//
// Passwords: libsodium's crypto_pwhash_str (argon2id, the library's
// "interactive" limits), a self-describing string with its own salt and
// cost. Session tokens: 32 random bytes; only their SHA-256 is stored, so a
// copy of the catalog gives no usable token.
//
// The log-signing key: the secret key lives in its own 0600 file, not in
// the catalog: a copy of the catalog (a backup, a stolen file, a database
// dump) carries no key, and rewriting the catalog does not give the power
// to sign. The catalog keeps the public key only, so a missing key file is
// noticed rather than silently replaced.
#include "storage/access_secrets.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/json_text.h"
#include "governance/policy.h"

namespace dossier::storage::access_secrets {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kKeyFileName[] = "log-signing.key";

// Verified for names that are no user, so that a known and an unknown name
// cost the same: a fixed crypto_pwhash_str of a random password, made with
// the same limits as HashPassword (argon2id, "interactive": m=64 MiB, t=2).
constexpr char kDummyHash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$TKE6/Ia9/5X0u8vE2yE8CA$"
    "0a8PjR63f9hy3480xEtdWYZT1BjT1kWfj7xw7uB3XSA";

// Log fields are stored as valid UTF-8: bytes that are not (a file name in
// another encoding) are kept, escaped as \xNN (core/json_text.h).
std::string Utf8(const std::string& s) { return EscapeInvalidUtf8(s); }

}  // namespace

Status InitSodium() {
  static const int rc = sodium_init();
  if (rc < 0) {
    return MakeError(ErrorCode::kInternal, "libsodium failed to initialise");
  }
  return Ok();
}

Result<std::string> HashPassword(const std::string& password) {
  if (auto s = InitSodium(); !s) return std::unexpected(s.error());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return MakeError(ErrorCode::kInternal,
                     "hashing a password ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(const std::optional<std::string>& hash,
                    const std::string& password) {
  if (!InitSodium()) return false;
  const char* stored = hash ? hash->c_str() : kDummyHash;
  const bool ok =
      crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
  return ok && hash.has_value();
}

Error NoSuchUser(const std::string& name) {
  return Error{ErrorCode::kNotFound, fmt::format("user {} does not exist", name)};
}

Result<Principal> OpenStationPrincipalOf(AccessStore& store,
                                         const std::string& name) {
  auto open = store.IsOpenStation();
  if (!open) return std::unexpected(open.error());
  if (!*open) {
    return MakeError(ErrorCode::kConflict,
                     "the archive has users: log in (dossier login NAME)");
  }
  return Principal{name, {"admin"}, true, "open-station", ""};
}

governance::LoginThrottle ParseLoginThrottle(const std::optional<std::string>& text) {
  governance::LoginThrottle t;
  if (!text) return t;
  const auto j = json::parse(*text, nullptr, false);
  if (!j.is_object()) return t;
  t.delay_ms = j.value("delay_ms", t.delay_ms);
  t.max_delay_ms = j.value("max_delay_ms", t.max_delay_ms);
  t.lockout_after = j.value("lockout_after", t.lockout_after);
  return t;
}

Result<std::string> LoginThrottleText(const governance::LoginThrottle& t) {
  if (t.delay_ms < 0 || t.max_delay_ms < 0 || t.lockout_after < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "login-throttle: values may not be negative");
  }
  json j{{"delay_ms", t.delay_ms},
         {"max_delay_ms", t.max_delay_ms},
         {"lockout_after", t.lockout_after}};
  return j.dump();
}

LoginState LoginStateOf(const governance::LoginThrottle& throttle,
                        std::int64_t failures, std::int64_t station_failures) {
  LoginState state;
  state.failures = failures;
  state.station_failures = station_failures;
  state.locked = governance::LoginLocked(throttle, failures);
  state.next_delay = std::max(governance::LoginDelay(throttle, failures),
                              governance::LoginDelay(throttle, station_failures));
  return state;
}

Result<UserRow> CheckLogin(
    AccessStore& store, const std::string& name, const std::string& password,
    const std::function<Result<std::optional<UserRow>>()>& find_user,
    const std::function<Status(bool ok)>& count_login) {
  if (auto s = InitSodium(); !s) return std::unexpected(s.error());
  // Earlier failures (of this name, and of the station) make this attempt
  // wait; a locked name is refused whatever the password.
  auto state = store.GetLoginState(name);
  if (!state) return std::unexpected(state.error());
  if (state->next_delay.count() > 0) std::this_thread::sleep_for(state->next_delay);
  auto row = find_user();
  if (!row) return std::unexpected(row.error());
  // One argon2id verification whether or not the name exists, so that a
  // failed login does not tell which names are users.
  const bool password_ok = VerifyPassword(
      *row ? std::optional<std::string>((*row)->password_hash) : std::nullopt,
      password);
  const bool ok = password_ok && *row && (*row)->active && !state->locked;
  const bool counted = state->failures > 0 || state->station_failures > 0;
  if (!ok || counted) {
    if (auto s = count_login(ok); !s) return std::unexpected(s.error());
  }
  if (!ok) {
    if (state->locked) {
      return std::unexpected(LoginLockedOut(name, state->failures));
    }
    return std::unexpected(LoginFailed(name));
  }
  return std::move(**row);
}

Error LoginFailed(const std::string& name) {
  return Error{ErrorCode::kPermissionDenied,
               fmt::format("login failed for {}", name)};
}

Error LoginLockedOut(const std::string& name, std::int64_t failures) {
  return Error{ErrorCode::kPermissionDenied,
               fmt::format("login failed for {}: locked after {} "
                           "failed logins in a row; an admin unlocks "
                           "it (dossier user unlock {})",
                           name, failures, name)};
}

Status CheckSessionHours(int hours) {
  if (hours < 1 || hours > 168) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("session length {} h is not 1..168", hours));
  }
  return Ok();
}

NewSession MakeSession(int hours) {
  (void)InitSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return NewSession{hex, FormatUtc(Now() + std::chrono::hours(hours))};
}

Result<NewSession> StartSession(AccessStore& store, const std::string& name,
                                const std::string& password, int hours) {
  if (auto s = CheckSessionHours(hours); !s) return std::unexpected(s.error());
  auto principal = store.CheckPassword(name, password);
  if (!principal) return std::unexpected(principal.error());
  return MakeSession(hours);
}

Status CheckSession(const std::string& name, bool ended,
                    const std::string& expires_at, bool user_active) {
  if (ended) {
    return MakeError(ErrorCode::kPermissionDenied,
                     fmt::format("the session of {} has ended: log in again",
                                 name));
  }
  if (expires_at <= FormatUtc(Now())) {
    return MakeError(ErrorCode::kPermissionDenied,
                     fmt::format("the session of {} expired at {}: log in "
                                 "again",
                                 name, expires_at));
  }
  if (!user_active) {
    return MakeError(ErrorCode::kPermissionDenied,
                     fmt::format("user {} is disabled", name));
  }
  return Ok();
}

governance::LogEntry PrepareLogEntry(const NewLogEntry& entry) {
  governance::LogEntry e;
  e.at = FormatUtc(Now());
  e.actor = Utf8(entry.actor);
  e.command = Utf8(entry.command);
  e.args = DumpJson(json(entry.args));
  std::string records;
  for (const auto& r : entry.records) {
    if (!records.empty()) records += ' ';
    records += r;
  }
  e.records = Utf8(records);
  e.outcome = Utf8(entry.outcome);
  e.detail = Utf8(entry.detail);
  return e;
}

Result<std::string> LogTimeBound(const std::string& text, bool until) {
  if (text.empty()) return std::string();
  auto digit = [&](size_t i) {
    return i < text.size() && text[i] >= '0' && text[i] <= '9';
  };
  bool date_ok = text.size() >= 10 && digit(0) && digit(1) && digit(2) &&
                 digit(3) && text[4] == '-' && digit(5) && digit(6) &&
                 text[7] == '-' && digit(8) && digit(9);
  if (!date_ok || (text.size() > 10 && text[10] != 'T')) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("time '{}' is not YYYY-MM-DD or "
                                 "YYYY-MM-DDTHH:MM:SSZ",
                                 text));
  }
  if (until && text.size() == 10) return text + "T~";  // '~' > any digit
  return text;
}

std::string EscapeLike(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

fs::path SigningKeyFileIn(const fs::path& dir) {
  if (const char* env = std::getenv("DOSSIER_LOG_KEY");
      env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  return dir / kKeyFileName;
}

Result<std::optional<std::string>> ReadKeyFile(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return MakeError(ErrorCode::kIo,
                     fmt::format("log signing key {}: cannot open: {}",
                                 file.string(), std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return MakeError(ErrorCode::kIo, fmt::format("log signing key {} is not a "
                                                 "regular file",
                                                 file.string()));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return MakeError(ErrorCode::kPermissionDenied,
                     fmt::format("log signing key {} is mode {:04o}: others "
                                 "could read it; chmod 600 it",
                                 file.string(), st.st_mode & 07777));
  }
  std::string text;
  char buf[512];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > 4096) break;
  }
  ::close(fd);
  sodium_memzero(buf, sizeof buf);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' ||
                           text.back() == ' ')) {
    text.pop_back();
  }
  return std::optional<std::string>(std::move(text));
}

Status WriteKeyFile(const fs::path& file, const std::string& sk_hex) {
  const int fd = ::open(file.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        0600);
  if (fd < 0) {
    return MakeError(errno == EEXIST ? ErrorCode::kConflict : ErrorCode::kIo,
                     fmt::format("log signing key {}: cannot create: {}",
                                 file.string(), std::strerror(errno)));
  }
  const std::string text = sk_hex + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, text.data(), text.size()) ==
                static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(file.c_str());
    return MakeError(ErrorCode::kIo, fmt::format("log signing key {}: cannot "
                                                 "write it",
                                                 file.string()));
  }
  return Ok();
}

KeyPair NewKeyPair() {
  (void)InitSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  char pk_hex[sizeof pk * 2 + 1];
  char sk_hex[sizeof sk * 2 + 1];
  sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
  sodium_bin2hex(sk_hex, sizeof sk_hex, sk, sizeof sk);
  sodium_memzero(sk, sizeof sk);
  KeyPair pair{pk_hex, sk_hex};
  sodium_memzero(sk_hex, sizeof sk_hex);
  return pair;
}

namespace {

// The secret key bytes and the public key (hex) from the key's hex text.
Result<std::string> Decode(const std::string& sk_hex, const fs::path& file,
                           unsigned char (&sk)[crypto_sign_SECRETKEYBYTES]) {
  size_t sk_len = 0;
  if (sodium_hex2bin(sk, sizeof sk, sk_hex.data(), sk_hex.size(), nullptr,
                     &sk_len, nullptr) != 0 ||
      sk_len != sizeof sk) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("log signing key {} is damaged (not {} hex "
                                 "bytes)",
                                 file.string(), sizeof sk));
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, sk);
  char pk_hex[sizeof pk * 2 + 1];
  sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
  return std::string(pk_hex);
}

}  // namespace

Result<std::string> PublicKeyOf(const std::string& sk_hex, const fs::path& file) {
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  auto pub = Decode(sk_hex, file, sk);
  sodium_memzero(sk, sizeof sk);
  return pub;
}

Result<std::string> SignedExport(const std::string& archive_id,
                                 const std::vector<governance::LogEntry>& entries,
                                 std::string sk_hex, const fs::path& file) {
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  auto pub = Decode(sk_hex, file, sk);
  sodium_memzero(sk_hex.data(), sk_hex.size());
  if (!pub) {
    sodium_memzero(sk, sizeof sk);
    return std::unexpected(pub.error());
  }
  std::int64_t head_seq = entries.empty() ? 0 : entries.back().seq;
  std::string head_hash = entries.empty() ? kZeroHash : entries.back().hash;
  const std::string message =
      governance::SignedLogMessage(archive_id, head_seq, head_hash);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), sk);
  sodium_memzero(sk, sizeof sk);
  char sig_hex[sizeof sig * 2 + 1];
  sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
  json out{{"format", governance::kLogExportFormat},
           {"archive_id", archive_id},
           {"exported_at", FormatUtc(Now())},
           {"entries", json::array()},
           {"head", {{"seq", head_seq}, {"hash", head_hash}}},
           {"public_key", *pub},
           {"signature", std::string(sig_hex)}};
  for (const auto& e : entries) out["entries"].push_back(governance::LogEntryJson(e));
  return DumpJson(out, 1) + "\n";
}

Result<std::string> SigningPublicKeyOf(const AccessStore& store,
                                       Result<std::string> secret) {
  if (!secret) return std::unexpected(secret.error());
  auto pub = PublicKeyOf(*secret, store.SigningKeyFile());
  sodium_memzero(secret->data(), secret->size());
  return pub;
}

Result<std::string> ExportLogOf(AccessStore& store, Result<std::string> secret) {
  if (!secret) return std::unexpected(secret.error());
  auto id = store.ArchiveId();
  if (!id) {
    sodium_memzero(secret->data(), secret->size());
    return std::unexpected(id.error());
  }
  auto entries = store.ReadLog(LogFilter{});
  if (!entries) {
    sodium_memzero(secret->data(), secret->size());
    return std::unexpected(entries.error());
  }
  return SignedExport(*id, *entries, std::move(*secret), store.SigningKeyFile());
}

}  // namespace dossier::storage::access_secrets
