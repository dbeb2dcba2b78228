// Masking of numbers in free text, where no field name tells the kind of a
// value (OCR text, search snippets, error messages, command lines). Field
// values are masked by their field's kind: IsSensitiveField and MaskFor in
// governance/policy.h, where a sensitive name is (without case, '-' read
// as '_') one that is or ends with id_number, idnumber, id_card, phone,
// mobile or _tel, or is tel: every name fields::NormalizeField reads as a
// phone or ID number, and spellings it does not check (ID_NUMBER).
// Pure functions: no catalog, no I/O.
#pragma once

#include <string>
#include <string_view>

#include "governance/policy.h"

namespace dossier::governance {

// Masks every number in text that may be an ID number or a phone: a run of
// 11 or more digits, optionally with a leading '+', a trailing X (the ID
// check character) and single spaces or hyphens between digit groups
// ("138 0013 8000", "010-6234-5678"). Each run is replaced by MaskValue of
// its compact form (11010519491231002X -> 110105********002X). Shorter
// numbers (dates, amounts, record ids such as D000012 or KH-2026-000001-0)
// are kept.
std::string MaskText(std::string_view text);

// text as the principal may see it: MaskText unless the principal holds
// "customer.pii".
std::string MaskTextFor(const Principal& principal, const std::string& text);

}  // namespace dossier::governance
