// The retention store contract: every RetentionStore backend runs this
// suite (SQLite, and PostgreSQL on the test cluster: tests/support/
// pg_test_support.h, each test in its own database, with a file store in
// the test's folder). It speaks only through the store interfaces
// (records, custody, retention) and the file store: rules, what is due,
// legal holds, a destruction batch from proposal to shredding,
// all-or-nothing proposals, and the errors.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/archive.h"
#include "storage/custody_store.h"
#include "storage/file_store.h"
#include "storage/postgres/catalog.h"
#include "storage/postgres/custody.h"
#include "storage/postgres/records.h"
#include "storage/postgres/retention.h"
#include "storage/retention_store.h"
#include "storage/sqlite/custody.h"
#include "storage/sqlite/retention.h"
#include "tests/storage/test_util.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage::testing {
namespace {

// The stores retention works with, and what they live on (an archive
// folder for SQLite; a test database and a file store for PostgreSQL).
// The stores are destroyed before what they live on.
struct RetentionStores {
  std::unique_ptr<Archive> archive;          // sqlite
  std::unique_ptr<RecordsStore> pg_records;  // postgresql, with its catalog
  std::unique_ptr<FileStore> pg_files;       // postgresql
  RecordsStore* records = nullptr;
  FileStore* files = nullptr;
  std::unique_ptr<CustodyStore> custody;
  std::unique_ptr<RetentionStore> retention;
  RetentionStores() = default;
  RetentionStores(RetentionStores&&) = default;
  RetentionStores& operator=(RetentionStores&&) = default;
  ~RetentionStores() {
    retention.reset();
    custody.reset();
  }
};

struct RetentionBackend {
  std::string name;
  std::function<RetentionStores(const std::filesystem::path&)> make;
};

// Test names end in the backend's name, not the parameter's bytes.
void PrintTo(const RetentionBackend& backend, std::ostream* os) {
  *os << backend.name;
}

// PostgreSQL records with what they live on (the catalog, and the test
// database it was made in).
class HeldPgRecords : private dossier::testing::PgTestCatalog,
                      public postgres::PgRecords {
 public:
  explicit HeldPgRecords(dossier::testing::PgTestCatalog holding)
      : dossier::testing::PgTestCatalog(std::move(holding)),
        postgres::PgRecords(*catalog) {}
  postgres::PgCatalog& pg_catalog() { return *catalog; }
};

RetentionStores OpenPg(const std::filesystem::path& dir) {
  RetentionStores s;
  std::filesystem::create_directories(dir);
  auto holding = dossier::testing::OpenPgTestCatalog(dir, /*create=*/true);
  EXPECT_TRUE(holding) << holding.error().message;
  if (!holding) return s;
  auto records = std::make_unique<HeldPgRecords>(std::move(*holding));
  s.pg_files = std::make_unique<FileStore>(dir / "objects");
  s.custody = std::make_unique<postgres::PgCustody>(records->pg_catalog());
  s.retention = std::make_unique<postgres::PgRetention>(records->pg_catalog(),
                                                        *s.pg_files);
  s.records = records.get();
  s.files = s.pg_files.get();
  s.pg_records = std::move(records);
  return s;
}

std::vector<RetentionBackend> RetentionBackends() {
  return {{"sqlite",
           [](const std::filesystem::path& dir) {
             RetentionStores s;
             auto a = Archive::Init(dir);
             EXPECT_TRUE(a) << a.error().message;
             if (!a) return s;
             s.archive = std::move(*a);
             s.records = &s.archive->catalog();
             s.files = &s.archive->files();
             s.custody = std::make_unique<Custody>(s.archive->catalog());
             s.retention = std::make_unique<Retention>(s.archive->catalog(),
                                                       s.archive->files());
             return s;
           }},
          {"postgresql", OpenPg}};
}

constexpr char kFarFuture[] = "2999-01-01";

class RetentionStoreContract
    : public ::testing::TestWithParam<RetentionBackend> {
 protected:
  void SetUp() override {
    stores_ = GetParam().make(dir_.path() / "archive");
    ASSERT_NE(stores_.retention, nullptr);
    auto c = records().AddCustomer("上海明川贸易有限公司", "company", "clerk");
    ASSERT_TRUE(c) << c.error().message;
    customer_ = c->code;
  }
  RecordsStore& records() { return *stores_.records; }
  FileStore& files() { return *stores_.files; }
  CustodyStore& custody() { return *stores_.custody; }
  RetentionStore& retention() { return *stores_.retention; }

  // A document whose PDF is `bytes` in the file store, filed by a reviewer
  // unless not `file`. end_date: the contract end field, if any.
  std::string AddFiled(const std::string& title, const std::string& bytes,
                       const std::string& type = "contract",
                       const std::string& end_date = "", bool file = true) {
    auto sha = files().Put(bytes);
    EXPECT_TRUE(sha) << sha.error().message;
    NewDocument doc = MakeDocument(customer_, title, {title + " 甲方 乙方"});
    doc.type = type;
    doc.pdf_sha256 = *sha;
    doc.pdf_size = static_cast<std::int64_t>(bytes.size());
    doc.source_key = title;
    auto d = records().AddDocument(doc);
    EXPECT_TRUE(d) << d.error().message;
    if (!end_date.empty()) {
      EXPECT_TRUE(records().SetDocumentField(d->display_id, "end_date",
                                             end_date, "reviewer"));
    }
    if (file) {
      auto f = records().ApproveDocument(d->display_id, "reviewer");
      EXPECT_TRUE(f) << f.error().message;
    }
    return d->display_id;
  }

  dossier::testing::TempDir dir_;
  RetentionStores stores_;
  std::string customer_;
};

TEST_P(RetentionStoreContract, RulesAreCheckedAndReplaced) {
  EXPECT_EQ(retention().SetRule("poster", "filing", 5, "rm").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(retention().SetRule("form", "birthday", 5, "rm").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(retention().SetRule("form", "filing", -1, "rm").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(retention().ListRules()->empty());
  ASSERT_TRUE(retention().SetRule("form", "filing", 5, "rm"));
  auto replaced = retention().SetRule("form", "filing", 7, "rm2");
  ASSERT_TRUE(replaced) << replaced.error().message;
  auto rules = retention().ListRules();
  ASSERT_TRUE(rules);
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ((*rules)[0].years, 7);
  EXPECT_EQ((*rules)[0].updated_by, "rm2");
}

TEST_P(RetentionStoreContract, FiledDocumentsFallDueAndHoldsBlockThem) {
  ASSERT_TRUE(retention().SetRule("contract", "filing", 10, "rm"));
  const std::string doc = AddFiled("服务合同", "pdf-1");
  EXPECT_TRUE(retention().Due("2000-01-01")->empty());
  auto due = retention().Due(kFarFuture);
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].document, doc);
  EXPECT_TRUE((*due)[0].due);
  EXPECT_TRUE((*due)[0].blocked_by.empty());

  EXPECT_EQ(retention().AddHold(doc, " ", "legal").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(retention().AddHold("D999999", "诉讼", "legal").error().code,
            ErrorCode::kNotFound);
  auto hold = retention().AddHold(customer_, "诉讼 2026-17", "legal");
  ASSERT_TRUE(hold) << hold.error().message;
  EXPECT_TRUE(hold->active());
  EXPECT_FALSE(retention().Due(kFarFuture)->at(0).blocked_by.empty());
  EXPECT_EQ(retention().Propose({doc}, kFarFuture, "", "rm").error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(retention().ListBatches()->empty());
  EXPECT_EQ(retention().ListHolds(true)->size(), 1u);
  auto released = retention().ReleaseHold(hold->display_id, "结案", "legal");
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_FALSE(released->active());
  EXPECT_TRUE(retention().ListHolds(true)->empty());
  EXPECT_EQ(retention().ListHolds(false)->size(), 1u);
  EXPECT_EQ(retention().ReleaseHold("H999999", "x", "legal").error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(retention().Due(kFarFuture)->at(0).blocked_by.empty());
}

TEST_P(RetentionStoreContract, AProposalIsAllOrNothing) {
  ASSERT_TRUE(retention().SetRule("contract", "filing", 0, "rm"));
  const std::string due = AddFiled("due", "pdf-1");
  const std::string no_rule = AddFiled("form", "pdf-2", "form");
  auto refused = retention().Propose({due, no_rule}, kFarFuture, "", "rm");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find(no_rule), std::string::npos);
  EXPECT_TRUE(retention().ListBatches()->empty());
  EXPECT_EQ(retention().Propose({}, "2000-01-01", "", "rm").error().code,
            ErrorCode::kInvalidArgument);
  auto batch = retention().Propose({due}, kFarFuture, "期满", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->status, "proposed");
  ASSERT_EQ(batch->items.size(), 1u);
  // A document in an open batch is not proposed twice.
  EXPECT_EQ(retention().Propose({due}, kFarFuture, "", "rm").error().code,
            ErrorCode::kConflict);
  auto cancelled = retention().Cancel(batch->display_id, "rm");
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_TRUE(retention().Propose({due}, kFarFuture, "", "rm"));
  EXPECT_EQ(retention().GetBatch("DB999999").error().code, ErrorCode::kNotFound);
}

TEST_P(RetentionStoreContract, ApprovalDestroysTheRecordAndItsOnlyFile) {
  ASSERT_TRUE(retention().SetRule("contract", "filing", 0, "rm"));
  const std::string doc = AddFiled("服务合同", "doomed-bytes");
  const std::string sha = records().GetDocument(doc)->pdf_sha256;
  auto batch = retention().Propose({doc}, kFarFuture, "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(retention().Approve(batch->display_id, "rm").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(records().GetDocument(doc)->status, "filed");
  auto approved = retention().Approve(batch->display_id, "boss");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->status, "completed");  // no originals to shred
  EXPECT_EQ(records().GetDocument(doc)->status, "destroyed");
  EXPECT_FALSE(files().Contains(sha));
  EXPECT_EQ(retention().FinishPurges().value_or(-1), 0);
  auto by = retention().DestroyedBy(doc);
  ASSERT_TRUE(by) << by.error().message;
  ASSERT_TRUE(by->has_value());
  EXPECT_EQ((*by)->display_id, batch->display_id);
  ASSERT_TRUE(retention().RecordCertificate(batch->display_id,
                                            std::string(64, 'c'), "rm"));
  EXPECT_EQ(retention().GetBatch(batch->display_id)->certificate_sha256,
            std::string(64, 'c'));
  EXPECT_EQ(retention().Approve(batch->display_id, "boss").error().code,
            ErrorCode::kConflict);
}

TEST_P(RetentionStoreContract, OriginalsAreShreddedOneByOneWithAWitness) {
  ASSERT_TRUE(retention().SetRule("contract", "filing", 0, "rm"));
  const std::string doc = AddFiled("合同 with paper", "paper-pdf");
  ASSERT_TRUE(custody().AddLocation({"A", "room", "", "档案室", 0, ""}, "clerk"));
  ASSERT_TRUE(custody().AddCabinet({"A-01", "A", 1, 2, 0, ""}, "clerk"));
  auto original = custody().RegisterOriginal({doc, "A-01-1-001", -1, "clerk"});
  ASSERT_TRUE(original) << original.error().message;
  auto batch = retention().Propose({}, kFarFuture, "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->originals.size(), 1u);
  ShreddingRequest shred{batch->display_id, original->barcode, "witness", "",
                         "cross-cut P-4", "porter"};
  EXPECT_EQ(retention().RecordShredding(shred).error().code, ErrorCode::kConflict);
  auto approved = retention().Approve(batch->display_id, "manager");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->status, "approved");
  ShreddingRequest self = shred;
  self.witness = "porter";
  EXPECT_EQ(retention().RecordShredding(self).error().code, ErrorCode::kConflict);
  auto done = retention().RecordShredding(shred);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->status, "completed");
  EXPECT_EQ(custody().GetOriginal(original->barcode)->state, "destroyed");
}

TEST_P(RetentionStoreContract, DueCountsFromContractEndAndRelationshipEnd) {
  ASSERT_TRUE(retention().SetRule("contract", "contract-end", 10, "rm"));
  ASSERT_TRUE(retention().SetRule("id-copy", "relationship-end", 3, "rm"));
  ASSERT_TRUE(retention().SetRule("form", "filing", 0, "rm"));
  const std::string ended = AddFiled("old contract", "pdf-1", "contract",
                                     "2010-06-30");
  const std::string running = AddFiled("running contract", "pdf-2",
                                       "contract", "2030-02-28");
  const std::string no_date = AddFiled("contract without end", "pdf-3");
  const std::string id_copy = AddFiled("id copy", "pdf-4", "id-copy");
  const std::string pending = AddFiled("pending", "pdf-5", "form", "", false);

  auto due = retention().Due("2026-03-01");
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].document, ended);
  EXPECT_EQ((*due)[0].event_date, "2010-06-30");
  EXPECT_EQ((*due)[0].due_on, "2020-06-30");

  auto all = retention().Due(kFarFuture, true);
  ASSERT_TRUE(all) << all.error().message;
  std::map<std::string, RetentionStatus> by_doc;
  for (const auto& s : *all) by_doc[s.document] = s;
  EXPECT_FALSE(by_doc.contains(pending));  // pending review: never due
  EXPECT_EQ(by_doc[running].due_on, "2040-02-28");
  EXPECT_TRUE(by_doc[no_date].due_on.empty());
  EXPECT_FALSE(by_doc[no_date].due);
  EXPECT_FALSE(by_doc[id_copy].due);  // no relationship end yet
  // Unknown due dates come last.
  EXPECT_TRUE(all->back().due_on.empty());

  auto refused = retention().Propose({pending, no_date, running}, kFarFuture,
                                     "", "rm");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find(pending + " is pending review"),
            std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find(no_date + ": the contract-end date "
                                                   "is unknown"),
            std::string::npos)
      << refused.error().message;
  auto not_yet = retention().Propose({running}, "2026-03-01", "", "rm");
  ASSERT_FALSE(not_yet);
  EXPECT_NE(not_yet.error().message.find("not due until 2040-02-28"),
            std::string::npos)
      << not_yet.error().message;

