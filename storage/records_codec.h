// What both catalog backends share in how they write records: the small
// encodings (document ids "D000012", a page's OCR words and a field's boxes
// as JSON), so an archive copied from one backend to the other reads the
// same, and which columns a customer update changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/types.h"
#include "storage/records_store.h"

namespace dossier::storage {

// "D000012".
std::string DisplayId(std::int64_t id);
// "D000012", "d12" and "12" all name document 12; nullopt otherwise.
std::optional<std::int64_t> ParseDocumentId(std::string_view text);
// The same for any record whose ids are one upper-case letter and digits
// (W000003 for work item 3).
std::optional<std::int64_t> ParsePrefixedId(std::string_view text, char prefix);

// A page's words as one JSON array, each word a fixed-position array
// [text, x, y, width, height, baseline, confidence, line]: much smaller
// than objects with keys, and one row instead of hundreds.
std::string WordsToJson(const std::vector<OcrWord>& words);
// kCatalog naming the page row when the JSON is not what WordsToJson
// writes.
Result<std::vector<OcrWord>> WordsFromJson(const std::string& text,
                                           std::int64_t page_id);

// Boxes as [[x, y, width, height], ...]; entries that are not four numbers
// are skipped, and text that is not an array gives none.
std::string BoxesToJson(const std::vector<Box>& boxes);
std::vector<Box> BoxesFromJson(const std::string& text);

// One column a change writes, with its history's old and new value.
struct ColumnChange {
  const char* column;
  std::string old_value;
  std::string new_value;
};
// The customer columns `update` changes: given and different from
// `before`, in a fixed order (name, kind, uscc, id_number, phone, email,
// address).
std::vector<ColumnChange> CustomerChanges(const CustomerUpdate& update,
                                          const Customer& before);

}  // namespace dossier::storage
