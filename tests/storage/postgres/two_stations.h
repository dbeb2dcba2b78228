// Test fixture for the PostgreSQL stores: a new database on the test
// cluster (tests/support/pg_test_support.h) and two stations on it, each
// with its own PgCatalog (its own pool), as two machines sharing one
// archive have.
//
// A derived fixture makes its stores on catalog_a_/catalog_b_ after
// OpenCatalogs(). Members are destroyed in reverse order, the derived
// fixture's first, so its stores go before the catalogs and the catalogs
// before the database.
#pragma once

#include <memory>

#include "gtest/gtest.h"
#include "storage/postgres/catalog.h"
#include "tests/support/pg_test_support.h"

namespace dossier::storage::postgres {

class PgTwoStationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = dossier::testing::PgTestDatabase::Create();
    ASSERT_TRUE(created) << created.error().message;
    database_ = std::move(*created);
  }
  // Opens (and so migrates) the database from both stations. A test that
  // first prepares the database (an older schema, say) calls it after.
  void OpenCatalogs() {
    for (auto* catalog : {&catalog_a_, &catalog_b_}) {
      auto c = PgCatalog::Open(database_->url());
      ASSERT_TRUE(c) << c.error().message;
      *catalog = std::move(*c);
    }
  }

  std::unique_ptr<dossier::testing::PgTestDatabase> database_;
  std::unique_ptr<PgCatalog> catalog_a_, catalog_b_;
};

}  // namespace dossier::storage::postgres
