// The records store contract: every RecordsStore backend runs this suite
// (SQLite, and PostgreSQL on the test cluster: tests/support/
// pg_test_support.h, each test in its own database). It speaks
// only through the RecordsStore interface, so it tests promises, not SQL:
// codes and numbers, idempotent ingest, all-or-nothing writes, the errors
// each call gives, history, and that several stores on one archive at once
// never hand out the same code.
#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <thread>

#include "storage/postgres/catalog.h"
#include "storage/postgres/records.h"
#include "storage/sqlite/catalog.h"
#include "tests/storage/test_util.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage::testing {
namespace {

// A backend: makes a new empty store in dir, and opens a further store on
// the same archive (another connection, as another process would).
struct Backend {
  std::string name;
  std::function<std::unique_ptr<RecordsStore>(const std::filesystem::path&)> create;
  std::function<std::unique_ptr<RecordsStore>(const std::filesystem::path&)> open;
};

// Test names end in the backend's name, not the parameter's bytes.
void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

// A PostgreSQL store with what it lives on (its catalog, and the test
// database for the store that made it).
class HeldPgRecords : private dossier::testing::PgTestCatalog, public postgres::PgRecords {
 public:
  explicit HeldPgRecords(dossier::testing::PgTestCatalog holding)
      : dossier::testing::PgTestCatalog(std::move(holding)),
        postgres::PgRecords(*catalog) {}
};

std::unique_ptr<RecordsStore> OpenPg(const std::filesystem::path& dir, bool create) {
  auto holding = dossier::testing::OpenPgTestCatalog(dir, create);
  EXPECT_TRUE(holding) << holding.error().message;
  if (!holding) return nullptr;
  return std::make_unique<HeldPgRecords>(std::move(*holding));
}

std::vector<Backend> Backends() {
  return {{"sqlite",
           [](const std::filesystem::path& dir) -> std::unique_ptr<RecordsStore> {
             auto c = Catalog::Create(dir / "catalog.sqlite");
             EXPECT_TRUE(c) << c.error().message;
             return c ? std::move(*c) : nullptr;
           },
           [](const std::filesystem::path& dir) -> std::unique_ptr<RecordsStore> {
             auto c = Catalog::Open(dir / "catalog.sqlite");
             EXPECT_TRUE(c) << c.error().message;
             return c ? std::move(*c) : nullptr;
           }},
          {"postgresql",
           [](const std::filesystem::path& dir) { return OpenPg(dir, true); },
           [](const std::filesystem::path& dir) { return OpenPg(dir, false); }}};
}

class RecordsStoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().create(dir_.path());
    ASSERT_NE(store_, nullptr);
    auto c = store_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
    ASSERT_TRUE(c) << c.error().message;
    customer_ = c->code;
  }
  NewDocument Doc(const std::string& title, const std::string& key = "") {
    NewDocument d = MakeDocument(customer_, title, {"甲方 乙方 服务合同", "第二页 签章"});
    d.source_key = key;
    d.created_by = "scanner";
    return d;
  }
  dossier::testing::TempDir dir_;
  std::unique_ptr<RecordsStore> store_;
  std::string customer_;
};

TEST_P(RecordsStoreContract, CustomerCodesAreSequentialCheckedAndNeverReused) {
  auto b = store_->AddCustomer("北京远航科技有限公司", "company", "clerk");
  auto p = store_->AddCustomer("张三", "person", "clerk");
  ASSERT_TRUE(b && p);
  std::set<std::string> codes{customer_, b->code, p->code};
  EXPECT_EQ(codes.size(), 3u);
  EXPECT_EQ(b->code.substr(0, 3), "KH-");
  auto found = store_->FindCustomer(b->code);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "北京远航科技有限公司");
  EXPECT_EQ(store_->ListCustomers()->size(), 3u);
}

