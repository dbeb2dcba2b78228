// FileStore: content-addressed, immutable files under an archive's objects/
// folder. A file is named by the SHA-256 of its bytes:
//   objects/ab/abcdef...0123.pdf
// Writes go to a temporary name, are fsynced and renamed, so a reader never
// sees a partial file. Putting bytes that are already stored is a no-op.
//
// Thread safety: safe for concurrent use from several threads and processes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier::storage {

class FileStore {
 public:
  explicit FileStore(std::filesystem::path root);

  // Stores bytes; returns their SHA-256 (lower-case hex).
  Result<std::string> Put(std::string_view bytes);
  // Reads the file back and checks its hash; kCorruptInput on mismatch.
  Result<std::string> Get(const std::string& sha256) const;
  bool Contains(const std::string& sha256) const;
  std::filesystem::path PathFor(const std::string& sha256) const;

 private:
  std::filesystem::path root_;
};

}  // namespace dossier::storage
