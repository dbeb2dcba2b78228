#include "archive/report_pdf_doc.h"

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "archive/to_unicode.h"
#include "core/text.h"

namespace dossier::archive::internal {

void HPDF_STDCALL RecordReportError(HPDF_STATUS error, HPDF_STATUS detail,
                                    void* user_data) {
  auto* doc = static_cast<PdfDoc*>(user_data);
  if (doc->error_ == HPDF_OK) {
    doc->error_ = error;
    doc->detail_ = detail;
  }
}

namespace {

// Six capital letters naming a subset (PDF 9.6.4), from its bytes.
std::string SubsetTag(const std::string& bytes, int face) {
  std::uint64_t h = 1469598103934665603ull ^ static_cast<unsigned>(face);
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  std::string tag;
  for (int i = 0; i < 6; ++i) {
    tag += static_cast<char>('A' + h % 26);
    h /= 26;
  }
  return tag;
}

}  // namespace

Result<std::unique_ptr<PdfDoc>> PdfDoc::Create(const std::string& font_path,
                                               const std::string& title) {
  std::unique_ptr<PdfDoc> pdf(new PdfDoc());
  pdf->doc_ = HPDF_New(RecordReportError, pdf.get());
  if (pdf->doc_ == nullptr) {
    return MakeError(ErrorCode::kPdf, "cannot create a PDF (out of memory)");
  }
  HPDF_SetCompressionMode(pdf->doc_, HPDF_COMP_ALL);
  HPDF_SetInfoAttr(pdf->doc_, HPDF_INFO_CREATOR, "Dossier");
  std::string ascii_title;
  for (char c : title) {
    if (static_cast<unsigned char>(c) >= 0x20 &&
        static_cast<unsigned char>(c) < 0x7F)
      ascii_title += c;
  }
  HPDF_SetInfoAttr(pdf->doc_, HPDF_INFO_TITLE, ascii_title.c_str());
  const std::string path = font_path.empty() ? kDefaultCjkFont : font_path;
  {
    auto text = SheetFont::Open(path, 0);
    if (!text && !font_path.empty()) return std::unexpected(text.error());
    if (text) {
      pdf->faces_[0] = *text;
      pdf->faces_[1] = *text;
      if (auto mono = SheetFont::Open(kDefaultMonoFont, 0)) {
        pdf->faces_[1] = *mono;
      } else if (SheetFont::FaceCount(path) > 1) {
        if (auto face1 = SheetFont::Open(path, 1)) pdf->faces_[1] = *face1;
      }
      HPDF_UseUTFEncodings(pdf->doc_);
    }
    // Without the default font: fall back to the base-14 fonts.
  }
  if (pdf->faces_[0] == nullptr) {
    pdf->fallback_[0] = HPDF_GetFont(pdf->doc_, "Helvetica", nullptr);
    pdf->fallback_[1] = HPDF_GetFont(pdf->doc_, "Courier-Bold", nullptr);
    if (auto s =
            pdf->Check(pdf->fallback_[0] && pdf->fallback_[1], "loading fonts");
        !s) {
      return std::unexpected(s.error());
    }
  }
  return pdf;
}

PdfDoc::~PdfDoc() {
  if (doc_ != nullptr) HPDF_Free(doc_);
}

Status PdfDoc::Check(bool ok, std::string_view where) {
  if (error_ == HPDF_OK && HPDF_GetError(doc_) != HPDF_OK) {
    error_ = HPDF_GetError(doc_);
    detail_ = HPDF_GetErrorDetail(doc_);
  }
  if (error_ != HPDF_OK) {
    char code[16];
    std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(error_));
    return MakeError(ErrorCode::kPdf, std::string(where) + ": libharu error " +
                                          code + " (detail " +
                                          std::to_string(detail_) + ")");
  }
  if (!ok) {
    return MakeError(ErrorCode::kPdf,
                     std::string(where) + ": libharu call failed");
  }
  return Ok();
}

Result<HPDF_Page> PdfDoc::AddPage(double width_pt, double height_pt) {
  HPDF_Page page = HPDF_AddPage(doc_);
  if (page != nullptr) {
    HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(width_pt));
    HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(height_pt));
  }
  if (auto s = Check(page != nullptr, "adding a page"); !s) {
    return std::unexpected(s.error());
  }
  return page;
}

