// Retention rules, due lists, legal holds, loans blocking destruction, the
// destruction itself (purge, tombstone, shared files), shredding of
// originals and the certificate.
#include "storage/sqlite/retention.h"

#include <gtest/gtest.h>

#include <map>

#include "archive/certificate.h"
#include "core/file_util.h"
#include "pipeline/verify.h"
#include "storage/sqlite/custody.h"
#include "tests/governance/governance_fixture.h"

namespace dossier::storage::testing {
namespace {

constexpr char kFarFuture[] = "2099-01-01";

TEST_F(GovernanceTest, RulesAreCheckedAndRecordedInHistory) {
  EXPECT_EQ(retention_->SetRule("poster", "filing", 5, "rm").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(retention_->SetRule("form", "birthday", 5, "rm").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(retention_->SetRule("form", "filing", 201, "rm").error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(retention_->SetRule("form", "filing", 5, "rm"));
  ASSERT_TRUE(retention_->SetRule("form", "filing", 7, "rm2"));
  ASSERT_TRUE(retention_->SetRule("contract", "contract-end", 10, "rm"));
  auto rules = retention_->ListRules();
  ASSERT_TRUE(rules);
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[1].document_type, "form");
  EXPECT_EQ((*rules)[1].years, 7);
  EXPECT_EQ((*rules)[1].updated_by, "rm2");
  EXPECT_EQ(Query("SELECT count(*) FROM history WHERE table_name = "
                  "'retention_rules'"),
            "3");
  EXPECT_EQ(Query("SELECT old_value FROM history WHERE table_name = "
                  "'retention_rules' ORDER BY id DESC LIMIT 1 OFFSET 1"),
            "filing + 5 years");
}

TEST_F(GovernanceTest, DueCountsFromFilingContractEndAndRelationshipEnd) {
  ASSERT_TRUE(retention_->SetRule("contract", "contract-end", 10, "rm"));
  ASSERT_TRUE(retention_->SetRule("form", "filing", 5, "rm"));
  ASSERT_TRUE(retention_->SetRule("id-copy", "relationship-end", 3, "rm"));
  const std::string ended = AddDoc("old contract", "pdf-1", "contract", "2010-06-30");
  const std::string running = AddDoc("running contract", "pdf-2", "contract",
                                     "2030-02-28");
  const std::string no_date = AddDoc("contract without end", "pdf-3");
  const std::string form = AddDoc("form", "pdf-4", "form");
  const std::string id_copy = AddDoc("id copy", "pdf-5", "id-copy");
  const std::string pending = AddDoc("pending", "pdf-6", "form", "", false);

  auto due = retention_->Due("2026-03-01");
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].document, ended);
  EXPECT_EQ((*due)[0].event_date, "2010-06-30");
  EXPECT_EQ((*due)[0].due_on, "2020-06-30");
  EXPECT_TRUE((*due)[0].blocked_by.empty());

  // No relationship end yet: the id copy is never due.
  auto far = retention_->Due(kFarFuture, true);
  ASSERT_TRUE(far);
  std::map<std::string, RetentionStatus> by_doc;
  for (const auto& s : *far) by_doc[s.document] = s;
  EXPECT_FALSE(by_doc.contains(pending));  // pending review: never due
  EXPECT_EQ(by_doc[running].due_on, "2040-02-28");
  EXPECT_TRUE(by_doc[no_date].due_on.empty());
  EXPECT_FALSE(by_doc[no_date].due);
  EXPECT_TRUE(by_doc[form].due);
  EXPECT_FALSE(by_doc[id_copy].due);

  EXPECT_EQ(retention_->SetRelationshipEnd(customer_, "2020-13-01", "rm")
                .error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(retention_->SetRelationshipEnd(customer_, "2020-02-29", "rm"));
  auto after = retention_->Due("2023-03-01");
  ASSERT_TRUE(after);
  bool found = false;
  for (const auto& s : *after) {
    if (s.document == id_copy) {
      found = true;
      EXPECT_EQ(s.due_on, "2023-02-28");  // 29 February + 3 years
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(Query("SELECT new_value FROM history WHERE field = "
                  "'relationship_ended_on'"),
            "2020-02-29");
}

TEST_F(GovernanceTest, HoldsAndLoansBlockProposalAndApproval) {
  ASSERT_TRUE(retention_->SetRule("contract", "contract-end", 10, "rm"));
  const std::string a = AddDoc("contract a", "pdf-a", "contract", "2010-01-01");
  const std::string b = AddDoc("contract b", "pdf-b", "contract", "2010-01-01");
  auto hold = retention_->AddHold(a, "litigation 2026-17", "legal");
  ASSERT_TRUE(hold) << hold.error().message;
  EXPECT_EQ(hold->display_id, "H000001");
  EXPECT_EQ(retention_->AddHold(a, "  ", "legal").error().code,
            ErrorCode::kInvalidArgument);

  auto due = retention_->Due("2026-03-01");
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);
  ASSERT_EQ((*due)[0].blocked_by.size(), 1u);
  EXPECT_NE((*due)[0].blocked_by[0].find("H000001"), std::string::npos);

  auto refused = retention_->Propose({a, b}, "2026-03-01", "", "rm");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find(a), std::string::npos);
  EXPECT_NE(refused.error().message.find("litigation 2026-17"), std::string::npos);
  EXPECT_EQ(Query("SELECT count(*) FROM destruction_batches"), "0");

  // Without documents named, only the free ones are proposed.
  auto batch = retention_->Propose({}, "2026-03-01", "yearly review", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->items.size(), 1u);
  EXPECT_EQ(batch->items[0].document, b);

  // A loan requested after the proposal blocks the approval.
  Custody custody(catalog());
  LoanRequest loan;
  loan.item = b;
  loan.electronic = true;
  loan.purpose = "audit";
  loan.recipient = "auditor";
  loan.due_date = "2099-12-31";
  loan.requester = "clerk";
  auto l = custody.RequestLoan(loan);
  ASSERT_TRUE(l) << l.error().message;
  auto approve = retention_->Approve(batch->display_id, "manager");
  ASSERT_FALSE(approve);
  EXPECT_NE(approve.error().message.find("open loan"), std::string::npos);
  ASSERT_TRUE(custody.RejectLoan(l->display_id, "manager", "retention ended"));

  // A customer hold blocks every document of the customer.
  auto customer_hold = retention_->AddHold(customer_, "regulator inquiry", "legal");
  ASSERT_TRUE(customer_hold) << customer_hold.error().message;
  approve = retention_->Approve(batch->display_id, "manager");
  ASSERT_FALSE(approve);
  EXPECT_NE(approve.error().message.find("regulator inquiry"), std::string::npos);
  ASSERT_TRUE(retention_->ReleaseHold(customer_hold->display_id, "closed", "legal"));
  EXPECT_EQ(retention_->ReleaseHold(customer_hold->display_id, "again", "legal")
                .error().code,
            ErrorCode::kConflict);
  approve = retention_->Approve(batch->display_id, "manager");
  ASSERT_TRUE(approve) << approve.error().message;
  EXPECT_EQ(approve->status, "completed");  // no paper originals
  // Holds are released, never deleted.
  EXPECT_NE(RawDb(archive_->dir() / "catalog.sqlite").Exec("DELETE FROM legal_holds"),
            RawDb::kOk);
}

TEST_F(GovernanceTest, ApprovalPurgesContentKeepsTombstoneAndSharedFiles) {
  ASSERT_TRUE(retention_->SetRule("contract", "contract-end", 10, "rm"));
  const std::string doomed = AddDoc("服务合同 old", "same-bytes", "contract",
                                    "2010-01-01");
  const std::string twin = AddDoc("twin", "same-bytes", "contract", "2030-01-01");
  const std::string solo = AddDoc("solo", "solo-bytes", "contract", "2011-01-01");
  const auto twin_sha = catalog().GetDocument(twin)->pdf_sha256;
  const auto solo_sha = catalog().GetDocument(solo)->pdf_sha256;
  const std::string history_before = Query("SELECT count(*) FROM history");

  auto batch = retention_->Propose({doomed, solo}, "2026-03-01", "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->display_id, "DB000001");
  // Not the proposer; with approvers configured, a listed one.
  EXPECT_EQ(retention_->Approve("DB000001", "rm").error().code,
            ErrorCode::kConflict);
  ASSERT_TRUE(catalog().PutSetting("retention", R"({"approvers": ["boss"]})", "admin"));
  EXPECT_EQ(retention_->Approve("DB000001", "someone").error().code,
            ErrorCode::kConflict);
  auto approved = retention_->Approve("DB000001", "boss");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->approved_by, "boss");

  auto d = catalog().GetDocument(doomed);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, "destroyed");
  EXPECT_EQ(d->title, "服务合同 old");  // the tombstone keeps code and title
  auto pages = catalog().GetPages(d->id, true);
  ASSERT_TRUE(pages);
  for (const auto& p : *pages) {
    EXPECT_TRUE(p.text.empty());
    EXPECT_TRUE(p.words.empty());
  }
  EXPECT_TRUE(catalog().GetDocumentFields(doomed)->empty());
  auto hits = catalog().Search(TextQuery("solo"));
  ASSERT_TRUE(hits) << hits.error().message;
  EXPECT_TRUE(hits->empty());
  // The metadata left the index too: the customer's code (in every
  // document's metadata) now finds the twin only.
  auto by_code = catalog().Search(TextQuery(customer_));
  ASSERT_TRUE(by_code) << by_code.error().message;
  ASSERT_EQ(by_code->size(), 1u);
  EXPECT_EQ(by_code->front().display_id, twin);
  // The shared file stays for the twin; the solo file is gone.
  EXPECT_TRUE(archive_->files().Contains(twin_sha));
  EXPECT_FALSE(archive_->files().Contains(solo_sha));
  EXPECT_TRUE(archive_->files().Get(twin_sha));

  // History only grows and cannot be deleted; documents cannot be deleted.
  EXPECT_GT(std::stoi(Query("SELECT count(*) FROM history")),
            std::stoi(history_before));
  RawDb raw(archive_->dir() / "catalog.sqlite");
  EXPECT_NE(raw.Exec("DELETE FROM history"), RawDb::kOk);
  EXPECT_NE(raw.Exec("DELETE FROM documents WHERE id = 1"), RawDb::kOk);
  EXPECT_NE(raw.Exec("DELETE FROM destruction_items"), RawDb::kOk);
  EXPECT_NE(raw.Exec("UPDATE documents SET status = 'filed' WHERE id = 1"),
            RawDb::kOk);

  // Tombstone and no second destruction.
  auto again = retention_->Propose({doomed}, "2026-03-01", "", "rm");
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("already destroyed"), std::string::npos);
  auto shown = retention_->GetBatch("DB1");
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->items.size(), 2u);
  EXPECT_EQ(shown->items[0].title, "服务合同 old");
  EXPECT_EQ(shown->items[0].due_on, "2020-01-01");
  EXPECT_FALSE(shown->items[0].destroyed_at.empty());
  EXPECT_FALSE(shown->items[1].file_purged_at.empty());

