#include "capture/image_file.h"

#include <cmath>
#include <fmt/format.h>
#include <string_view>

#include "capture/leptonica_util.h"
#include "core/file_util.h"

namespace dossier::capture {

namespace fs = std::filesystem;

namespace {

enum class Kind { kPng, kJpeg, kTiff, kPdf, kUnknown };

Kind Sniff(std::string_view b) {
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return Kind::kPng;
  if (b.size() >= 3 && static_cast<uint8_t>(b[0]) == 0xFF &&
      static_cast<uint8_t>(b[1]) == 0xD8 && static_cast<uint8_t>(b[2]) == 0xFF)
    return Kind::kJpeg;
  if (b.starts_with(std::string_view("II*\0", 4)) ||
      b.starts_with(std::string_view("MM\0*", 4)))
    return Kind::kTiff;
  if (b.starts_with("%PDF")) return Kind::kPdf;
  return Kind::kUnknown;
}

// A complete PNG ends with an IEND chunk; a complete JPEG with an EOI marker
// (possibly followed by a few padding bytes). Decoders fill a truncated file
// with grey and report success, so check the end ourselves.
bool LooksComplete(Kind kind, std::string_view b) {
  if (kind == Kind::kPng) {
    size_t from = b.size() > 64 ? b.size() - 64 : 0;
    return b.find("IEND", from) != std::string_view::npos;
  }
  if (kind == Kind::kJpeg) {
    size_t from = b.size() > 4096 ? b.size() - 4096 : 0;
    return b.find("\xFF\xD9", from) != std::string_view::npos;
  }
  return true;
}

double PlausibleDpi(Pix* pix, int width, const ImageFileOptions& options,
                    bool* assumed) {
  int xres = pixGetXRes(pix);
  if (xres >= 50 && xres <= 2400) {
    *assumed = false;
    return xres;
  }
  *assumed = true;
  if (options.fallback_dpi > 0) return options.fallback_dpi;
  // Assume the page is about as wide as A4 (8.27 in), in steps of 10 dpi.
  double estimate = std::round(width / 8.27 / 10.0) * 10.0;
  return std::clamp(estimate, 70.0, 600.0);
}

}  // namespace

Result<std::vector<RawPage>> ReadImageFile(const fs::path& path,
                                           const ImageFileOptions& options) {
  QuietLeptonica();
  const std::string name = path.string();
  std::error_code ec;
  if (fs::is_symlink(path, ec) && !fs::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound, name + ": dangling symbolic link");
  }
  auto bytes = ReadFile(path);
  if (!bytes) return std::unexpected(bytes.error());
  const std::string& b = *bytes;
  if (b.empty()) {
    return MakeError(ErrorCode::kCorruptInput, name + ": empty file (0 bytes)");
  }
  Kind kind = Sniff(b);
  if (kind == Kind::kPdf) {
    return MakeError(ErrorCode::kUnsupported,
                     name + ": is a PDF; Dossier reads PNG, JPEG and TIFF scans");
  }
  if (kind == Kind::kUnknown) {
    return MakeError(ErrorCode::kUnsupported,
                     name + ": not a PNG, JPEG or TIFF image (unrecognised file "
                            "signature)");
  }
  if (!LooksComplete(kind, b)) {
    return MakeError(ErrorCode::kCorruptInput,
                     name + ": truncated image (the file ends before the image "
                            "data does)");
  }
  const auto* data = reinterpret_cast<const l_uint8*>(b.data());
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;
  if (pixReadHeaderMem(data, b.size(), &format, &w, &h, &bps, &spp, &iscmap) !=
          0 ||
      w <= 0 || h <= 0) {
    return MakeError(ErrorCode::kCorruptInput,
                     name + ": cannot read the image header");
  }
  double megapixels = static_cast<double>(w) * h / 1e6;
  if (megapixels > options.max_megapixels) {
    return MakeError(
        ErrorCode::kCorruptInput,
        fmt::format("{}: image of {}x{} pixels ({:.0f} MP) exceeds the limit "
                    "of {:.0f} MP",
                    name, w, h, megapixels, options.max_megapixels));
  }

  std::vector<RawPage> pages;
  auto add_page = [&](PixPtr pix, int index) -> Status {
    if (!pix) {
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("{}: page {} cannot be decoded", name,
                                   index + 1));
    }
    RawPage page;
    page.source_file = name;
    page.source_index = index;
    page.bilevel = pixGetDepth(pix.get()) == 1;
    bool assumed = false;
    page.dpi = PlausibleDpi(pix.get(), pixGetWidth(pix.get()), options, &assumed);
    if (assumed) {
      page.warnings.push_back(
          {"assumed-dpi",
           fmt::format("{} page {}: no resolution recorded; assumed {:.0f} dpi",
                       name, index + 1, page.dpi)});
    }
    page.image = PixToMat(pix.get());
    if (page.image.empty()) {
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("{}: page {} has an unsupported pixel format",
                                   name, index + 1));
    }
    pages.push_back(std::move(page));
    return Ok();
  };

  if (kind == Kind::kTiff) {
    size_t offset = 0;
    int index = 0;
    do {
      size_t before = offset;
      PixPtr pix(pixReadMemFromMultipageTiff(data, b.size(), &offset));
      if (!pix) {
        if (index == 0 || before != 0) {
          return MakeError(ErrorCode::kCorruptInput,
                           fmt::format("{}: TIFF page {} cannot be decoded",
                                       name, index + 1));
        }
        break;
      }
      if (auto s = add_page(std::move(pix), index); !s) {
        return std::unexpected(s.error());
      }
      ++index;
    } while (offset != 0);
  } else {
    PixPtr pix(pixReadMem(data, b.size()));
    if (auto s = add_page(std::move(pix), 0); !s) {
      return std::unexpected(s.error());
    }
  }
  return pages;
}

}  // namespace dossier::capture
