#include "archive/to_unicode.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace dossier::archive {

std::string IdentityToUnicodeCMap(const std::set<char32_t>& codepoints) {
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> "
      "def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::vector<char32_t> cps;
  for (char32_t cp : codepoints) {
    if (cp <= 0xFFFF) cps.push_back(cp);
  }
  for (std::size_t i = 0; i < cps.size(); i += 100) {
    const std::size_t n = std::min<std::size_t>(100, cps.size() - i);
    cmap += std::to_string(n) + " beginbfchar\n";
    for (std::size_t k = i; k < i + n; ++k) {
      cmap += fmt::format("<{0:04X}> <{0:04X}>\n", static_cast<unsigned>(cps[k]));
    }
    cmap += "endbfchar\n";
  }
  cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return cmap;
}

}  // namespace dossier::archive
