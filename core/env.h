// Env: the seam between Dossier and the file system.
//
// Everything that writes a stored file (the archive's objects, its marker)
// goes through an Env, so a test can hand in an Env that fails a chosen call
// with ENOSPC, EIO or a failed fsync and check that the archive stays
// consistent. Env::Default() is the real POSIX implementation.
//
// The interface is a handful of primitives (create a file and append to it,
// fsync, rename, remove, make directories, read, exists, size); the one
// composite operation, WriteFileAtomic, is not virtual and is built from the
// primitives, so a wrapping Env sees and can fail each step of it.
//
// Errors: every failure is a Status or Result with ErrorCode::kIo whose
// message names the file and gives strerror's reason, e.g.
//   "/a/objects/ab/.tmp-ab...pdf-12-34: write: No space left on device".
// ReadFile also returns kNotFound (no such file) and kInvalidArgument (a
// directory), as the callers tell those apart.
//
// Thread safety: an Env is safe for concurrent use from several threads;
// implementations must keep it so. A WritableFile is not: one thread at a
// time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier {

// The kIo error every Env reports for a failed system call:
// "<file>: <operation>: <strerror(error_number)>".
Error PosixError(const std::filesystem::path& file, std::string_view operation,
                 int error_number);

// A file being written, from Env::NewWritableFile. Owned by the caller.
// Close() before destruction to see close's error; the destructor closes a
// file still open and drops any error.
class WritableFile {
 public:
  WritableFile() = default;
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;
  virtual ~WritableFile();

  // Appends all of bytes (short writes and EINTR are retried). On error
  // part of bytes may have been written.
  virtual Status Append(std::span<const std::uint8_t> bytes) = 0;
  // fsync: the bytes appended so far are on stable storage when it returns
  // ok. After an error the file's contents are unknown; discard it.
  virtual Status Sync() = 0;
  // Releases the file. REQUIRES: called at most once; no call after it.
  virtual Status Close() = 0;
};

class Env {
 public:
  Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  virtual ~Env();

  // The POSIX implementation. Lives for the whole process (never destroyed,
  // so it stays usable from static destructors); the caller must not delete
  // it.
  static Env* Default();

  // Creates path for writing. Fails (kIo, EEXIST) if it already exists, so
  // two writers never share a file. The parent directory must exist.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::filesystem::path& path) = 0;

  // Reads the whole file. kNotFound if it does not exist, kInvalidArgument
  // if it is a directory, kIo for anything else.
  virtual Result<std::string> ReadFile(const std::filesystem::path& path) = 0;

  // rename(2): atomically replaces to if it exists. REQUIRES: from and to in
  // the same file system (the same directory, for the atomic write).
  virtual Status RenameFile(const std::filesystem::path& from,
                            const std::filesystem::path& to) = 0;

  // Removes a file; kNotFound if there was none.
  virtual Status RemoveFile(const std::filesystem::path& path) = 0;

  // Creates dir and its missing parents; ok if it already exists.
  virtual Status CreateDirectories(const std::filesystem::path& dir) = 0;

  // fsyncs a directory, so the names created or renamed in it are durable.
  virtual Status SyncDirectory(const std::filesystem::path& dir) = 0;

  // True if path names a regular file (after following symbolic links).
  // Errors (such as a permission problem) read as false.
  virtual bool FileExists(const std::filesystem::path& path) = 0;

  // Size in bytes of the regular file at path; kNotFound if there is none.
  virtual Result<std::uint64_t> FileSize(const std::filesystem::path& path) = 0;

  // Writes bytes to path so that a reader sees either the old state or all
  // of the new bytes, never part of them: creates the missing parent
  // directories, writes a temporary file ".tmp-<name>-<pid>-<random>" in the
  // same directory, fsyncs it, renames it to path and fsyncs the directory.
  // Replaces an existing file at path.
  //
  // On failure before the rename, the temporary is removed and path is
  // untouched. If only the final directory fsync fails, path already holds
  // all the bytes but its name may not survive a power loss; the error is
  // still reported, so the caller does not rely on it.
  Status WriteFileAtomic(const std::filesystem::path& path,
                         std::span<const std::uint8_t> bytes);
  Status WriteFileAtomic(const std::filesystem::path& path,
                         std::string_view bytes);
};

}  // namespace dossier
