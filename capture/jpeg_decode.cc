#include "capture/jpeg_decode.h"

#include <csetjmp>
#include <cstdio>
// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>

namespace dossier::capture {

namespace {

constexpr int kKeptWarnings = 3;

struct ErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg casts to it
  std::jmp_buf jump;
  JpegDecoded* out;
};

[[noreturn]] void OnError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  char message[JMSG_LENGTH_MAX] = {};
  (*cinfo->err->format_message)(cinfo, message);
  err->out->error = message;
  std::longjmp(err->jump, 1);
}

// level < 0: a warning (corrupt data); level >= 0: trace messages, ignored.
void OnMessage(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  ++cinfo->err->num_warnings;
  ++err->out->warning_count;
  if (static_cast<int>(err->out->warnings.size()) < kKeptWarnings) {
    char message[JMSG_LENGTH_MAX] = {};
    (*cinfo->err->format_message)(cinfo, message);
    err->out->warnings.emplace_back(message);
  }
}

void Silent(j_common_ptr) {}

struct DecompressGuard {
  jpeg_decompress_struct* cinfo;
  ~DecompressGuard() { jpeg_destroy_decompress(cinfo); }
};

// The decoding proper; returns false on a libjpeg error (out->error set).
// Kept free of objects with destructors between setjmp and longjmp.
bool Decode(jpeg_decompress_struct* cinfo, ErrorManager* err, std::string_view bytes,
            Pix** result) {
  Pix* volatile pix = nullptr;
  JSAMPLE* volatile row = nullptr;
  if (setjmp(err->jump) != 0) {
    if (pix != nullptr) {
      Pix* p = pix;
      pixDestroy(&p);
    }
    std::free(row);
    return false;
  }
  jpeg_mem_src(cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(cinfo, TRUE);
  const bool cmyk = cinfo->jpeg_color_space == JCS_CMYK ||
                    cinfo->jpeg_color_space == JCS_YCCK;
  const bool gray = cinfo->num_components == 1;
  cinfo->out_color_space = gray ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(cinfo);
  const int w = static_cast<int>(cinfo->output_width);
  const int h = static_cast<int>(cinfo->output_height);
  const int channels = cinfo->output_components;
  pix = pixCreate(w, h, gray ? 8 : 32);
  row = static_cast<JSAMPLE*>(std::malloc(static_cast<size_t>(w) * channels));
  if (pix == nullptr || row == nullptr) {
    err->out->error = "out of memory";
    std::longjmp(err->jump, 1);
  }
  const bool inverted = cinfo->saw_Adobe_marker;  // Adobe CMYK is stored inverted
  l_uint32* data = pixGetData(pix);
  const l_int32 wpl = pixGetWpl(pix);
  while (cinfo->output_scanline < cinfo->output_height) {
    const int y = static_cast<int>(cinfo->output_scanline);
    JSAMPROW rows[1] = {row};
    if (jpeg_read_scanlines(cinfo, rows, 1) != 1) break;
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < w; ++x) {
      if (gray) {
        SET_DATA_BYTE(line, x, row[x]);
      } else if (cmyk) {
        int c = row[4 * x], m = row[4 * x + 1], yy = row[4 * x + 2], k = row[4 * x + 3];
        if (!inverted) {
          c = 255 - c, m = 255 - m, yy = 255 - yy, k = 255 - k;
        }
        line[x] = 0;
        composeRGBPixel(c * k / 255, m * k / 255, yy * k / 255, &line[x]);
      } else {
        line[x] = 0;
        composeRGBPixel(row[3 * x], row[3 * x + 1], row[3 * x + 2], &line[x]);
      }
    }
  }
  // Some damage is only noticed here (bytes before the EOI marker).
  jpeg_finish_decompress(cinfo);
  if (cinfo->density_unit == 1 && cinfo->X_density > 0) {
    pixSetResolution(pix, cinfo->X_density, cinfo->Y_density);
  } else if (cinfo->density_unit == 2 && cinfo->X_density > 0) {
    pixSetResolution(pix, static_cast<l_int32>(cinfo->X_density * 2.54 + 0.5),
                     static_cast<l_int32>(cinfo->Y_density * 2.54 + 0.5));
  }
  std::free(row);
  *result = pix;
  return true;
}

}  // namespace

JpegDecoded DecodeJpeg(std::string_view bytes) {
  JpegDecoded out;
  jpeg_decompress_struct cinfo{};
  ErrorManager err{};
  err.out = &out;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnError;
  err.pub.emit_message = OnMessage;
  err.pub.output_message = Silent;
  jpeg_create_decompress(&cinfo);
  DecompressGuard guard{&cinfo};
  Pix* pix = nullptr;
  if (Decode(&cinfo, &err, bytes, &pix)) out.pix.reset(pix);
  return out;
}

}  // namespace dossier::capture