  EXPECT_EQ(retention().SetRelationshipEnd(customer_, "2020-13-01", "rm")
                .error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(retention().SetRelationshipEnd(customer_, "2020-02-29", "rm"));
  auto after = retention().Due("2023-03-01");
  ASSERT_TRUE(after) << after.error().message;
  bool found = false;
  for (const auto& s : *after) {
    if (s.document != id_copy) continue;
    found = true;
    EXPECT_EQ(s.due_on, "2023-02-28");  // 29 February + 3 years
  }
  EXPECT_TRUE(found);
  auto history = records().CustomerHistory(customer_);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->back().field, "relationship_ended_on");
  EXPECT_EQ(history->back().new_value, "2020-02-29");
}

TEST_P(RetentionStoreContract, ApprovalPurgesContentAndKeepsASharedFile) {
  ASSERT_TRUE(retention().SetRule("contract", "contract-end", 10, "rm"));
  const std::string doomed = AddFiled("服务合同 old", "same-bytes", "contract",
                                      "2010-01-01");
  const std::string twin = AddFiled("twin", "same-bytes", "contract",
                                    "2030-01-01");
  const std::string solo = AddFiled("solo", "solo-bytes", "contract",
                                    "2011-01-01");
  const std::string twin_sha = records().GetDocument(twin)->pdf_sha256;
  const std::string solo_sha = records().GetDocument(solo)->pdf_sha256;
  auto batch = retention().Propose({doomed, solo}, "2026-03-01", "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_TRUE(records().PutSetting("retention", R"({"approvers": ["boss"]})",
                                   "admin"));
  EXPECT_EQ(retention().GetPolicy()->approvers,
            std::vector<std::string>{"boss"});
  EXPECT_EQ(retention().Approve(batch->display_id, "someone").error().code,
            ErrorCode::kConflict);
  auto approved = retention().Approve(batch->display_id, "boss");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->approved_by, "boss");

  auto d = records().GetDocument(doomed);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->status, "destroyed");
  EXPECT_EQ(d->title, "服务合同 old");  // the tombstone keeps id and title
  auto pages = records().GetPages(d->id, true);
  ASSERT_TRUE(pages) << pages.error().message;
  for (const auto& p : *pages) {
    EXPECT_TRUE(p.text.empty());
    EXPECT_TRUE(p.words.empty());
  }
  EXPECT_TRUE(records().GetDocumentFields(doomed)->empty());
  SearchQuery q;
  q.text = "solo";
  auto hits = records().Search(q);
  ASSERT_TRUE(hits) << hits.error().message;
  EXPECT_TRUE(hits->empty());
  // The metadata left the search too: the customer's code finds the twin.
  q.text = customer_;
  auto by_code = records().Search(q);
  ASSERT_TRUE(by_code) << by_code.error().message;
  ASSERT_EQ(by_code->size(), 1u);
  EXPECT_EQ(by_code->front().display_id, twin);
  // The shared file stays for the twin; the solo file is gone.
  EXPECT_TRUE(files().Contains(twin_sha));
  EXPECT_TRUE(files().Get(twin_sha));
  EXPECT_FALSE(files().Contains(solo_sha));
  auto shown = retention().GetBatch(batch->display_id);
  ASSERT_TRUE(shown) << shown.error().message;
  ASSERT_EQ(shown->items.size(), 2u);
  EXPECT_EQ(shown->items[0].title, "服务合同 old");
  EXPECT_EQ(shown->items[0].due_on, "2020-01-01");
  EXPECT_FALSE(shown->items[0].destroyed_at.empty());
  EXPECT_FALSE(shown->items[1].file_purged_at.empty());
  // No second destruction, and no hold on what is gone.
  auto again = retention().Propose({doomed}, "2026-03-01", "", "rm");
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("already destroyed"), std::string::npos);
  EXPECT_EQ(retention().AddHold(doomed, "诉讼", "legal").error().code,
            ErrorCode::kConflict);
  auto history = records().DocumentHistory(doomed);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->back().field, "status");
  EXPECT_EQ(history->back().new_value, "destroyed");
}

