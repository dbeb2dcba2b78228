// Seeds an archive for `make bench-server`: copies of the documents already
// ingested in it (their OCR pages, words and stored PDFs) until it holds
// TOTAL documents, spread over a few customers, so search, previews and
// document pages are measured at archive size without OCRing every copy.
//
//   server_seed ARCHIVE TOTAL
#include <fmt/format.h>

#include <cstdlib>

#include "storage/archive.h"
#include "storage/catalog.h"

using namespace dossier;

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: server_seed ARCHIVE TOTAL\n");
    return 2;
  }
  auto archive = storage::Archive::Open(argv[1]);
  if (!archive) {
    fmt::print(stderr, "server_seed: {}\n", archive.error().message);
    return 1;
  }
  auto& catalog = (*archive)->catalog();
  const int total = std::atoi(argv[2]);
  std::vector<storage::DocumentRecord> seeds;
  for (int id = 1; id <= 50; ++id) {
    auto d = catalog.GetDocument(fmt::format("D{:06}", id));
    if (d) seeds.push_back(*d);
  }
  if (seeds.empty()) {
    fmt::print(stderr, "server_seed: ingest some documents first\n");
    return 1;
  }
  std::vector<std::vector<storage::PageRecord>> pages;
  for (const auto& s : seeds) {
    auto p = catalog.GetPages(s.id, /*with_words=*/true);
    if (!p) {
      fmt::print(stderr, "server_seed: {}\n", p.error().message);
      return 1;
    }
    pages.push_back(*p);
  }
  int have = static_cast<int>(seeds.size());
  for (int i = 0; have < total; ++i, ++have) {
    const auto& s = seeds[i % seeds.size()];
    storage::NewDocument doc;
    doc.customer_code = s.customer_code;
    doc.type = s.type;
    doc.title = fmt::format("{} 副本 {}", s.title, i + 1);
    doc.source_key = fmt::format("bench-copy-{}", i);
    doc.pdf_sha256 = s.pdf_sha256;
    doc.pdf_size = s.pdf_size;
    doc.created_by = "bench";
    doc.pages = pages[i % seeds.size()];
    if (auto r = catalog.AddDocument(doc); !r) {
      fmt::print(stderr, "server_seed: {}\n", r.error().message);
      return 1;
    }
  }
  fmt::print("server_seed: {} documents\n", have);
  return 0;
}
