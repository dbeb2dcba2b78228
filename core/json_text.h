// Text for JSON and logs from bytes that may not be UTF-8.
//
// File names on Linux are bytes; a scan named in GBK or Latin-1 reaches a
// warning, an error, the catalog's JSON columns, `--json` output and the
// access log. nlohmann::json throws (type_error 316) when it dumps such a
// string, and error_handler_t::replace loses the bytes. Every JSON output
// and the access log go through EscapeInvalidUtf8 / DumpJson instead:
//
//   - valid UTF-8 is kept as it is;
//   - each byte that is not part of a valid UTF-8 sequence becomes the four
//     characters \xNN (two upper-case hex digits), so "bad\xFF.png" reads
//     back as the name's bytes. Reversible for names that do not themselves
//     contain the text "\x" followed by two hex digits.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace dossier {

// True if bytes are well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

// bytes with every byte outside a valid UTF-8 sequence written as \xNN.
std::string EscapeInvalidUtf8(std::string_view bytes);

// value with every string (and object key) passed through
// EscapeInvalidUtf8.
nlohmann::json EscapeJsonStrings(const nlohmann::json& value);

// value.dump(indent) that never throws on invalid UTF-8: strings are
// escaped as above first. The output is always valid UTF-8 JSON.
std::string DumpJson(const nlohmann::json& value, int indent = -1);

}  // namespace dossier
