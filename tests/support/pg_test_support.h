// The PostgreSQL test cluster, for tests (docs/deploy.md, "The test
// cluster"). CTest starts one private server per run (the pg_cluster
// fixture, scripts/pg-test-cluster.sh) and gives each PostgreSQL test the
// file holding its URL in $DOSSIER_PG_URL_FILE. Each test makes its own
// database on it, so tests run in parallel.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"
#include "storage/postgres/catalog.h"

namespace dossier::testing {

// The cluster's URL (to its maintenance database). kNotFound naming what is
// missing: the variable, or the file (the fixture did not start a server).
// A test that gets this error fails; PostgreSQL tests are never skipped.
Result<std::string> PgClusterUrl();

// A fresh empty database on the test cluster, dropped (with its remaining
// connections) when the object dies.
class PgTestDatabase {
 public:
  static Result<std::unique_ptr<PgTestDatabase>> Create();
  ~PgTestDatabase();
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;
  // Connection string of this database (libpq key=value form).
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  // The cluster's URL (its maintenance database).
  const std::string& cluster_url() const { return cluster_url_; }
  // off: the database refuses new connections and the ones it has are
  // ended (a lost server, as stores see it); on: it takes them again.
  Status SetConnectable(bool on) const;

 private:
  PgTestDatabase(std::string cluster_url, std::string name, std::string url)
      : cluster_url_(std::move(cluster_url)), name_(std::move(name)),
        url_(std::move(url)) {}
  std::string cluster_url_;
  std::string name_;
  std::string url_;
};

// A catalog for a contract suite's archive folder `dir`: create makes a
// new test database and keeps its URL in dir/pg-url; otherwise the URL is
// read from there (a further station on the same archive). Destroyed
// catalog first; the database is dropped with the holding that made it.
struct PgTestCatalog {
  std::shared_ptr<PgTestDatabase> database;  // only where created
  std::unique_ptr<storage::postgres::PgCatalog> catalog;
};
Result<PgTestCatalog> OpenPgTestCatalog(const std::filesystem::path& dir, bool create);

}  // namespace dossier::testing
