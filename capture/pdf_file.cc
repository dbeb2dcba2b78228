#include "capture/pdf_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <exception>
#include <mutex>
#include <optional>
#include <opencv2/imgproc.hpp>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <string_view>
#include <vector>

namespace dossier::capture {
namespace {

// Poppler prints syntax errors on stderr; a damaged scan is reported by
// our own checks instead, naming the file.
void QuietPoppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
  });
}

// The scanned image a page draws: the largest (in pixels) of its images.
struct PageImage {
  int width = 0;
  int height = 0;
  int bits = 8;         // bits per component; 1 for an image mask
  int components = 3;   // 1 grey, 3 RGB, 4 CMYK
};

int ComponentsOf(QPDFObjectHandle cs) {
  if (cs.isArray() && cs.getArrayNItems() > 0) {
    QPDFObjectHandle family = cs.getArrayItem(0);
    if (family.isNameAndEquals("/ICCBased") && cs.getArrayNItems() > 1) {
      QPDFObjectHandle stream = cs.getArrayItem(1);
      if (stream.isStream()) {
        QPDFObjectHandle n = stream.getDict().getKey("/N");
        if (n.isInteger()) return static_cast<int>(n.getIntValue());
      }
      return 3;
    }
    if (family.isNameAndEquals("/CalGray")) return 1;
    if (family.isNameAndEquals("/Indexed") && cs.getArrayNItems() > 1) {
      // A palette of greys is still colour data to poppler; treat the base.
      return ComponentsOf(cs.getArrayItem(1)) == 1 ? 1 : 3;
    }
    return 3;
  }
  if (cs.isNameAndEquals("/DeviceGray") || cs.isNameAndEquals("/G")) return 1;
  if (cs.isNameAndEquals("/DeviceCMYK")) return 4;
  return 3;
}

std::optional<PageImage> LargestImage(QPDFPageObjectHelper& page) {
  std::optional<PageImage> best;
  page.forEachImage(true, [&](QPDFObjectHandle& image, QPDFObjectHandle&,
                              const std::string&) {
    QPDFObjectHandle dict = image.getDict();
    QPDFObjectHandle w = dict.getKey("/Width");
    QPDFObjectHandle h = dict.getKey("/Height");
    if (!w.isInteger() || !h.isInteger()) return;
    PageImage found;
    found.width = static_cast<int>(std::clamp<long long>(w.getIntValue(), 0, 1 << 20));
    found.height = static_cast<int>(std::clamp<long long>(h.getIntValue(), 0, 1 << 20));
    QPDFObjectHandle mask = dict.getKey("/ImageMask");
    QPDFObjectHandle bpc = dict.getKey("/BitsPerComponent");
    if (mask.isBool() && mask.getBoolValue()) {
      found.bits = 1;
      found.components = 1;
    } else {
      found.bits = bpc.isInteger() ? static_cast<int>(bpc.getIntValue()) : 8;
      found.components = ComponentsOf(dict.getKey("/ColorSpace"));
    }
    // JBIG2 and CCITT images are 1-bit whatever else the dictionary says.
    QPDFObjectHandle filter = dict.getKey("/Filter");
    auto is_bilevel_filter = [](QPDFObjectHandle f) {
      return f.isNameAndEquals("/JBIG2Decode") || f.isNameAndEquals("/CCITTFaxDecode");
    };
    if (is_bilevel_filter(filter) ||
        (filter.isArray() && filter.getArrayNItems() > 0 &&
         is_bilevel_filter(filter.getArrayItem(filter.getArrayNItems() - 1)))) {
      found.bits = 1;
      found.components = 1;
    }
    if (!best || static_cast<double>(found.width) * found.height >
                     static_cast<double>(best->width) * best->height) {
      best = found;
    }
  });
  return best;
}

struct PlannedPage {
  PageImage image;
  double dpi = 0;
};

class PdfSource final : public PageSource {
 public:
  PdfSource(std::string name, std::unique_ptr<std::string> bytes,
            ImageFileOptions options,
            std::unique_ptr<poppler::document> doc, std::vector<PlannedPage> plan,
            bool text_layer)
      : name_(std::move(name)), bytes_(std::move(bytes)), options_(options),
        doc_(std::move(doc)), plan_(std::move(plan)), text_layer_(text_layer) {}

