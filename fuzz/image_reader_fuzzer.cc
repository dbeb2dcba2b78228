// Fuzzes capture::ReadImageFile: the file-type sniffing, completeness and
// size checks, and the PNG/JPEG/TIFF decoders behind them. The reader takes
// a path, so each input is written to a per-process file in /dev/shm.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "capture/image_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path =
      "/dev/shm/dossier-fuzz-image-" + std::to_string(::getpid());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data),
              static_cast<std::streamsize>(size));
  }
  dossier::capture::ImageFileOptions options;
  options.max_megapixels = 4.0;  // keep each run small; bombs are refused
  auto pages = dossier::capture::ReadImageFile(path, options);
  if (pages) {
    for (const auto& page : *pages) {
      if (page.image.empty()) __builtin_trap();  // success means pixels
    }
  }
  return 0;
}
