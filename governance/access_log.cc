// The access log's chain and export rules (governance/access_log.h).
#include "governance/access_log.h"

#include <fmt/format.h>
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "core/hash.h"

namespace dossier::governance {
namespace {

using nlohmann::json;

const std::string kZeroHash(64, '0');

Status InitSodium() {
  static const int rc = sodium_init();
  if (rc < 0) {
    return MakeError(ErrorCode::kInternal, "libsodium failed to initialise");
  }
  return Ok();
}

}  // namespace

std::string SignedLogMessage(const std::string& archive_id, std::int64_t seq,
                             const std::string& hash) {
  return fmt::format("{}\n{}\n{}\n{}\n", kLogExportFormat, archive_id, seq,
                     hash);
}

json LogEntryJson(const LogEntry& e) {
  return json{{"seq", e.seq},         {"at", e.at},
              {"actor", e.actor},     {"command", e.command},
              {"args", e.args},       {"records", e.records},
              {"outcome", e.outcome}, {"detail", e.detail},
              {"prev_hash", e.prev_hash}, {"hash", e.hash}};
}

std::string CanonicalLogEntry(const LogEntry& e) {
  json j{{"seq", e.seq},         {"at", e.at},           {"actor", e.actor},
         {"command", e.command}, {"args", e.args},       {"records", e.records},
         {"outcome", e.outcome}, {"detail", e.detail},   {"prev", e.prev_hash}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string LogEntryHash(const LogEntry& entry) {
  return Sha256Hex(CanonicalLogEntry(entry));
}

LogCheck VerifyLogEntries(std::span<const LogEntry> entries) {
  LogCheck check;
  check.head_hash = kZeroHash;
  std::int64_t expected_seq = 1;
  for (const LogEntry& e : entries) {
    ++check.entries;
    std::string problem;
    if (e.seq != expected_seq) {
      problem = e.seq > expected_seq
                    ? fmt::format("entry {} follows entry {}: entries {}..{} "
                                  "are missing (deleted)",
                                  e.seq, expected_seq - 1, expected_seq,
                                  e.seq - 1)
                    : fmt::format("entry {} is out of order (expected {})",
                                  e.seq, expected_seq);
    } else if (LogEntryHash(e) != e.hash) {
      problem = fmt::format("entry {} was modified: its content does not "
                            "match its hash",
                            e.seq);
    } else if (e.prev_hash != check.head_hash) {
      problem = fmt::format("entry {} does not link to entry {}: an entry was "
                            "inserted, deleted or moved here",
                            e.seq, e.seq - 1);
    }
    if (!problem.empty()) {
      check.ok = false;
      check.first_bad = e.seq;
      check.problem = std::move(problem);
      return check;
    }
    check.head_hash = e.hash;
    check.head_seq = e.seq;
    ++expected_seq;
  }
  return check;
}

Result<LogCheck> VerifyLogExport(
    std::string_view text, const std::optional<std::string>& expected_key) {
  if (auto s = InitSodium(); !s) return std::unexpected(s.error());
  json doc = json::parse(text, nullptr, false);
  auto bad = [](std::string why) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not an exported access log: " + why);
  };
  if (doc.is_discarded() || !doc.is_object()) return bad("invalid JSON");
  if (doc.value("format", "") != kLogExportFormat) return bad("unknown format");
  std::vector<LogEntry> entries;
  try {
    for (const auto& j : doc.at("entries")) {
      entries.push_back(LogEntry{
          j.at("seq").get<std::int64_t>(), j.at("at").get<std::string>(),
          j.at("actor").get<std::string>(), j.at("command").get<std::string>(),
          j.at("args").get<std::string>(), j.at("records").get<std::string>(),
          j.at("outcome").get<std::string>(), j.at("detail").get<std::string>(),
          j.at("prev_hash").get<std::string>(), j.at("hash").get<std::string>()});
    }
    LogCheck check = VerifyLogEntries(entries);
    if (!check.ok) return check;
    const auto head_seq = doc.at("head").at("seq").get<std::int64_t>();
    const auto head_hash = doc.at("head").at("hash").get<std::string>();
    if (head_seq != check.head_seq || head_hash != check.head_hash) {
      check.ok = false;
      check.first_bad = check.head_seq + 1;
      check.problem = fmt::format(
          "the signed head is entry {} ({}) but the last entry is {}: entries "
          "were cut off or added",
          head_seq, head_hash.substr(0, 12), check.head_seq);
      return check;
    }
    std::string key = doc.at("public_key").get<std::string>();
    if (expected_key && *expected_key != key) {
      check.ok = false;
      check.problem = fmt::format(
          "signed with key {}, not the archive's key {}", key, *expected_key);
      return check;
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sig[crypto_sign_BYTES];
    size_t pk_len = 0;
    size_t sig_len = 0;
    const std::string sig_hex = doc.at("signature").get<std::string>();
    const std::string message = SignedLogMessage(
        doc.at("archive_id").get<std::string>(), head_seq, head_hash);
    if (sodium_hex2bin(pk, sizeof pk, key.data(), key.size(), nullptr, &pk_len,
                       nullptr) != 0 ||
        pk_len != sizeof pk ||
        sodium_hex2bin(sig, sizeof sig, sig_hex.data(), sig_hex.size(),
                       nullptr, &sig_len, nullptr) != 0 ||
        sig_len != sizeof sig ||
        crypto_sign_verify_detached(
            sig, reinterpret_cast<const unsigned char*>(message.data()),
            message.size(), pk) != 0) {
      check.ok = false;
      check.problem = "the signature over the chain head is not valid";
      return check;
    }
    return check;
  } catch (const json::exception& e) {
    return bad(e.what());
  }
}

}  // namespace dossier::governance
