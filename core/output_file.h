// Files a command writes for the user (an export, a label sheet, a
// certificate, a log copy, a cover sheet): one helper, so every output
// file is written the same safe way.
//
// Contract of WriteOutputFile(target, bytes, options):
//   - The bytes go to a temporary file beside the target (same directory,
//     same file system), are fsynced, and the temporary is renamed onto
//     the target; the directory is fsynced after. A reader never sees a
//     half-written target.
//   - Refused, with nothing written: a target that is a directory, a
//     device, a FIFO, a socket or a symbolic link; an existing regular file
//     unless options.replace; any path inside options.protect (the archive
//     folder), however it is spelt (.., symbolic links in the parents).
//   - On any error the target is untouched and the temporary is removed.
//   - Missing parent directories are created.
// Errors name the target and the reason: "/dev/full: is a device, not a
// regular file"; "out.pdf: exists (use --force to overwrite)" (kConflict).
//
// CheckOutputFile runs the same checks without writing, so a use case can
// refuse before it does any work (a refused command changes nothing);
// WriteOutputFile checks again just before the rename.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/result.h"

namespace dossier {

struct OutputFileOptions {
  // Replace an existing regular file (a command's --force; commands
  // without --force keep their documented overwrite behaviour).
  bool replace = false;
  // Folder the target must not be inside ('' = none): the archive folder.
  std::filesystem::path protect;
  // Whether the refusal of an existing file mentions --force.
  bool has_force_flag = true;
};

Status CheckOutputFile(const std::filesystem::path& target,
                       const OutputFileOptions& options);

Status WriteOutputFile(const std::filesystem::path& target,
                       std::string_view bytes, const OutputFileOptions& options);

}  // namespace dossier