  // Codes are never reused: the next document gets a new id.
  const std::string next = AddDoc("next", "next-bytes");
  EXPECT_GT(catalog().GetDocument(next)->id, catalog().GetDocument(solo)->id);
  // FinishPurges has nothing left to do.
  EXPECT_EQ(*retention_->FinishPurges(), 0);

  // A fixity check leaves destroyed documents out: they are not damaged.
  auto report = pipeline::VerifyDocuments(*archive_, {}, "auditor");
  ASSERT_TRUE(report) << report.error().message;
  for (const auto& o : report->documents) {
    EXPECT_NE(o.display_id, doomed);
    EXPECT_NE(o.display_id, solo);
  }
  EXPECT_EQ(report->documents.size(), 2u);  // twin and next
  EXPECT_EQ(report->destroyed, (std::vector<std::string>{doomed, solo}));
  // Named, a destroyed document is reported as destroyed, as expected: not
  // a failure and not an error.
  auto one = pipeline::VerifyDocuments(*archive_, {solo, next}, "auditor");
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->destroyed, std::vector<std::string>{solo});
  ASSERT_EQ(one->documents.size(), 1u);
  EXPECT_EQ(one->documents[0].display_id, next);

  // No electronic copy of a destroyed document can be lent.
  Custody custody(catalog());
  auto loan = custody.RequestLoan(
      {doomed, true, "客户要求", "asker", false, "2999-01-01", "asker"});
  ASSERT_FALSE(loan);
  EXPECT_EQ(loan.error().code, ErrorCode::kConflict);
  EXPECT_NE(loan.error().message.find(doomed), std::string::npos);
  EXPECT_TRUE(custody.ListLoans("")->empty());
}

