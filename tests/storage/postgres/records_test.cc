// The PostgreSQL records store beyond the contract suite
// (tests/storage/records_store_contract_test.cc runs the shared promises on
// both backends): what a second station sees, that stations working at
// once never share a number or an ingest, and what a store answers when
// its server goes away.
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <set>
#include <vector>
#include <string>
#include <thread>

#include "records/review.h"
#include "storage/postgres/catalog.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records.h"
#include "storage/sqlite/catalog.h"
#include "tests/storage/postgres/two_stations.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage::postgres {
namespace {


// Two stations on one database: each its own catalog (pool) and store.
class PostgresRecords : public PgTwoStationsTest {
 protected:
  void SetUp() override {
    PgTwoStationsTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(OpenCatalogs());
    a_ = std::make_unique<PgRecords>(*catalog_a_);
    b_ = std::make_unique<PgRecords>(*catalog_b_);
  }
  std::unique_ptr<PgRecords> a_, b_;
};

TEST_F(PostgresRecords, TheSchemaIsTheLatest) {
  EXPECT_EQ(a_->SchemaVersion(), LatestPgSchemaVersion());
  EXPECT_GE(LatestPgSchemaVersion(), 3);
}

TEST_F(PostgresRecords, ASecondStationSeesCommittedCustomers) {
  NewCustomer input;
  input.name = "上海明川贸易有限公司";
  input.values.uscc = "91310115MA1K482383";
  input.values.phone = "+8613800138000";
  auto c = a_->AddCustomerFile(input, "clerk");
  ASSERT_TRUE(c) << c.error().message;
  auto seen = b_->FindCustomer(c->code);
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->name, input.name);
  EXPECT_EQ(seen->uscc, "91310115MA1K482383");
  // The same USCC on another station's new customer is refused, and the
  // refusal uses up no code.
  NewCustomer twin = input;
  twin.name = "另一家公司";
  auto refused = b_->AddCustomerFile(twin, "clerk");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  auto next = b_->AddCustomer("北京远航科技有限公司", "company", "clerk");
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->code.substr(8, 6), "000002") << next->code;
  EXPECT_EQ(a_->ListCustomers()->size(), 2u);

  Contact contact;
  contact.customer_code = c->code;
  contact.role = "经办人";
  contact.name = "张三";
  ASSERT_TRUE(b_->AddContact(contact, "clerk2"));
  auto contacts = a_->ListContacts(c->code);
  ASSERT_TRUE(contacts);
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].name, "张三");
  auto by_name = a_->FindCustomersByName("明川");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->size(), 1u);
  auto history = a_->CustomerHistory(c->code);
  ASSERT_TRUE(history);
  bool contact_row = false;
  for (const auto& e : *history) contact_row |= e.table == "contacts";
  EXPECT_TRUE(contact_row);
}

NewDocument Contract(const std::string& customer, const std::string& key) {
  NewDocument d;
  d.customer_code = customer;
  d.type = "contract";
  d.title = "服务合同";
  d.source_key = key;
  d.pdf_sha256 = std::string(64, 'b');
  d.pdf_size = 99;
  d.created_by = "scanner";
  for (const char* text : {"甲方 上海明川 乙方 服务合同 Service Agreement", "第二页 签章"}) {
    PageRecord page;
    page.number = static_cast<int>(d.pages.size()) + 1;
    page.text = text;
    page.phash = "ff00";
    OcrWord w;
    w.text = "甲方";
    w.box = Box{10, 20, 30, 40};
    w.confidence = 91.5f;
    page.words.push_back(w);
    d.pages.push_back(page);
  }
  DocumentField f;
  f.name = "contract_number";
  f.value = "HT-2026-0042";
  f.raw = "HT-2026-0042";
  d.fields.push_back(f);
  return d;
}

