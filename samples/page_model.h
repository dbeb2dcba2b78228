// Data model of a sample page: what is printed, in reading order, and how the
// simulated scan should degrade it. The content lives in sample_pages.cc as
// plain data; page_renderer.cc lays it out and records the ground truth.
#ifndef DOSSIER_SAMPLES_PAGE_MODEL_H_
#define DOSSIER_SAMPLES_PAGE_MODEL_H_

#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace dossier::samples {

enum class Align { kLeft, kCenter, kRight };

// One printed line that is never wrapped (titles, "key: value" lines).
struct Line {
  std::string text;
  int font_px = 48;
  Align align = Align::kLeft;
  int indent_px = 0;
};

// Running text, wrapped greedily at the text width. Each resulting printed
// line becomes one ground-truth line. `hanging_px` indents continuation lines
// (numbered list items); `first_indent_px` indents the first one (Chinese
// paragraphs start two characters in).
struct Paragraph {
  std::string text;
  int font_px = 48;
  int first_indent_px = 0;
  int hanging_px = 0;
};

// Several texts on one printed line at fixed horizontal positions (signature
// blocks, "contact / phone" lines). Ground truth joins them with one space.
// A cell with rule_px > 0 is followed by a drawn underline of that length
// for a handwritten signature; the rule is not text.
struct Cell {
  std::string text;
  int x_px = 0;  // from the left margin
  int rule_px = 0;
};
struct Columns {
  std::vector<Cell> cells;
  int font_px = 48;
};

// A ruled form: every row is label cell(s) and value cell(s). Ground truth is
// one line per row with the cells joined by one space.
struct FormTable {
  std::vector<std::vector<std::string>> rows{};
  std::vector<double> column_fractions;  // of the text width; sums to 1
  int font_px = 48;
  int row_height_px = 118;
  int cell_padding_px = 40;
  // Heavy frame and column rules, hairline row rules, as many printed forms
  // have. Bare Tesseract (5.3) drops most rows of a grid ruled heavily in
  // both directions (CER 0.47 vs 0.08 on this form), and the sample pages
  // must stay readable for the baseline.
  int frame_px = 3;
  int row_rule_px = 1;
};

// A red round company seal (公章). It is ink on the page, not text, so it adds
// nothing to the ground truth. Placed relative to the top of the next block.
struct Seal {
  std::string company;
  std::string bottom_text;  // horizontal text under the star, may be empty
  int center_dx_px = 0;     // from the left margin
  int center_dy_px = 0;     // from the current cursor
  int diameter_px = 480;
};

// Text set in vertical columns (竖排): characters top to bottom, columns
// from the right margin leftwards, each column at most height_px tall.
// Ground truth: one line per column, right to left. Takes the block's
// full height below the cursor.
struct VerticalText {
  std::string text;
  int font_px = 48;
  int height_px = 1600;
  double column_pitch = 1.8;  // distance of column centres / font size
};

// Vertical whitespace.
struct Gap {
  int px = 0;
};

// A line pinned to the bottom margin (page numbers). Ground truth: last.
struct Footer {
  std::string text;
  int font_px = 40;
};

using Block =
    std::variant<Line, Paragraph, Columns, FormTable, Seal, Gap, Footer, VerticalText>;

struct PageSpec {
  std::string name;      // file stem, e.g. "zh-contract-1"
  std::string language;  // chi_sim | eng | mixed
  std::string kind;      // contract | form | agreement
  std::string notes;     // free text for manifest.tsv
  bool color = false;    // keep BGR (pages with a seal) or write 8-bit grey
  int rotation = 0;      // 0 or 180: how the page lies on the scanner
  double line_spacing = 1.75;  // baseline distance / font size
  std::vector<Block> blocks{};
  nlohmann::json fields = nlohmann::json::object();  // extraction ground truth
};

// All pages the generator writes, in manifest order.
std::vector<PageSpec> SamplePages();

}  // namespace dossier::samples

#endif  // DOSSIER_SAMPLES_PAGE_MODEL_H_
