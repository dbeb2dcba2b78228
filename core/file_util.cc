#include "core/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

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

namespace dossier {

std::string NonRegularKind(unsigned mode) {
  if (S_ISREG(mode)) return "";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

Result<std::uint64_t> RegularFileSize(const std::filesystem::path& path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
  // writer. Nothing is read here.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return MakeError(ErrorCode::kNotFound, path.string() + ": no such file");
    }
    if (err == EISDIR) {
      return MakeError(ErrorCode::kInvalidArgument,
                       path.string() + ": is a directory, not an image file");
    }
    return std::unexpected(PosixError(path, "cannot open", err));
  }
  struct stat st {};
  const int rc = ::fstat(fd, &st);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return std::unexpected(PosixError(path, "cannot stat", err));
  if (S_ISDIR(st.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     path.string() + ": is a directory, not an image file");
  }
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     path.string() + ": is " + NonRegularKind(st.st_mode) +
                         ", not a regular file; refused without reading it");
  }
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace dossier
