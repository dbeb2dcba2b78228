#include "tests/support/pg_test_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>

#include "storage/postgres/catalog.h"
#include "storage/postgres/database.h"

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

Status PgTestDatabase::SetConnectable(bool on) const {
  using storage::postgres::Tx;
  auto admin = storage::postgres::Database::Connect(cluster_url_, {});
  if (!admin) return std::unexpected(admin.error());
  return (*admin)->Transact("switching connections", [&](Tx& tx) -> Status {
    tx.Run("ALTER DATABASE " + name_ + " ALLOW_CONNECTIONS " + (on ? "true" : "false"));
    if (!on) {
      tx.Run("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
             "WHERE datname = '" + name_ + "'");
    }
    return Ok();
  });
}

Result<PgTestCatalog> OpenPgTestCatalog(const std::filesystem::path& dir, bool create) {
  PgTestCatalog out;
  std::string url;
  if (create) {
    auto db = PgTestDatabase::Create();
    if (!db) return std::unexpected(db.error());
    url = (*db)->url();
    std::ofstream(dir / "pg-url") << url << "\n";
    out.database = std::move(*db);
  } else {
    std::ifstream in(dir / "pg-url");
    if (!std::getline(in, url) || url.empty()) {
      return MakeError(ErrorCode::kNotFound, "no PostgreSQL test database in " +
                                                 (dir / "pg-url").string());
    }
  }
  auto c = storage::postgres::PgCatalog::Open(url);
  if (!c) return std::unexpected(c.error());
  out.catalog = std::move(*c);
  return out;
}

}  // namespace dossier::testing
