#include "capture/image_file.h"

#include <cmath>
#include <set>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <string_view>

#include "capture/jpeg_decode.h"
#include "capture/leptonica_util.h"
#include "capture/pdf_file.h"
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

namespace {

// Where a classic TIFF's first page directory starts (0 if not a TIFF).
size_t FirstIfdOffset(std::string_view b) {
  if (b.size() < 8) return 0;
  const auto u = [&](int i) { return static_cast<size_t>(static_cast<uint8_t>(b[i])); };
  if (b[0] == 'I') return u(4) | u(5) << 8 | u(6) << 16 | u(7) << 24;
  return u(7) | u(6) << 8 | u(5) << 16 | u(4) << 24;
}

// Decodes the pages of one checked file on demand. Holds the file's bytes
// (compressed) and at most one decoded page at a time.
class ImageFileSource final : public PageSource {
 public:
  ImageFileSource(std::string name, std::string bytes, Kind kind,
                  ImageFileOptions options)
      : name_(std::move(name)), bytes_(std::move(bytes)), kind_(kind),
        options_(options) {}

  Result<std::optional<RawPage>> Next() override {
    if (done_) return std::optional<RawPage>();
    const auto* data = reinterpret_cast<const l_uint8*>(bytes_.data());
    PixPtr pix;
    if (kind_ == Kind::kTiff) {
      size_t before = offset_;
      // The open checked only the first page's size; a later page is
      // checked before it is decoded, or a small first page hides a bomb.
      l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
      if (index_ > 0 &&
          readHeaderMemTiff(data, bytes_.size(), index_, &w, &h, &bps, &spp,
                            &res, &cmap, &format) == 0 &&
          static_cast<double>(w) * h / 1e6 > options_.max_megapixels) {
        done_ = true;
        return MakeError(
            ErrorCode::kCorruptInput,
            fmt::format("{}: TIFF page {} of {}x{} pixels ({:.0f} MP) exceeds "
                        "the limit of {:.0f} MP",
                        name_, index_ + 1, w, h,
                        static_cast<double>(w) * h / 1e6,
                        options_.max_megapixels));
      }
      pix.reset(pixReadMemFromMultipageTiff(data, bytes_.size(), &offset_));
      if (!pix) {
        done_ = true;
        if (index_ == 0 || before != 0) {
          return MakeError(ErrorCode::kCorruptInput,
                           fmt::format("{}: TIFF page {} cannot be decoded", name_,
                                       index_ + 1));
        }
        return std::optional<RawPage>();
      }
      if (offset_ == 0) done_ = true;
      // A page whose "next page" link points back at a page already read
      // would repeat forever (found by fuzzing).
      if (!done_ && !seen_offsets_.insert(offset_).second) {
        done_ = true;
        return MakeError(ErrorCode::kCorruptInput,
                         fmt::format("{}: TIFF page {} links back to an "
                                     "earlier page (a loop)",
                                     name_, index_ + 1));
      }
    } else if (kind_ == Kind::kJpeg) {
      // Damaged entropy-coded data makes libjpeg warn ("Corrupt JPEG data")
      // and fill the rest with grey or black; Leptonica's default drops such
      // a page. It is decoded and flagged instead, so a person looks at it
      // (and --strict refuses it).
      JpegDecoded jpeg = DecodeJpeg(bytes_);
      done_ = true;
      if (!jpeg.pix) {
        return MakeError(ErrorCode::kCorruptInput,
                         fmt::format("{}: page 1 cannot be decoded (libjpeg: {})",
                                     name_, jpeg.error));
      }
      pix = std::move(jpeg.pix);
      corrupt_warnings_ = jpeg.warning_count;
      corrupt_detail_ = fmt::format("{}", fmt::join(jpeg.warnings, "; "));
    } else {
      pix.reset(pixReadMem(data, bytes_.size()));
      done_ = true;
    }
    auto page = ToRawPage(std::move(pix));
    if (page && corrupt_warnings_ > 0) {
      page->warnings.push_back(
          {kCorruptDataWarning,
           fmt::format("{} page {}: the JPEG decoder (libjpeg) reported {} "
                       "warning(s) of corrupt data ({}); the page may be damaged "
                       "(grey or black areas): check it against the paper",
                       name_, index_ + 1, corrupt_warnings_, corrupt_detail_)});
      corrupt_warnings_ = 0;
    }
    if (!page) {
      done_ = true;
      return std::unexpected(page.error());
    }
    ++index_;
    return std::optional<RawPage>(std::move(*page));
  }

