// Cover sheet layout, A4 portrait, units of 1/72 inch:
//   heading, instruction, the QR code (60 mm, drawn as filled squares, so it
//   is sharp at any printer resolution), then customer, type and title in
//   large type and the raw payload in small monospace for manual entry.
// The QR code has a quiet zone of at least four modules of white.
#include "archive/cover_sheet_pdf.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <fmt/format.h>
#include <hpdf.h>
#include <iconv.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <vector>

namespace dossier::archive {

namespace {

constexpr double kMm = 72.0 / 25.4;

struct HpdfError {
  HPDF_STATUS error = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void HPDF_STDCALL OnHpdfError(HPDF_STATUS error, HPDF_STATUS detail,
                              void* user) {
  auto* e = static_cast<HpdfError*>(user);
  if (e->error == HPDF_OK) {
    e->error = error;
    e->detail = detail;
  }
}

struct DocDeleter {
  void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};

bool IsAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// UTF-8 to GBK for libharu's built-in Chinese font (GBK-EUC-H); characters
// GBK lacks become '?'. nullopt if iconv is unavailable.
std::optional<std::string> ToGbk(const std::string& utf8) {
  iconv_t cd = iconv_open("GBK//TRANSLIT", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  std::string in = utf8;
  char* src = in.data();
  size_t src_left = in.size();
  std::vector<char> buf(in.size() * 2 + 16);
  while (src_left > 0) {
    char* dst = buf.data();
    size_t dst_left = buf.size();
    size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    out.append(buf.data(), dst - buf.data());
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      // Skip one undecodable or unmappable UTF-8 sequence.
      out += '?';
      ++src;
      --src_left;
      while (src_left > 0 &&
             (static_cast<unsigned char>(*src) & 0xC0) == 0x80) {
        ++src;
        --src_left;
      }
    }
  }
  iconv_close(cd);
  return out;
}

std::string AsciiOnly(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f)
      out += static_cast<char>(c);
    else if ((c & 0xC0) != 0x80)
      out += '?';
  }
  return out;
}

}  // namespace

