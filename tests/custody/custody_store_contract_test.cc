// The custody store contract: every CustodyStore backend runs this suite
// (SQLite, and PostgreSQL on the test cluster: tests/support/
// pg_test_support.h, each test in its own database). It speaks
// only through the RecordsStore and CustodyStore interfaces, so it tests
// promises, not SQL: locations, originals, moves (all or nothing), loans,
// audits, the destruction hooks, and the errors each call gives.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "storage/custody_store.h"
#include "storage/postgres/catalog.h"
#include "storage/postgres/custody.h"
#include "storage/postgres/records.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/custody.h"
#include "tests/storage/test_util.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage::testing {
namespace {

// The stores one archive offers a custody backend: the records it files
// originals for, and custody itself (destroyed first; it may use records).
struct CustodyStores {
  std::unique_ptr<RecordsStore> records;
  std::unique_ptr<CustodyStore> custody;
  CustodyStores() = default;
  CustodyStores(CustodyStores&&) = default;
  CustodyStores& operator=(CustodyStores&&) = default;
  ~CustodyStores() { custody.reset(); }
};

struct CustodyBackend {
  std::string name;
  // A new empty archive in dir (create) or a further connection to it (open).
  std::function<CustodyStores(const std::filesystem::path&, bool create)> make;
};

// Test names end in the backend's name, not the parameter's bytes.
void PrintTo(const CustodyBackend& backend, std::ostream* os) { *os << backend.name; }

// PostgreSQL stores with what they live on (the catalog, and the test
// database for the stores that made it).
class HeldPgRecords : private dossier::testing::PgTestCatalog, public postgres::PgRecords {
 public:
  explicit HeldPgRecords(dossier::testing::PgTestCatalog holding)
      : dossier::testing::PgTestCatalog(std::move(holding)),
        postgres::PgRecords(*catalog) {}
  postgres::PgCatalog& pg_catalog() { return *catalog; }
};

CustodyStores OpenPg(const std::filesystem::path& dir, bool create) {
  CustodyStores s;
  auto holding = dossier::testing::OpenPgTestCatalog(dir, create);
  EXPECT_TRUE(holding) << holding.error().message;
  if (!holding) return s;
  auto records = std::make_unique<HeldPgRecords>(std::move(*holding));
  s.custody = std::make_unique<postgres::PgCustody>(records->pg_catalog());
  s.records = std::move(records);
  return s;
}

std::vector<CustodyBackend> CustodyBackends() {
  return {{"sqlite", [](const std::filesystem::path& dir, bool create) {
             CustodyStores s;
             auto c = create ? Catalog::Create(dir / "catalog.sqlite")
                             : Catalog::Open(dir / "catalog.sqlite");
             EXPECT_TRUE(c) << c.error().message;
             if (!c) return s;
             s.custody = std::make_unique<Custody>(**c);
             s.records = std::move(*c);
             return s;
           }},
          {"postgresql", OpenPg}};
}

class CustodyStoreContract : public ::testing::TestWithParam<CustodyBackend> {
 protected:
  void SetUp() override {
    stores_ = GetParam().make(dir_.path(), true);
    ASSERT_NE(stores_.custody, nullptr);
    auto customer =
        records().AddCustomer("上海明川贸易有限公司", "company", "clerk");
    ASSERT_TRUE(customer) << customer.error().message;
    customer_ = customer->code;
    for (int i = 0; i < 3; ++i) {
      auto d = records().AddDocument(MakeDocument(
          customer_, "服务合同 " + std::to_string(i), {"甲方", "乙方", "签章"}));
      ASSERT_TRUE(d) << d.error().message;
      docs_.push_back(d->display_id);
    }
    ASSERT_TRUE(custody().AddLocation({"A", "room", "", "档案室", 0, "restricted"},
                                      "clerk"));
    // A-01: shelves A-01-1, A-01-2; boxes A-01-1-001..003, A-01-2-001..003,
    // each holding at most 2 originals.
    auto cabinet = custody().AddCabinet({"A-01", "A", 2, 3, 2, "locked"}, "clerk");
    ASSERT_TRUE(cabinet) << cabinet.error().message;
  }
  RecordsStore& records() { return *stores_.records; }
  CustodyStore& custody() { return *stores_.custody; }
  std::string Register(const std::string& item, const std::string& at) {
    auto o = custody().RegisterOriginal({item, at, -1, "clerk"});
    EXPECT_TRUE(o) << o.error().message;
    return o ? o->barcode : "";
  }

