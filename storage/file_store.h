// FileStore: content-addressed, immutable files under an archive's objects/
// folder. A file is named by the SHA-256 of its bytes:
//   objects/ab/abcdef...0123.pdf
// Writes go to a temporary name, are fsynced and renamed, so a reader never
// sees a partial file. Putting bytes that are already stored is a no-op.
// Every file access goes through an Env (core/env.h), so tests can make the
// disk fail.
//
// Thread safety: safe for concurrent use from several threads and processes
// (as safe as the Env it uses; Env::Default() is).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/env.h"
#include "core/result.h"

namespace dossier::storage {

class FileStore {
 public:
  // REQUIRES: env is not null and outlives the FileStore; not owned.
  explicit FileStore(std::filesystem::path root, Env* env = Env::Default());

  // Stores bytes; returns their SHA-256 (lower-case hex). Only when it
  // returns a hash may a catalog row name the file: the file and the
  // directory entry that names it have then been fsynced.
  //
  // On error (kIo, naming the file and the reason) nothing new is visible
  // under the final name and no temporary is left, with one exception: if
  // only the directory fsync after the rename failed, the complete file is
  // in place under its name (a concurrent Put of the same bytes may already
  // rely on it, so it is not removed). It is then an orphan until a later
  // Put of the same bytes adopts it or `dossier backup sweep` removes it.
  Result<std::string> Put(std::string_view bytes);
  // Reads the file back and checks its hash; kCorruptInput on mismatch,
  // kNotFound if absent, kIo if it cannot be read.
  Result<std::string> Get(const std::string& sha256) const;
  bool Contains(const std::string& sha256) const;
  // Removes the file (a destroyed document's bytes) and fsyncs its
  // directory, so the removal survives a crash; the directory is fsynced
  // also when the file is already gone (an earlier removal may have failed
  // at that step). true if a file was removed, false if there was none;
  // kIo naming what (e.g. "the destroyed document's file") and the file or
  // folder if it cannot be removed or the removal not made durable.
  Result<bool> Remove(const std::string& sha256, std::string_view what);
  std::filesystem::path PathFor(const std::string& sha256) const;

 private:
  std::filesystem::path root_;
  Env* env_;
};

}  // namespace dossier::storage
