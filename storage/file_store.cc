#include "storage/file_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/hash.h"

namespace dossier::storage {
namespace {

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

FileStore::FileStore(std::filesystem::path root, Env* env)
    : root_(std::move(root)), env_(env) {}

std::filesystem::path FileStore::PathFor(const std::string& sha256) const {
  // Two-hex-digit fan-out keeps directories small (256 of them) so listing
  // and backup tools stay fast with many files.
  return root_ / sha256.substr(0, 2) / (sha256 + ".pdf");
}

bool FileStore::Contains(const std::string& sha256) const {
  if (!IsSha256Hex(sha256)) return false;
  return env_->FileExists(PathFor(sha256));
}

Result<bool> FileStore::Remove(const std::string& sha256, std::string_view what) {
  if (!IsSha256Hex(sha256)) return false;
  const std::filesystem::path path = PathFor(sha256);
  auto fail = [&](const Error& e) {
    return MakeError(ErrorCode::kIo, fmt::format("{}: {}", what, e.message));
  };
  bool removed = false;
  if (env_->FileExists(path)) {
    if (auto s = env_->RemoveFile(path); !s) {
      if (s.error().code != ErrorCode::kNotFound) return fail(s.error());
    } else {
      removed = true;
    }
  }
  // Also when the file is already gone: an earlier removal may have failed
  // at this fsync, and the caller is about to record the removal as done.
  std::error_code ec;
  if (std::filesystem::is_directory(path.parent_path(), ec)) {
    if (auto s = env_->SyncDirectory(path.parent_path()); !s) return fail(s.error());
  }
  return removed;
}

Result<std::string> FileStore::Put(std::string_view bytes) {
  std::string sha256 = Sha256Hex(bytes);
  const std::filesystem::path path = PathFor(sha256);
  // Stored files are immutable and named by their content, so an existing
  // file already holds exactly these bytes (Get verifies that on read).
  // Its directory is fsynced again: the write that created it may have
  // failed at that last step, and the caller is about to rely on the name.
  if (Contains(sha256)) {
    if (auto s = env_->SyncDirectory(path.parent_path()); !s) {
      return std::unexpected(s.error());
    }
    return sha256;
  }
  if (auto s = env_->WriteFileAtomic(path, bytes); !s) {
    return std::unexpected(s.error());
  }
  return sha256;
}

Result<std::string> FileStore::Get(const std::string& sha256) const {
  if (!IsSha256Hex(sha256)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a SHA-256 (64 lower-case hex "
                                 "digits)",
                                 sha256));
  }
  const std::filesystem::path path = PathFor(sha256);
  auto bytes = env_->ReadFile(path);
  if (!bytes) return std::unexpected(bytes.error());
  std::string actual = Sha256Hex(*bytes);
  if (actual != sha256) {
    return MakeError(ErrorCode::kCorruptInput,
                     fmt::format("{}: stored file is corrupt: its SHA-256 is "
                                 "{}, its name says {}",
                                 path.string(), actual, sha256));
  }
  return std::move(*bytes);
}

}  // namespace dossier::storage
