// The customer coding rule (documented in docs/coding-rule.md).
//
//   KH-2026-000017-K
//   |  |    |      +-- check character, ISO/IEC 7064 MOD 37,36 over
//   |  |    |          "KH2026000017" (digits 0-9, letters A-Z)
//   |  |    +--------- sequence within the year, 6 digits, never reused
//   |  +-------------- year the customer file was opened
//   +----------------- prefix (客户)
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier::records {

// ISO/IEC 7064 MOD 37,36 check character for [0-9A-Z] input (case-insensitive,
// other characters such as '-' are skipped). Returns '\0' for an empty input
// or a character outside [0-9A-Za-z-].
char Mod3736CheckChar(std::string_view payload);

// Formats a code from its parts. REQUIRES: 0 < sequence < 1'000'000.
std::string FormatCustomerCode(std::string_view prefix, int year, int sequence);

// Checks the shape and the check character; error message says which part
// is wrong. Lower-case input is accepted and compared upper-cased.
Status ValidateCustomerCode(std::string_view code);
// ValidateCustomerCode, then the code upper-cased, as stored.
Result<std::string> CanonicalCustomerCode(std::string_view code);

}  // namespace dossier::records
