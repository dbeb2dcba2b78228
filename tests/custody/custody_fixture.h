// A catalog with customers, documents and a small cabinet, for the custody
// tests.
#pragma once

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/custody.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier::storage::testing {

class CustodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() / "catalog.sqlite";
    auto c = Catalog::Create(path_);
    ASSERT_TRUE(c) << c.error().message;
    catalog_ = std::move(*c);
    custody_ = std::make_unique<Custody>(*catalog_);
    auto customer = catalog_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
    ASSERT_TRUE(customer);
    customer_ = customer->code;
    for (int i = 0; i < 4; ++i) {
      auto d = catalog_->AddDocument(MakeDocument(
          customer_, "服务合同 " + std::to_string(i), {"甲方", "乙方", "签章"}));
      ASSERT_TRUE(d) << d.error().message;
      docs_.push_back(d->display_id);
    }
    ASSERT_TRUE(custody_->AddLocation({"A", "room", "", "档案室", 0, "restricted"},
                                      "clerk"));
    auto cab = custody_->AddCabinet({"A-01", "A", 2, 3, 3, "locked"}, "clerk");
    ASSERT_TRUE(cab) << cab.error().message;
    ASSERT_TRUE(custody_->AddCabinet({"A-02", "A", 1, 2, 0, ""}, "clerk"));
  }

  std::string Register(const std::string& item, const std::string& at) {
    auto o = custody_->RegisterOriginal({item, at, -1, "clerk"});
    EXPECT_TRUE(o) << o.error().message;
    return o ? o->barcode : "";
  }

  std::string Count(const std::string& sql) {
    RawDb raw(path_);
    return raw.Query(sql);
  }

  dossier::testing::TempDir dir_;
  std::filesystem::path path_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<Custody> custody_;
  std::string customer_;
  std::vector<std::string> docs_;
};

}  // namespace dossier::storage::testing
