#include "tests/support/pg_test_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>

#include "storage/postgres/catalog.h"

namespace dossier::testing {

Result<std::string> PgClusterUrl() {
  const char* file = std::getenv("DOSSIER_PG_URL_FILE");
  if (file == nullptr || *file == '\0') {
    return MakeError(ErrorCode::kNotFound,
                     "DOSSIER_PG_URL_FILE is not set: run the PostgreSQL tests "
                     "with ctest (fixture pg_cluster), or start a cluster with "
                     "scripts/pg-test-cluster.sh start DIR and set "
                     "DOSSIER_PG_URL_FILE=DIR/url");
  }
  std::ifstream in(file);
  std::string url;
  if (!in || !std::getline(in, url) || url.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     std::string("no PostgreSQL test cluster: ") + file +
                         " is missing or empty (did pg_cluster_start fail? "
                         "see scripts/pg-test-cluster.sh)");
  }
  return url;
}

Result<std::unique_ptr<PgTestDatabase>> PgTestDatabase::Create() {
  auto cluster = PgClusterUrl();
  if (!cluster) return std::unexpected(cluster.error());
  static std::atomic<int> counter{0};
  std::random_device rd;
  const std::string name = "dossier_t" + std::to_string(::getpid()) + "_" +
                           std::to_string(++counter) + "_" +
                           std::to_string(rd() % 1000000);
  if (auto s = storage::postgres::CreateDatabase(*cluster, name); !s) {
    return std::unexpected(s.error());
  }
  auto url = storage::postgres::WithDatabase(*cluster, name);
  if (!url) return std::unexpected(url.error());
  return std::unique_ptr<PgTestDatabase>(new PgTestDatabase(*cluster, name, *url));
}

PgTestDatabase::~PgTestDatabase() {
  (void)storage::postgres::DropDatabase(cluster_url_, name_);
}

}  // namespace dossier::testing