TEST_F(PostgresRecords, ASecondStationFindsADocumentByTextAndByMetadata) {
  auto c = a_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
  ASSERT_TRUE(c) << c.error().message;
  auto d = a_->AddDocument(Contract(c->code, "scan-1"));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->page_count, 2);
  auto pages = b_->GetPages(d->id, true);
  ASSERT_TRUE(pages) << pages.error().message;
  ASSERT_EQ(pages->size(), 2u);
  ASSERT_EQ((*pages)[0].words.size(), 1u);
  EXPECT_EQ((*pages)[0].words[0].box.width, 30);
  EXPECT_FLOAT_EQ((*pages)[0].words[0].confidence, 91.5f);
  EXPECT_EQ(b_->ListPageHashes()->size(), 2u);

  SearchQuery q;
  q.text = "\"service agreement\"";
  auto hits = b_->Search(q);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].matched, "text");
  EXPECT_EQ((*hits)[0].page_number, 1);
  EXPECT_NE((*hits)[0].snippet.find("[Service Agreement]"), std::string::npos)
      << (*hits)[0].snippet;
  // Only in the metadata (a field value): one hit for the document.
  q.text = "HT-2026-0042";
  hits = b_->Search(q);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].matched, "metadata");
  // A page term and a metadata term together.
  q.text = "签章 HT-2026-0042";
  hits = b_->Search(q);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].page_number, 2);
  EXPECT_EQ((*hits)[0].matched, "text");
  EXPECT_NE((*hits)[0].snippet.find("[签章]"), std::string::npos) << (*hits)[0].snippet;
  // A rename reaches the index.
  CustomerUpdate rename;
  rename.name = "北京远航科技有限公司";
  ASSERT_TRUE(a_->UpdateCustomer(c->code, rename, "clerk"));
  q.text = "远航";
  EXPECT_EQ(b_->Search(q)->size(), 1u);
  q.text = "明川 签章";
  EXPECT_TRUE(b_->Search(q)->empty());
}

TEST_F(PostgresRecords, TwoStationsIngestingOneInputMakeOneDocument) {
  auto c = a_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
  ASSERT_TRUE(c) << c.error().message;
  Result<DocumentRecord> first = MakeError(ErrorCode::kInternal, "not run");
  Result<DocumentRecord> second = MakeError(ErrorCode::kInternal, "not run");
  std::thread t([&] { first = a_->AddDocument(Contract(c->code, "scan-7")); });
  second = b_->AddDocument(Contract(c->code, "scan-7"));
  t.join();
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->id, second->id);
  EXPECT_EQ(a_->ListDocuments("")->size(), 1u);
}

TEST_F(PostgresRecords, TwoStationsFilingAtOnceNeverShareAnArchiveNumber) {
  auto c = a_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
  ASSERT_TRUE(c) << c.error().message;
  constexpr int kEach = 6;
  std::vector<std::string> ids;
  for (int i = 0; i < 2 * kEach; ++i) {
    auto d = a_->AddDocument(Contract(c->code, "scan-" + std::to_string(i)));
    ASSERT_TRUE(d) << d.error().message;
    ids.push_back(d->display_id);
  }
  std::vector<std::string> numbers_a, numbers_b;
  auto file = [&](PgRecords& store, int first, std::vector<std::string>& out) {
    for (int i = first; i < 2 * kEach; i += 2) {
      auto filed = store.ApproveDocument(ids[i], "reviewer");
      if (filed) out.push_back(filed->archive_number);
    }
  };
  std::thread t([&] { file(*a_, 0, numbers_a); });
  file(*b_, 1, numbers_b);
  t.join();
  ASSERT_EQ(numbers_a.size(), static_cast<size_t>(kEach));
  ASSERT_EQ(numbers_b.size(), static_cast<size_t>(kEach));
  std::set<std::string> all(numbers_a.begin(), numbers_a.end());
  all.insert(numbers_b.begin(), numbers_b.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(2 * kEach));
  auto found = b_->FindDocumentByArchiveNumber(numbers_a[0]);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->status, "filed");
  EXPECT_EQ(a_->ListDocumentsByStatus("filed")->size(), static_cast<size_t>(2 * kEach));
  // Filed documents are found by their archive number and status.
  SearchQuery q;
  q.text = "签章";
  q.statuses = {"filed"};
  q.limit = 100;
  EXPECT_EQ(b_->Search(q)->size(), static_cast<size_t>(2 * kEach));
}

