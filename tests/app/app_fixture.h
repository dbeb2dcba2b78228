// A secured archive opened as an app::Station, with users of several roles,
// a customer, documents and a cabinet, for in-process use-case tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/station.h"
#include "gtest/gtest.h"
#include "storage/sqlite/access.h"
#include "storage/archive.h"
#include "storage/sqlite/custody.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier::app::testing {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = storage::Archive::Init(dir_.path() / "archive");
    ASSERT_TRUE(a) << a.error().message;
    station_ = std::make_unique<Station>(std::move(*a));
    auto& access = station_->access();
    ASSERT_TRUE(access.AddUser("root", "root-pass-1", {"admin"}, "root"));
    for (const auto& [name, role] :
         std::vector<std::pair<std::string, std::string>>{
             {"clerk", "clerk"}, {"boss", "records-manager"},
             {"boss2", "records-manager"}, {"keeper", "archivist"},
             {"reader", "reviewer"}, {"auditor", "auditor"},
             {"scanner", "scanner"}}) {
      ASSERT_TRUE(access.AddUser(name, name + "-pass-1", {role}, "root"));
    }
    auto& catalog = station_->catalog();
    auto c = catalog.AddCustomer("上海明川贸易有限公司", "company", "clerk");
    ASSERT_TRUE(c) << c.error().message;
    customer_ = c->code;
    auto d = catalog.AddDocument(storage::testing::MakeDocument(
        customer_, "服务合同", {"甲方 乙方 签章"}));
    ASSERT_TRUE(d) << d.error().message;
    doc_ = d->display_id;
    auto& custody = station_->custody();
    ASSERT_TRUE(custody.AddLocation({"A", "room", "", "档案室", 0, ""}, "keeper"));
    ASSERT_TRUE(custody.AddCabinet({"A-01", "A", 1, 2, 0, ""}, "keeper"));
    auto o = custody.RegisterOriginal({doc_, "A-01-1-001", -1, "keeper"});
    ASSERT_TRUE(o) << o.error().message;
    barcode_ = o->barcode;
  }

  // The caller as it would be after a password login.
  Caller As(const std::string& name) {
    auto p = station_->access().CheckPassword(name, name + "-pass-1");
    EXPECT_TRUE(p) << p.error().message;
    return Caller{p ? *p : Principal{}, Channel{"test", {"as", name}}};
  }

  // The access log's entries, oldest first.
  std::vector<storage::LogEntry> Log() {
    auto entries = station_->access().ReadLog({});
    EXPECT_TRUE(entries) << entries.error().message;
    return entries ? *entries : std::vector<storage::LogEntry>{};
  }

  dossier::testing::TempDir dir_;
  std::unique_ptr<Station> station_;
  std::string customer_;
  std::string doc_;
  std::string barcode_;
};

}  // namespace dossier::app::testing
