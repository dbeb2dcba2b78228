// Design notes: searchable PDF/A with libharu 2.3.0
// ==================================================
//
// Page. The page is the image at its dpi (72 * px / dpi points each way),
// drawn to fill the page: JPEG pages are copied as DCT data, bilevel pages are
// encoded by libharu as CCITT G4 (that needs HPDF_COMP_ALL, and our 1 = black
// rows need black_is1 = HPDF_FALSE: libharu's encoder takes 0 as white).
//
// Text layer, the Tesseract recipe. Over the image, inside one BT/ET, text
// render mode 3 (invisible) shows each OCR word at its box: the baseline at
// the word's baseline, the font size the box height, and the text matrix
// [h 0 0 1 x y] stretches the glyphs to the box width. We stretch with the
// text matrix rather than Tz (HPDF_Page_SetHorizontalScalling) because
// libharu rejects Tz outside 10..300 %, which a "1" or a "—" box exceeds.
// Words of a line share one baseline and size. Where NormalizeText joins two
// words (CJK next to CJK or CJK punctuation) the first is stretched to reach
// the second, so extractors join them; other neighbours get a space glyph in
// the gap, so extractors separate them; no word reaches into the next one's
// box, which would make extractors break the line (text_layer.cc).
//
// Font. The layer uses a glyphless TrueType font made per document
// (glyphless_font.cc): a format-4 (3,1) cmap mapping each code point the
// document uses to one empty glyph, all glyphs 500 units wide, so the font is
// a few bytes per distinct character. libharu 2.3.0 can only load TrueType
// from a file, so LoadGlyphlessFont repeats its LoadTTFontFromStream with a
// memory stream (HPDF_TTFontDef_Load and friends are exported). With the
// "UTF-8" encoder libharu writes a Type0 font, Identity-H, CID = Unicode, a
// CIDFontType2 with a CIDToGIDMap and the font embedded as FontFile2. Three
// things are then fixed before saving (FinishFont):
//   - its /ToUnicode is a copy of the cidrange CMap, which poppler cannot use
//     to recover text; we replace the content with a bfchar map per code point;
//   - its CIDSystemInfo says Ordering (Identity-H), which is the CMap name;
//     the Identity ordering is (Identity);
//   - its FontDescriptor has no CapHeight (PDFBox Preflight wants it) and no
//     CIDSet (PDF/A-1 6.3.5 wants it for a subset font). The descriptor is
//     created in the font's before_write_fn during save; we call that hook
//     ourselves first (it does nothing the second time) and then add both.
//
// PDF/A. HPDF_PDFA_SetPDFAConformance knows only PDF/A-1, writes XMP without
// escaping and with /SubType, and adds no OutputIntent, so we do not call it.
// Instead, with libharu's object API:
//   - the XMP packet (xmp.cc) as an uncompressed /Type /Metadata /Subtype /XML
//     stream in the catalog, with our dossier: schema described in a
//     pdfaExtension block;
//   - an Info dictionary whose entries equal the XMP ones (same dates and
//     zone); non-ASCII text as UTF-16BE with BOM;
//   - an OutputIntent /S /GTS_PDFA1 with the sRGB ICC profile read from
//     icc-profiles-free at run time (N 3);
//   - the trailer /ID, put into libharu's trailer dictionary (HPDF_Doc is a
//     public struct; libharu adds /ID only when encrypting);
//   - the header version, set in HPDF_Doc: 1.4 for PDF/A-1b, 1.7 for 2b.
// Nothing here uses transparency, encryption, LZW or JPX.
//
// Determinism. Dates are the scan date when the caller gives one (else now),
// and the /ID and font subset tag come from a SHA-256 of all inputs, so the
// same input gives the same bytes (ingest is idempotent) while different
// documents get different IDs.
//
// Errors. libharu reports through an error handler that records the first
// error (no longjmp, nothing thrown through C); every step checks it and
// returns a kPdf Error naming the page and the libharu code.
#include "archive/pdf_writer.h"
#include "archive/to_unicode.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>

