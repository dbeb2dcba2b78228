// Label layout. Code 128 labels stack, top to bottom: line1, line2, the
// bars (at least 0.25 mm per module and 8 mm high, with 10-module quiet
// zones), the caption. QR labels put a square symbol at the left (at least
// 0.5 mm per module, 4-module quiet zone) and the caption and lines at its
// right. Bars are filled rectangles, one per run of dark modules, so the
// PDF stays small and the edges are exact.
#include "archive/labels.h"

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <stdexcept>

#include "archive/report_pdf_doc.h"

namespace dossier::archive {
namespace {

using internal::MmToPt;
using internal::PdfDoc;

constexpr double kPaddingMm = 2.5;
constexpr double kMinModuleMm = 0.25;
constexpr double kMinQrModuleMm = 0.5;
constexpr int kQuietModules1d = 10;
constexpr int kQuietModulesQr = 4;

// Dark modules of the symbol, row-major; 1D codes have one row.
struct Modules {
  int width = 0;
  int height = 0;
  std::vector<bool> dark;
  bool at(int x, int y) const { return dark[y * width + x]; }
};

Result<Modules> Encode(const std::string& text, Symbology symbology) {
  try {
    const auto format = symbology == Symbology::kCode128
                            ? ZXing::BarcodeFormat::Code128
                            : ZXing::BarcodeFormat::QRCode;
    ZXing::MultiFormatWriter writer(format);
    writer.setMargin(0);
    if (symbology == Symbology::kQrCode) writer.setEccLevel(2);  // "M"
    ZXing::BitMatrix matrix = writer.encode(text, 0, 0);
    Modules m;
    m.width = matrix.width();
    m.height = symbology == Symbology::kCode128 ? 1 : matrix.height();
    m.dark.resize(static_cast<size_t>(m.width) * m.height);
    for (int y = 0; y < m.height; ++y) {
      for (int x = 0; x < m.width; ++x) m.dark[y * m.width + x] = matrix.get(x, y);
    }
    if (m.width == 0) throw std::invalid_argument("empty symbol");
    return m;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cannot encode '" + text + "' as a barcode: " + e.what());
  }
}

// Fills one rectangle per horizontal run of dark modules.
void DrawModules(HPDF_Page page, const Modules& m, double x, double top,
                 double module_w, double module_h) {
  for (int y = 0; y < m.height; ++y) {
    int x0 = 0;
    while (x0 < m.width) {
      if (!m.at(x0, y)) {
        ++x0;
        continue;
      }
      int x1 = x0;
      while (x1 < m.width && m.at(x1, y)) ++x1;
      HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(x + x0 * module_w),
                          static_cast<HPDF_REAL>(top - (y + 1) * module_h),
                          static_cast<HPDF_REAL>((x1 - x0) * module_w),
                          static_cast<HPDF_REAL>(module_h));
      x0 = x1;
    }
  }
  HPDF_Page_Fill(page);
}

// Draws one label with its top-left corner at (left, top), in points.
Status DrawLabel(PdfDoc& pdf, HPDF_Page page, const Label& label,
                 const LabelSheetOptions& options, double left, double top) {
  const LabelStock& stock = options.stock;
  const double w = MmToPt(stock.label_width_mm);
  const double h = MmToPt(stock.label_height_mm);
  const double pad = MmToPt(kPaddingMm);
  const std::string caption =
      label.caption.empty() ? label.barcode : label.caption;
  if (options.outlines) {
    HPDF_Page_SetLineWidth(page, 0.3f);
    HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(left),
                        static_cast<HPDF_REAL>(top - h),
                        static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h));
    HPDF_Page_Stroke(page);
  }
  auto modules = Encode(label.barcode, options.symbology);
  if (!modules) return std::unexpected(modules.error());
  // Text sizes follow the label height (37 mm label: 9 pt).
  const double text_size = std::clamp(h / 11.5, 6.0, 11.0);
  if (options.symbology == Symbology::kCode128) {
    const int total = modules->width + 2 * kQuietModules1d;
    const double module_w = (w - 2 * pad) / total;
    if (module_w < MmToPt(kMinModuleMm)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "barcode " + label.barcode + " is too long for " +
                           stock.name + " labels");
    }
    double y = top - pad - text_size;
    pdf.Text(page, left + pad, y, text_size, label.line1, w - 2 * pad);
    y -= text_size * 1.2;
    pdf.Text(page, left + pad, y, text_size * 0.9, label.line2, w - 2 * pad);
    const double caption_size = text_size * 1.1;
    const double bars_top = y - text_size * 0.6;
    const double bars_bottom = top - h + pad + caption_size * 1.3;
    const double bar_h = bars_top - bars_bottom;
    if (bar_h < MmToPt(8)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       stock.name + " labels are too low for Code 128 bars; "
                                    "use QR codes");
    }
    const double bars_left =
        left + pad + kQuietModules1d * module_w +
        (w - 2 * pad - total * module_w) / 2;
    DrawModules(page, *modules, bars_left, bars_top, module_w, bar_h);
    const double cw = pdf.TextWidth(page, caption_size, caption, true);
    pdf.Text(page, left + (w - cw) / 2, top - h + pad, caption_size, caption,
             w - 2 * pad, true);
  } else {
    const int total = modules->width + 2 * kQuietModulesQr;
    const double side = h - 2 * pad;
    const double module = side / total;
    if (module < MmToPt(kMinQrModuleMm)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "QR code of " + label.barcode + " is too dense for " +
                           stock.name + " labels");
    }
    DrawModules(page, *modules, left + pad + kQuietModulesQr * module,
                top - pad - kQuietModulesQr * module, module, module);
    const double tx = left + pad + side + pad / 2;
    const double tw = left + w - pad - tx;
    double y = top - pad - text_size * 1.2;
    pdf.Text(page, tx, y, text_size * 1.1, caption, tw, true);
    y -= text_size * 1.6;
    pdf.Text(page, tx, y, text_size, label.line1, tw);
    y -= text_size * 1.4;
    pdf.Text(page, tx, y, text_size * 0.9, label.line2, tw);
  }
  return pdf.Check(true, "drawing label " + label.barcode);
}

}  // namespace

