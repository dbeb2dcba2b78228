#include "archive/glyphless_font.h"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

namespace dossier::archive {
namespace {

constexpr int kUnitsPerEm = 1000;
constexpr int kNumGlyphs = 2;  // .notdef and the one empty glyph

// Big-endian byte buffer, the byte order of every sfnt field.
class Be {
 public:
  void U8(unsigned v) { bytes_.push_back(static_cast<std::uint8_t>(v)); }
  void U16(unsigned v) {
    U8((v >> 8) & 0xFF);
    U8(v & 0xFF);
  }
  void I16(int v) { U16(static_cast<unsigned>(v) & 0xFFFF); }
  void U32(std::uint32_t v) {
    U16(v >> 16);
    U16(v & 0xFFFF);
  }
  void Tag(std::string_view tag) {
    for (char c : tag) U8(static_cast<unsigned char>(c));
  }
  void Zeros(std::size_t n) { bytes_.insert(bytes_.end(), n, 0); }
  void Append(const std::vector<std::uint8_t>& b) {
    bytes_.insert(bytes_.end(), b.begin(), b.end());
  }
  void PutU32At(std::size_t offset, std::uint32_t v) {
    bytes_[offset] = static_cast<std::uint8_t>(v >> 24);
    bytes_[offset + 1] = static_cast<std::uint8_t>(v >> 16);
    bytes_[offset + 2] = static_cast<std::uint8_t>(v >> 8);
    bytes_[offset + 3] = static_cast<std::uint8_t>(v);
  }
  std::vector<std::uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

std::uint32_t Checksum(const std::vector<std::uint8_t>& b) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < b.size(); i += 4) {
    std::uint32_t word = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      word = (word << 8) | (i + k < b.size() ? b[i + k] : 0);
    }
    sum += word;
  }
  return sum;
}

std::vector<std::uint8_t> Head() {
  Be t;
  t.U32(0x00010000);  // version
  t.U32(0x00010000);  // fontRevision
  t.U32(0);           // checkSumAdjustment, patched after assembly
  t.U32(0x5F0F3CF5);  // magicNumber
  t.U16(0x000B);      // flags: baseline at y=0, lsb at x=0, integer ppem
  t.U16(kUnitsPerEm);
  t.Zeros(16);  // created, modified
  // The bbox is what a reader uses for selection height; give it the em box
  // rather than the empty outlines' zero box.
  t.I16(0);
  t.I16(kGlyphlessDescent);
  t.I16(kGlyphlessAdvance);
  t.I16(kGlyphlessAscent);
  t.U16(0);  // macStyle
  t.U16(3);  // lowestRecPPEM
  t.I16(2);  // fontDirectionHint
  t.I16(0);  // indexToLocFormat: short offsets
  t.I16(0);  // glyphDataFormat
  return std::move(t.bytes());
}

std::vector<std::uint8_t> Hhea() {
  Be t;
  t.U32(0x00010000);
  t.I16(kGlyphlessAscent);
  t.I16(kGlyphlessDescent);
  t.I16(0);                  // lineGap
  t.U16(kGlyphlessAdvance);  // advanceWidthMax
  t.I16(0);                  // minLeftSideBearing
  t.I16(0);                  // minRightSideBearing
  t.I16(kGlyphlessAdvance);  // xMaxExtent
  t.I16(1);                  // caretSlopeRise
  t.I16(0);                  // caretSlopeRun
  t.I16(0);                  // caretOffset
  t.Zeros(8);
  t.I16(0);  // metricDataFormat
  t.U16(1);  // numberOfHMetrics: one advance shared by all glyphs
  return std::move(t.bytes());
}

std::vector<std::uint8_t> Maxp() {
  Be t;
  t.U32(0x00010000);
  t.U16(kNumGlyphs);
  t.Zeros(4 * 2);  // maxPoints, maxContours, maxCompositePoints/Contours
  t.U16(2);        // maxZones
  t.Zeros(9 * 2);  // remaining maxima
  return std::move(t.bytes());
}