  Result<std::optional<RawPage>> Next() override {
    if (index_ >= static_cast<int>(plan_.size())) return std::optional<RawPage>();
    const int i = index_;
    const PlannedPage& planned = plan_[i];
    std::unique_ptr<poppler::page> page(doc_->create_page(i));
    if (!page) {
      index_ = static_cast<int>(plan_.size());
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("{}: PDF page {} cannot be read", name_, i + 1));
    }
    const bool bilevel = planned.image.bits == 1;
    const bool grey = bilevel || planned.image.components == 1;
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, !bilevel);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, !bilevel);
    renderer.set_image_format(grey ? poppler::image::format_gray8
                                   : poppler::image::format_bgr24);
    // A hair under the image's own resolution: at exactly that resolution
    // Splash sizes the image one pixel larger than the page and scales it
    // back down, blurring every edge; just under it, the page's pixels are
    // the image's (the page size still rounds to the image's pixel count).
    const double render_dpi = planned.dpi * (1.0 - 1e-5);
    poppler::image rendered = renderer.render_page(page.get(), render_dpi, render_dpi);
    if (!rendered.is_valid() || rendered.width() < options_.min_side_pixels ||
        rendered.height() < options_.min_side_pixels) {
      index_ = static_cast<int>(plan_.size());
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("{}: PDF page {} cannot be rendered", name_, i + 1));
    }
    const int type = grey ? CV_8UC1 : CV_8UC3;
    cv::Mat view(rendered.height(), rendered.width(), type,
                 const_cast<char*>(rendered.const_data()),
                 static_cast<size_t>(rendered.bytes_per_row()));
    RawPage raw;
    raw.image = view.clone();
    if (bilevel) {
      cv::threshold(raw.image, raw.image, 127, 255, cv::THRESH_BINARY);
    }
    raw.bilevel = bilevel;
    raw.dpi = planned.dpi;
    raw.source_file = name_;
    raw.source_index = i;
    if (i == 0 && text_layer_) {
      raw.warnings.push_back(
          {kPdfTextLayerWarning,
           fmt::format("{}: the PDF already has a text layer; it is not used: "
                       "the pages are OCR'd again, and the original file is "
                       "kept as received",
                       name_)});
    }
    ++index_;
    return std::optional<RawPage>(std::move(raw));
  }

  std::string Describe() const override { return name_; }

 private:
  std::string name_;
  // poppler reads from these bytes: they stay put and outlive doc_.
  std::unique_ptr<std::string> bytes_;
  ImageFileOptions options_;
  std::unique_ptr<poppler::document> doc_;
  std::vector<PlannedPage> plan_;
  bool text_layer_ = false;
  int index_ = 0;
};

bool HasEofMarker(std::string_view b) {
  size_t from = b.size() > 2048 ? b.size() - 2048 : 0;
  return b.find("%%EOF", from) != std::string_view::npos;
}

}  // namespace

bool LooksLikePdf(std::string_view bytes) { return bytes.starts_with("%PDF"); }