  std::string Describe() const override { return name_; }

 private:
  Result<RawPage> ToRawPage(PixPtr pix) const {
    if (!pix) {
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("{}: page {} cannot be decoded", name_, index_ + 1));
    }
    RawPage page;
    page.source_file = name_;
    page.source_index = index_;
    page.bilevel = pixGetDepth(pix.get()) == 1;
    bool assumed = false;
    page.dpi = PlausibleDpi(pix.get(), pixGetWidth(pix.get()), options_, &assumed);
    if (assumed) {
      page.warnings.push_back(
          {"assumed-dpi",
           fmt::format("{} page {}: no resolution recorded; assumed {:.0f} dpi",
                       name_, index_ + 1, page.dpi)});
    }
    page.image = PixToMat(pix.get());
    if (page.image.empty()) {
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("{}: page {} has an unsupported pixel format",
                                   name_, index_ + 1));
    }
    return page;
  }

  std::string name_;
  std::string bytes_;
  Kind kind_;
  ImageFileOptions options_;
  size_t offset_ = 0;
  int index_ = 0;
  bool done_ = false;
  int corrupt_warnings_ = 0;  // decoder warnings of the page being read
  std::string corrupt_detail_;
  std::set<size_t> seen_offsets_ = {FirstIfdOffset(bytes_)};
};

}  // namespace

Result<std::unique_ptr<PageSource>> OpenImageFile(const fs::path& path,
                                                  const ImageFileOptions& options) {
  QuietLeptonica();
  const std::string name =
      options.display_name.empty() ? path.string() : options.display_name;
  std::error_code ec;
  if (fs::is_symlink(path, ec) && !fs::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound, name + ": dangling symbolic link");
  }
  if (auto s = CheckInputFile(path, options); !s) return std::unexpected(s.error());
  auto bytes = ReadFile(path);
  if (!bytes) return std::unexpected(bytes.error());
  const std::string& b = *bytes;
  if (b.empty()) {
    return MakeError(ErrorCode::kCorruptInput, name + ": empty file (0 bytes)");
  }
  Kind kind = Sniff(b);
  if (kind == Kind::kPdf) return OpenPdfBytes(name, std::move(*bytes), options);
  if (kind == Kind::kUnknown) {
    return MakeError(ErrorCode::kUnsupported,
                     name + ": not a PNG, JPEG or TIFF image or a scanned PDF "
                            "(unrecognised file signature)");
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
  if (w < options.min_side_pixels || h < options.min_side_pixels) {
    return MakeError(
        ErrorCode::kCorruptInput,
        fmt::format("{}: image of {}x{} pixels is too small to be a scanned "
                    "page (at least {} pixels on each side)",
                    name, w, h, options.min_side_pixels));
  }
  double megapixels = static_cast<double>(w) * h / 1e6;
  if (megapixels > options.max_megapixels) {
    return MakeError(
        ErrorCode::kCorruptInput,
        fmt::format("{}: image of {}x{} pixels ({:.0f} MP) exceeds the limit "
                    "of {:.0f} MP",
                    name, w, h, megapixels, options.max_megapixels));
  }
  return std::unique_ptr<PageSource>(
      std::make_unique<ImageFileSource>(name, std::move(*bytes), kind, options));
}

Status CheckInputFile(const fs::path& path, const ImageFileOptions& options) {
  auto size = RegularFileSize(path);
  if (!size) return std::unexpected(size.error());
  if (*size > options.max_file_bytes) {
    return MakeError(
        ErrorCode::kCorruptInput,
        fmt::format("{}: file of {:.1f} MB exceeds the limit of {:.0f} MB for an "
                    "input file; refused without reading it",
                    path.string(), static_cast<double>(*size) / (1 << 20),
                    static_cast<double>(options.max_file_bytes) / (1 << 20)));
  }
  return Ok();
}

Result<std::vector<RawPage>> ReadImageFile(const fs::path& path,
                                           const ImageFileOptions& options) {
  auto source = OpenImageFile(path, options);
  if (!source) return std::unexpected(source.error());
  std::vector<RawPage> pages;
  while (true) {
    auto page = (*source)->Next();
    if (!page) return std::unexpected(page.error());
    if (!*page) break;
    pages.push_back(std::move(**page));
  }
  return pages;
}

}  // namespace dossier::capture
