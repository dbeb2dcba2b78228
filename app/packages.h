// Packages: a customer file, or any search result, as a self-describing
// BagIt bag (RFC 8493) that another archive can import (operations
// package.export, package.import). The format is docs/package-format.md.
//
// Export writes DIR/bagit.txt, bag-info.txt, manifest-sha256.txt,
// tagmanifest-sha256.txt and data/: package.json, one JSON file per
// customer, and per document its archived PDF/A file with metadata.json and
// metadata.xml (schema docs/package-document.xsd). The package is a
// complete copy, not masked: package.export needs document.export and
// customer.pii. It is built in a temporary folder beside DIR and renamed
// into place, so DIR appears complete or not at all.
//
// Import verifies the whole bag first (every manifest and tag-manifest
// checksum, no file missing or unlisted, Payload-Oxum); any difference
// refuses the import naming the file, with nothing written. Then
// storage::Catalog::ImportPackage checks every conflict, the PDFs go to the
// file store and the records are committed in one transaction.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app/station.h"
#include "core/result.h"
#include "storage/sqlite/catalog.h"

namespace dossier::app {

struct PackageExportInput {
  std::string customer;  // a customer file: its code
  std::string query;     // or a search (storage/search_syntax.h syntax)
  std::filesystem::path to;  // must not exist (or be an empty folder)
};
struct PackageExportResult {
  std::filesystem::path dir;
  std::vector<std::string> customers;
  std::vector<std::string> documents;  // exported
  std::vector<std::string> skipped;    // "D000004: destroyed"
  std::int64_t payload_bytes = 0;
  int payload_files = 0;
};
Result<PackageExportResult> ExportPackage(Station& station,
                                          const Caller& caller,
                                          const PackageExportInput& input);

struct PackageImportResult {
  storage::ImportOutcome outcome;
  int files_verified = 0;
};
Result<PackageImportResult> ImportPackage(Station& station,
                                          const Caller& caller,
                                          const std::filesystem::path& dir);

// Checks a bag without importing it: Ok, or kCorruptInput naming the first
// file that differs. Returns the payload files (paths relative to the bag,
// data/...) with their SHA-256.
Result<std::vector<std::pair<std::string, std::string>>> VerifyBag(
    const std::filesystem::path& dir);

}  // namespace dossier::app