std::vector<std::uint8_t> Os2(char32_t first, char32_t last) {
  Be t;
  t.U16(4);                  // version
  t.I16(kGlyphlessAdvance);  // xAvgCharWidth
  t.U16(400);                // usWeightClass
  t.U16(5);                  // usWidthClass
  t.U16(0);  // fsType: installable embedding, so libharu may embed it
  for (int v : {650, 600, 0, 75, 650, 600, 0, 350})
    t.I16(v);     // sub/superscript
  t.I16(50);      // yStrikeoutSize
  t.I16(300);     // yStrikeoutPosition
  t.I16(0);       // sFamilyClass
  t.Zeros(10);    // panose
  t.Zeros(16);    // ulUnicodeRange1..4
  t.Tag("DOSS");  // achVendID
  t.U16(0x0040);  // fsSelection: REGULAR
  t.U16(std::min<char32_t>(first, 0xFFFF));
  t.U16(std::min<char32_t>(last, 0xFFFF));
  t.I16(kGlyphlessAscent);    // sTypoAscender
  t.I16(kGlyphlessDescent);   // sTypoDescender
  t.I16(0);                   // sTypoLineGap
  t.U16(kGlyphlessAscent);    // usWinAscent
  t.U16(-kGlyphlessDescent);  // usWinDescent
  t.U32(1);                   // ulCodePageRange1: Latin 1
  t.U32(0);
  t.I16(500);                  // sxHeight
  t.I16(kGlyphlessCapHeight);  // sCapHeight
  t.U16(0);                    // usDefaultChar
  t.U16(0x20);                 // usBreakChar
  t.U16(1);                    // usMaxContext
  return std::move(t.bytes());
}

std::vector<std::uint8_t> Hmtx() {
  Be t;
  t.U16(kGlyphlessAdvance);
  t.I16(0);
  for (int g = 1; g < kNumGlyphs; ++g) t.I16(0);  // lsb of the others
  return std::move(t.bytes());
}

std::vector<std::uint8_t> Loca() {
  // All glyphs are empty: every offset is 0, glyf has no bytes.
  Be t;
  t.Zeros((kNumGlyphs + 1) * 2);
  return std::move(t.bytes());
}

// Format 4 maps a segment [start, end] to start+delta, ... (mod 65536). To map
// every code point to glyph 1 each code point gets its own segment with
// delta = 1 - c. That costs 8 bytes per code point, which is why the font is
// built per document.
std::vector<std::uint8_t> Cmap(const std::set<char32_t>& codepoints) {
  std::vector<std::uint16_t> starts;
  for (char32_t c : codepoints) starts.push_back(static_cast<std::uint16_t>(c));
  starts.push_back(0xFFFF);  // the required final segment
  const unsigned seg_count = static_cast<unsigned>(starts.size());
  // searchRange = 2 * 2^floor(log2(segCount)), as the format requires.
  unsigned pow2 = 1;
  unsigned entry_selector = 0;
  while (pow2 * 2 <= seg_count) {
    pow2 *= 2;
    ++entry_selector;
  }
  const unsigned search_range = 2 * pow2;

  Be sub;
  sub.U16(4);
  sub.U16(16 + 8 * seg_count);  // length
  sub.U16(0);                   // language
  sub.U16(seg_count * 2);
  sub.U16(search_range);
  sub.U16(entry_selector);
  sub.U16(seg_count * 2 - search_range);
  for (std::uint16_t c : starts) sub.U16(c);  // endCode
  sub.U16(0);                                 // reservedPad
  for (std::uint16_t c : starts) sub.U16(c);  // startCode
  for (std::uint16_t c : starts) {
    // U+FFFF maps to (0xFFFF + 1) mod 65536 = glyph 0, as the spec wants.
    sub.U16(c == 0xFFFF ? 1 : (1u - c) & 0xFFFF);  // idDelta
  }
  for (std::size_t i = 0; i < starts.size(); ++i) sub.U16(0);  // idRangeOffset

  Be t;
  t.U16(0);  // version
  t.U16(1);  // numTables
  t.U16(3);  // platform: Windows
  t.U16(1);  // encoding: Unicode BMP
  t.U32(12);
  t.Append(sub.bytes());
  return std::move(t.bytes());
}

