#include "cli/command.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace dossier::cli {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return kExitUsage;
    case ErrorCode::kNotFound: return kExitNotFound;
    case ErrorCode::kCorruptInput:
    case ErrorCode::kUnsupported: return kExitBadInput;
    case ErrorCode::kIo: return kExitIo;
    case ErrorCode::kCatalog: return kExitCatalog;
    case ErrorCode::kConflict: return kExitConflict;
    case ErrorCode::kOcr:
    case ErrorCode::kPdf: return kExitEngine;
    case ErrorCode::kInternal: return kExitFailure;
  }
  return kExitFailure;
}

std::filesystem::path ArchiveDir(const GlobalOptions& global) {
  std::optional<std::filesystem::path> explicit_dir;
  if (!global.archive_dir.empty()) explicit_dir = global.archive_dir;
  return storage::ResolveArchiveDir(explicit_dir);
}

Result<std::unique_ptr<storage::Archive>> OpenArchive(const GlobalOptions& global) {
  return storage::Archive::Open(ArchiveDir(global));
}

std::string CurrentUser() {
  if (const char* u = std::getenv("DOSSIER_USER"); u != nullptr && *u) return u;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr) return pw->pw_name;
  return "unknown";
}

}  // namespace dossier::cli
