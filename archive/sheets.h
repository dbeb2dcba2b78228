// Lists the archive room prints, files and signs: the document index of a
// customer file (卷内目录), a box contents sheet, the overdue-loan list.
// One layout serves them all: a bilingual title (Chinese first, English
// second), a block of facts, a table that continues on further pages with
// its header repeated, and signature lines. Plain data in, PDF bytes out;
// the archive module knows nothing of the catalog, and every time is
// formatted (in the archive's zone) by the caller.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace dossier::archive {

struct SheetColumn {
  std::string heading;  // "题名 Title"
  double width_mm = 20;
  bool mono = false;   // codes and numbers
  bool right = false;  // right-aligned (numbers)
};

struct TableSheetData {
  std::string title;     // "卷内目录"
  std::string subtitle;  // "Document index", printed after the title
  std::string id;        // the sheet's subject in the footer: KH-2026-000001-0
  std::vector<std::pair<std::string, std::string>> facts;  // label, value
  std::vector<SheetColumn> columns;
  std::vector<std::vector<std::string>> rows;  // one cell per column
  std::string empty_text;  // printed instead of rows when there are none
  // Signature lines at the end: "盘点人 Auditor", "日期 Date", ...
  std::vector<std::string> signatures;
  std::string printed_at;  // local time, in the footer
  bool landscape = false;  // A4 landscape instead of portrait
  std::string font_path;   // CJK TrueType/TTC; empty: wqy-microhei
};

// kInvalidArgument when a row has more cells than there are columns; kPdf
// if libharu fails.
Result<std::string> WriteTableSheetPdf(const TableSheetData& sheet);

}  // namespace dossier::archive