TEST_F(GovernanceTest, OriginalsAreShreddedWithWitnessAndCertified) {
  ASSERT_TRUE(retention_->SetRule("contract", "filing", 0, "rm"));
  const std::string doc = AddDoc("合同 with paper", "paper-pdf");
  Custody custody(catalog());
  ASSERT_TRUE(custody.AddLocation({"A", "room", "", "档案室", 0, ""}, "clerk"));
  ASSERT_TRUE(custody.AddCabinet({"A-01", "A", 1, 2, 0, ""}, "clerk"));
  auto original = custody.RegisterOriginal({doc, "A-01-1-001", -1, "clerk"});
  ASSERT_TRUE(original) << original.error().message;
  const std::string today = Query("SELECT date('now')");

  auto batch = retention_->Propose({}, today, "filing + 0 years", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->originals.size(), 1u);
  ShreddingRequest shred{batch->display_id, original->barcode, "witness", "",
                         "cross-cut P-4", "porter"};
  // Not before approval.
  EXPECT_EQ(retention_->RecordShredding(shred).error().code, ErrorCode::kConflict);
  auto approved = retention_->Approve(batch->display_id, "manager");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->status, "approved");
  ShreddingRequest self = shred;
  self.witness = "porter";
  EXPECT_EQ(retention_->RecordShredding(self).error().code, ErrorCode::kConflict);
  ShreddingRequest other = shred;
  other.barcode = "OR00000099X";
  EXPECT_FALSE(retention_->RecordShredding(other));
  auto done = retention_->RecordShredding(shred);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->status, "completed");
  EXPECT_EQ(done->originals[0].witness, "witness");
  EXPECT_EQ(custody.GetOriginal(original->barcode)->state, "destroyed");
  EXPECT_EQ(retention_->RecordShredding(shred).error().code, ErrorCode::kConflict);
  auto where = custody.Where(original->barcode);
  ASSERT_TRUE(where) << where.error().message;
  EXPECT_EQ((*where)[0].history.back().event, "destroy");

  archive::CertificateData data;
  data.batch_id = done->display_id;
  data.status = done->status;
  data.approved = done->approved_at + " by " + done->approved_by;
  for (const auto& i : done->items) {
    data.documents.push_back({i.document, i.archive_number, i.customer_code,
                              i.type, i.title, i.page_count, i.filed_at,
                              i.event, i.due_on, i.destroyed_at, i.pdf_sha256});
  }
  for (const auto& o : done->originals) {
    data.originals.push_back({o.barcode, o.document, o.shredded_by, o.witness,
                              o.shredded_at, o.method});
  }
  auto pdf = archive::WriteDestructionCertificatePdf(data);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const auto path = dir_.path() / "certificate.pdf";
  ASSERT_TRUE(WriteFileAtomic(path, *pdf));
  auto text = dossier::testing::RunCommand(
      "pdftotext " + dossier::testing::ShellQuote(path.string()) + " -");
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find(original->barcode), std::string::npos);
  EXPECT_NE(text.out.find("manager"), std::string::npos);
  EXPECT_NE(text.out.find("witness"), std::string::npos);
  EXPECT_NE(text.out.find("销毁证明"), std::string::npos);
  EXPECT_NE(text.out.find(doc), std::string::npos);
}

TEST_F(GovernanceTest, CancelledBatchReleasesItsDocuments) {
  ASSERT_TRUE(retention_->SetRule("contract", "contract-end", 1, "rm"));
  const std::string a = AddDoc("a", "a-bytes", "contract", "2010-01-01");
  auto batch = retention_->Propose({a}, "2026-03-01", "", "rm");
  ASSERT_TRUE(batch);
  EXPECT_FALSE(retention_->Propose({a}, "2026-03-01", "", "rm"));
  ASSERT_TRUE(retention_->Cancel(batch->display_id, "rm"));
  EXPECT_EQ(retention_->Approve(batch->display_id, "boss").error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(retention_->Propose({a}, "2026-03-01", "", "rm"));
}

}  // namespace
}  // namespace dossier::storage::testing