std::vector<LabelStock> LabelStocks() {
  return {
      {"a4-3x8", "A4 sheet, 3 x 8 labels of 70 x 37 mm", 210, 297, 3, 8, 70,
       37, 0, 0.5, 70, 37},
      {"a4-2x7", "A4 sheet, 2 x 7 labels of 99.1 x 38.1 mm", 210, 297, 2, 7,
       99.1, 38.1, 4.65, 15.15, 101.6, 38.1},
      {"single-62x29", "label printer, one 62 x 29 mm label per page", 62, 29,
       1, 1, 62, 29, 0, 0, 62, 29},
      {"single-100x50", "label printer, one 100 x 50 mm label per page", 100,
       50, 1, 1, 100, 50, 0, 0, 100, 50},
  };
}

Result<LabelStock> FindLabelStock(std::string_view name) {
  std::string known;
  for (const LabelStock& s : LabelStocks()) {
    if (s.name == name) return s;
    known += (known.empty() ? "" : ", ") + s.name;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown label stock '" + std::string(name) +
                       "' (known: " + known + ")");
}

Result<std::string> WriteLabelSheet(std::span<const Label> labels,
                                    const LabelSheetOptions& options) {
  if (labels.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no labels to print");
  }
  const LabelStock& stock = options.stock;
  const int per_page = stock.columns * stock.rows;
  if (per_page <= 0 || stock.label_width_mm <= 0 ||
      stock.label_height_mm <= 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "label stock '" + stock.name + "' has no labels");
  }
  if (options.skip < 0 || options.skip >= per_page) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "skip must be 0.." + std::to_string(per_page - 1));
  }
  auto pdf = PdfDoc::Create(options.font_path, "Dossier labels");
  if (!pdf) return std::unexpected(pdf.error());
  HPDF_Page page = nullptr;
  const double page_h = MmToPt(stock.page_height_mm);
  for (size_t i = 0; i < labels.size(); ++i) {
    const size_t slot = i + static_cast<size_t>(options.skip);
    const int index = static_cast<int>(slot % per_page);
    if (page == nullptr || index == 0) {
      auto p = (*pdf)->AddPage(MmToPt(stock.page_width_mm), page_h);
      if (!p) return std::unexpected(p.error());
      page = *p;
    }
    const int col = index % stock.columns;
    const int row = index / stock.columns;
    const double left = MmToPt(stock.left_mm + col * stock.column_pitch_mm);
    const double top = page_h - MmToPt(stock.top_mm + row * stock.row_pitch_mm);
    if (auto s = DrawLabel(**pdf, page, labels[i], options, left, top); !s) {
      return std::unexpected(s.error());
    }
  }
  return (*pdf)->Save();
}

}  // namespace dossier::archive
