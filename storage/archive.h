// Archive: a folder holding one catalog and one file store.
//
//   DIR/catalog.sqlite     SQLite catalog (see catalog.h)
//   DIR/objects/           content-addressed PDFs (see file_store.h)
//   DIR/dossier-archive    marker file with the format version
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/env.h"
#include "core/result.h"
#include "storage/catalog.h"
#include "storage/file_store.h"

namespace dossier::storage {

// The archive folder to use: explicit if given, else $DOSSIER_ARCHIVE,
// else ./archive.
std::filesystem::path ResolveArchiveDir(
    const std::optional<std::filesystem::path>& explicit_dir);

// The marker, the objects/ folder and every stored file are read and
// written through env (core/env.h); the catalog is SQLite's own business.
// REQUIRES: env is not null and outlives the Archive; not owned.
class Archive {
 public:
  // Creates a new archive in dir (created if missing, must be empty of a
  // previous archive). kConflict if an archive is already there.
  static Result<std::unique_ptr<Archive>> Init(const std::filesystem::path& dir,
                                               Env* env = Env::Default());
  // Opens an existing archive; kNotFound with a hint to run `dossier init`.
  static Result<std::unique_ptr<Archive>> Open(const std::filesystem::path& dir,
                                               Env* env = Env::Default());

  const std::filesystem::path& dir() const { return dir_; }
  Catalog& catalog() { return *catalog_; }
  FileStore& files() { return files_; }

 private:
  Archive(std::filesystem::path dir, std::unique_ptr<Catalog> catalog,
          Env* env);
  std::filesystem::path dir_;
  std::unique_ptr<Catalog> catalog_;
  FileStore files_;
};

}  // namespace dossier::storage