Result<std::string> WriteCoverSheetPdf(const CoverSheetText& sheet) {
  if (sheet.payload.empty() || !IsAscii(sheet.payload)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cover sheet: the payload must be non-empty ASCII");
  }
  ZXing::BitMatrix qr;
  try {
    qr = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
             .setEccLevel(4)
             .setMargin(0)
             .encode(sheet.payload, 0, 0);
  } catch (const std::exception& e) {
    return MakeError(
        ErrorCode::kPdf,
        fmt::format("cover sheet: cannot encode the QR code: {}", e.what()));
  }
  if (qr.width() <= 0) {
    return MakeError(ErrorCode::kPdf, "cover sheet: empty QR code");
  }

  HpdfError err;
  std::unique_ptr<HPDF_Doc_Rec, DocDeleter> doc(HPDF_New(OnHpdfError, &err));
  if (!doc)
    return MakeError(ErrorCode::kPdf, "cover sheet: libharu cannot start");
  HPDF_Doc pdf = doc.get();
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(pdf);
  HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "Dossier scanning station");
  HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "Dossier cover sheet");

  HPDF_Font latin = HPDF_GetFont(pdf, "Helvetica-Bold", nullptr);
  HPDF_Font mono = HPDF_GetFont(pdf, "Courier", nullptr);
  // libharu's built-in Chinese font: not embedded, the viewer or printer
  // supplies a Song/Hei face (on Debian from fontconfig, e.g. WenQuanYi).
  // A cover sheet is printed, never archived, so PDF/A does not apply.
  HPDF_Font cjk = nullptr;
  if (HPDF_UseCNSFonts(pdf) == HPDF_OK &&
      HPDF_UseCNSEncodings(pdf) == HPDF_OK) {
    cjk = HPDF_GetFont(pdf, "SimHei", "GBK-EUC-H");
  }
  if (err.error != HPDF_OK || cjk == nullptr) {
    err = {};  // the font is optional; carry on without it
    HPDF_ResetError(pdf);
    cjk = nullptr;
  }

  HPDF_Page page = HPDF_AddPage(pdf);
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  const double width = HPDF_Page_GetWidth(page);
  const double height = HPDF_Page_GetHeight(page);

  auto text = [&](HPDF_Font font, double size, double x, double y,
                  const std::string& s) {
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(size));
    HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x),
                      static_cast<HPDF_REAL>(y), s.c_str());
    HPDF_Page_EndText(page);
  };
  bool lost_characters = false;
  auto any_text = [&](double size, double x, double y, const std::string& s) {
    if (IsAscii(s)) {
      text(latin, size, x, y, s);
    } else if (auto gbk = ToGbk(s); cjk != nullptr && gbk) {
      text(cjk, size, x, y, *gbk);
    } else {
      lost_characters = true;
      text(latin, size, x, y, AsciiOnly(s));
    }
  };

  const double left = 25 * kMm;
  double y = height - 30 * kMm;
  text(latin, 28, left, y, "DOSSIER COVER SHEET");
  if (auto gbk = ToGbk("档案分隔页"); cjk != nullptr && gbk) {
    text(cjk, 20, left, y - 30, *gbk);
  }
  y -= 48;
  text(
      mono, 10, left, y,
      "Put this sheet on top of the document it describes and scan the stack.");
  text(mono, 10, left, y - 13,
       "The station starts a new document here; this sheet is not archived.");

  // The QR code, 60 mm square, centred.
  const double qr_size = 60 * kMm;
  const double module = qr_size / qr.width();
  const double qr_x = (width - qr_size) / 2;
  const double qr_top = y - 30 * kMm;
  HPDF_Page_SetGrayFill(page, 0);
  for (int r = 0; r < qr.height(); ++r) {
    for (int c = 0; c < qr.width(); ++c) {
      if (!qr.get(c, r)) continue;
      // Slight overlap so no hairlines show between touching modules.
      HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(qr_x + c * module),
                          static_cast<HPDF_REAL>(qr_top - (r + 1) * module),
                          static_cast<HPDF_REAL>(module + 0.05),
                          static_cast<HPDF_REAL>(module + 0.05));
    }
  }
  HPDF_Page_Fill(page);

  y = qr_top - qr_size - 20 * kMm;
  text(latin, 14, left, y, "Customer");
  any_text(22, left + 35 * kMm, y, sheet.customer_code);
  if (!sheet.customer_name.empty()) {
    y -= 26;
    any_text(16, left + 35 * kMm, y, sheet.customer_name);
  }
  y -= 34;
  text(latin, 14, left, y, "Type");
  any_text(22, left + 35 * kMm, y, sheet.type);
  y -= 34;
  text(latin, 14, left, y, "Title");
  any_text(18, left + 35 * kMm, y,
           sheet.title.empty() ? "(none)" : sheet.title);
  if (lost_characters) {
    y -= 20;
    text(mono, 9, left + 35 * kMm, y, "(Chinese text could not be drawn here)");
  }
  y -= 40;
  text(latin, 10, left, y, "Payload");
  const size_t per_line = 70;
  for (size_t i = 0; i < sheet.payload.size(); i += per_line) {
    text(mono, 9, left + 20 * kMm, y, sheet.payload.substr(i, per_line));
    y -= 12;
  }
  if (err.error != HPDF_OK) {
    return MakeError(
        ErrorCode::kPdf,
        fmt::format("cover sheet: libharu error 0x{:04X} (detail {})",
                    static_cast<unsigned>(err.error),
                    static_cast<unsigned>(err.detail)));
  }
  if (HPDF_SaveToStream(pdf) != HPDF_OK) {
    return MakeError(ErrorCode::kPdf,
                     "cover sheet: libharu cannot write the PDF");
  }
  HPDF_ResetStream(pdf);
  std::string out;
  std::vector<HPDF_BYTE> buf(64 * 1024);
  for (;;) {
    HPDF_UINT32 n = static_cast<HPDF_UINT32>(buf.size());
    HPDF_STATUS s = HPDF_ReadFromStream(pdf, buf.data(), &n);
    out.append(reinterpret_cast<const char*>(buf.data()), n);
    if (s == HPDF_STREAM_EOF) break;
    if (s != HPDF_OK) {
      return MakeError(ErrorCode::kPdf,
                       "cover sheet: libharu cannot read back the PDF");
    }
  }
  return out;
}

}  // namespace dossier::archive
