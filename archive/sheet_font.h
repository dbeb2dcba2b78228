// Internal to archive/: the font every printed sheet (labels, reports,
// certificates, cover sheets, lists) draws its text with.
//
// Why not libharu's own TrueType embedding: libharu 2.3.0 keeps only the
// glyphs it marked as used, and marks the parts of a composite glyph by
// reading their glyph ids into a signed 16-bit integer. WenQuanYi Micro Hei
// has 49,531 glyphs and builds many Chinese characters (海, 明, 贸, 限, ...)
// from parts above id 32,767, so those parts were left out and the
// characters printed blank while pdftotext still read them. Here HarfBuzz
// (hb-subset) writes a font with exactly the characters the sheet draws,
// numbered from 0 with the parts of every composite glyph included; libharu
// then embeds that small font with every glyph id in its range.
//
// Thread safety: a SheetFont is immutable after Open and may be shared.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "core/result.h"

namespace dossier::archive::internal {

class SheetFont {
 public:
  // Opens face `index` of a TrueType (.ttf) or TrueType collection (.ttc)
  // file. kNotFound for a missing file, kInvalidArgument for one without
  // TrueType outlines (CFF fonts, e.g. Noto CJK .otf/.ttc, cannot be
  // embedded by libharu) or without that face, or one whose licence
  // (OS/2 fsType) forbids embedding.
  static Result<std::shared_ptr<const SheetFont>> Open(const std::string& path,
                                                       unsigned index);
  ~SheetFont();
  SheetFont(const SheetFont&) = delete;
  SheetFont& operator=(const SheetFont&) = delete;

  // Number of faces in a font file (1 for a plain .ttf, 0 if unreadable).
  static unsigned FaceCount(const std::string& path);

  const std::string& path() const { return path_; }
  unsigned index() const { return index_; }
  // True if the font maps the code point to a glyph.
  bool Has(char32_t cp) const;
  // Advance width in 1/1000 em (.notdef's for a missing character).
  double Advance(char32_t cp) const;

  // A TrueType font holding .notdef and the glyphs of `codepoints`, with
  // the parts of composite glyphs, renumbered from 0 and with the cmap,
  // metrics and hinting tables libharu needs. kPdf if HarfBuzz fails.
  Result<std::string> Subset(const std::set<char32_t>& codepoints) const;

 private:
  SheetFont() = default;
  std::string path_;
  unsigned index_ = 0;
  struct Hb;
  std::unique_ptr<Hb> hb_;
};

// Code points of UTF-8 text (invalid bytes become U+FFFD).
std::set<char32_t> CodepointsOf(const std::string& utf8);

}  // namespace dossier::archive::internal
