// Label sheets: barcode labels for paper originals and locations, as a PDF
// for common A4 label stock or a label printer (one label per page).
//
// Each label carries the barcode (Code 128 or QR, drawn as vector bars from
// ZXing-cpp's encoder so it prints sharp at any resolution), the code in
// readable letters and two lines of text (customer name, document title).
// The archive module knows nothing of the catalog: callers pass plain
// Label values.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dossier::archive {

struct Label {
  std::string barcode;  // what the symbol encodes, e.g. OR00000017K
  std::string caption;  // readable code under the bars (default: barcode)
  std::string line1;    // e.g. customer name (UTF-8, Chinese fine)
  std::string line2;    // e.g. document title
};

// A label stock: a page with columns x rows labels of one size.
struct LabelStock {
  std::string name;
  std::string description;
  double page_width_mm = 210;
  double page_height_mm = 297;
  int columns = 1;
  int rows = 1;
  double label_width_mm = 0;
  double label_height_mm = 0;
  double left_mm = 0;     // page edge to the first label
  double top_mm = 0;
  double column_pitch_mm = 0;  // left edge to left edge
  double row_pitch_mm = 0;     // top edge to top edge
};

// Known stocks: "a4-3x8" (70 x 37 mm, 24 per sheet), "a4-2x7" (99.1 x
// 38.1 mm, 14 per sheet), "single-62x29" and "single-100x50" (label
// printers, one per page).
std::vector<LabelStock> LabelStocks();
// kInvalidArgument listing the known names.
Result<LabelStock> FindLabelStock(std::string_view name);

enum class Symbology { kCode128, kQrCode };

struct LabelSheetOptions {
  LabelStock stock;  // REQUIRES: a stock from LabelStocks() or consistent
  Symbology symbology = Symbology::kCode128;
  int skip = 0;           // labels already used on the first sheet
  bool outlines = false;  // draw thin label outlines (for test prints)
  std::string font_path;  // CJK TrueType/TTC; empty: wqy-microhei
};

// The PDF bytes. kInvalidArgument for no labels, a barcode the symbology
// cannot encode or one too long to fit; kPdf if libharu fails.
Result<std::string> WriteLabelSheet(std::span<const Label> labels,
                                    const LabelSheetOptions& options);

}  // namespace dossier::archive
