// Internal to archive/: the ToUnicode CMap of a font whose CIDs are the
// Unicode code points (the text layer's glyphless font, the sheets' subset).
#pragma once

#include <set>
#include <string>

namespace dossier::archive {

// An Adobe-Identity-UCS CMap with one bfchar per code point of the Basic
// Multilingual Plane (others are left out), in runs of at most 100.
std::string IdentityToUnicodeCMap(const std::set<char32_t>& codepoints);

}  // namespace dossier::archive