Result<std::unique_ptr<PageSource>> OpenPdfBytes(std::string name,
                                                 std::string input,
                                                 const ImageFileOptions& options) {
  QuietPoppler();
  auto owned = std::make_unique<std::string>(std::move(input));
  const std::string& bytes = *owned;
  if (!HasEofMarker(bytes)) {
    return MakeError(ErrorCode::kCorruptInput,
                     name + ": truncated PDF (no %%EOF at its end)");
  }
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
      bytes.data(), static_cast<int>(std::min<size_t>(bytes.size(), INT_MAX))));
  if (!doc) {
    return MakeError(ErrorCode::kCorruptInput,
                     name + ": damaged PDF (poppler cannot read its structure)");
  }
  if (doc->is_locked()) {
    return MakeError(ErrorCode::kUnsupported,
                     name + ": the PDF is protected by a password; Dossier takes "
                            "unencrypted scans only");
  }
  if (doc->is_encrypted()) {
    return MakeError(ErrorCode::kUnsupported,
                     name + ": the PDF is encrypted (restrictions set by its "
                            "owner); Dossier takes unencrypted scans only, "
                            "decrypt it first (qpdf --decrypt IN OUT)");
  }
  const int pages = doc->pages();
  if (pages <= 0) {
    return MakeError(ErrorCode::kCorruptInput, name + ": the PDF has no pages");
  }
  if (pages > options.max_pdf_pages) {
    return MakeError(ErrorCode::kCorruptInput,
                     fmt::format("{}: PDF of {} pages exceeds the limit of {} "
                                 "pages for one input",
                                 name, pages, options.max_pdf_pages));
  }
  // The structure, with qpdf: which image each page draws.
  std::vector<PlannedPage> plan;
  try {
    QPDF qpdf;
    qpdf.setSuppressWarnings(true);
    qpdf.processMemoryFile(name.c_str(), bytes.data(), bytes.size());
    QPDFPageDocumentHelper helper(qpdf);
    std::vector<QPDFPageObjectHelper> qpages = helper.getAllPages();
    if (static_cast<int>(qpages.size()) != pages) {
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("{}: damaged PDF (its page tree lists {} "
                                   "pages, its structure {})",
                                   name, qpages.size(), pages));
    }
    for (int i = 0; i < pages; ++i) {
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      if (!page) {
        return MakeError(ErrorCode::kCorruptInput,
                         fmt::format("{}: PDF page {} cannot be read", name, i + 1));
      }
      poppler::rectf box = page->page_rect(poppler::crop_box);
      const double long_points = std::max(std::abs(box.width()), std::abs(box.height()));
      auto image = LargestImage(qpages[i]);
      if (!image || image->width <= 0 || image->height <= 0) {
        return MakeError(ErrorCode::kUnsupported,
                         fmt::format("{}: PDF page {} has no scanned image (a "
                                     "PDF made on a computer, not a scan); "
                                     "Dossier takes scanned PDFs only",
                                     name, i + 1));
      }
      if (long_points < 1) {
        return MakeError(ErrorCode::kCorruptInput,
                         fmt::format("{}: PDF page {} has no size", name, i + 1));
      }
      // Exact, not rounded: rounding would resample the scan.
      const double dpi =
          std::max(image->width, image->height) / (long_points / 72.0);
      if (dpi < 50) {
        return MakeError(
            ErrorCode::kUnsupported,
            fmt::format("{}: PDF page {} is not a scan: its largest image "
                        "({}x{} pixels) would be {:.0f} dpi over the page; "
                        "Dossier takes scanned PDFs only",
                        name, i + 1, image->width, image->height, dpi));
      }
      if (dpi > 2400) {
        return MakeError(ErrorCode::kCorruptInput,
                         fmt::format("{}: PDF page {} draws an image of {}x{} "
                                     "pixels, {:.0f} dpi over the page, more than "
                                     "2400 dpi",
                                     name, i + 1, image->width, image->height, dpi));
      }
      const double megapixels =
          (std::abs(box.width()) / 72.0 * dpi) * (std::abs(box.height()) / 72.0 * dpi) / 1e6;
      if (megapixels > options.max_megapixels) {
        return MakeError(ErrorCode::kCorruptInput,
                         fmt::format("{}: PDF page {} at {:.0f} dpi would be "
                                     "{:.0f} MP, over the limit of {:.0f} MP",
                                     name, i + 1, dpi, megapixels,
                                     options.max_megapixels));
      }
      const double render_dpi = dpi;
      plan.push_back({*image, render_dpi});
    }
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kCorruptInput,
                     fmt::format("{}: damaged PDF (qpdf: {})", name, e.what()));
  }
  bool text_layer = false;
  for (int i = 0; i < pages && !text_layer; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    poppler::byte_array utf8 = page->text().to_utf8();
    text_layer = std::any_of(utf8.begin(), utf8.end(), [](char c) {
      return !std::isspace(static_cast<unsigned char>(c));
    });
  }
  return std::unique_ptr<PageSource>(std::make_unique<PdfSource>(
      std::move(name), std::move(owned), options, std::move(doc), std::move(plan),
      text_layer));
}

}  // namespace dossier::capture
