#include "core/file_util.h"

#include "core/env.h"

namespace dossier {

// Both delegate to the default Env, so there is one implementation of the
// atomic write; code that needs to inject faults takes an Env* instead.

Status WriteFileAtomic(const std::filesystem::path& path,
                       std::span<const std::uint8_t> bytes) {
  return Env::Default()->WriteFileAtomic(path, bytes);
}

Status WriteFileAtomic(const std::filesystem::path& path,
                       std::string_view bytes) {
  return Env::Default()->WriteFileAtomic(path, bytes);
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  return Env::Default()->ReadFile(path);
}

}  // namespace dossier
