// ISO/IEC 7064 MOD 37,36 is a "hybrid" system (modulus M = 36 for the
// alphabet, M + 1 = 37 prime for the running product):
//
//   P := M
//   for each character value a (0-9 -> 0..9, A-Z -> 10..35):
//     S := (P + a) mod M;  if S == 0 then S := M
//     P := (2 * S) mod (M + 1)
//   check value c := the value with (P + c) mod M == 1, i.e. (M + 1 - P) mod M
//
// A code is valid when running the same loop over payload + check leaves
// S == 1 after the check character, which is what (P + c) mod M == 1 says.
// Because M + 1 is prime and S is never 0, every single substitution changes
// the result; most (not all) adjacent transpositions do (docs/coding-rule.md).
#include "records/coding_rule.h"

#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <vector>

namespace dossier::records {
namespace {

constexpr int kModulus = 36;
constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

std::optional<int> CharValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return std::nullopt;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

Status Invalid(std::string_view code, std::string_view reason) {
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("customer code '{}': {}", code, reason));
}

}  // namespace

char Mod3736CheckChar(std::string_view payload) {
  int p = kModulus;
  bool any = false;
  for (char c : payload) {
    if (c == '-') continue;
    auto a = CharValue(c);
    if (!a) return '\0';
    int s = (p + *a) % kModulus;
    if (s == 0) s = kModulus;
    p = (2 * s) % (kModulus + 1);
    any = true;
  }
  if (!any) return '\0';
  return kAlphabet[(kModulus + 1 - p) % kModulus];
}

std::string FormatCustomerCode(std::string_view prefix, int year,
                               int sequence) {
  std::string payload = fmt::format("{}-{:04d}-{:06d}", prefix, year, sequence);
  char check = Mod3736CheckChar(payload);
  return fmt::format("{}-{}", payload, check);
}

Status ValidateCustomerCode(std::string_view code) {
  constexpr std::string_view kShape = "expected the form KH-YYYY-NNNNNN-C";
  std::string upper(code);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::vector<std::string_view> parts;
  std::string_view rest = upper;
  while (true) {
    size_t dash = rest.find('-');
    parts.push_back(rest.substr(0, dash));
    if (dash == std::string_view::npos) break;
    rest.remove_prefix(dash + 1);
  }
  if (parts.size() != 4) {
    return Invalid(code, fmt::format("has {} parts, {}", parts.size(), kShape));
  }
  if (parts[0] != "KH") {
    return Invalid(code, fmt::format("prefix must be KH, not '{}'", parts[0]));
  }
  if (parts[1].size() != 4 || !AllDigits(parts[1])) {
    return Invalid(code, fmt::format("year '{}' must be 4 digits", parts[1]));
  }
  if (parts[2].size() != 6 || !AllDigits(parts[2])) {
    return Invalid(code,
                   fmt::format("sequence '{}' must be 6 digits", parts[2]));
  }
  if (parts[2] == "000000") {
    return Invalid(code, "sequence 000000 is never issued");
  }
  if (parts[3].size() != 1 || !CharValue(parts[3][0])) {
    return Invalid(code, fmt::format("check character '{}' must be one of "
                                     "0-9 or A-Z",
                                     parts[3]));
  }
  std::string payload = fmt::format("{}{}{}", parts[0], parts[1], parts[2]);
  if (Mod3736CheckChar(payload) != parts[3][0]) {
    return Invalid(code, fmt::format("check character '{}' does not match; "
                                     "the code was probably mistyped",
                                     parts[3]));
  }
  return Ok();
}

Result<std::string> CanonicalCustomerCode(std::string_view code) {
  if (auto s = ValidateCustomerCode(code); !s) return std::unexpected(s.error());
  std::string upper(code);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return upper;
}

}  // namespace dossier::records
