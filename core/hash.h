// SHA-256, used to name stored files and to detect duplicate inputs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier {

// Lower-case hex SHA-256 of the bytes.
std::string Sha256Hex(std::span<const std::uint8_t> bytes);
std::string Sha256Hex(std::string_view bytes);

// Streams the file; error names the file.
Result<std::string> Sha256File(const std::filesystem::path& path);

}  // namespace dossier