#include "archive/glyphless_font.h"
#include "archive/text_layer.h"
#include "archive/xmp.h"
#include "core/hash.h"
#include "core/text.h"

namespace dossier::archive {
namespace {

// The page sizes PDF readers and libharu accept (HPDF_MIN_PAGESIZE,
// HPDF_MAX_PAGESIZE), in points.
constexpr double kMinPagePoints = 3.0;
constexpr double kMaxPagePoints = 14400.0;

constexpr char kIccProfilePath[] = "/usr/share/color/icc/sRGB.icc";
constexpr char kIccDescription[] = "sRGB IEC61966-2.1";
constexpr char kCreatorTool[] = "Dossier scanning station";

struct HpdfErrorState {
  HPDF_STATUS error = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void HPDF_STDCALL RecordHpdfError(HPDF_STATUS error, HPDF_STATUS detail,
                                  void* user_data) {
  auto* state = static_cast<HpdfErrorState*>(user_data);
  if (state->error == HPDF_OK) {
    state->error = error;
    state->detail = detail;
  }
}

struct HpdfDocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using HpdfDocPtr = std::unique_ptr<HPDF_Doc_Rec, HpdfDocDeleter>;

std::string HexCode(HPDF_STATUS v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%04lX", static_cast<unsigned long>(v));
  return buf;
}

bool IsPlainAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 ||
        static_cast<unsigned char>(c) > 0x7E)
      return false;
  }
  return true;
}

