// The hash-chained access log's rules (docs/access.md): the entry, the
// exact bytes each entry's SHA-256 covers, the chain check, and the signed
// export's format and its check. Pure functions (libsodium for the
// signature), safe from any thread. The store that keeps the log is
// storage::AccessStore (storage/access_store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/result.h"

namespace dossier::governance {

struct LogEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string command;
  std::string args;     // JSON array text
  std::string records;  // space-separated
  std::string outcome;
  std::string detail;
  std::string prev_hash;
  std::string hash;
};

struct LogCheck {
  bool ok = true;
  std::int64_t entries = 0;        // entries read
  std::int64_t first_bad = 0;      // seq of the first bad entry; 0 if ok
  std::string problem;             // what is wrong with it
  std::string head_hash;           // hash of the last good entry
  std::int64_t head_seq = 0;
};

// The exact bytes hashed for an entry (a JSON object with sorted keys over
// all fields but hash). Documented in docs/access.md so a copy can be
// checked without this program.
std::string CanonicalLogEntry(const LogEntry& entry);
// Lower-case hex SHA-256 of CanonicalLogEntry.
std::string LogEntryHash(const LogEntry& entry);
// Checks a sequence of entries in seq order (the chain from entry 1).
LogCheck VerifyLogEntries(std::span<const LogEntry> entries);
// Checks an exported log (ExportLog's JSON): the chain, that the head
// matches the last entry, and the signature. With expected_public_key set
// the export must be signed by that key (hex); otherwise the key in the
// file is used and reported as "key <hex>" in problem-free checks.
// kInvalidArgument if the text is not an export.
Result<LogCheck> VerifyLogExport(std::string_view json,
                                 const std::optional<std::string>& expected_public_key);

// The export's "format" value.
inline constexpr std::string_view kLogExportFormat = "dossier-access-log/1";
// The bytes an export's Ed25519 signature covers: format, archive id and
// the chain head, one a line.
std::string SignedLogMessage(const std::string& archive_id, std::int64_t seq,
                             const std::string& hash);
// One entry as the export writes it.
nlohmann::json LogEntryJson(const LogEntry& entry);

}  // namespace dossier::governance
