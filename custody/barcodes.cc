#include "custody/barcodes.h"

#include <fmt/format.h>

#include <cctype>

#include "records/coding_rule.h"

namespace dossier::custody {
namespace {

constexpr std::string_view kOriginalPrefix = "OR";
constexpr std::string_view kLocationPrefix = "LC";

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

bool CheckedCode(std::string_view barcode, std::string_view prefix,
                 size_t digits) {
  if (barcode.size() != prefix.size() + digits + 1) return false;
  if (barcode.substr(0, prefix.size()) != prefix) return false;
  for (size_t i = prefix.size(); i < prefix.size() + digits; ++i) {
    if (barcode[i] < '0' || barcode[i] > '9') return false;
  }
  return records::Mod3736CheckChar(barcode.substr(0, barcode.size() - 1)) ==
         barcode.back();
}

}  // namespace

std::string OriginalBarcode(std::int64_t id) {
  std::string payload = fmt::format("{}{:08d}", kOriginalPrefix, id);
  return payload + records::Mod3736CheckChar(payload);
}

std::string LocationBarcode(std::int64_t id) {
  std::string payload = fmt::format("{}{:06d}", kLocationPrefix, id);
  return payload + records::Mod3736CheckChar(payload);
}

std::string NormalizeScan(std::string_view input) {
  size_t b = 0;
  size_t e = input.size();
  while (b < e && std::isspace(static_cast<unsigned char>(input[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(input[e - 1]))) --e;
  return Upper(input.substr(b, e - b));
}

bool IsOriginalBarcode(std::string_view barcode) {
  return CheckedCode(barcode, kOriginalPrefix, 8);
}

bool IsLocationBarcode(std::string_view barcode) {
  return CheckedCode(barcode, kLocationPrefix, 6);
}

}  // namespace dossier::custody