  dossier::testing::TempDir dir_;
  CustodyStores stores_;
  std::string customer_;
  std::vector<std::string> docs_;
};

TEST_P(CustodyStoreContract, LocationsNestAndAreFoundByCodeOrBarcode) {
  auto all = custody().ListLocations("");
  ASSERT_TRUE(all) << all.error().message;
  // The room, the cabinet, 2 shelves and 6 boxes, each before its subtree.
  ASSERT_EQ(all->size(), 10u);
  EXPECT_EQ((*all)[0].code, "A");
  EXPECT_EQ((*all)[1].code, "A-01");
  EXPECT_EQ((*all)[2].code, "A-01-1");
  EXPECT_EQ((*all)[3].code, "A-01-1-001");
  auto box = custody().GetLocation("A-01-2-003");
  ASSERT_TRUE(box) << box.error().message;
  EXPECT_EQ(box->kind, "box");
  EXPECT_EQ(box->capacity, 2);
  EXPECT_EQ(box->path, "A / A-01 / A-01-2 / A-01-2-003");
  EXPECT_TRUE(IsLocationBarcode(box->barcode));
  auto by_barcode = custody().GetLocation(box->barcode);
  ASSERT_TRUE(by_barcode);
  EXPECT_EQ(by_barcode->code, "A-01-2-003");
  auto shelf = custody().ListLocations("A-01-2");
  ASSERT_TRUE(shelf);
  EXPECT_EQ(shelf->size(), 4u);  // the shelf and its 3 boxes
}

TEST_P(CustodyStoreContract, LocationErrorsHaveTheirCodes) {
  EXPECT_EQ(custody().GetLocation("Z-99").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(custody().AddLocation({"A", "room", "", "again", 0, ""}, "clerk")
                .error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(custody().AddLocation({"B-1", "shelf", "NOWHERE", "", 0, ""}, "clerk")
                .error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(custody().AddLocation({"B", "attic", "", "", 0, ""}, "clerk")
                .error().code,
            ErrorCode::kInvalidArgument);
  // A cabinet whose boxes clash with existing codes adds nothing at all.
  auto clash = custody().AddCabinet({"A-01", "A", 1, 1, 0, ""}, "clerk");
  ASSERT_FALSE(clash);
  EXPECT_EQ(custody().ListLocations("")->size(), 10u);
}

TEST_P(CustodyStoreContract, OriginalsAreRegisteredFoundAndTraced) {
  const std::string barcode = Register(docs_[0], "A-01-1-001");
  EXPECT_TRUE(IsOriginalBarcode(barcode));
  auto o = custody().GetOriginal(barcode);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->document_display_id, docs_[0]);
  EXPECT_EQ(o->state, "in-place");
  EXPECT_EQ(o->location_code, "A-01-1-001");
  EXPECT_EQ(o->page_count, 3);
  auto at = custody().OriginalsAt("A-01", /*include_sublocations=*/true);
  ASSERT_TRUE(at);
  ASSERT_EQ(at->size(), 1u);
  EXPECT_EQ(custody().OriginalsAt("A-01", false)->size(), 0u);
  auto where = custody().Where(docs_[0]);
  ASSERT_TRUE(where) << where.error().message;
  ASSERT_EQ(where->size(), 1u);
  ASSERT_FALSE((*where)[0].history.empty());
  EXPECT_EQ((*where)[0].history[0].event, "register");
  EXPECT_EQ(custody().GetOriginal("OR99999999X").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(custody().RegisterOriginal({"D999999", "A-01-1-001", -1, "clerk"})
                .error().code,
            ErrorCode::kNotFound);
}

TEST_P(CustodyStoreContract, BulkRegistrationIsAllOrNothing) {
  auto bad = custody().RegisterOriginals({{docs_[0], "A-01-1-002", -1, "clerk"},
                                          {"D999999", "A-01-1-002", -1, "clerk"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(custody().OriginalsAt("A-01-1-002", false)->size(), 0u);
  auto good = custody().RegisterOriginals({{docs_[0], "A-01-1-002", -1, "clerk"},
                                           {docs_[1], "A-01-1-002", -1, "clerk"}});
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->size(), 2u);
  EXPECT_EQ(std::set<std::string>(good->begin(), good->end()).size(), 2u);
  EXPECT_EQ(custody().OriginalsAt("A-01-1-002", false)->size(), 2u);
}

TEST_P(CustodyStoreContract, AMoveWithOneProblemMovesNothing) {
  const std::string a = Register(docs_[0], "A-01-1-001");
  const std::string b = Register(docs_[1], "A-01-1-001");
  const std::string c = Register(docs_[2], "A-01-1-002");
  // An unknown item among known ones: nothing moves, the problem is listed.
  MoveRequest unknown{{a, "OR99999999X"}, "A-01-2-001", "reshelving", "clerk"};
  EXPECT_EQ(custody().CheckMove(unknown).size(), 1u);
  auto refused = custody().MoveOriginals(unknown);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(custody().GetOriginal(a)->location_code, "A-01-1-001");
  // Only unknown items: kNotFound.
  auto none = custody().MoveOriginals(
      {{"OR99999999X"}, "A-01-2-001", "reshelving", "clerk"});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  // A move says why.
  EXPECT_EQ(custody().MoveOriginals({{a}, "A-01-2-001", " ", "clerk"}).error().code,
            ErrorCode::kInvalidArgument);
  // Capacity: three originals do not fit a box of two.
  auto full = custody().MoveOriginals({{a, b, c}, "A-01-2-001", "reshelving", "clerk"});
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kConflict);
  EXPECT_EQ(custody().GetOriginal(c)->location_code, "A-01-1-002");
  auto moved = custody().MoveOriginals({{a, b}, "A-01-2-001", "reshelving", "clerk"});
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->moved, 2);
  EXPECT_EQ(custody().GetOriginal(b)->location_code, "A-01-2-001");
  auto again = custody().MoveOriginals({{a}, "A-01-2-001", "check", "clerk"});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->already_there, 1);
  auto trace = custody().Where(a);
  ASSERT_TRUE(trace);
  EXPECT_EQ((*trace)[0].history.back().event, "move");
  EXPECT_EQ((*trace)[0].history.back().reason, "reshelving");
}

TEST_P(CustodyStoreContract, ALoanGoesThroughApprovalCheckoutAndReturn) {
  const std::string barcode = Register(docs_[0], "A-01-1-001");
  auto loan = custody().RequestLoan(
      {barcode, false, "合同核对", "法务部", false, "2999-01-31", "asker"});
  ASSERT_TRUE(loan) << loan.error().message;
  EXPECT_EQ(loan->status, "requested");
  EXPECT_EQ(custody().ApproveLoan(loan->display_id, "asker", "").error().code,
            ErrorCode::kConflict);
  ASSERT_TRUE(custody().ApproveLoan(loan->display_id, "boss", "ok"));
  // The wrong original at the desk is refused and changes nothing.
  const std::string other = Register(docs_[1], "A-01-1-001");
  EXPECT_EQ(custody().CheckoutLoan(loan->display_id, other, "desk").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(custody().GetLoan(loan->display_id)->status, "approved");
  auto out = custody().CheckoutLoan(loan->display_id, barcode, "desk");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->status, "checked-out");
  EXPECT_EQ(custody().GetOriginal(barcode)->state, "on-loan");
  EXPECT_EQ(custody().OverdueLoans("3000-01-01")->size(), 1u);
  EXPECT_EQ(custody().OverdueLoans("2998-01-01")->size(), 0u);
  // A return with a page missing is flagged until an approver resolves it.
  auto back = custody().ReturnLoan({loan->display_id, barcode, 2, "一页缺失", "desk"});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->status, "return-flagged");
  EXPECT_EQ(custody().ResolveReturn(loan->display_id, "asker", "").error().code,
            ErrorCode::kConflict);
  auto resolved = custody().ResolveReturn(loan->display_id, "boss", "已找回");
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_EQ(resolved->status, "returned");
  EXPECT_EQ(custody().GetOriginal(barcode)->state, "in-place");
  EXPECT_EQ(custody().ListLoans("open")->size(), 0u);
  EXPECT_EQ(custody().ListLoans("")->size(), 1u);
  EXPECT_EQ(custody().GetLoan("L999999").error().code, ErrorCode::kNotFound);
}

TEST_P(CustodyStoreContract, ExternalLoansAndRenewalsNeedTheirApprovals) {
  const std::string barcode = Register(docs_[0], "A-01-1-001");
  auto loan = custody().RequestLoan(
      {barcode, false, "审计", "外部律所", true, "2999-01-31", "asker"});
  ASSERT_TRUE(loan) << loan.error().message;
  EXPECT_EQ(loan->approvals_needed, 2);
  ASSERT_TRUE(custody().ApproveLoan(loan->display_id, "boss", ""));
  EXPECT_EQ(custody().GetLoan(loan->display_id)->status, "requested");
  EXPECT_EQ(custody().ApproveLoan(loan->display_id, "boss", "").error().code,
            ErrorCode::kConflict);
  ASSERT_TRUE(custody().ApproveLoan(loan->display_id, "chief", ""));
  ASSERT_TRUE(custody().CheckoutLoan(loan->display_id, barcode, "desk"));
  auto renewal = custody().RequestRenewal(loan->display_id, "2999-03-31", "asker");
  ASSERT_TRUE(renewal) << renewal.error().message;
  EXPECT_EQ(renewal->status, "renewal-requested");
  EXPECT_EQ(renewal->due_date, "2999-01-31");
  ASSERT_TRUE(custody().ApproveLoan(loan->display_id, "boss", ""));
  auto renewed = custody().ApproveLoan(loan->display_id, "chief", "");
  ASSERT_TRUE(renewed) << renewed.error().message;
  EXPECT_EQ(renewed->status, "checked-out");
  EXPECT_EQ(renewed->due_date, "2999-03-31");
}

TEST_P(CustodyStoreContract, AnAuditReconcilesAndItsMovesNeedAnotherApprover) {
  const std::string a = Register(docs_[0], "A-01-1-001");
  const std::string b = Register(docs_[1], "A-01-1-001");
  auto audit = custody().StartAudit("A-01", "auditor");
  ASSERT_TRUE(audit) << audit.error().message;
  EXPECT_EQ(audit->status, "open");
  EXPECT_EQ(custody().OpenAuditAt("A-01")->value_or(Audit{}).display_id,
            audit->display_id);
  // a where it belongs; b found in another box; nothing else.
  const std::string box1 = custody().GetLocation("A-01-1-001")->barcode;
  const std::string box2 = custody().GetLocation("A-01-2-001")->barcode;
  auto scans = custody().AddScans(audit->display_id, {box1, a, box2, b, ""}, "stdin");
  ASSERT_TRUE(scans) << scans.error().message;
  EXPECT_EQ(scans->items, 2);
  EXPECT_EQ(scans->contexts, 2);
  EXPECT_EQ(scans->ignored, 1);
  // While it is open, the reconciliation as it stands, kept nowhere.
  auto preview = custody().PreviewAudit(audit->display_id);
  ASSERT_TRUE(preview) << preview.error().message;
  EXPECT_EQ(preview->audit.status, "open");
  EXPECT_EQ(preview->audit.found, 1);
  EXPECT_EQ(preview->audit.misplaced, 1);
  ASSERT_EQ(preview->lines.size(), 2u);
  EXPECT_EQ(preview->lines[0].category, "misplaced");
  EXPECT_EQ(preview->lines[0].barcode, b);
  EXPECT_EQ(preview->lines[0].suggested_to, "A-01-2-001");
  EXPECT_EQ(preview->lines[1].category, "found");
  EXPECT_EQ(preview->lines[1].barcode, a);
  EXPECT_TRUE(custody().AuditReport(audit->display_id)->empty());
  EXPECT_EQ(custody().GetAudit(audit->display_id)->status, "open");
  EXPECT_EQ(custody().GetAudit(audit->display_id)->found, 0);
  // A scan after it is seen by the next preview.
  ASSERT_TRUE(custody().AddScans(audit->display_id, {"OR99999999Z"}, "stdin"));
  auto again = custody().PreviewAudit(audit->display_id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->audit.unknown, 1);
  EXPECT_EQ(again->lines.size(), 3u);
  auto closed = custody().CloseAudit(audit->display_id, "auditor");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->status, "closed");
  EXPECT_EQ(closed->found, 1);
  EXPECT_EQ(closed->misplaced, 1);
  EXPECT_EQ(closed->unknown, 1);
  EXPECT_EQ(custody().CloseAudit(audit->display_id, "auditor").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(custody().PreviewAudit(audit->display_id).error().code, ErrorCode::kConflict);
  auto report = custody().AuditReport(audit->display_id);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->size(), 3u);
  EXPECT_EQ(custody().ApplyAuditMoves(audit->display_id, "auditor").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(custody().GetOriginal(b)->location_code, "A-01-1-001");
  auto applied = custody().ApplyAuditMoves(audit->display_id, "boss");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->moved, 1);
  EXPECT_EQ(custody().GetOriginal(b)->location_code, "A-01-2-001");
  EXPECT_EQ(custody().AuditHistory("A-01")->size(), 1u);
  EXPECT_EQ(custody().GetAudit("AU999999").error().code, ErrorCode::kNotFound);
}

TEST_P(CustodyStoreContract, DestructionAsksCustodyForBlockersAndShredding) {
  const std::string barcode = Register(docs_[0], "A-01-1-001");
  const std::int64_t id = records().GetDocument(docs_[0])->id;
  EXPECT_TRUE(custody().DestructionBlockers(id)->empty());
  EXPECT_TRUE(custody().CheckCanDestroy(barcode));
  auto loan = custody().RequestLoan(
      {barcode, false, "核对", "法务部", false, "2999-01-31", "asker"});
  ASSERT_TRUE(loan);
  EXPECT_EQ(custody().DestructionBlockers(id)->size(), 1u);
  ASSERT_TRUE(custody().RejectLoan(loan->display_id, "boss", "no"));
  EXPECT_TRUE(custody().DestructionBlockers(id)->empty());
  auto shredded = custody().RecordShredding(barcode, "clerk",
                                            "2026-03-01T09:00:00Z", "witness W");
  ASSERT_TRUE(shredded) << shredded.error().message;
  EXPECT_EQ(shredded->state, "in-place");  // as it was
  EXPECT_EQ(custody().GetOriginal(barcode)->state, "destroyed");
  EXPECT_EQ(custody().RecordShredding(barcode, "clerk", "2026-03-01T09:00:00Z", "")
                .error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(custody().RecordShredding("OR99999999X", "clerk",
                                      "2026-03-01T09:00:00Z", "")
                .error().code,
            ErrorCode::kNotFound);
}

TEST_P(CustodyStoreContract, ElectronicCopiesAreLentAndExportsNeedAnApprovedLoan) {
  ASSERT_TRUE(records().PutSetting("lending", R"({"export_requires_approval": true})",
                                   "admin"));
  auto refused = custody().AuthorizeExport(docs_[0], "asker");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  auto loan = custody().RequestLoan(
      {docs_[0], true, "复印", "法务部", false, "2999-01-31", "asker"});
  ASSERT_TRUE(loan) << loan.error().message;
  EXPECT_EQ(loan->kind, "electronic");
  EXPECT_EQ(loan->document_display_id, docs_[0]);
  // Not approved yet: still refused.
  EXPECT_EQ(custody().AuthorizeExport(docs_[0], "asker").error().code,
            ErrorCode::kConflict);
  ASSERT_TRUE(custody().ApproveLoan(loan->display_id, "boss", ""));
  // Another user's approval is not the asker's.
  EXPECT_EQ(custody().AuthorizeExport(docs_[0], "someone").error().code,
            ErrorCode::kConflict);
  auto used = custody().AuthorizeExport(docs_[0], "asker");
  ASSERT_TRUE(used) << used.error().message;
  ASSERT_TRUE(used->has_value());
  EXPECT_EQ((*used)->display_id, loan->display_id);
  EXPECT_EQ((*used)->status, "exported");
  EXPECT_TRUE(custody().ListLoans("open")->empty());
  EXPECT_EQ(custody().ListLoans("exported")->size(), 1u);
  EXPECT_EQ(custody().ListLoans("lost").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(custody().GetLendingPolicy()->export_requires_approval, true);
}

TEST_P(CustodyStoreContract, ACustomerFolderIsOneOriginalOfTheCustomer) {
  auto folder = custody().RegisterOriginal({customer_, "A-01-1-003", -1, "clerk"});
  ASSERT_TRUE(folder) << folder.error().message;
  EXPECT_TRUE(folder->document_display_id.empty());
  EXPECT_EQ(folder->title, "customer folder");
  EXPECT_EQ(folder->page_count, 9);  // the pages of its three documents
  EXPECT_EQ(folder->customer_code, customer_);
  auto again = custody().RegisterOriginal({customer_, "A-01-1-003", -1, "clerk"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  const std::string doc = Register(docs_[0], "A-01-1-003");
  EXPECT_EQ(custody().RegisterOriginal({docs_[0], "A-01-2-001", -1, "clerk"})
                .error().code,
            ErrorCode::kConflict);
  // The box holds two: a third is refused.
  EXPECT_EQ(custody().RegisterOriginal({docs_[1], "A-01-1-003", -1, "clerk"})
                .error().code,
            ErrorCode::kConflict);
  auto where = custody().Where(customer_);
  ASSERT_TRUE(where) << where.error().message;
  EXPECT_EQ(where->size(), 2u);
  EXPECT_EQ(custody().Where(docs_[2]).error().code, ErrorCode::kNotFound);
  // A loan by document id lends its one original.
  auto loan = custody().RequestLoan(
      {docs_[0], false, "核对", "法务部", false, "2999-01-31", "asker"});
  ASSERT_TRUE(loan) << loan.error().message;
  EXPECT_EQ(loan->barcode, doc);
  EXPECT_EQ(custody().GetOriginal(doc)->loan_id, "");  // requested, not out
}

TEST_P(CustodyStoreContract, AnAuditSortsMissingOnLoanUnknownAndDuplicateScans) {
  const std::string a = Register(docs_[0], "A-01-1-001");
  const std::string b = Register(docs_[1], "A-01-1-001");
  const std::string c = Register(docs_[2], "A-01-1-002");
  auto loan = custody().RequestLoan(
      {c, false, "核对", "法务部", false, "2999-01-31", "asker"});
  ASSERT_TRUE(loan);
  ASSERT_TRUE(custody().ApproveLoan(loan->display_id, "boss", ""));
  ASSERT_TRUE(custody().CheckoutLoan(loan->display_id, c, "desk"));
  EXPECT_EQ(custody().GetOriginal(c)->loan_id, loan->display_id);
  auto audit = custody().StartAudit("A-01-1", "auditor");
  ASSERT_TRUE(audit) << audit.error().message;
  EXPECT_EQ(custody().StartAudit("A-01-1", "auditor").error().code,
            ErrorCode::kConflict);
  const std::string box1 = custody().GetLocation("A-01-1-001")->barcode;
  ASSERT_TRUE(custody().AddScans(audit->display_id, {box1, a, a, "OR99999999Z"},
                                 "stdin"));
  auto closed = custody().CloseAudit(audit->display_id, "auditor");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->scans, 3);
  EXPECT_EQ(closed->found, 1);
  EXPECT_EQ(closed->missing, 1);
  EXPECT_EQ(closed->on_loan, 1);
  EXPECT_EQ(closed->unknown, 1);
  EXPECT_EQ(closed->duplicates, 1);
  EXPECT_EQ(closed->misplaced, 0);
  auto report = custody().AuditReport(audit->display_id);
  ASSERT_TRUE(report) << report.error().message;
  std::vector<std::string> order;
  for (const AuditLine& line : *report) order.push_back(line.category + " " + line.barcode);
  EXPECT_EQ(order, (std::vector<std::string>{"missing " + b, "unknown OR99999999Z",
                                             "duplicate " + a, "on-loan " + c,
                                             "found " + a}));
  EXPECT_EQ((*report)[0].registered_at, "A-01-1-001");
  EXPECT_EQ((*report)[4].found_at, "A-01-1-001");
  EXPECT_EQ((*report)[4].scan_count, 2);
  EXPECT_EQ(custody().AddScans(audit->display_id, {a}, "stdin").error().code,
            ErrorCode::kConflict);
  // No suggested moves: applying them moves nothing, and only once.
  auto applied = custody().ApplyAuditMoves(audit->display_id, "boss");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->moved, 0);
  EXPECT_EQ(custody().ApplyAuditMoves(audit->display_id, "boss").error().code,
            ErrorCode::kConflict);
  EXPECT_FALSE(custody().OpenAuditAt("A-01-1")->has_value());
}

TEST_P(CustodyStoreContract, AnotherConnectionSeesEveryCommittedChange) {
  const std::string barcode = Register(docs_[0], "A-01-1-001");
  CustodyStores other = GetParam().make(dir_.path(), false);
  ASSERT_NE(other.custody, nullptr);
  auto seen = other.custody->GetOriginal(barcode);
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->location_code, "A-01-1-001");
  // Both connections register at once; no barcode is handed out twice.
  const std::string mine = Register(docs_[1], "A-01-1-002");
  auto theirs = other.custody->RegisterOriginal({docs_[2], "A-01-1-002", -1, "clerk"});
  ASSERT_TRUE(theirs) << theirs.error().message;
  EXPECT_NE(mine, theirs->barcode);
  EXPECT_EQ(custody().OriginalsAt("A-01-1-002", false)->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CustodyStoreContract,
                         ::testing::ValuesIn(CustodyBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dossier::storage::testing
