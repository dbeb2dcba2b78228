// Checked entry (manual 3.1): every value entered by a clerk or suggested by
// field extraction is normalised to one format and checked here.
//
// Contract for every Normalize* function: it returns the value in its one
// canonical form, or kInvalidArgument with a message that quotes the input
// and says what is wrong. A value is never "repaired": a USCC with a wrong
// check character is rejected, not given the right one; 2024-02-30 is an
// error, not March 1st. Callers that must keep an invalid value (extracted
// fields waiting for review) keep the raw text and the error message as the
// field's problem.
//
// Thread safety: all functions are pure and may be called from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dossier::fields {

// Folds full-width ASCII variants (U+FF01..U+FF5E) to ASCII, the ideographic
// space U+3000 to a space, and trims surrounding whitespace. Nothing else
// changes (unlike NFKC, which would also rewrite e.g. ①).
std::string FoldFullWidth(std::string_view utf8);

// Dates to ISO 8601 (YYYY-MM-DD) from 2024年3月5日, 2024/3/5, 2024-03-05,
// 2024.3.5, 05.03.2024 (day first, as written in China and Europe), and
// Chinese numerals 二〇二四年三月五日 / 二零二四年三月五日. The day must exist
// in that month (leap years counted); years 1900..2199.
Result<std::string> NormalizeDate(std::string_view text);

// Phone numbers to E.164 (+8613800138000) with libphonenumber.
// default_region (ISO 3166 alpha-2) applies to numbers written without a
// country code: "021-6234 5678" -> +862162345678. Numbers that
// libphonenumber does not consider valid for their region are rejected.
Result<std::string> NormalizePhone(std::string_view text,
                                   std::string_view default_region = "CN");

// Unified Social Credit Code (统一社会信用代码), GB 32100-2015: 18 characters
// from 0-9 and A-Z without I, O, S, V, Z; the 18th is a check character
// (weights 3^i mod 31). Spaces are removed and letters upper-cased; anything
// else (wrong length, a letter O, a check mismatch) is an error.
Result<std::string> NormalizeUscc(std::string_view text);
// The GB 32100 check character for 17 characters, or '\0' if one is outside
// the alphabet.
char UsccCheckChar(std::string_view first17);

// Resident identity number (公民身份号码), GB 11643-1999: 6-digit division
// code, birth date YYYYMMDD, 3-digit sequence, check character (ISO 7064
// MOD 11-2; 'X' for 10). Checks province code, date and check character.
Result<std::string> NormalizeResidentId(std::string_view text);
char ResidentIdCheckChar(std::string_view first17);

// Reviewer suggestions for a USCC or resident identity number that fails
// its checks: every value that differs from text (folded, spaces removed,
// upper case) in exactly one of its 18 characters and passes all of
// NormalizeUscc's (resp. NormalizeResidentId's) checks. position is the
// changed character's index (0-based), read the character that was there.
// Empty when text is not 18 characters or already passes. Nothing is
// chosen here: the reviewer picks one, or none.
struct OneCharacterFix {
  std::string value;
  int position = 0;
  char32_t read = 0;
};
std::vector<OneCharacterFix> UsccOneCharacterFixes(std::string_view text);
std::vector<OneCharacterFix> ResidentIdOneCharacterFixes(std::string_view text);

// Amounts to a decimal with two places ("48000.00"). Accepts figures with
// thousands separators and a currency sign or word (¥48,000.00, RMB 48000,
// 4.8万元, 1000 万元) and Chinese capital or ordinary numerals
// (人民币肆万捌仟元整, 伍拾柒万叁仟捌佰元整, 壹佰元伍角陆分).
Result<std::string> NormalizeAmount(std::string_view text);

// E-mail addresses: trimmed, domain lower-cased; needs one @ and a dotted
// domain.
Result<std::string> NormalizeEmail(std::string_view text);

// The normaliser for a field name: *_date -> date, *phone/mobile -> phone,
// *uscc -> USCC, id_number -> resident ID, amount -> amount, email -> e-mail;
// any other name: folded and trimmed, error if empty.
Result<std::string> NormalizeField(std::string_view name,
                                   std::string_view value);

}  // namespace dossier::fields
