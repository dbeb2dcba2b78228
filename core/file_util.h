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

// Checks, without reading it and without blocking, that path names a
// regular file (symbolic links followed) and returns its size. It opens the
// file with O_NONBLOCK, so a FIFO with no writer opens at once, then
// fstat()s it. Errors name the file: kNotFound (missing), kInvalidArgument
// (a directory, a FIFO, a device, a socket: "is a FIFO (named pipe), not a
// regular file"), kIo (cannot open).
Result<std::uint64_t> RegularFileSize(const std::filesystem::path& path);

// "a FIFO (named pipe)", "a character device", ... for a non-regular
// st_mode; "" for a regular file.
std::string NonRegularKind(unsigned mode);

}  // namespace dossier
