// Internal to archive/: a TrueType font without outlines for the invisible
// text layer.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace dossier::archive {

// Every glyph of the font advances by this many font units (of 1000 per em);
// the text layer stretches each word to its box, so one width fits all.
inline constexpr int kGlyphlessAdvance = 500;
inline constexpr int kGlyphlessAscent = 800;
inline constexpr int kGlyphlessDescent = -200;
inline constexpr int kGlyphlessCapHeight = 700;

// PostScript name (name ID 6) of the generated font.
inline constexpr char kGlyphlessFontName[] = "DossierGlyphless";

// A format-4 cmap subtable holds at most this many one-character segments
// (its length field is 16 bits).
inline constexpr std::size_t kGlyphlessMaxCodepoints = 8000;

// Builds a TrueType font with two glyphs, .notdef and one empty glyph, and a
// (3,1) format-4 cmap mapping each code point of `codepoints` to the empty
// glyph. Only BMP code points are allowed (U+FFFF excluded); that is what
// libharu's UTF-8 encoder can show. The font is a few bytes per code point, so
// it is generated per document with the characters that document uses.
// Error (kPdf) when a code point is outside the BMP or there are more than
// kGlyphlessMaxCodepoints of them.
Result<std::vector<std::uint8_t>> BuildGlyphlessFont(
    const std::set<char32_t>& codepoints);

}  // namespace dossier::archive
