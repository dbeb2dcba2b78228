// Fuzzes a page's whole journey as an ingest runs it: the input file is
// checked and decoded (capture::OpenImageFile, PNG/JPEG/TIFF/PDF), each page is
// cleaned, oriented, deskewed and encoded (pipeline::ProcessPage with the
// null OCR engine), and the pages are written as a searchable PDF/A
// (archive::WriteSearchablePdf) and checked (archive::CheckPdfA). Every
// stage must return a value or an error; a crash, an abort, an exception
// escaping, or success without pixels or PDF bytes is a finding.
//
// The same entry point runs under libFuzzer (clang, -DDOSSIER_FUZZ=ON:
// fuzz_page_path) and, with gcc, in `make test` through
// fuzz/replay_main.cc (the seed corpus and fixed-seed mutations of it).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "archive/pdf_writer.h"
#include "capture/image_file.h"
#include "ocr/engine.h"
#include "pipeline/page_processor.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dossier;
  static const std::string path =
      "/dev/shm/dossier-fuzz-page-" + std::to_string(::getpid());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data),
              static_cast<std::streamsize>(size));
  }
  static const auto engine = ocr::MakeNullEngine();
  capture::ImageFileOptions read;
  read.max_megapixels = 1.0;  // keep each run small; bombs are refused
  auto source = capture::OpenImageFile(path, read);
  if (!source) return 0;
  std::vector<archive::ArchivePage> pages;
  for (int i = 0; i < 4; ++i) {  // at most four pages of a multi-page TIFF
    auto raw = (*source)->Next();
    if (!raw || !*raw) break;
    if ((*raw)->image.empty()) __builtin_trap();  // success means pixels
    auto page = pipeline::ProcessPage(*engine, **raw, {}, {});
    if (!page) continue;  // an error on this page: what ingest reports
    pages.push_back({std::move(page->image), std::move(page->ocr)});
  }
  if (pages.empty()) return 0;
  archive::DocumentInfo info;
  info.title = "fuzz";
  info.creator = "fuzzer";
  info.customer_code = "KH-2026-000001-0";
  info.document_type = "other";
  info.scan_date = "2026-01-01T00:00:00Z";
  auto pdf = archive::WriteSearchablePdf(pages, info);
  if (pdf) {
    if (pdf->empty()) __builtin_trap();
    (void)archive::CheckPdfA(*pdf);
  }
  return 0;
}
