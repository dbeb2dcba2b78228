#include "tests/archive/sheet_check.h"

#include <hb.h>

#include <fstream>
#include <map>
#include <memory>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include "tests/support/test_support.h"

namespace dossier::testing {
namespace {

// One embedded font: its program and its CID -> glyph map.
struct FontProgram {
  std::string name;
  std::string problem;     // why its glyphs cannot be checked
  std::string cid_to_gid;  // big-endian 2 bytes per CID; '' = Identity
  hb_blob_t* blob = nullptr;
  hb_face_t* face = nullptr;
  hb_font_t* font = nullptr;
  ~FontProgram() {
    if (font) hb_font_destroy(font);
    if (face) hb_face_destroy(face);
    if (blob) hb_blob_destroy(blob);
  }
};

void CountMove(hb_draw_funcs_t*, void* data, hb_draw_state_t*, float, float,
               void*) {
  ++*static_cast<int*>(data);
}

// Number of contours HarfBuzz draws for the glyph (0: an empty glyph).
int Contours(hb_font_t* font, unsigned gid) {
  static hb_draw_funcs_t* funcs = [] {
    hb_draw_funcs_t* f = hb_draw_funcs_create();
    hb_draw_funcs_set_move_to_func(f, CountMove, nullptr, nullptr);
    hb_draw_funcs_make_immutable(f);
    return f;
  }();
  int moves = 0;
  hb_font_get_glyph_shape(font, gid, funcs, &moves);
  return moves;
}

std::unique_ptr<FontProgram> LoadFont(QPDFObjectHandle font) {
  auto p = std::make_unique<FontProgram>();
  p->name = font.getKey("/BaseFont").isName()
                ? font.getKey("/BaseFont").getName()
                : "(unnamed)";
  if (!font.getKey("/Subtype").isName() ||
      font.getKey("/Subtype").getName() != "/Type0") {
    p->problem = "font " + p->name + " is not an embedded CID font";
    return p;
  }
  QPDFObjectHandle cid = font.getKey("/DescendantFonts").getArrayItem(0);
  QPDFObjectHandle file = cid.getKey("/FontDescriptor").getKey("/FontFile2");
  if (!file.isStream()) {
    p->problem = "font " + p->name + " has no embedded FontFile2";
    return p;
  }
  auto data = file.getStreamData(qpdf_dl_all);
  std::string bytes(reinterpret_cast<const char*>(data->getBuffer()),
                    data->getSize());
  QPDFObjectHandle map = cid.getKey("/CIDToGIDMap");
  if (map.isStream()) {
    auto m = map.getStreamData(qpdf_dl_all);
    p->cid_to_gid.assign(reinterpret_cast<const char*>(m->getBuffer()),
                         m->getSize());
  }
  p->blob = hb_blob_create(bytes.data(), static_cast<unsigned>(bytes.size()),
                           HB_MEMORY_MODE_DUPLICATE, nullptr, nullptr);
  p->face = hb_face_create(p->blob, 0);
  p->font = hb_font_create(p->face);
  if (hb_face_get_glyph_count(p->face) == 0) {
    p->problem = "font " + p->name + ": FontFile2 is not a TrueType font";
  }
  return p;
}

class TextOps : public QPDFObjectHandle::ParserCallbacks {
 public:
  std::vector<std::pair<std::string, std::string>> shown;  // font, bytes
  void handleObject(QPDFObjectHandle obj) override {
    if (!obj.isOperator()) {
      operands_.push_back(obj);
      return;
    }
    const std::string op = obj.getOperatorValue();
    if (op == "Tf" && !operands_.empty() && operands_[0].isName()) {
      font_ = operands_[0].getName();
    } else if ((op == "Tj" || op == "'" || op == "\"") && !operands_.empty() &&
               operands_.back().isString()) {
      shown.emplace_back(font_, operands_.back().getStringValue());
    } else if (op == "TJ" && !operands_.empty() && operands_[0].isArray()) {
      for (auto& item : operands_[0].getArrayAsVector()) {
        if (item.isString()) shown.emplace_back(font_, item.getStringValue());
      }
    }
    operands_.clear();
  }
  void handleEOF() override {}

 private:
  std::string font_;
  std::vector<QPDFObjectHandle> operands_;
};

}  // namespace

DrawnText CheckDrawnGlyphs(const std::string& pdf_bytes) {
  DrawnText result;
  QPDF pdf;
  pdf.processMemoryFile("sheet.pdf", pdf_bytes.data(), pdf_bytes.size());
  int page_number = 0;
  for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
    ++page_number;
    TextOps ops;
    page.parseContents(&ops);
    QPDFObjectHandle fonts =
        page.getAttribute("/Resources", false).getKey("/Font");
    std::map<std::string, std::unique_ptr<FontProgram>> loaded;
    for (const auto& [resource, bytes] : ops.shown) {
      auto& program = loaded[resource];
      if (!program) {
        program = LoadFont(fonts.getKey(resource));
        result.fonts.push_back(program->name);
        if (!program->problem.empty()) {
          result.problems.push_back(program->problem);
        }
      }
      if (!program->problem.empty()) continue;
      for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
        const unsigned code = (static_cast<unsigned char>(bytes[i]) << 8) |
                              static_cast<unsigned char>(bytes[i + 1]);
        ++result.characters;
        if (code == 0x20 || code == 0x3000) continue;
        unsigned gid = code;
        if (!program->cid_to_gid.empty()) {
          gid = 2 * code + 1 < program->cid_to_gid.size()
                    ? (static_cast<unsigned char>(program->cid_to_gid[2 * code])
                       << 8) |
                          static_cast<unsigned char>(
                              program->cid_to_gid[2 * code + 1])
                    : 0;
        }
        if (gid == 0 || Contours(program->font, gid) == 0) {
          char buf[64];
          std::snprintf(buf, sizeof buf, "page %d: U+%04X (glyph %u) in %s",
                        page_number, code, gid, program->name.c_str());
          result.problems.push_back(buf);
        }
      }
    }
  }
  return result;
}

std::string WithoutSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f') out += c;
  }
  return out;
}

std::string OcrFirstPage(const std::string& pdf_bytes, int dpi) {
  TempDir dir;
  const auto pdf = dir.path() / "sheet.pdf";
  std::ofstream(pdf, std::ios::binary) << pdf_bytes;
  const auto base = dir.path() / "page";
  auto render =
      RunCommand("pdftoppm -r " + std::to_string(dpi) +
                 " -gray -png -f 1 -l 1 -singlefile " +
                 ShellQuote(pdf.string()) + " " + ShellQuote(base.string()));
  if (render.exit_code != 0) return "pdftoppm failed: " + render.out;
  auto ocr = RunCommand("OMP_THREAD_LIMIT=1 tesseract " +
                        ShellQuote(base.string() + ".png") +
                        " stdout -l chi_sim+eng 2>/dev/null");
  if (ocr.exit_code != 0) return "tesseract failed: " + ocr.out;
  return WithoutSpaces(ocr.out);
}

}  // namespace dossier::testing