TEST_F(PostgresRecords, RefileRejectAndReplaceKeepHistoryAndSearchInStep) {
  auto c = a_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
  auto other = a_->AddCustomer("北京远航科技有限公司", "company", "clerk");
  ASSERT_TRUE(c && other);
  auto d = a_->AddDocument(Contract(c->code, "scan-1"));
  ASSERT_TRUE(d) << d.error().message;
  auto filed = a_->ApproveDocument(d->display_id, "reviewer");
  ASSERT_TRUE(filed) << filed.error().message;
  RefileRequest move;
  move.document = d->display_id;
  move.customer_code = other->code;
  move.type = "form";
  move.title = "开户申请表";
  move.reason = "filed under the wrong customer";
  move.actor = "records-manager";
  auto refiled = b_->RefileDocument(move);
  ASSERT_TRUE(refiled) << refiled.error().message;
  EXPECT_EQ(refiled->after.customer_code, other->code);
  EXPECT_EQ(refiled->after.type, "form");
  EXPECT_NE(refiled->after.archive_number, filed->archive_number);
  EXPECT_EQ(refiled->after.archive_number.substr(8, 2),
            records::ArchiveTypeCode("form"));
  SearchQuery q;
  q.text = "签章";
  q.customer_code = other->code;
  q.types = {"form"};
  EXPECT_EQ(a_->Search(q)->size(), 1u);
  q.text = "开户申请表";
  q.types = {};
  auto meta = a_->Search(q);
  ASSERT_TRUE(meta) << meta.error().message;
  ASSERT_EQ(meta->size(), 1u);
  EXPECT_EQ((*meta)[0].matched, "metadata");
  auto history = a_->DocumentHistory(d->display_id);
  ASSERT_TRUE(history) << history.error().message;
  int archive_rows = 0;
  bool reason = false;
  for (const auto& e : *history) {
    EXPECT_EQ(e.record, d->display_id);
    if (e.field == "archive_number") ++archive_rows;
    reason |= e.field == "refile_reason";
  }
  EXPECT_EQ(archive_rows, 2);
  EXPECT_TRUE(reason);

  // A rejected scan replaced by a rescan; the old one leaves the pending
  // and rejected searches.
  auto bad = a_->AddDocument(Contract(c->code, "scan-2"));
  auto rescan = a_->AddDocument(Contract(c->code, "scan-3"));
  ASSERT_TRUE(bad && rescan);
  ASSERT_TRUE(b_->SetDocumentField(bad->display_id, "amount", "100.00", "reviewer"));
  auto fields = a_->GetDocumentFields(bad->display_id);
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->size(), 2u);
  ASSERT_TRUE(b_->SetDocumentField(bad->display_id, "amount", std::nullopt, "reviewer"));
  EXPECT_EQ(a_->GetDocumentFields(bad->display_id)->size(), 1u);
  ASSERT_TRUE(b_->RejectDocument(bad->display_id, "看不清", "reviewer"));
  auto replaced = a_->ReplaceDocument(bad->display_id, rescan->display_id, "reviewer");
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->replaces, bad->display_id);
  EXPECT_EQ(b_->GetDocument(bad->display_id)->status, "replaced");
  q = SearchQuery();
  q.text = "签章";
  q.statuses = {"replaced"};
  auto hits = a_->Search(q);
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].display_id, bad->display_id);

  Verification v;
  v.actor = "verifier";
  v.kind = "verify";
  v.fixity_ok = true;
  v.problems = {"no OutputIntent"};
  ASSERT_TRUE(a_->RecordVerification(d->id, v));
  auto last = b_->LastVerification(d->id);
  ASSERT_TRUE(last && *last);
  EXPECT_TRUE((*last)->fixity_ok);
  EXPECT_FALSE((*last)->pdfa_ok);
  EXPECT_EQ((*last)->problems, std::vector<std::string>{"no OutputIntent"});
  EXPECT_FALSE((*a_->LastVerification(rescan->id)));
}

