// For benchmarks only (bench/originals_bench.cc): documents written straight
// into a catalog's tables, one transaction for all of them. A benchmark of
// custody at archive scale needs 100,000 documents, and as many AddDocument
// transactions would measure fsync instead.
#pragma once

#include <filesystem>

#include "core/result.h"

namespace dossier::storage::bench {

// Inserts count pending contracts (no pages), spread over customer ids
// 1..customers, which must exist. REQUIRES: the catalog at db is closed or
// in WAL mode.
Status InsertBenchDocuments(const std::filesystem::path& db, int customers,
                            int count);

}  // namespace dossier::storage::bench
