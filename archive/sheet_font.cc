#include "archive/sheet_font.h"

#include <hb-subset.h>
#include <hb.h>

#include <filesystem>

#include "core/text.h"

namespace dossier::archive::internal {

struct SheetFont::Hb {
  hb_blob_t* blob = nullptr;
  hb_face_t* face = nullptr;
  hb_font_t* font = nullptr;
  unsigned upem = 1000;
  ~Hb() {
    if (font != nullptr) hb_font_destroy(font);
    if (face != nullptr) hb_face_destroy(face);
    if (blob != nullptr) hb_blob_destroy(blob);
  }
};

SheetFont::~SheetFont() = default;

namespace {

unsigned TableLength(hb_face_t* face, hb_tag_t tag) {
  hb_blob_t* t = hb_face_reference_table(face, tag);
  const unsigned n = hb_blob_get_length(t);
  hb_blob_destroy(t);
  return n;
}

// OS/2 fsType (0 when the table is missing or short).
unsigned FsType(hb_face_t* face) {
  hb_blob_t* t = hb_face_reference_table(face, HB_TAG('O', 'S', '/', '2'));
  unsigned length = 0;
  const char* data = hb_blob_get_data(t, &length);
  unsigned fs_type = 0;
  if (length >= 10) {
    fs_type = (static_cast<unsigned char>(data[8]) << 8) |
              static_cast<unsigned char>(data[9]);
  }
  hb_blob_destroy(t);
  return fs_type;
}

}  // namespace

unsigned SheetFont::FaceCount(const std::string& path) {
  hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
  if (blob == nullptr) return 0;
  const unsigned n = hb_face_count(blob);
  hb_blob_destroy(blob);
  return n;
}

Result<std::shared_ptr<const SheetFont>> SheetFont::Open(
    const std::string& path, unsigned index) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return MakeError(ErrorCode::kNotFound, "font file " + path + " not found");
  }
  std::shared_ptr<SheetFont> font(new SheetFont());
  font->path_ = path;
  font->index_ = index;
  font->hb_ = std::make_unique<Hb>();
  Hb& hb = *font->hb_;
  hb.blob = hb_blob_create_from_file_or_fail(path.c_str());
  if (hb.blob == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "font file " + path + " cannot be read");
  }
  if (index >= hb_face_count(hb.blob)) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "font file " + path + " has no face " + std::to_string(index));
  }
  hb.face = hb_face_create(hb.blob, index);
  if (TableLength(hb.face, HB_TAG('g', 'l', 'y', 'f')) == 0 ||
      TableLength(hb.face, HB_TAG('l', 'o', 'c', 'a')) == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "font file " + path +
                         " has no TrueType outlines (a CFF/OpenType font "
                         "cannot be embedded; use e.g. fonts-wqy-microhei)");
  }
  // Restricted licence (0x0002), no subsetting (0x0100), bitmaps only
  // (0x0200): the font may not be embedded in a sheet.
  if ((FsType(hb.face) & 0x0302) != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "font file " + path +
                         ": its licence does not allow embedding a subset");
  }
  hb.upem = hb_face_get_upem(hb.face);
  if (hb.upem == 0) hb.upem = 1000;
  hb.font = hb_font_create(hb.face);
  return std::shared_ptr<const SheetFont>(std::move(font));
}

bool SheetFont::Has(char32_t cp) const {
  hb_codepoint_t glyph = 0;
  return hb_font_get_nominal_glyph(hb_->font, cp, &glyph) != 0 && glyph != 0;
}

double SheetFont::Advance(char32_t cp) const {
  hb_codepoint_t glyph = 0;
  if (!hb_font_get_nominal_glyph(hb_->font, cp, &glyph)) glyph = 0;
  return hb_font_get_glyph_h_advance(hb_->font, glyph) * 1000.0 / hb_->upem;
}

Result<std::string> SheetFont::Subset(
    const std::set<char32_t>& codepoints) const {
  hb_subset_input_t* input = hb_subset_input_create_or_fail();
  if (input == nullptr) {
    return MakeError(ErrorCode::kPdf, "font subset: out of memory");
  }
  hb_set_t* unicodes = hb_subset_input_unicode_set(input);
  for (char32_t cp : codepoints) hb_set_add(unicodes, cp);
  // Glyph names are not needed; hinting tables stay (libharu wants them).
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_DEFAULT);
  hb_face_t* subset = hb_subset_or_fail(hb_->face, input);
  hb_subset_input_destroy(input);
  if (subset == nullptr) {
    return MakeError(ErrorCode::kPdf,
                     "font subset of " + path_ + " failed (HarfBuzz)");
  }
  hb_blob_t* blob = hb_face_reference_blob(subset);
  unsigned length = 0;
  const char* data = hb_blob_get_data(blob, &length);
  std::string bytes(data == nullptr ? "" : std::string(data, length));
  hb_blob_destroy(blob);
  hb_face_destroy(subset);
  if (bytes.empty()) {
    return MakeError(ErrorCode::kPdf,
                     "font subset of " + path_ + " is empty (HarfBuzz)");
  }
  return bytes;
}

std::set<char32_t> CodepointsOf(const std::string& utf8) {
  std::set<char32_t> out;
  for (char32_t cp : DecodeUtf8(utf8)) out.insert(cp);
  return out;
}

}  // namespace dossier::archive::internal
