// Verification of stored documents: fixity (the file's SHA-256 against the
// catalog) and the PDF/A structural check, recorded in the catalog.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/archive.h"

namespace dossier::pipeline {

struct VerifyOutcome {
  std::string display_id;
  storage::Verification verification;  // as recorded
};

struct VerifyReport {
  std::vector<VerifyOutcome> documents;
  // Destroyed documents (D000012): their files were purged by an approved
  // destruction and only the tombstone is kept, as expected. Not checked,
  // never failed.
  std::vector<std::string> destroyed;
  // Archive-wide findings that are not a document's failure, such as files
  // readable by others (storage::ArchiveModeProblems).
  std::vector<std::string> warnings;
  int failed() const;  // fixity or PDF/A failures
};

// Checks the given documents ("D000012", ...), or every document when ids is
// empty, and records each result. A missing or altered file is a failed
// check, not an error; errors are for unknown ids and catalog failures. A
// destroyed document, named or not, is listed in `destroyed`.
Result<VerifyReport> VerifyDocuments(
    storage::Archive& archive, const std::vector<std::string>& ids,
    const std::string& actor,
    const std::function<void(const VerifyOutcome&)>& on_document = {});

}  // namespace dossier::pipeline