TEST_P(RecordsStoreContract, BadInputAndAbsentRecordsGiveTheirCodes) {
  EXPECT_EQ(store_->AddCustomer(" ", "company", "clerk").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->AddCustomer("X", "robot", "clerk").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->AddCustomer("X", "company", "").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->FindCustomer("KH-nonsense").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->GetDocument("D999999").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetPages(999999, false).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->CustomerHistory("KH-nonsense").error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(RecordsStoreContract, IngestIsIdempotentBySourceKey) {
  auto first = store_->AddDocument(Doc("服务合同", "scan-001"));
  ASSERT_TRUE(first) << first.error().message;
  auto again = store_->AddDocument(Doc("服务合同 again", "scan-001"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->display_id, first->display_id);
  EXPECT_EQ(again->title, "服务合同");
  auto found = store_->FindDocumentBySourceKey(customer_, "scan-001");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->display_id, first->display_id);
  EXPECT_EQ(store_->ListDocuments(customer_)->size(), 1u);
  EXPECT_EQ(store_->GetPages(first->id, false)->size(), 2u);
}

TEST_P(RecordsStoreContract, ARefusedDocumentLeavesNothingBehind) {
  NewDocument bad = Doc("坏的", "scan-bad");
  bad.pages[1].number = 5;  // pages must be 1..n in order
  EXPECT_EQ(store_->AddDocument(bad).error().code, ErrorCode::kInvalidArgument);
  NewDocument no_sha = Doc("坏的", "scan-bad");
  no_sha.pdf_sha256 = "abc";
  EXPECT_EQ(store_->AddDocument(no_sha).error().code, ErrorCode::kInvalidArgument);
  NewDocument nobody = Doc("坏的", "scan-bad");
  nobody.customer_code = "KH-2000-000001-X";
  EXPECT_FALSE(store_->AddDocument(nobody));
  EXPECT_TRUE(store_->ListDocuments("")->empty());
  EXPECT_FALSE(*store_->FindDocumentBySourceKey(customer_, "scan-bad"));
  SearchQuery q;
  q.text = "坏的";
  EXPECT_TRUE(store_->Search(q)->empty());
}

TEST_P(RecordsStoreContract, ChangesKeepTheirHistoryWithWhoAndWhen) {
  CustomerUpdate u;
  u.phone = "+8613800138000";
  ASSERT_TRUE(store_->UpdateCustomer(customer_, u, "clerk2"));
  u.phone = "+8613900139000";
  ASSERT_TRUE(store_->UpdateCustomer(customer_, u, "clerk3"));
  auto h = store_->CustomerHistory(customer_);
  ASSERT_TRUE(h);
  std::vector<HistoryEntry> phone;
  for (const auto& e : *h) {
    if (e.field == "phone") phone.push_back(e);
  }
  ASSERT_EQ(phone.size(), 2u);
  EXPECT_EQ(phone[1].old_value.value_or(""), "+8613800138000");
  EXPECT_EQ(phone[1].new_value.value_or(""), "+8613900139000");
  EXPECT_EQ(phone[1].actor, "clerk3");
  EXPECT_FALSE(phone[1].at.empty());
}

TEST_P(RecordsStoreContract, ReviewRefusesTheScannerAndNumbersTheFiled) {
  auto d = store_->AddDocument(Doc("服务合同", "k1"));
  ASSERT_TRUE(d);
  auto own = store_->ApproveDocument(d->display_id, "scanner");
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->GetDocument(d->display_id)->status, "pending");
  auto filed = store_->ApproveDocument(d->display_id, "reviewer");
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(filed->status, "filed");
  EXPECT_EQ(filed->archive_number.substr(0, 3), "DA-");
  EXPECT_EQ(store_->ApproveDocument(d->display_id, "reviewer").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(store_->SetDocumentField(d->display_id, "amount", "1", "reviewer")
                .error()
                .code,
            ErrorCode::kConflict);
  auto e = store_->AddDocument(Doc("另一份", "k2"));
  ASSERT_TRUE(e);
  EXPECT_FALSE(store_->RejectDocument(e->display_id, "", "reviewer"));
  EXPECT_TRUE(store_->RejectDocument(e->display_id, "看不清", "reviewer"));
}

TEST_P(RecordsStoreContract, GroupsRefuseCycles) {
  auto child = store_->AddCustomer("子公司", "company", "clerk");
  ASSERT_TRUE(child);
  ASSERT_TRUE(store_->LinkCustomer(child->code, customer_, "clerk"));
  EXPECT_EQ(store_->LinkCustomer(customer_, child->code, "clerk").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(store_->GroupMembers(customer_)->size(), 2u);
}

TEST_P(RecordsStoreContract, SettingsRoundTripAndRefuseInvalidJson) {
  EXPECT_FALSE(*store_->GetSetting("lending"));
  ASSERT_TRUE(store_->PutSetting("lending", R"({"approvers":["a"]})", "admin"));
  EXPECT_EQ(store_->GetSetting("lending")->value_or(""), R"({"approvers":["a"]})");
  EXPECT_EQ(store_->PutSetting("lending", "{not json", "admin").error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(store_->SetZone("Asia/Shanghai", "admin"));
  EXPECT_EQ(store_->Zone().name(), "Asia/Shanghai");
  EXPECT_FALSE(store_->SetZone("Nowhere/Land", "admin"));
}

TEST_P(RecordsStoreContract, SearchFindsShortChineseTermsAndHonoursFilters) {
  ASSERT_TRUE(store_->AddDocument(Doc("服务合同", "k1")));
  SearchQuery q;
  q.text = "甲";
  auto hits = store_->Search(q);
  ASSERT_TRUE(hits) << hits.error().message;
  EXPECT_EQ(hits->size(), 1u);
  q.text = "甲方 -乙方";
  EXPECT_TRUE(store_->Search(q)->empty());
  q.text = "签章";
  q.statuses = {"filed"};
  EXPECT_TRUE(store_->Search(q)->empty());
  q.text = "";
  EXPECT_EQ(store_->Search(q).error().code, ErrorCode::kInvalidArgument);
  // A filter by a name not in the vocabulary is an error, not "no hits".
  q.text = "签章";
  q.statuses = {"archived"};
  EXPECT_EQ(store_->Search(q).error().code, ErrorCode::kInvalidArgument);
  q.statuses = {"pending"};
  EXPECT_EQ(store_->Search(q)->size(), 1u);
  q.types = {"contracts"};
  EXPECT_EQ(store_->Search(q).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->ListDocumentsByStatus("Pending").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->ListDocumentsByStatus("pending")->size(), 1u);
}

TEST_P(RecordsStoreContract, SeveralStoresAtOnceNeverShareACode) {
  constexpr int kThreads = 4, kEach = 15;
  std::vector<std::vector<std::string>> codes(kThreads);
  std::vector<std::string> errors(kThreads);  // the first refusal, if any
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto store = GetParam().open(dir_.path());
      for (int i = 0; i < kEach; ++i) {
        auto c = store->AddCustomer("客户" + std::to_string(t * 100 + i),
                                    "company", "clerk");
        if (c) {
          codes[t].push_back(c->code);
        } else if (errors[t].empty()) {
          errors[t] = c.error().message;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all{customer_};
  size_t made = 1;
  for (int t = 0; t < kThreads; ++t) {
    const auto& list = codes[t];
    EXPECT_EQ(list.size(), static_cast<size_t>(kEach)) << errors[t];
    made += list.size();
    all.insert(list.begin(), list.end());
  }
  EXPECT_EQ(all.size(), made);
  EXPECT_EQ(store_->ListCustomers()->size(), made);
}

TEST_P(RecordsStoreContract, CustomerFilesKeepValuesContactsAndGroups) {
  NewCustomer input;
  input.name = "ACME Trading Ltd";
  input.values.uscc = "91310115MA1K482383";
  input.values.email = "office@acme.example";
  input.parent_code = customer_;
  auto acme = store_->AddCustomerFile(input, "clerk");
  ASSERT_TRUE(acme) << acme.error().message;
  EXPECT_EQ(acme->uscc, "91310115MA1K482383");
  EXPECT_EQ(acme->parent_code, customer_);
  // A USCC another customer has is refused and uses up no code.
  NewCustomer twin = input;
  twin.name = "ACME again";
  twin.parent_code.clear();
  EXPECT_EQ(store_->AddCustomerFile(twin, "clerk").error().code, ErrorCode::kConflict);
  CustomerUpdate steal;
  steal.uscc = "91310115MA1K482383";
  EXPECT_EQ(store_->UpdateCustomer(customer_, steal, "clerk").error().code,
            ErrorCode::kConflict);
  auto next = store_->AddCustomer("第三家", "company", "clerk");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->code.substr(8, 6), "000003") << next->code;
  auto by_name = store_->FindCustomersByName("acme");
  ASSERT_TRUE(by_name);
  ASSERT_EQ(by_name->size(), 1u);
  EXPECT_EQ((*by_name)[0].code, acme->code);
  EXPECT_EQ(store_->FindCustomersByName(" ").error().code, ErrorCode::kInvalidArgument);
  auto group = store_->GroupMembers(customer_);
  ASSERT_TRUE(group);
  ASSERT_EQ(group->size(), 2u);
  EXPECT_EQ((*group)[0].code, customer_);  // parent first

  Contact contact;
  contact.customer_code = acme->code;
  contact.role = "经办人";
  contact.name = "李四";
  contact.phone = "+8613800138000";
  auto stored = store_->AddContact(contact, "clerk");
  ASSERT_TRUE(stored) << stored.error().message;
  contact.role = " ";
  EXPECT_EQ(store_->AddContact(contact, "clerk").error().code,
            ErrorCode::kInvalidArgument);
  auto contacts = store_->ListContacts(acme->code);
  ASSERT_TRUE(contacts);
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].phone, "+8613800138000");
  auto history = store_->CustomerHistory(acme->code);
  ASSERT_TRUE(history);
  bool contact_row = false, parent_row = false;
  for (const auto& e : *history) {
    if (e.table == "contacts") {
      contact_row = true;
      EXPECT_EQ(e.record, "contact #" + std::to_string(stored->id));
    }
    parent_row |= e.field == "parent" && e.new_value == customer_;
  }
  EXPECT_TRUE(contact_row);
  EXPECT_TRUE(parent_row);

  DocumentField uscc;
  uscc.name = "party_b_uscc";
  uscc.value = "91310115MA1K482383";
  DocumentField party;
  party.name = "party_a";
  party.value = "上海明川贸易有限公司";
  auto matches = store_->MatchCustomers({uscc, party});
  ASSERT_TRUE(matches);
  ASSERT_EQ(matches->size(), 2u);
  EXPECT_EQ((*matches)[0].customer.code, acme->code);
  EXPECT_EQ((*matches)[1].customer.code, customer_);
}

// A kept file is kept once per source file and page: a document naming
// the same one twice is refused whole, and nothing of it is written.
TEST_P(RecordsStoreContract, AFileKeptTwiceFromOneSourceIsRefusedWhole) {
  NewDocument doc = Doc("服务合同", "scan-twice");
  DocumentFile original;
  original.role = "original";
  original.sha256 = std::string(64, 'e');
  original.size = 10;
  original.media_type = "image/png";
  original.source_file = "scan.png";
  DocumentFile again = original;
  again.sha256 = std::string(64, 'f');
  doc.files = {original, again};
  auto refused = store_->AddDocument(doc);
  ASSERT_FALSE(refused);
  auto listed = store_->ListDocuments(customer_);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_TRUE(listed->empty()) << "no document half-written";
  doc.files = {original};
  auto added = store_->AddDocument(doc);
  ASSERT_TRUE(added) << added.error().message;
  auto files = store_->GetDocumentFiles(added->id);
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->size(), 1u);
}

TEST_P(RecordsStoreContract, DocumentsKeepPagesWordsFilesAndHashes) {
  NewDocument doc = Doc("服务合同", "scan-1");
  doc.pages[0].phash = "ffee0011";
  OcrWord word;
  word.text = "甲方";
  word.box = Box{10, 20, 30, 40};
  word.confidence = 91.5f;
  word.line = 1;
  doc.pages[0].words = {word};
  DocumentFile original;
  original.role = "original";
  original.sha256 = std::string(64, 'c');
  original.size = 4096;
  original.media_type = "application/pdf";
  original.source_file = "scan.pdf";
  DocumentFile dropped = original;
  dropped.role = "dropped-page";
  dropped.sha256 = std::string(64, 'd');
  dropped.media_type = "image/png";
  dropped.source_index = 2;
  dropped.note = "blank";
  doc.files = {original, dropped};
  auto d = store_->AddDocument(doc);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->status, "pending");
  EXPECT_EQ(d->page_count, 2);
  EXPECT_EQ(d->customer_code, customer_);
  for (const std::string& id : {d->display_id, "d" + std::to_string(d->id),
                               std::to_string(d->id)}) {
    auto again = store_->GetDocument(id);
    ASSERT_TRUE(again) << id;
    EXPECT_EQ(again->id, d->id);
  }
  EXPECT_EQ(store_->GetDocument("X12").error().code, ErrorCode::kInvalidArgument);
  auto pages = store_->GetPages(d->id, true);
  ASSERT_TRUE(pages);
  ASSERT_EQ(pages->size(), 2u);
  ASSERT_EQ((*pages)[0].words.size(), 1u);
  EXPECT_EQ((*pages)[0].words[0].text, "甲方");
  EXPECT_EQ((*pages)[0].words[0].box.height, 40);
  EXPECT_FLOAT_EQ((*pages)[0].words[0].confidence, 91.5f);
  EXPECT_TRUE(store_->GetPages(d->id, false)->at(0).words.empty());
  auto files = store_->GetDocumentFiles(d->id);
  ASSERT_TRUE(files);
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].role, "original");
  EXPECT_EQ((*files)[1].note, "blank");
  EXPECT_EQ(store_->GetDocumentFiles(999999).error().code, ErrorCode::kNotFound);
  auto hashes = store_->ListPageHashes();
  ASSERT_TRUE(hashes);
  ASSERT_EQ(hashes->size(), 1u);
  EXPECT_EQ((*hashes)[0].display_id, d->display_id);
  EXPECT_EQ((*hashes)[0].page_number, 1);
  EXPECT_EQ((*hashes)[0].phash, "ffee0011");

  EXPECT_EQ(store_->FindDocumentByArchiveNumber("DA-2026").error().code,
            ErrorCode::kInvalidArgument);
  auto filed = store_->ApproveDocument(d->display_id, "reviewer");
  ASSERT_TRUE(filed) << filed.error().message;
  auto by_number = store_->FindDocumentByArchiveNumber(filed->archive_number);
  ASSERT_TRUE(by_number) << by_number.error().message;
  EXPECT_EQ(by_number->id, d->id);
  std::string lower = filed->archive_number;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_TRUE(store_->FindDocumentByArchiveNumber(lower));
  std::string wrong = filed->archive_number;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(store_->FindDocumentByArchiveNumber(wrong).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(RecordsStoreContract, FlaggedFieldsBlockFilingUntilCorrected) {
  NewDocument doc = Doc("服务合同", "scan-1");
  DocumentField amount;
  amount.name = "amount";
  amount.value = "12O.00";
  amount.raw = "12O.00";
  amount.problem = "not a number";
  doc.fields = {amount};
  auto d = store_->AddDocument(doc);
  ASSERT_TRUE(d) << d.error().message;
  auto fields = store_->GetDocumentFields(d->display_id);
  ASSERT_TRUE(fields);
  ASSERT_EQ(fields->size(), 1u);
  EXPECT_EQ((*fields)[0].problem, "not a number");
  EXPECT_EQ(store_->ApproveDocument(d->display_id, "reviewer").error().code,
            ErrorCode::kConflict);
  ASSERT_TRUE(store_->SetDocumentField(d->display_id, "amount", "120.00", "reviewer"));
  fields = store_->GetDocumentFields(d->display_id);
  ASSERT_EQ(fields->size(), 1u);
  EXPECT_EQ((*fields)[0].value, "120.00");
  EXPECT_EQ((*fields)[0].problem, "");
  EXPECT_EQ((*fields)[0].source, "entered");
  EXPECT_EQ(store_->SetDocumentField(d->display_id, "nothing", std::nullopt, "reviewer")
                .error()
                .code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(store_->ApproveDocument(d->display_id, "reviewer"));
  auto history = store_->DocumentHistory(d->display_id);
  ASSERT_TRUE(history);
  std::vector<std::string> amount_values;
  for (const auto& e : *history) {
    EXPECT_EQ(e.record, d->display_id);
    if (e.field == "field:amount") amount_values.push_back(e.new_value.value_or(""));
  }
  ASSERT_EQ(amount_values.size(), 2u);
  EXPECT_EQ(amount_values[1], "120.00");
}

TEST_P(RecordsStoreContract, RefileRejectAndReplaceFollowTheReviewRules) {
  auto other = store_->AddCustomer("北京远航科技有限公司", "company", "clerk");
  ASSERT_TRUE(other);
  auto d = store_->AddDocument(Doc("服务合同", "k1"));
  ASSERT_TRUE(d);
  auto filed = store_->ApproveDocument(d->display_id, "reviewer");
  ASSERT_TRUE(filed);
  RefileRequest request;
  request.document = d->display_id;
  request.actor = "manager";
  request.type = "form";
  EXPECT_EQ(store_->RefileDocument(request).error().code, ErrorCode::kInvalidArgument);
  request.reason = "wrong type";
  request.type = "contract";
  EXPECT_EQ(store_->RefileDocument(request).error().code, ErrorCode::kInvalidArgument);
  request.type = "form";
  request.customer_code = other->code;
  auto refiled = store_->RefileDocument(request);
  ASSERT_TRUE(refiled) << refiled.error().message;
  EXPECT_EQ(refiled->before.archive_number, filed->archive_number);
  EXPECT_NE(refiled->after.archive_number, filed->archive_number);
  EXPECT_EQ(refiled->after.customer_code, other->code);
  EXPECT_EQ(store_->ListDocuments(other->code)->size(), 1u);
  EXPECT_TRUE(store_->ListDocuments(customer_)->empty());

  auto bad = store_->AddDocument(Doc("服务合同", "k2"));
  auto rescan = store_->AddDocument(Doc("服务合同", "k3"));
  ASSERT_TRUE(bad && rescan);
  EXPECT_EQ(store_->ReplaceDocument(bad->display_id, rescan->display_id, "reviewer")
                .error()
                .code,
            ErrorCode::kConflict);  // not rejected yet
  auto rejected = store_->RejectDocument(bad->display_id, "看不清", "reviewer");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->review_reason, "看不清");
  auto replaced = store_->ReplaceDocument(bad->display_id, rescan->display_id, "reviewer");
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->replaces, bad->display_id);
  EXPECT_EQ(store_->GetDocument(bad->display_id)->status, "replaced");
  RefileRequest again;
  again.document = bad->display_id;
  again.title = "新标题";
  again.reason = "tidy";
  again.actor = "manager";
  EXPECT_EQ(store_->RefileDocument(again).error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->ListDocumentsByStatus("replaced")->size(), 1u);
  EXPECT_EQ(store_->ListDocumentsByStatus("pending")->size(), 1u);
}

