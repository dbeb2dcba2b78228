// bench_originals: paper-original custody at archive scale.
//
// Generates an archive of 100,000 originals in 2,000 boxes (one room, 20
// cabinets x 5 shelves x 20 boxes, 50 originals a box), then measures audit
// reconciliation for one cabinet and for the whole archive, `where`
// latency, and label PDF generation. Prints a table. Targets: whole-archive
// reconciliation < 1 s, where < 5 ms.
//
//   bench_originals [--originals N] [--dir DIR] [--keep]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "archive/labels.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/custody.h"
#include "storage/sqlite/bench/bulk_documents.h"

namespace {

using SteadyClock = std::chrono::steady_clock;
using dossier::storage::Catalog;
using dossier::storage::Custody;

double Ms(SteadyClock::time_point since) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - since).count();
}

template <typename T>
T Must(T result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "bench_originals: %s: %s\n", what,
                 result.error().message.c_str());
    std::exit(1);
  }
  return result;
}

struct Row {
  std::string what;
  std::string value;
  std::string target;
};

}  // namespace

int main(int argc, char** argv) {
  int originals = 100'000;
  std::filesystem::path dir;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--originals" && i + 1 < argc) originals = std::atoi(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr, "usage: bench_originals [--originals N] [--dir DIR] [--keep]\n");
      return 2;
    }
  }
  constexpr int kCabinets = 20, kShelves = 5, kBoxes = 20;
  constexpr int kBoxCount = kCabinets * kShelves * kBoxes;
  if (dir.empty()) {
    dir = std::filesystem::temp_directory_path() /
          ("bench-originals-" + std::to_string(::getpid()));
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto db = dir / "catalog.sqlite";
  std::vector<Row> rows;
  auto add = [&](std::string what, std::string value, std::string target = "") {
    rows.push_back({std::move(what), std::move(value), std::move(target)});
  };
  auto fmt_ms = [](double ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, ms < 10 ? "%.2f ms" : "%.0f ms", ms);
    return std::string(buf);
  };

  // --- generate ---
  auto catalog = std::move(*Must(Catalog::Create(db), "creating the catalog"));
  Custody custody(*catalog);
  const int customers = 200;
  auto t = SteadyClock::now();
  std::vector<std::string> customer_codes;
  for (int i = 0; i < customers; ++i) {
    customer_codes.push_back(
        Must(catalog->AddCustomer("客户 " + std::to_string(i), "company", "bench"),
             "adding a customer")
            ->code);
  }
  if (auto s = dossier::storage::bench::InsertBenchDocuments(db, customers,
                                                             originals);
      !s) {
    std::fprintf(stderr, "bench_originals: %s\n", s.error().message.c_str());
    std::exit(1);
  }
  const double docs_ms = Ms(t);
  t = SteadyClock::now();
  Must(custody.AddLocation({"R1", "room", "", "档案室", 0, "restricted"}, "bench"),
       "adding the room");
  std::vector<std::string> boxes;
  for (int c = 1; c <= kCabinets; ++c) {
    const std::string cab = "R1-" + std::string(c < 10 ? "0" : "") + std::to_string(c);
    auto made = Must(custody.AddCabinet({cab, "R1", kShelves, kBoxes, 0, ""}, "bench"),
                     "adding a cabinet");
    for (const auto& l : *made) {
      if (l.kind == "box") boxes.push_back(l.code);
    }
  }
  const double locations_ms = Ms(t);
  t = SteadyClock::now();
  std::vector<dossier::storage::RegisterRequest> requests;
  requests.reserve(originals);
  const int per_box = (originals + kBoxCount - 1) / kBoxCount;
  for (int i = 0; i < originals; ++i) {
    requests.push_back({"D" + std::to_string(i + 1), boxes[i / per_box], -1, "bench"});
  }
  auto barcodes = *Must(custody.RegisterOriginals(requests), "registering originals");
  const double register_ms = Ms(t);
  add("generate: 200 customers + documents", fmt_ms(docs_ms));
  add("generate: 1 room, 20 cabinets, 2,000 boxes", fmt_ms(locations_ms));
  add("generate: register " + std::to_string(originals) + " originals (1 tx)",
      fmt_ms(register_ms));

  std::mt19937 rng(42);
  // --- audit of one cabinet: 99% found, 20 misplaced in, 10 unknown, 5 dup ---
  {
    auto cabinet_originals = *Must(custody.OriginalsAt("R1-01", true), "listing");
    std::vector<std::string> scans;
    for (size_t i = 0; i < cabinet_originals.size(); ++i) {
      if (i % 100 != 7) scans.push_back(cabinet_originals[i].barcode);
    }
    for (int i = 0; i < 20; ++i) scans.push_back(barcodes[barcodes.size() - 1 - i]);
    for (int i = 0; i < 10; ++i) scans.push_back("OR9" + std::to_string(1000000 + i) + "X");
    for (int i = 0; i < 5; ++i) scans.push_back(scans[i]);
    auto audit = *Must(custody.StartAudit("R1-01", "auditor"), "starting");
    t = SteadyClock::now();
    Must(custody.AddScans(audit.display_id, scans, "bench"), "scanning");
    const double scan_ms = Ms(t);
    t = SteadyClock::now();
    auto closed = *Must(custody.CloseAudit(audit.display_id, "auditor"), "closing");
    const double ms = Ms(t);
    add("audit one cabinet: record " + std::to_string(scans.size()) + " scans",
        fmt_ms(scan_ms));
    add("audit one cabinet (" + std::to_string(cabinet_originals.size()) +
            " originals): reconcile",
        fmt_ms(ms));
    char buf[160];
    std::snprintf(buf, sizeof buf, "found %d, missing %d, misplaced %d, unknown %d, dup %d",
                  closed.found, closed.missing, closed.misplaced, closed.unknown,
                  closed.duplicates);
    add("  result", buf);
  }
  // --- audit of the whole archive ---
  {
    std::vector<std::string> scans;
    for (size_t i = 0; i < barcodes.size(); ++i) {
      if (i % 1000 != 3) scans.push_back(barcodes[i]);
    }
    for (int i = 0; i < 50; ++i) scans.push_back("OR8" + std::to_string(1000000 + i) + "X");
    std::shuffle(scans.begin(), scans.end(), rng);
    auto audit = *Must(custody.StartAudit("R1", "auditor"), "starting");
    t = SteadyClock::now();
    Must(custody.AddScans(audit.display_id, scans, "bench"), "scanning");
    const double scan_ms = Ms(t);
    t = SteadyClock::now();
    auto closed = *Must(custody.CloseAudit(audit.display_id, "auditor"), "closing");
    const double ms = Ms(t);
    add("audit whole archive: record " + std::to_string(scans.size()) + " scans",
        fmt_ms(scan_ms));
    add("audit whole archive: reconcile", fmt_ms(ms), "< 1000 ms");
    char buf[160];
    std::snprintf(buf, sizeof buf, "found %d, missing %d, unknown %d", closed.found,
                  closed.missing, closed.unknown);
    add("  result", buf);
  }
  // --- where ---
  {
    std::uniform_int_distribution<size_t> pick(0, barcodes.size() - 1);
    std::vector<double> times;
    for (int i = 0; i < 1000; ++i) {
      const std::string key = i % 2 == 0 ? barcodes[pick(rng)]
                                         : "D" + std::to_string(pick(rng) + 1);
      t = SteadyClock::now();
      Must(custody.Where(key), "where");
      times.push_back(Ms(t));
    }
    std::sort(times.begin(), times.end());
    double sum = 0;
    for (double v : times) sum += v;
    add("where (barcode or document): mean", fmt_ms(sum / times.size()), "< 5 ms");
    add("where: p99", fmt_ms(times[times.size() * 99 / 100]), "< 5 ms");
    // A customer with 500 originals, each with its history.
    t = SteadyClock::now();
    Must(custody.Where(customer_codes[0]), "where customer");
    add("where (customer, " + std::to_string(originals / customers) + " originals)",
        fmt_ms(Ms(t)));
  }
  // --- labels ---
  {
    std::vector<dossier::archive::Label> labels;
    for (int i = 0; i < 240; ++i) {
      labels.push_back({barcodes[i], "", "上海明川贸易有限公司 KH-2026-000001-0",
                        "D000001 服务合同 " + std::to_string(i)});
    }
    for (auto [stock, qr] : {std::pair{"a4-3x8", false}, std::pair{"a4-3x8", true},
                             std::pair{"single-62x29", false}}) {
      dossier::archive::LabelSheetOptions options;
      options.stock = *dossier::archive::FindLabelStock(stock);
      options.symbology = qr ? dossier::archive::Symbology::kQrCode
                             : dossier::archive::Symbology::kCode128;
      t = SteadyClock::now();
      auto pdf = Must(dossier::archive::WriteLabelSheet(labels, options), "labels");
      const double ms = Ms(t);
      char buf[96];
      std::snprintf(buf, sizeof buf, "%.0f ms (%.0f labels/s, %zu KB)", ms,
                    240 / (ms / 1000), pdf->size() / 1024);
      add(std::string("labels: 240 on ") + stock + (qr ? " QR" : " Code 128"), buf);
    }
  }

  std::printf("\n%-52s %-34s %s\n", "measure", "value", "target");
  std::printf("%s\n", std::string(100, '-').c_str());
  for (const Row& r : rows) {
    std::printf("%-52s %-34s %s\n", r.what.c_str(), r.value.c_str(), r.target.c_str());
  }
  catalog.reset();
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
