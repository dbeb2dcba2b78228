// Fuzzes capture::ParseCoverPayload (the QR payload of a cover sheet), and
// checks the round trip: whatever parses formats back and parses the same.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "capture/cover_sheet.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto sheet = dossier::capture::ParseCoverPayload(payload);
  if (!sheet) return 0;
  auto again = dossier::capture::FormatCoverPayload(*sheet);
  if (!again) __builtin_trap();
  auto back = dossier::capture::ParseCoverPayload(*again);
  if (!back || back->customer_code != sheet->customer_code ||
      back->type != sheet->type || back->title != sheet->title) {
    __builtin_trap();
  }
  return 0;
}
