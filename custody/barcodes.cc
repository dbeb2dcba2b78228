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

std::string LoanId(std::int64_t id) { return fmt::format("L{:06d}", id); }
std::string AuditId(std::int64_t id) { return fmt::format("AU{:06d}", id); }

std::optional<std::int64_t> ParseDisplayId(std::string_view text,
                                           std::string_view prefix) {
  std::string s = NormalizeScan(text);
  if (s.starts_with(prefix)) s.erase(0, prefix.size());
  if (s.empty() || s.size() > 12) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return std::nullopt;
  return v;
}

}  // namespace dossier::custody