std::vector<std::uint8_t> HexToBytes(std::string_view hex, std::size_t count) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size() && out.size() < count; i += 2) {
    out.push_back(static_cast<std::uint8_t>(
        std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// SHA-256 over everything that determines the output.
std::string DocumentDigest(std::span<const ArchivePage> pages,
                           const DocumentInfo& info) {
  std::string feed;
  for (const std::string* s :
       {&info.title, &info.creator, &info.customer_code, &info.document_type,
        &info.archive_number, &info.document_id, &info.ocr_engine,
        &info.languages, &info.scan_date}) {
    feed += std::to_string(s->size()) + ":" + *s + ";";
  }
  feed += info.pdfa == PdfaLevel::k1b ? "1b;" : "2b;";
  for (const ArchivePage& p : pages) {
    feed += Sha256Hex(std::span<const std::uint8_t>(p.image.bytes)) + ";";
    feed += std::to_string(p.image.width) + "x" +
            std::to_string(p.image.height) + "@" + std::to_string(p.image.dpi) +
            ";";
    for (const OcrWord& w : p.ocr.words) {
      feed += w.text + "|" + std::to_string(w.box.x) + "," +
              std::to_string(w.box.y) + "," + std::to_string(w.box.width) +
              "," + std::to_string(w.box.height) + "," +
              std::to_string(w.baseline) + "," + std::to_string(w.line) + ";";
    }
  }
  return Sha256Hex(feed);
}

class PdfBuilder {
 public:
  PdfBuilder(std::span<const ArchivePage> pages, const DocumentInfo& info)
      : pages_(pages), info_(info) {}

  Result<std::string> Build();

 private:
  // Error when libharu recorded one (or `ok` is false), naming `where`.
  Status Check(bool ok, const std::string& where);
  bool Failed() const {
    return error_.error != HPDF_OK || (doc_ && doc_->error.error_no != HPDF_OK);
  }
  Status LoadGlyphlessFont(const std::set<char32_t>& codepoints,
                           const std::string& tag);
  Status AddPage(std::size_t index, const std::vector<PlacedWord>& words);
  HPDF_Image LoadImage(const PageImage& image);
  Status FinishFont(const std::set<char32_t>& codepoints);
  Status AddMetadata(const std::vector<std::uint8_t>& icc_profile);
  HPDF_Dict NewStream(HPDF_UINT filter);
  void* TextString(const std::string& utf8);
  Result<std::string> Save();

  std::span<const ArchivePage> pages_;
  const DocumentInfo& info_;
  HpdfErrorState error_;
  HpdfDocPtr doc_;
  HPDF_Font font_ = nullptr;
  std::string digest_;
};

Status PdfBuilder::Check(bool ok, const std::string& where) {
  // Internal calls record errors in the document without calling the
  // handler (HPDF_SetError); public ones call it (HPDF_RaiseError).
  if (error_.error == HPDF_OK && doc_ && doc_->error.error_no != HPDF_OK) {
    error_.error = doc_->error.error_no;
    error_.detail = doc_->error.detail_no;
  }
  if (error_.error != HPDF_OK) {
    return MakeError(ErrorCode::kPdf, where + ": libharu error " +
                                          HexCode(error_.error) + " (detail " +
                                          std::to_string(error_.detail) + ")");
  }
  if (!ok) return MakeError(ErrorCode::kPdf, where + ": libharu call failed");
  return Ok();
}

HPDF_Dict PdfBuilder::NewStream(HPDF_UINT filter) {
  HPDF_Dict stream = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
  if (stream != nullptr) stream->filter = filter;
  return stream;
}

// PDF text string: PDFDocEncoding for plain ASCII, else UTF-16BE with BOM.
void* PdfBuilder::TextString(const std::string& utf8) {
  if (IsPlainAscii(utf8))
    return HPDF_String_New(doc_->mmgr, utf8.c_str(), nullptr);
  std::vector<HPDF_BYTE> bytes = {0xFE, 0xFF};
  for (char32_t cp : DecodeUtf8(utf8)) {
    auto put = [&bytes](unsigned unit) {
      bytes.push_back(static_cast<HPDF_BYTE>(unit >> 8));
      bytes.push_back(static_cast<HPDF_BYTE>(unit & 0xFF));
    };
    if (cp > 0xFFFF) {
      put(0xD800 + ((cp - 0x10000) >> 10));
      put(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      put(cp);
    }
  }
  return HPDF_Binary_New(doc_->mmgr, bytes.data(),
                         static_cast<HPDF_UINT>(bytes.size()));
}

Status PdfBuilder::LoadGlyphlessFont(const std::set<char32_t>& codepoints,
                                     const std::string& tag) {
  Result<std::vector<std::uint8_t>> ttf = BuildGlyphlessFont(codepoints);
  if (!ttf) return std::unexpected(ttf.error());
  // What HPDF_LoadTTFontFromFile does after opening the file.
  HPDF_Stream stream =
      HPDF_MemStream_New(doc_->mmgr, static_cast<HPDF_UINT>(ttf->size()));
  if (stream == nullptr) return Check(false, "glyphless font");
  HPDF_Stream_Write(stream, ttf->data(), static_cast<HPDF_UINT>(ttf->size()));
  HPDF_FontDef def = HPDF_TTFontDef_Load(doc_->mmgr, stream, HPDF_TRUE);
  if (auto s = Check(def != nullptr, "glyphless font: load"); !s) return s;
  HPDF_Doc_RegisterFontDef(doc_.get(), def);
  if (auto s = Check(true, "glyphless font: register"); !s) return s;
  // A six-letter subset tag, as libharu would give an embedded TrueType font.
  HPDF_TTFontDef_SetTagName(def, const_cast<char*>(tag.c_str()));
  font_ = HPDF_GetFont(doc_.get(), kGlyphlessFontName, "UTF-8");
  return Check(font_ != nullptr, "glyphless font: Type0 font");
}

HPDF_Image PdfBuilder::LoadImage(const PageImage& image) {
  if (image.encoding == PageImage::Encoding::kJpeg) {
    return HPDF_LoadJpegImageFromMem(
        doc_.get(), image.bytes.data(),
        static_cast<HPDF_UINT>(image.bytes.size()));
  }
  return HPDF_Image_LoadRaw1BitImageFromMem(
      doc_.get(), image.bytes.data(), static_cast<HPDF_UINT>(image.width),
      static_cast<HPDF_UINT>(image.height),
      static_cast<HPDF_UINT>((image.width + 7) / 8),
      HPDF_FALSE /* black_is1: see the design notes */,
      HPDF_TRUE /* top row first */);
}

Status PdfBuilder::AddPage(std::size_t index,
                           const std::vector<PlacedWord>& words) {
  const PageImage& image = pages_[index].image;
  const std::string where = "page " + std::to_string(index + 1);
  if (image.width <= 0 || image.height <= 0 || image.dpi <= 0) {
    return MakeError(ErrorCode::kPdf,
                     where + ": image size " + std::to_string(image.width) +
                         "x" + std::to_string(image.height) + " at " +
                         std::to_string(image.dpi) + " dpi is not valid");
  }
  // PDF (and libharu, which says only "error 0x1054") allows pages of 3 to
  // 14400 points on a side: about 1 mm to 5 m. Checked before the image is
  // embedded, in the words of the page.
  {
    const double w_pt = image.width * 72.0 / image.dpi;
    const double h_pt = image.height * 72.0 / image.dpi;
    if (w_pt < kMinPagePoints || h_pt < kMinPagePoints || w_pt > kMaxPagePoints ||
        h_pt > kMaxPagePoints) {
      return MakeError(
          ErrorCode::kPdf,
          fmt::format("{}: {}x{} pixels at {:.0f} dpi make a page of {:.0f} x "
                      "{:.0f} mm; a PDF page must be between {:.1f} mm and {:.0f} "
                      "mm on each side",
                      where, image.width, image.height, image.dpi,
                      w_pt / 72.0 * 25.4, h_pt / 72.0 * 25.4,
                      kMinPagePoints / 72.0 * 25.4, kMaxPagePoints / 72.0 * 25.4));
    }
  }
  if (image.encoding == PageImage::Encoding::kBilevel &&
      image.bytes.size() <
          static_cast<std::size_t>((image.width + 7) / 8) * image.height) {
    return MakeError(ErrorCode::kPdf, where + ": bilevel image has " +
                                          std::to_string(image.bytes.size()) +
                                          " bytes, too few for its size");
  }
  HPDF_Image pdf_image = LoadImage(image);
  if (auto s = Check(pdf_image != nullptr, where + ": image"); !s) return s;
  const HPDF_Point size = HPDF_Image_GetSize(pdf_image);
  if (static_cast<int>(size.x) != image.width ||
      static_cast<int>(size.y) != image.height) {
    return MakeError(ErrorCode::kPdf,
                     where + ": JPEG is " + std::to_string(int(size.x)) + "x" +
                         std::to_string(int(size.y)) + " but the page says " +
                         std::to_string(image.width) + "x" +
                         std::to_string(image.height));
  }
  const std::string color_space = HPDF_Image_GetColorSpace(pdf_image);
  if (color_space != "DeviceGray" && color_space != "DeviceRGB") {
    // PDF/A with an RGB OutputIntent cannot take DeviceCMYK.
    return MakeError(ErrorCode::kPdf, where + ": image colour space " +
                                          color_space + " is not gray or RGB");
  }

  const HPDF_REAL width_pt =
      static_cast<HPDF_REAL>(image.width * 72.0 / image.dpi);
  const HPDF_REAL height_pt =
      static_cast<HPDF_REAL>(image.height * 72.0 / image.dpi);
  HPDF_Page page = HPDF_AddPage(doc_.get());
  if (auto s = Check(page != nullptr, where); !s) return s;
  HPDF_Page_SetWidth(page, width_pt);
  HPDF_Page_SetHeight(page, height_pt);
  HPDF_Page_DrawImage(page, pdf_image, 0, 0, width_pt, height_pt);
  if (auto s = Check(true, where + ": draw image"); !s) return s;

  if (words.empty()) return Ok();
  HPDF_Page_BeginText(page);
  HPDF_Page_SetTextRenderingMode(page, HPDF_INVISIBLE);
  for (const PlacedWord& w : words) {
    HPDF_Page_SetFontAndSize(page, font_, static_cast<HPDF_REAL>(w.font_size));
    HPDF_Page_SetTextMatrix(page, static_cast<HPDF_REAL>(w.h_scale), 0, 0, 1,
                            static_cast<HPDF_REAL>(w.x),
                            static_cast<HPDF_REAL>(w.baseline));
    HPDF_Page_ShowText(page, w.text.c_str());
    if (w.space_width > 0) {
      const double glyph_width = kGlyphlessAdvance / 1000.0 * w.font_size;
      HPDF_Page_SetTextMatrix(
          page, static_cast<HPDF_REAL>(w.space_width / glyph_width), 0, 0, 1,
          static_cast<HPDF_REAL>(w.x + w.width),
          static_cast<HPDF_REAL>(w.baseline));
      HPDF_Page_ShowText(page, " ");
    }
    if (Failed()) return Check(true, where + ": text '" + w.text + "'");
  }
  HPDF_Page_EndText(page);
  return Check(true, where + ": text layer");
}

Status PdfBuilder::FinishFont(const std::set<char32_t>& codepoints) {
  auto* attr = static_cast<HPDF_FontAttr>(font_->attr);

  // ToUnicode: one bfchar per code point (CID = Unicode here).
  HPDF_Dict to_unicode = attr->cmap_stream;
  if (to_unicode == nullptr)
    return Check(false, "glyphless font: no ToUnicode");
  for (const char* key : {"Type", "CMapName", "CIDSystemInfo", "WMode"}) {
    HPDF_Dict_RemoveElement(to_unicode, key);
  }
  const std::string cmap = IdentityToUnicodeCMap(codepoints);
  HPDF_MemStream_FreeData(to_unicode->stream);
  HPDF_Stream_WriteStr(to_unicode->stream, cmap.c_str());

  // CIDSystemInfo ordering of the descendant CIDFontType2.
  auto system_info = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(
      attr->descendant_font, "CIDSystemInfo", HPDF_OCLASS_DICT));
  if (system_info == nullptr)
    return Check(false, "glyphless font: no CIDSystemInfo");
  HPDF_Dict_Add(system_info, "Ordering",
                HPDF_String_New(doc_->mmgr, "Identity", nullptr));

  // Create the FontDescriptor now (libharu's hook; idempotent) to extend it.
  if (HPDF_STATUS st = font_->before_write_fn(font_); st != HPDF_OK) {
    return Check(false, "glyphless font: descriptor " + HexCode(st));
  }
  HPDF_Dict descriptor = attr->fontdef->descriptor;
  if (descriptor == nullptr)
    return Check(false, "glyphless font: no descriptor");
  HPDF_Dict_AddNumber(descriptor, "CapHeight", kGlyphlessCapHeight);
  if (info_.pdfa == PdfaLevel::k1b) {
    // Bit n (MSB first) set = CID n has a glyph: CID 0 (.notdef) and each
    // code point in the cmap.
    std::vector<HPDF_BYTE> bits(codepoints.empty() ? 1 : *codepoints.rbegin() / 8 + 1, 0);
    bits[0] |= 0x80;
    for (char32_t cp : codepoints)
      bits[cp / 8] |= static_cast<HPDF_BYTE>(0x80 >> (cp % 8));
    HPDF_Dict cid_set = NewStream(HPDF_STREAM_FILTER_FLATE_DECODE);
    if (cid_set == nullptr) return Check(false, "glyphless font: CIDSet");
    HPDF_Stream_Write(cid_set->stream, bits.data(),
                      static_cast<HPDF_UINT>(bits.size()));
    HPDF_Dict_Add(descriptor, "CIDSet", cid_set);
  }
  return Check(true, "glyphless font: finish");
}

Status PdfBuilder::AddMetadata(const std::vector<std::uint8_t>& icc_profile) {
  const bool pdfa1 = info_.pdfa == PdfaLevel::k1b;
  Timestamp when = NowUtc();
  if (!info_.scan_date.empty()) {
    Result<Timestamp> scanned = ParseIso8601(info_.scan_date);
    if (!scanned) return std::unexpected(scanned.error());
    when = *scanned;
  }
  XmpMetadata m;
  m.pdfa_part = pdfa1 ? 1 : 2;
  m.pdfa_conformance = 'B';
  m.title = info_.title;
  m.author = info_.creator;
  m.creator_tool = kCreatorTool;
  m.producer = std::string("Dossier with libharu ") + HPDF_GetVersion();
  m.created = when;
  m.modified = when;
  m.customer_code = info_.customer_code;
  m.document_type = info_.document_type;
  m.archive_number = info_.archive_number;
  m.document_id = info_.document_id;
  m.page_count = static_cast<int>(pages_.size());
  m.ocr_engine = info_.ocr_engine;
  m.ocr_languages = info_.languages;
  m.scan_date = info_.scan_date;

  // XMP: PDF/A-1 6.7.2 forbids a filter on the metadata stream.
  const std::string xmp = BuildXmpPacket(m);
  HPDF_Dict metadata = NewStream(HPDF_STREAM_FILTER_NONE);
  if (metadata == nullptr) return Check(false, "metadata stream");
  HPDF_Dict_AddName(metadata, "Type", "Metadata");
  HPDF_Dict_AddName(metadata, "Subtype", "XML");
  HPDF_Stream_Write(metadata->stream,
                    reinterpret_cast<const HPDF_BYTE*>(xmp.data()),
                    static_cast<HPDF_UINT>(xmp.size()));
  HPDF_Dict_Add(doc_->catalog, "Metadata", metadata);

  // Info, entry for entry the same as the XMP (PDF/A-1 6.7.3).
  HPDF_SetInfoAttr(doc_.get(), HPDF_INFO_PRODUCER,
                   m.producer.c_str());  // creates Info
  if (auto s = Check(doc_->info != nullptr, "info dictionary"); !s) return s;
  HPDF_Dict_Add(doc_->info, "Producer", TextString(m.producer));
  if (!m.title.empty()) HPDF_Dict_Add(doc_->info, "Title", TextString(m.title));
  if (!m.author.empty())
    HPDF_Dict_Add(doc_->info, "Author", TextString(m.author));
  HPDF_Dict_Add(doc_->info, "Creator", TextString(m.creator_tool));
  HPDF_Dict_Add(
      doc_->info, "CreationDate",
      HPDF_String_New(doc_->mmgr, FormatPdfDate(m.created).c_str(), nullptr));
  HPDF_Dict_Add(
      doc_->info, "ModDate",
      HPDF_String_New(doc_->mmgr, FormatPdfDate(m.modified).c_str(), nullptr));

  // OutputIntent with the sRGB profile.
  HPDF_Dict profile = NewStream(HPDF_STREAM_FILTER_FLATE_DECODE);
  if (profile == nullptr) return Check(false, "ICC profile stream");
  HPDF_Dict_AddNumber(profile, "N", 3);
  HPDF_Stream_Write(profile->stream, icc_profile.data(),
                    static_cast<HPDF_UINT>(icc_profile.size()));
  HPDF_Dict intent = HPDF_Dict_New(doc_->mmgr);
  if (intent == nullptr) return Check(false, "OutputIntent");
  HPDF_Dict_AddName(intent, "Type", "OutputIntent");
  HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
  HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                HPDF_String_New(doc_->mmgr, kIccDescription, nullptr));
  HPDF_Dict_Add(intent, "RegistryName",
                HPDF_String_New(doc_->mmgr, "http://www.color.org", nullptr));
  HPDF_Dict_Add(intent, "Info",
                HPDF_String_New(doc_->mmgr, kIccDescription, nullptr));
  HPDF_Dict_Add(intent, "DestOutputProfile", profile);
  HPDF_Array intents = HPDF_Array_New(doc_->mmgr);
  if (intents == nullptr) return Check(false, "OutputIntents");
  HPDF_Array_Add(intents, intent);
  HPDF_Dict_Add(doc_->catalog, "OutputIntents", intents);

  // Trailer /ID: two equal byte strings for a newly written file.
  const std::vector<std::uint8_t> id = HexToBytes(digest_, 16);
  HPDF_Array id_array = HPDF_Array_New(doc_->mmgr);
  if (id_array == nullptr) return Check(false, "trailer ID");
  for (int i = 0; i < 2; ++i) {
    HPDF_Array_Add(
        id_array, HPDF_Binary_New(doc_->mmgr, const_cast<HPDF_BYTE*>(id.data()),
                                  static_cast<HPDF_UINT>(id.size())));
  }
  HPDF_Dict_Add(doc_->trailer, "ID", id_array);

  doc_->pdf_version = pdfa1 ? HPDF_VER_14 : HPDF_VER_17;
  return Check(true, "metadata");
}

Result<std::string> PdfBuilder::Save() {
  HPDF_SaveToStream(doc_.get());
  if (auto s = Check(true, "save"); !s) return std::unexpected(s.error());
  const HPDF_UINT32 size = HPDF_GetStreamSize(doc_.get());
  std::string bytes(size, '\0');
  HPDF_ResetStream(doc_.get());
  HPDF_UINT32 read = size;
  HPDF_ReadFromStream(doc_.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()),
                      &read);
  // Reading to the very end reports HPDF_STREAM_EOF; that is success here.
  if (error_.error == HPDF_STREAM_EOF && read == size) error_ = {};
  if (auto s = Check(read == size, "read saved PDF"); !s)
    return std::unexpected(s.error());
  return bytes;
}

Result<std::string> PdfBuilder::Build() {
  if (pages_.empty())
    return MakeError(ErrorCode::kPdf, "document has no pages");
  std::ifstream icc_file(kIccProfilePath, std::ios::binary);
  std::vector<std::uint8_t> icc_profile(
      (std::istreambuf_iterator<char>(icc_file)),
      std::istreambuf_iterator<char>());
  if (icc_profile.size() < 128) {
    return MakeError(
        ErrorCode::kPdf,
        std::string("sRGB ICC profile ") + kIccProfilePath +
            " is missing or unreadable (install icc-profiles-free)");
  }
  digest_ = DocumentDigest(pages_, info_);

  std::vector<std::vector<PlacedWord>> layers;
  std::set<char32_t> codepoints;
  for (const ArchivePage& p : pages_) {
    layers.push_back(LayoutTextLayer(p.ocr, p.image.width, p.image.height,
                                     p.image.dpi, kGlyphlessAdvance));
    CollectCodepoints(layers.back(), codepoints);
  }

  doc_.reset(HPDF_New(RecordHpdfError, &error_));
  if (!doc_)
    return MakeError(ErrorCode::kPdf, "libharu: cannot create a document");
  HPDF_SetCompressionMode(doc_.get(), HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(doc_.get());
  if (auto s = Check(true, "setup"); !s) return std::unexpected(s.error());
  if (!codepoints.empty()) {
    std::string tag;
    for (int i = 0; i < 6; ++i) tag += static_cast<char>('A' + digest_[i] % 26);
    if (auto s = LoadGlyphlessFont(codepoints, tag); !s)
      return std::unexpected(s.error());
  }
  for (std::size_t i = 0; i < pages_.size(); ++i) {
    if (auto s = AddPage(i, layers[i]); !s) return std::unexpected(s.error());
  }
  if (font_ != nullptr) {
    if (auto s = FinishFont(codepoints); !s) return std::unexpected(s.error());
  }
  if (auto s = AddMetadata(icc_profile); !s) return std::unexpected(s.error());
  return Save();
}

}  // namespace

Result<std::string> WriteSearchablePdf(std::span<const ArchivePage> pages,
                                       const DocumentInfo& info) {
  return PdfBuilder(pages, info).Build();
}

}  // namespace dossier::archive
