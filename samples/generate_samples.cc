// dossier-samples: writes scanned-looking sample pages with exact ground truth
// (text, extraction fields, skew) for the OCR, capture and end-to-end tests.
//
//   dossier-samples --out DIR [--seed N] [--font FILE] [--preview DIR]
//
// Output per page: <name>.png, <name>.txt (one line per printed line),
// <name>.json (scan parameters and fields); plus manifest.tsv. See README.md.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <zlib.h>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "samples/page_model.h"
#include "samples/page_renderer.h"
#include "samples/scan_effects.h"

namespace fs = std::filesystem;

namespace dossier::samples {
namespace {

// Each page's random stream depends on the seed and the page name only, so
// adding a page does not change the pixels of the others.
uint64_t PageSeed(uint64_t seed, const std::string& name) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
  return (h ^ (seed * 0x9E3779B97F4A7C15ULL)) | 1;  // cv::RNG treats 0 specially
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
}

// Appends a big-endian 32-bit value.
void PutU32(std::vector<uchar>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uchar>(v >> shift));
}

// Writes a PNG that records its resolution (a pHYs chunk right after IHDR),
// as a scanner does; OpenCV's encoder writes none.
void WriteImage(const fs::path& path, const cv::Mat& image, int dpi) {
  std::vector<uchar> png;
  if (!cv::imencode(".png", image, png, {cv::IMWRITE_PNG_COMPRESSION, 3})) {
    throw std::runtime_error(fmt::format("cannot encode {}", path.string()));
  }
  const uint32_t pixels_per_metre = static_cast<uint32_t>(dpi / 0.0254 + 0.5);
  std::vector<uchar> chunk;
  PutU32(chunk, 9);
  const size_t type_at = chunk.size();
  for (char c : std::string("pHYs")) chunk.push_back(static_cast<uchar>(c));
  PutU32(chunk, pixels_per_metre);
  PutU32(chunk, pixels_per_metre);
  chunk.push_back(1);  // unit: metre
  PutU32(chunk, static_cast<uint32_t>(
                    crc32(0, chunk.data() + type_at, static_cast<uInt>(chunk.size() - type_at))));
  // 8-byte signature + IHDR chunk (4 length + 4 type + 13 data + 4 CRC).
  constexpr size_t kAfterIhdr = 8 + 25;
  png.insert(png.begin() + kAfterIhdr, chunk.begin(), chunk.end());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  out.close();
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
}

int Run(const fs::path& out_dir, uint64_t seed, const std::string& font_path,
        const std::string& preview_dir) {
  fs::create_directories(out_dir);
  if (!preview_dir.empty()) fs::create_directories(preview_dir);
  const PageRenderer renderer(font_path);
  std::string manifest = "file\tground_truth_file\tlanguage\tkind\tnotes\n";

  for (const PageSpec& spec : SamplePages()) {
    const auto start = std::chrono::steady_clock::now();
    cv::RNG rng(PageSeed(seed, spec.name));
    const RenderedPage clean = renderer.Render(spec, rng);
    const ScanParams params = RandomScanParams(rng, spec.color, spec.rotation);
    const cv::Mat scan = SimulateScan(clean.image, params, rng);

    const std::string png = spec.name + ".png";
    const std::string txt = spec.name + ".txt";
    WriteImage(out_dir / png, scan, kDpi);
    std::string text;
    for (const std::string& line : clean.lines) text += line + "\n";
    WriteText(out_dir / txt, text);

    const nlohmann::json meta = {
        {"image", png},
        {"skew_degrees", params.skew_degrees},
        {"rotation", params.rotation},
        {"dpi", kDpi},
        {"width", scan.cols},
        {"height", scan.rows},
        {"color", spec.color},
        {"language", spec.language},
        {"kind", spec.kind},
        {"seed", seed},
        {"blur_sigma", params.blur_sigma},
        {"noise_sigma", params.noise_sigma},
        {"fields", spec.fields},
    };
    WriteText(out_dir / (spec.name + ".json"), meta.dump(2) + "\n");
    manifest += fmt::format("{}\t{}\t{}\t{}\t{}\n", png, txt, spec.language, spec.kind,
                            spec.notes);

    if (!preview_dir.empty()) {
      cv::Mat small;
      cv::resize(scan, small, cv::Size(), 800.0 / scan.cols, 800.0 / scan.cols,
                 cv::INTER_AREA);
      WriteImage(fs::path(preview_dir) / png, small, kDpi * 800 / scan.cols);
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    std::cout << fmt::format("{}  skew {:+.2f} deg  rotation {}  {} lines  {} ms\n", png,
                             params.skew_degrees, params.rotation, clean.lines.size(),
                             ms.count());
  }
  WriteText(out_dir / "manifest.tsv", manifest);
  return 0;
}

}  // namespace
}  // namespace dossier::samples

int main(int argc, char** argv) {
  CLI::App app{"Writes scanned-looking sample pages with ground truth"};
  std::string out_dir;
  uint64_t seed = 7;
  std::string font = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
  std::string preview_dir;
  app.add_option("--out", out_dir, "output directory")->required();
  app.add_option("--seed", seed, "random seed (skew, noise, paper)");
  app.add_option("--font", font, "CJK+Latin font file")->check(CLI::ExistingFile);
  app.add_option("--preview", preview_dir, "also write 800 px wide previews here");
  CLI11_PARSE(app, argc, argv);
  try {
    return dossier::samples::Run(out_dir, seed, font, preview_dir);
  } catch (const std::exception& e) {
    std::cerr << "dossier-samples: " << e.what() << "\n";
    return 1;
  }
}
