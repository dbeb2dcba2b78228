// Backups that restore (manual 3.3): a consistent copy of an archive taken
// while it is in use, checked by restoring it, and restored into a new
// archive. Format in docs/governance.md:
//
//   BACKUP/dossier-backup   marker: "dossier backup format 1\n"
//   BACKUP/catalog.sqlite   the catalog, copied with SQLite's online backup
//                           API (one read snapshot; writers are not blocked)
//   BACKUP/catalog.pgdump   instead, for a PostgreSQL archive: pg_dump's
//                           custom format, of one snapshot in which the
//                           documents it names are also read
//                           (storage/postgres/catalog_dump.h)
//   BACKUP/objects/ab/<sha256>.pdf   the file store, copied incrementally:
//                           an object already in the backup is not copied
//   BACKUP/manifest.json    written last: format, catalog kind (sqlite or
//                           postgresql), time, source, schema version, and
//                           path, size and SHA-256 of every file
//
// Consistency: files land in the store before the catalog rows that name
// them commit, so every file the snapshot names already exists when the
// snapshot is taken; the objects are copied after it. Each object's bytes
// are hashed while copied and must match its name: a corrupt source object
// is reported, never copied over a good one. Every file is written to a
// temporary name, fsynced and renamed, and the manifest goes last, so a
// backup interrupted half-way keeps its previous manifest and stays valid.
// The destination may be any mounted filesystem (second disk, NFS/SMB
// share): only ordinary file operations are used.
//
// Backing up reads the archive without opening it as a Catalog, so an
// archive of an older schema is backed up as it is; verify and restore
// open the restored catalog, which upgrades it.
//
// Thread safety: the functions are independent; two backups into the same
// folder at once are not supported.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"

namespace dossier::storage {

struct BackupReport {
  std::filesystem::path to;
  int schema_version = 0;
  int documents = 0;            // in the catalog snapshot
  int objects = 0;              // objects in the backup now
  int objects_copied = 0;       // new this time
  int objects_skipped = 0;      // already in the backup
  int objects_removed = 0;      // gone from the archive (destroyed)
  std::int64_t bytes_copied = 0;
  std::vector<std::string> problems;  // e.g. a corrupt source object
  bool ok() const { return problems.empty(); }
};

// Backs up the archive at archive_dir into to (created if missing; must be
// empty or an earlier backup of any archive). kNotFound if archive_dir is
// not an archive, kIo/kCatalog on failures. Problems with single objects
// (corrupt, vanished) are listed in the report, the rest is backed up.
Result<BackupReport> BackupArchive(const std::filesystem::path& archive_dir,
                                   const std::filesystem::path& to);

struct BackupCheck {
  std::filesystem::path backup;
  std::string created_at;
  int schema_version = 0;       // as backed up
  int restored_schema = 0;      // after opening (upgraded)
  int files_checked = 0;
  int documents = 0;
  int destroyed = 0;
  std::string integrity;        // PRAGMA integrity_check's answer
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// Restores the backup into a scratch folder (under scratch_parent, or the
// system temp folder when empty), checks every file against the manifest
// (and that nothing is missing or unlisted), runs PRAGMA integrity_check and
// foreign_key_check, opens the catalog (upgrading an older schema) and
// checks every live document's file is there. The scratch folder is removed
// afterwards. Problems are in the result; errors are for a backup folder
// that cannot be read at all.
//
// A backup of a PostgreSQL archive is restored into a scratch database
// made on scratch_server (a URL of that server; its role needs CREATEDB),
// which is dropped afterwards, also when a check fails; on PostgreSQL the
// access log's hash chain is checked too. kInvalidArgument if such a
// backup is given no scratch_server.
Result<BackupCheck> VerifyBackup(const std::filesystem::path& backup,
                                 const std::filesystem::path& scratch_parent = {},
                                 const std::string& scratch_server = {});

// Restores into new_archive (must not exist or be empty), all or nothing:
// copies and checks every file into a staging folder beside it
// (".<name>.restoring-<pid>"), opens that archive (upgrading its schema) and
// checks it as VerifyBackup does, fsyncs it, and only then renames it onto
// new_archive. A restore killed at any point leaves either no archive at
// new_archive or the complete, checked one; the staging folder a killed
// restore left behind (its process gone) is removed by the next restore
// into the same target. kConflict if new_archive holds anything;
// kCorruptInput naming the file if a checksum differs (nothing is left at
// new_archive or beside it then).
//
// A backup of a PostgreSQL archive is restored into the empty database at
// catalog_url (kConflict naming the server if it holds a catalog; nothing
// is written to it then): checked first in a scratch database on that
// server as VerifyBackup does, then restored in one transaction, and
// new_archive's catalog-url names it. kInvalidArgument if such a backup is
// given no catalog_url, or a SQLite backup is given one.
Result<BackupCheck> RestoreBackup(const std::filesystem::path& backup,
                                  const std::filesystem::path& new_archive,
                                  const std::string& catalog_url = {});

// Housekeeping of a live archive's file store. After a crash, the store may
// hold temporary files (.tmp-*) of interrupted writes and complete objects
// no document names (written, then the catalog commit never came). Neither
// is ever visible through the catalog. This removes both when older than
// min_age (an ingest running now may be between writing a file and
// committing its row; use 0 only when no other process uses the archive).
struct SweepReport {
  int temporaries_removed = 0;
  int orphans_removed = 0;
  std::vector<std::string> removed;  // paths
};
Result<SweepReport> SweepFileStore(const std::filesystem::path& archive_dir,
                                   std::chrono::seconds min_age,
                                   bool dry_run = false);

}  // namespace dossier::storage
