// Durable file writes: temporary name, write, fsync, rename, fsync directory.
// A reader never sees a half-written file under the final name.
// These use Env::Default(); see core/env.h for the contracts and for the
// seam that lets tests inject failures.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "core/result.h"

namespace dossier {

// Writes bytes to path atomically. Creates missing parent directories.
// On failure nothing is left under path or the temporary name.
Status WriteFileAtomic(const std::filesystem::path& path,
                       std::span<const std::uint8_t> bytes);
Status WriteFileAtomic(const std::filesystem::path& path,
                       std::string_view bytes);

// Reads a whole file; error names the file and the reason.
Result<std::string> ReadFile(const std::filesystem::path& path);

}  // namespace dossier
