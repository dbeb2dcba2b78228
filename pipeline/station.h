// Capture station settings and helpers kept in the archive: named scan
// profiles, the holding customer for pages that need review, and printable
// cover sheets. Formats are described in docs/capture.md.
//
// Settings live in the catalog (RecordsStore::GetSetting/PutSetting), sections
// "scan-profiles" and "capture"; every change keeps its history there.
// Thread safety: as the records store passed in (not thread-safe).
#pragma once

#include <string>
#include <vector>

#include "capture/cover_sheet.h"
#include "capture/sane_source.h"
#include "core/result.h"
#include "storage/records_store.h"

namespace dossier::pipeline {

struct ScanProfile {
  std::string name;  // [a-z0-9][a-z0-9_-]*, at most 40 characters
  capture::ScanSettings settings;
};

// All profiles, sorted by name; empty when none were saved. kCorruptInput
// when the stored JSON is not what SaveScanProfile writes.
Result<std::vector<ScanProfile>> LoadScanProfiles(storage::RecordsStore& catalog);
// kNotFound naming the profile and listing the saved ones.
Result<ScanProfile> FindScanProfile(storage::RecordsStore& catalog,
                                    const std::string& name);
// kInvalidArgument for a bad name; kConflict when it exists and !replace.
Status SaveScanProfile(storage::RecordsStore& catalog, const ScanProfile& profile,
                       bool replace, const std::string& actor);
Status RemoveScanProfile(storage::RecordsStore& catalog, const std::string& name,
                         const std::string& actor);

// Display name of the holding customer that EnsureReviewCustomer creates.
inline constexpr char kReviewCustomerName[] = "Unassigned scans (review queue)";

// The code of the holding customer for pages that need review (setting
// "capture" key "review_customer"). When unset, a company customer named
// kReviewCustomerName is created and its code saved, once per archive.
Result<std::string> EnsureReviewCustomer(storage::RecordsStore& catalog,
                                         const std::string& actor);
// Sets the holding customer explicitly. kNotFound for an unknown code.
Status SetReviewCustomer(storage::RecordsStore& catalog, const std::string& code,
                         const std::string& actor);

// A printable cover sheet PDF for an existing customer. kNotFound for an
// unknown customer, kInvalidArgument for a type not in records/vocabulary.h or a
// title the payload cannot carry.
Result<std::string> MakeCoverSheetPdf(storage::RecordsStore& catalog,
                                      const capture::CoverSheet& sheet);

}  // namespace dossier::pipeline