TEST_P(RetentionStoreContract, ALoanAfterTheProposalBlocksTheApproval) {
  ASSERT_TRUE(retention().SetRule("contract", "filing", 0, "rm"));
  const std::string doc = AddFiled("借阅中的合同", "lent-bytes");
  auto batch = retention().Propose({doc}, kFarFuture, "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  LoanRequest loan;
  loan.item = doc;
  loan.electronic = true;
  loan.purpose = "audit";
  loan.recipient = "auditor";
  loan.due_date = "2999-12-31";
  loan.requester = "clerk";
  auto l = custody().RequestLoan(loan);
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_FALSE(retention().Due(kFarFuture)->at(0).blocked_by.empty());
  auto refused = retention().Approve(batch->display_id, "manager");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("open loan"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(records().GetDocument(doc)->status, "filed");
  EXPECT_EQ(retention().GetBatch(batch->display_id)->status, "proposed");
  ASSERT_TRUE(custody().RejectLoan(l->display_id, "manager", "retention ended"));
  auto approved = retention().Approve(batch->display_id, "manager");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->status, "completed");
}

// Files kept with a destroyed document (its original input, dropped pages)
// leave the file store too, unless a live document keeps the same bytes.
TEST_P(RetentionStoreContract, KeptFilesGoUnlessALiveDocumentKeepsThem) {
  ASSERT_TRUE(retention().SetRule("contract", "filing", 0, "rm"));
  auto own = files().Put("own input scan");
  auto shared = files().Put("shared input scan");
  ASSERT_TRUE(own && shared);
  auto add = [&](const std::string& title, const std::string& pdf,
                 std::vector<std::string> kept) {
    auto sha = files().Put(pdf);
    EXPECT_TRUE(sha) << sha.error().message;
    NewDocument doc = MakeDocument(customer_, title, {title});
    doc.pdf_sha256 = *sha;
    doc.pdf_size = static_cast<std::int64_t>(pdf.size());
    doc.source_key = title;
    int index = 0;
    for (const std::string& k : kept) {
      doc.files.push_back({"original", k, 10, "image/png", title + ".png",
                           index++, "", ""});
    }
    auto d = records().AddDocument(doc);
    EXPECT_TRUE(d) << d.error().message;
    EXPECT_TRUE(records().ApproveDocument(d->display_id, "reviewer"));
    return d->display_id;
  };
  const std::string doomed = add("doomed", "doomed-pdf", {*own, *shared});
  add("live", "live-pdf", {*shared});
  auto batch = retention().Propose({doomed}, kFarFuture, "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_TRUE(retention().Approve(batch->display_id, "boss"));
  EXPECT_FALSE(files().Contains(*own));
  EXPECT_TRUE(files().Contains(*shared));
  EXPECT_EQ(retention().FinishPurges().value_or(-1), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, RetentionStoreContract,
                         ::testing::ValuesIn(RetentionBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dossier::storage::testing
