// Check characters of Chinese organisation identifiers, so that sample pages
// carry codes a validating field extractor accepts.
#ifndef DOSSIER_SAMPLES_USCC_H_
#define DOSSIER_SAMPLES_USCC_H_

#include <string>
#include <string_view>

namespace dossier::samples {

// Returns the GB 11714-1997 organisation code check character for the first
// eight characters of `base` (digits or upper-case letters).
// REQUIRES: base.size() == 8.
char OrganizationCodeCheck(std::string_view base);

// Returns the GB 32100-2015 check character of a unified social credit code
// for its first 17 characters.
// REQUIRES: body.size() == 17, every character in the 31-character alphabet.
char UsccCheck(std::string_view body);

// Builds a full 18-character unified social credit code from the registration
// prefix (e.g. "91"), a 6-digit division code and an 8-character organisation
// code base; both check characters are computed.
std::string MakeUscc(std::string_view prefix, std::string_view division,
                     std::string_view org_base);

}  // namespace dossier::samples

#endif  // DOSSIER_SAMPLES_USCC_H_