TEST_P(RecordsStoreContract, SearchFindsMetadataOnceAndRespectsScopeAndLimits) {
  auto child = store_->AddCustomer("子公司", "company", "clerk");
  ASSERT_TRUE(child);
  ASSERT_TRUE(store_->LinkCustomer(child->code, customer_, "clerk"));
  auto lease = store_->AddDocument(Doc("租赁协议", "k1"));
  NewDocument sub = MakeDocument(child->code, "服务合同", {"甲方 子公司 签章"});
  sub.created_by = "scanner";
  auto other = store_->AddDocument(sub);
  ASSERT_TRUE(lease && other);
  SearchQuery q;
  q.text = "租赁协议";  // only in the title: one hit for the two pages
  auto hits = store_->Search(q);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].matched, "metadata");
  EXPECT_EQ((*hits)[0].display_id, lease->display_id);
  q.text = "签章";
  EXPECT_EQ(store_->Search(q)->size(), 2u);
  q.customer_code = customer_;
  EXPECT_EQ(store_->Search(q)->size(), 1u);
  q.include_group = true;
  EXPECT_EQ(store_->Search(q)->size(), 2u);
  q.customer_code = "";
  q.include_group = false;
  q.access.customer_codes = std::vector<std::string>{child->code};
  hits = store_->Search(q);
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].customer_code, child->code);
  q.access.customer_codes = std::vector<std::string>{};
  EXPECT_TRUE(store_->Search(q)->empty());
  q.access = AccessScope{};
  q.limit = 1;
  EXPECT_EQ(store_->Search(q)->size(), 1u);
  q.limit = 0;
  EXPECT_EQ(store_->Search(q).error().code, ErrorCode::kInvalidArgument);
  q.limit = 20;
  q.date_from = "2026-13";
  EXPECT_EQ(store_->Search(q).error().code, ErrorCode::kInvalidArgument);
  q.date_from = "2000-01-01";
  EXPECT_EQ(store_->Search(q)->size(), 2u);
  q.date_from = "";
  q.customer_code = "KH-2000-000001-X";
  EXPECT_EQ(store_->Search(q).error().code, ErrorCode::kInvalidArgument);
  q.customer_code = "";
  ASSERT_TRUE(store_->SetDocumentField(other->display_id, "contract_number",
                                       "HT-0042", "reviewer"));
  q.field_equals = {{"contract_number", "HT-0042"}};
  hits = store_->Search(q);
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].display_id, other->display_id);
  EXPECT_NE((*hits)[0].snippet.find("[签章]"), std::string::npos) << (*hits)[0].snippet;
}

TEST_P(RecordsStoreContract, VerificationsAreALogOfChecks) {
  auto d = store_->AddDocument(Doc("服务合同", "k1"));
  ASSERT_TRUE(d);
  EXPECT_FALSE(*store_->LastVerification(d->id));
  Verification v;
  v.actor = "scanner";
  v.kind = "ingest";
  v.fixity_ok = true;
  v.pdfa_ok = true;
  v.pdfa_level = "2b";
  ASSERT_TRUE(store_->RecordVerification(d->id, v));
  v.kind = "verify";
  v.pdfa_ok = false;
  v.problems = {"no OutputIntent", "XMP missing"};
  ASSERT_TRUE(store_->RecordVerification(d->id, v));
  v.kind = "guess";
  EXPECT_EQ(store_->RecordVerification(d->id, v).error().code,
            ErrorCode::kInvalidArgument);
  auto last = store_->LastVerification(d->id);
  ASSERT_TRUE(last && *last);
  EXPECT_EQ((*last)->kind, "verify");
  EXPECT_FALSE((*last)->pdfa_ok);
  EXPECT_EQ((*last)->problems.size(), 2u);
  EXPECT_FALSE((*last)->at.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordsStoreContract,
                         ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dossier::storage::testing
