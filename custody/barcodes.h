// Barcodes of paper originals and locations (docs/custody.md):
//   originals  OR + 8 digits + check, e.g. OR00000017T
//   locations  LC + 6 digits + check, e.g. LC000042T
// The check character is ISO/IEC 7064 MOD 37,36 (as for customer codes,
// records/coding_rule.h). Scanned input is trimmed and upper-cased before
// use. Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dossier::custody {

std::string OriginalBarcode(std::int64_t id);  // REQUIRES: 0 < id < 10^8
std::string LocationBarcode(std::int64_t id);  // REQUIRES: 0 < id < 10^6
// Trims and upper-cases scanner input.
std::string NormalizeScan(std::string_view input);
// true if the shape and check character are right.
bool IsOriginalBarcode(std::string_view barcode);
bool IsLocationBarcode(std::string_view barcode);

// Display ids of custody records: loans L000001, audits AU000001.
std::string LoanId(std::int64_t id);
std::string AuditId(std::int64_t id);
// Parses L000012 / l12 / 12 (prefix given upper-case); nullopt if
// malformed or not positive.
std::optional<std::int64_t> ParseDisplayId(std::string_view text,
                                           std::string_view prefix);

}  // namespace dossier::custody