std::vector<std::uint8_t> Name() {
  struct Record {
    std::uint16_t id;
    std::string_view value;
  };
  const std::array<Record, 4> records = {{
      {1, "Dossier Glyphless"},
      {2, "Regular"},
      {4, "Dossier Glyphless"},
      {6, kGlyphlessFontName},
  }};
  Be strings;
  Be t;
  t.U16(0);  // format
  t.U16(records.size() * 2);
  t.U16(6 + 12 * records.size() * 2);  // stringOffset
  // Macintosh Roman records first (platform order), then Windows Unicode;
  // libharu reads name ID 6 from either.
  for (const Record& r : records) {
    t.U16(1);
    t.U16(0);
    t.U16(0);
    t.U16(r.id);
    t.U16(r.value.size());
    t.U16(strings.bytes().size());
    strings.Tag(r.value);
  }
  for (const Record& r : records) {
    t.U16(3);
    t.U16(1);
    t.U16(0x0409);
    t.U16(r.id);
    t.U16(r.value.size() * 2);
    t.U16(strings.bytes().size());
    for (char c : r.value) strings.U16(static_cast<unsigned char>(c));
  }
  t.Append(strings.bytes());
  return std::move(t.bytes());
}

std::vector<std::uint8_t> Post() {
  Be t;
  t.U32(0x00030000);  // version 3: no glyph names
  t.U32(0);           // italicAngle
  t.I16(-100);        // underlinePosition
  t.I16(50);          // underlineThickness
  t.U32(1);           // isFixedPitch: every glyph has the same advance
  t.Zeros(16);
  return std::move(t.bytes());
}

}  // namespace

Result<std::vector<std::uint8_t>> BuildGlyphlessFont(
    const std::set<char32_t>& codepoints) {
  for (char32_t c : codepoints) {
    if (c >= 0xFFFF) {
      return MakeError(ErrorCode::kPdf,
                       "glyphless font: code point U+" +
                           std::to_string(static_cast<unsigned>(c)) +
                           " is outside the BMP");
    }
  }
  if (codepoints.size() > kGlyphlessMaxCodepoints) {
    return MakeError(ErrorCode::kPdf,
                     "glyphless font: " + std::to_string(codepoints.size()) +
                         " distinct characters, at most " +
                         std::to_string(kGlyphlessMaxCodepoints));
  }
  const char32_t first = codepoints.empty() ? 0x20 : *codepoints.begin();
  const char32_t last = codepoints.empty() ? 0x20 : *codepoints.rbegin();

  // The tables libharu reads (REQUIRED_TAGS in hpdf_fontdef_tt.c) except the
  // hinting ones, cvt, fpgm and prep: nothing here is hinted, and libharu
  // writes a missing one as an empty entry when it embeds the font. Sorted by
  // tag, as the sfnt table directory requires.
  std::map<std::string, std::vector<std::uint8_t>> tables = {
      {"OS/2", Os2(first, last)}, {"cmap", Cmap(codepoints)}, {"glyf", {}},
      {"head", Head()},           {"hhea", Hhea()},           {"hmtx", Hmtx()},
      {"loca", Loca()},           {"maxp", Maxp()},           {"name", Name()},
      {"post", Post()},
  };

  const unsigned num_tables = static_cast<unsigned>(tables.size());
  unsigned pow2 = 1;
  unsigned entry_selector = 0;
  while (pow2 * 2 <= num_tables) {
    pow2 *= 2;
    ++entry_selector;
  }
  Be font;
  font.U32(0x00010000);  // sfnt version: TrueType outlines
  font.U16(num_tables);
  font.U16(pow2 * 16);
  font.U16(entry_selector);
  font.U16(num_tables * 16 - pow2 * 16);

  std::size_t offset = 12 + 16 * num_tables;
  std::size_t head_offset = 0;
  for (const auto& [tag, data] : tables) {
    font.Tag(tag);
    font.U32(Checksum(data));
    font.U32(static_cast<std::uint32_t>(offset));
    font.U32(static_cast<std::uint32_t>(data.size()));
    if (tag == "head") head_offset = offset;
    offset += (data.size() + 3) & ~std::size_t{3};
  }
  for (const auto& [tag, data] : tables) {
    font.Append(data);
    font.Zeros(((data.size() + 3) & ~std::size_t{3}) - data.size());
  }
  font.PutU32At(head_offset + 8, 0xB1B0AFBA - Checksum(font.bytes()));
  return std::move(font.bytes());
}

}  // namespace dossier::archive