// Stations taking numbers at once wait for each other on the counter
// table instead of racing for its row, so a busy archive does not use up
// the transaction's attempts. (Without the lock, four stations lost dozens
// of runs and one call gave up; with it a run is seldom lost, seen at most
// once or twice per test, to the server's coarser conflict checks.)
TEST_F(PostgresRecords, StationsTakingNumbersAtOnceWaitInsteadOfRetrying) {
  constexpr int kStations = 4, kEach = 10;
  std::vector<std::unique_ptr<PgCatalog>> catalogs;
  for (int i = 0; i < kStations; ++i) {
    auto c = PgCatalog::Open(database_->url());
    ASSERT_TRUE(c) << c.error().message;
    catalogs.push_back(std::move(*c));
  }
  auto first = a_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
  ASSERT_TRUE(first) << first.error().message;
  std::vector<std::string> ids;
  for (int i = 0; i < kStations * kEach; ++i) {
    auto d = a_->AddDocument(Contract(first->code, "scan-" + std::to_string(i)));
    ASSERT_TRUE(d) << d.error().message;
    ids.push_back(d->display_id);
  }
  // Customers first, then filing: transactions of one kind take the same
  // counter lock and never overlap. (Of different kinds they may, and may
  // then conflict on other tables and run again, as any two use cases.)
  std::vector<int> made(kStations, 0), filed(kStations, 0);
  for (int phase = 0; phase < 2; ++phase) {
    std::vector<std::thread> threads;
    for (int t = 0; t < kStations; ++t) {
      threads.emplace_back([&, t] {
        PgRecords store(*catalogs[t]);
        for (int i = 0; i < kEach; ++i) {
          if (phase == 0 &&
              store.AddCustomer("客户" + std::to_string(t * 100 + i), "company", "clerk")) {
            ++made[t];
          }
          if (phase == 1 && store.ApproveDocument(ids[t * kEach + i], "reviewer")) {
            ++filed[t];
          }
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  std::int64_t retries = 0;
  for (int t = 0; t < kStations; ++t) {
    EXPECT_EQ(made[t], kEach);
    EXPECT_EQ(filed[t], kEach);
    retries += catalogs[t]->db().retries();
  }
  std::cout << retries << " transactions ran again\n";
  EXPECT_LE(retries, kStations);
  EXPECT_EQ(a_->ListCustomers()->size(), static_cast<size_t>(kStations * kEach + 1));
}

// The database refuses connections and its backends are ended: the
// stores' pooled connections are dead and no new one can be made.
TEST_F(PostgresRecords, ALostServerIsACatalogErrorAndWritesNothing) {
  auto c = a_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
  ASSERT_TRUE(c) << c.error().message;
  auto allow = [&](bool on) {
    auto s = database_->SetConnectable(on);
    ASSERT_TRUE(s) << s.error().message;
  };
  allow(false);
  auto added = a_->AddCustomer("北京远航科技有限公司", "company", "clerk");
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kCatalog);
  EXPECT_NE(added.error().message.find(catalog_a_->server()), std::string::npos)
      << added.error().message;
  auto found = b_->FindCustomer(c->code);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::kCatalog);
  SearchQuery q;
  q.text = "明川";
  EXPECT_EQ(b_->Search(q).error().code, ErrorCode::kCatalog);
  allow(true);
  auto customers = a_->ListCustomers();
  ASSERT_TRUE(customers) << customers.error().message;
  EXPECT_EQ(customers->size(), 1u);
  // The refused call used up no code.
  auto next = b_->AddCustomer("北京远航科技有限公司", "company", "clerk");
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->code.substr(8, 6), "000002") << next->code;
}

// The same archive on both backends gives the same hits (documents, pages,
// text or metadata) for the same queries; only the order of equally
// relevant hits and the scores may differ.
TEST_F(PostgresRecords, SearchFindsWhatSqliteFinds) {
  dossier::testing::TempDir dir;
  auto sqlite = Catalog::Create(dir.path() / "catalog.sqlite");
  ASSERT_TRUE(sqlite) << sqlite.error().message;
  RecordsStore* stores[] = {a_.get(), sqlite->get()};
  const std::vector<std::pair<std::string, std::vector<std::string>>> docs = {
      {"服务合同", {"甲方 上海明川贸易有限公司 乙方 北京远航科技有限公司", "本合同一式两份 签章"}},
      {"租赁协议", {"出租方 甲方 承租方 乙方 租金 每月 人民币", "Lease Agreement page two"}},
      {"Service Agreement", {"The service provider agrees to the terms", "合同书 附件"}},
      {"开户申请表", {"申请人 张三 身份证号码", "账户 类型 对公"}},
  };
  for (RecordsStore* store : stores) {
    auto c = store->AddCustomer("上海明川贸易有限公司", "company", "clerk");
    auto g = store->AddCustomer("明川子公司", "company", "clerk");
    ASSERT_TRUE(c && g);
    ASSERT_TRUE(store->LinkCustomer(g->code, c->code, "clerk"));
    int n = 0;
    for (const auto& [title, texts] : docs) {
      NewDocument d;
      d.customer_code = n % 2 == 0 ? c->code : g->code;
      d.type = n == 3 ? "form" : "contract";
      d.title = title;
      d.source_key = "scan-" + std::to_string(n);
      d.pdf_sha256 = std::string(64, 'e');
      d.created_by = "scanner";
      for (const std::string& text : texts) {
        PageRecord page;
        page.number = static_cast<int>(d.pages.size()) + 1;
        page.text = text;
        d.pages.push_back(page);
      }
      if (n == 1) {
        DocumentField f;
        f.name = "contract_number";
        f.value = "ZL-2026-0007";
        f.raw = f.value;
        d.fields.push_back(f);
      }
      auto added = store->AddDocument(d);
      ASSERT_TRUE(added) << added.error().message;
      if (n == 0) {
        ASSERT_TRUE(store->ApproveDocument(added->display_id, "reviewer"));
      }
      ++n;
    }
  }
  const std::vector<std::string> queries = {
      "甲", "甲方", "合同", "合同书", "签章 OR 附件", "甲方 -租金", "\"lease agreement\"",
      "agreement", "SERVICE", "明川", "远航", "ZL-2026-0007", "租赁协议", "开户 申请",
      "(甲方 OR 申请人) 乙方", "张三 身份证", "page two", "对公 -账户", "上海 签章",
  };
  size_t total = 0;
  for (const std::string& text : queries) {
    for (int variant = 0; variant < 3; ++variant) {
      SearchQuery q;
      q.text = text;
      q.limit = 50;
      if (variant == 1) q.statuses = {"pending"};
      if (variant == 2) q.types = {"contract"};
      std::set<std::string> found[2];
      for (int i = 0; i < 2; ++i) {
        auto hits = stores[i]->Search(q);
        ASSERT_TRUE(hits) << text << ": " << hits.error().message;
        for (const SearchHit& h : *hits) {
          found[i].insert(h.display_id + " p" + std::to_string(h.page_number) + " " +
                          h.matched);
        }
      }
      EXPECT_EQ(found[0], found[1]) << "query '" << text << "' variant " << variant;
      total += found[1].size();
    }
  }
  std::cout << total << " hits compared\n";
  EXPECT_GE(total, 40u);  // the queries do find things
}

}  // namespace
}  // namespace dossier::storage::postgres