std::string PdfDoc::Printable(std::string_view utf8) const {
  std::string out;
  if (faces_[0] != nullptr) {
    // Control characters would draw as .notdef boxes.
    for (char32_t cp : DecodeUtf8(utf8)) {
      if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) cp = U' ';
      out += EncodeUtf8(std::u32string(1, cp));
    }
    return out;
  }
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += (c >= 0x20 ? static_cast<char>(c) : ' ');
    } else if ((c & 0xC0) != 0x80) {
      out += '?';  // one '?' per non-ASCII character
    }
  }
  return out;
}

double PdfDoc::Width(int face, double size, const std::string& text) const {
  if (faces_[face] != nullptr) {
    double units = 0;
    for (char32_t cp : DecodeUtf8(text)) units += faces_[face]->Advance(cp);
    return units * size / 1000.0;
  }
  HPDF_TextWidth w = HPDF_Font_TextWidth(
      fallback_[face], reinterpret_cast<const HPDF_BYTE*>(text.data()),
      static_cast<HPDF_UINT>(text.size()));
  return w.width * size / 1000.0;
}

int PdfDoc::FaceFor(bool mono, const std::string& text) const {
  if (!mono) return 0;
  if (faces_[1] != nullptr) {
    for (char32_t cp : DecodeUtf8(text)) {
      if (cp != U' ' && !faces_[1]->Has(cp)) return 0;
    }
  }
  return 1;
}

double PdfDoc::TextWidth(HPDF_Page, double size, std::string_view utf8,
                         bool mono) {
  const std::string text = Printable(utf8);
  return Width(FaceFor(mono, text), size, text);
}

void PdfDoc::Text(HPDF_Page page, double x, double y, double size,
                  std::string_view utf8, double max_width, bool mono) {
  std::string text = Printable(utf8);
  if (text.empty()) return;
  const int face = FaceFor(mono, text);
  if (max_width > 0 && Width(face, size, text) > max_width) {
    // Drop whole UTF-8 characters from the end until text + "..." fits.
    const std::string ellipsis = "...";
    while (!text.empty()) {
      do {
        text.pop_back();
      } while (!text.empty() &&
               (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80);
      if (!text.empty() &&
          (static_cast<unsigned char>(text.back()) & 0x80) != 0) {
        text.pop_back();  // the lead byte of the character just cut
      }
      if (Width(face, size, text + ellipsis) <= max_width) break;
    }
    text += ellipsis;
  }
  if (faces_[face] != nullptr) {
    for (char32_t cp : DecodeUtf8(text)) {
      if (cp != U' ' && !faces_[face]->Has(cp)) missing_.insert(cp);
    }
  }
  runs_.push_back({page, face, x, y, size, std::move(text)});
}

void PdfDoc::Rule(HPDF_Page page, double x0, double x1, double y,
                  double width) {
  HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(width));
  HPDF_Page_MoveTo(page, static_cast<HPDF_REAL>(x0), static_cast<HPDF_REAL>(y));
  HPDF_Page_LineTo(page, static_cast<HPDF_REAL>(x1), static_cast<HPDF_REAL>(y));
  HPDF_Page_Stroke(page);
}

Result<HPDF_Font> PdfDoc::EmbedFont(const SheetFont& font,
                                    const std::set<char32_t>& codepoints) {
  auto bytes = font.Subset(codepoints);
  if (!bytes) return std::unexpected(bytes.error());
  // What HPDF_LoadTTFontFromFile does after opening the file, from memory.
  HPDF_Stream stream =
      HPDF_MemStream_New(doc_->mmgr, static_cast<HPDF_UINT>(bytes->size()));
  if (stream == nullptr) {
    if (auto s = Check(false, "font subset: stream"); !s) {
      return std::unexpected(s.error());
    }
  }
  HPDF_Stream_Write(stream, reinterpret_cast<const HPDF_BYTE*>(bytes->data()),
                    static_cast<HPDF_UINT>(bytes->size()));
  HPDF_FontDef def = HPDF_TTFontDef_Load(doc_->mmgr, stream, HPDF_TRUE);
  if (auto s =
          Check(def != nullptr, "font subset of " + font.path() + ": load");
      !s) {
    return std::unexpected(s.error());
  }
  const std::string name = def->base_font;
  HPDF_Doc_RegisterFontDef(doc_, def);
  if (auto s = Check(true, "font subset: register " + name); !s) {
    return std::unexpected(s.error());
  }
  std::string tag = SubsetTag(*bytes, static_cast<int>(font.index()));
  HPDF_TTFontDef_SetTagName(def, tag.data());
  HPDF_Font f = HPDF_GetFont(doc_, name.c_str(), "UTF-8");
  if (auto s = Check(f != nullptr, "font subset: Type0 font " + name); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = FixToUnicode(f, codepoints); !s) {
    return std::unexpected(s.error());
  }
  return f;
}

