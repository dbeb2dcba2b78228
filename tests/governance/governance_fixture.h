// An archive with one customer and filed documents whose PDFs are real
// objects in the file store, for the retention and backup tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storage/archive.h"
#include "storage/sqlite/retention.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier::storage::testing {

inline SearchQuery TextQuery(const std::string& text) {
  SearchQuery q;
  q.text = text;
  q.limit = 10;
  return q;
}

class GovernanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = Archive::Init(dir_.path() / "archive");
    ASSERT_TRUE(a) << a.error().message;
    archive_ = std::move(*a);
    auto c = catalog().AddCustomer("上海明川贸易有限公司", "company", "clerk");
    ASSERT_TRUE(c) << c.error().message;
    customer_ = c->code;
    retention_ = std::make_unique<Retention>(catalog(), archive_->files());
  }

  Catalog& catalog() { return archive_->catalog(); }

  // Stores `bytes` as the document's PDF and adds the document; filed by a
  // reviewer unless pending. end_date: the contract end field, if any.
  std::string AddDoc(const std::string& title, const std::string& bytes,
                     const std::string& type = "contract",
                     const std::string& end_date = "", bool file = true) {
    auto sha = archive_->files().Put(bytes);
    EXPECT_TRUE(sha) << sha.error().message;
    NewDocument doc = MakeDocument(customer_, title, {title + " 甲方 乙方 合同"});
    doc.type = type;
    doc.pdf_sha256 = *sha;
    doc.pdf_size = static_cast<std::int64_t>(bytes.size());
    doc.source_key = title;
    auto d = catalog().AddDocument(doc);
    EXPECT_TRUE(d) << d.error().message;
    if (!end_date.empty()) {
      EXPECT_TRUE(catalog().SetDocumentField(d->display_id, "end_date",
                                             end_date, "reviewer"));
    }
    if (file) {
      auto f = catalog().ApproveDocument(d->display_id, "reviewer");
      EXPECT_TRUE(f) << f.error().message;
    }
    return d->display_id;
  }

  std::string Query(const std::string& sql) {
    RawDb raw(archive_->dir() / "catalog.sqlite");
    return raw.Query(sql);
  }

  dossier::testing::TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<Retention> retention_;
  std::string customer_;
};

}  // namespace dossier::storage::testing
