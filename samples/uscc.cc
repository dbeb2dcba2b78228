#include "samples/uscc.h"

#include <array>
#include <stdexcept>

namespace dossier::samples {
namespace {

// GB 32100-2015 leaves out I, O, S, V and Z so codes survive handwriting.
constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int UsccValue(char c) {
  const auto pos = kUsccAlphabet.find(c);
  if (pos == std::string_view::npos) {
    throw std::invalid_argument(std::string("not a USCC character: ") + c);
  }
  return static_cast<int>(pos);
}

// GB 11714 maps A..Z to 10..35 (a plain base-36 digit value).
int OrgValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  throw std::invalid_argument(std::string("not an organisation code character: ") + c);
}

}  // namespace

char OrganizationCodeCheck(std::string_view base) {
  static constexpr std::array<int, 8> kWeights = {3, 7, 9, 10, 5, 8, 4, 2};
  if (base.size() != 8) throw std::invalid_argument("organisation code base needs 8 characters");
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) sum += OrgValue(base[i]) * kWeights[i];
  const int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

char UsccCheck(std::string_view body) {
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  if (body.size() != 17) throw std::invalid_argument("USCC body needs 17 characters");
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += UsccValue(body[i]) * kWeights[i];
  const int check = (31 - sum % 31) % 31;
  return kUsccAlphabet[check];
}

std::string MakeUscc(std::string_view prefix, std::string_view division,
                     std::string_view org_base) {
  std::string code;
  code.append(prefix).append(division).append(org_base);
  code.push_back(OrganizationCodeCheck(org_base));
  code.push_back(UsccCheck(code));
  return code;
}

}  // namespace dossier::samples
