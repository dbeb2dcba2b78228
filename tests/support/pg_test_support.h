// The PostgreSQL test cluster, for tests (docs/deploy.md, "The test
// cluster"). CTest starts one private server per run (the pg_cluster
// fixture, scripts/pg-test-cluster.sh) and gives each PostgreSQL test the
// file holding its URL in $DOSSIER_PG_URL_FILE. Each test makes its own
// database on it, so tests run in parallel.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"

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

 private:
  PgTestDatabase(std::string cluster_url, std::string name, std::string url)
      : cluster_url_(std::move(cluster_url)), name_(std::move(name)),
        url_(std::move(url)) {}
  std::string cluster_url_;
  std::string name_;
  std::string url_;
};

}  // namespace dossier::testing
