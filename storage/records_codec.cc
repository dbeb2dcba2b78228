#include "storage/records_codec.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/json_text.h"

namespace dossier::storage {

using nlohmann::json;

std::string DisplayId(std::int64_t id) { return fmt::format("D{:06d}", id); }

std::optional<std::int64_t> ParsePrefixedId(std::string_view text, char prefix) {
  const char lower = static_cast<char>(prefix - 'A' + 'a');
  if (!text.empty() && (text.front() == prefix || text.front() == lower)) {
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return std::nullopt;
  }
  return id;
}

std::optional<std::int64_t> ParseDocumentId(std::string_view text) {
  return ParsePrefixedId(text, 'D');
}

std::string WordsToJson(const std::vector<OcrWord>& words) {
  json array = json::array();
  for (const OcrWord& w : words) {
    array.push_back(json::array({w.text, w.box.x, w.box.y, w.box.width,
                                 w.box.height, w.baseline, w.confidence, w.line}));
  }
  return DumpJson(array);
}

Result<std::vector<OcrWord>> WordsFromJson(const std::string& text,
                                           std::int64_t page_id) {
  json array = json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto corrupt = [&] {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("catalog: words of page row {} are corrupt", page_id));
  };
  if (!array.is_array()) return corrupt();
  std::vector<OcrWord> words;
  words.reserve(array.size());
  for (const json& item : array) {
    if (!item.is_array() || item.size() != 8 || !item[0].is_string()) return corrupt();
    for (size_t i = 1; i < 8; ++i) {
      if (!item[i].is_number()) return corrupt();
    }
    OcrWord w;
    w.text = item[0].get<std::string>();
    w.box = Box{item[1].get<int>(), item[2].get<int>(), item[3].get<int>(),
                item[4].get<int>()};
    w.baseline = item[5].get<int>();
    w.confidence = item[6].get<float>();
    w.line = item[7].get<int>();
    words.push_back(std::move(w));
  }
  return words;
}

std::string BoxesToJson(const std::vector<Box>& boxes) {
  json a = json::array();
  for (const Box& b : boxes) a.push_back({b.x, b.y, b.width, b.height});
  return DumpJson(a);
}

std::vector<Box> BoxesFromJson(const std::string& text) {
  std::vector<Box> boxes;
  json a = json::parse(text, nullptr, false);
  if (!a.is_array()) return boxes;
  for (const json& b : a) {
    if (b.is_array() && b.size() == 4 && b[0].is_number() && b[1].is_number() &&
        b[2].is_number() && b[3].is_number()) {
      boxes.push_back(Box{b[0].get<int>(), b[1].get<int>(), b[2].get<int>(),
                          b[3].get<int>()});
    }
  }
  return boxes;
}

std::vector<ColumnChange> CustomerChanges(const CustomerUpdate& update,
                                          const Customer& before) {
  std::vector<ColumnChange> out;
  auto add = [&](const char* column, const std::optional<std::string>& value,
                 const std::string& old) {
    if (value && *value != old) out.push_back({column, old, *value});
  };
  add("name", update.name, before.name);
  add("kind", update.kind, before.kind);
  add("uscc", update.uscc, before.uscc);
  add("id_number", update.id_number, before.id_number);
  add("phone", update.phone, before.phone);
  add("email", update.email, before.email);
  add("address", update.address, before.address);
  return out;
}

}  // namespace dossier::storage