// libharu's UTF-8 font gets a copy of its cidrange CMap as /ToUnicode,
// which text extractors reject; with CID = Unicode the map is one bfchar
// per code point. The descendant's ordering must be (Identity).
Status PdfDoc::FixToUnicode(HPDF_Font font,
                            const std::set<char32_t>& codepoints) {
  auto* attr = static_cast<HPDF_FontAttr>(font->attr);
  HPDF_Dict to_unicode = attr->cmap_stream;
  if (to_unicode == nullptr) return Check(false, "font: no ToUnicode");
  for (const char* key : {"Type", "CMapName", "CIDSystemInfo", "WMode"}) {
    HPDF_Dict_RemoveElement(to_unicode, key);
  }
  const std::string cmap = IdentityToUnicodeCMap(codepoints);
  HPDF_MemStream_FreeData(to_unicode->stream);
  HPDF_Stream_WriteStr(to_unicode->stream, cmap.c_str());
  auto system_info = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(
      attr->descendant_font, "CIDSystemInfo", HPDF_OCLASS_DICT));
  if (system_info != nullptr) {
    HPDF_Dict_Add(system_info, "Ordering",
                  HPDF_String_New(doc_->mmgr, "Identity", nullptr));
  }
  return Check(true, "font: ToUnicode");
}

Result<std::string> PdfDoc::Save() {
  if (auto s = Check(true, "building the PDF"); !s) {
    return std::unexpected(s.error());
  }
  // Every character is known now: embed each face with what it draws.
  HPDF_Font fonts[2] = {fallback_[0], fallback_[1]};
  if (faces_[0] != nullptr) {
    const bool shared = faces_[1] == faces_[0];
    std::set<char32_t> used[2];
    for (const TextRun& r : runs_) {
      const std::set<char32_t> cps = CodepointsOf(r.text);
      used[shared ? 0 : r.face].insert(cps.begin(), cps.end());
    }
    for (int face = 0; face < (shared ? 1 : 2); ++face) {
      if (used[face].empty()) continue;
      auto f = EmbedFont(*faces_[face], used[face]);
      if (!f) return std::unexpected(f.error());
      fonts[face] = *f;
    }
    if (shared) fonts[1] = fonts[0];
  }
  for (const TextRun& r : runs_) {
    HPDF_Page_SetFontAndSize(r.page, fonts[r.face],
                             static_cast<HPDF_REAL>(r.size));
    HPDF_Page_BeginText(r.page);
    HPDF_Page_TextOut(r.page, static_cast<HPDF_REAL>(r.x),
                      static_cast<HPDF_REAL>(r.y), r.text.c_str());
    HPDF_Page_EndText(r.page);
  }
  if (auto s = Check(true, "drawing the text"); !s) {
    return std::unexpected(s.error());
  }
  HPDF_SaveToStream(doc_);
  if (auto s = Check(true, "saving the PDF"); !s) {
    return std::unexpected(s.error());
  }
  const HPDF_UINT32 size = HPDF_GetStreamSize(doc_);
  std::string bytes(size, '\0');
  HPDF_ResetStream(doc_);
  HPDF_UINT32 read = size;
  HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &read);
  // Reading to the very end reports HPDF_STREAM_EOF; that is success here.
  if (read == size &&
      (error_ == HPDF_STREAM_EOF || HPDF_GetError(doc_) == HPDF_STREAM_EOF)) {
    error_ = HPDF_OK;
    HPDF_ResetError(doc_);
  }
  if (auto s = Check(read == size && size > 0, "reading the PDF"); !s) {
    return std::unexpected(s.error());
  }
  return bytes;
}

}  // namespace dossier::archive::internal
