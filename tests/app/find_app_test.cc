// Finding a record by any name or number: one search over the OCR text and
// the document's metadata (title, customer name and code, archive number,
// original barcode, field values), documents named by id, archive number
// or barcode, and customers by name.
#include <algorithm>
#include <cctype>

#include "app/documents.h"
#include "app/records.h"
#include "tests/app/app_fixture.h"

namespace dossier::app::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class FindTest : public AppTest {
 protected:
  std::vector<storage::SearchHit> Find(const std::string& text) {
    SearchInput in;
    in.text = text;
    auto hits = Search(*station_, As("clerk"), in);
    EXPECT_TRUE(hits) << text << ": " << hits.error().message;
    return hits.value_or(std::vector<storage::SearchHit>{});
  }
  bool Finds(const std::string& text, const std::string& doc) {
    auto hits = Find(text);
    return std::any_of(hits.begin(), hits.end(),
                       [&](const auto& h) { return h.display_id == doc; });
  }
  std::string File() {
    auto filed = ApproveDocument(*station_, As("reader"), doc_);
    EXPECT_TRUE(filed) << filed.error().message;
    return filed ? filed->archive_number : "";
  }
};

// The page text is "甲方 乙方 签章": the title 服务合同 is not on it (OCR
// dropped the heading).
TEST_F(FindTest, TitleFoundWhenOcrTextLacksIt) {
  auto hits = Find("服务合同");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].display_id, doc_);
  EXPECT_EQ(hits[0].matched, "metadata");
  EXPECT_NE(hits[0].snippet.find("[服务合同]"), std::string::npos)
      << hits[0].snippet;
  // Two-character and one-character Chinese terms of the title too.
  EXPECT_TRUE(Finds("服务", doc_));
  EXPECT_TRUE(Finds("务", doc_));
  EXPECT_FALSE(Finds("采购合同", doc_));
}

TEST_F(FindTest, CustomerNameAndCodeFound) {
  EXPECT_TRUE(Finds("明川", doc_));
  EXPECT_TRUE(Finds(customer_, doc_));
  EXPECT_TRUE(Finds(Lower(customer_), doc_));
  // A term in the page and one in the metadata, in one query.
  EXPECT_TRUE(Finds("签章 明川", doc_));
  EXPECT_FALSE(Finds("签章 -明川", doc_));
  EXPECT_FALSE(Finds("签章 华东", doc_));
}

TEST_F(FindTest, ArchiveNumberFoundExactlyInAnyCase) {
  EXPECT_FALSE(Finds("DA", doc_));
  const std::string number = File();
  ASSERT_FALSE(number.empty());
  EXPECT_TRUE(Finds(number, doc_));
  EXPECT_TRUE(Finds(Lower(number), doc_));
  // Another check character or sequence is another number.
  std::string other = number;
  other.back() = other.back() == 'X' ? 'Y' : 'X';
  EXPECT_FALSE(Finds(other, doc_));
  std::string next = number;
  next[16] = next[16] == '9' ? '8' : '9';
  EXPECT_FALSE(Finds(next, doc_));
}

TEST_F(FindTest, OriginalBarcodeFound) {
  ASSERT_FALSE(barcode_.empty());
  auto hits = Find(barcode_);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].display_id, doc_);
  EXPECT_TRUE(Finds(Lower(barcode_), doc_));
}

TEST_F(FindTest, FieldValuesFollowCorrections) {
  ASSERT_TRUE(CorrectField(*station_, As("reader"), doc_, "contract_no",
                           std::string("HT-2026-0815")));
  EXPECT_TRUE(Finds("HT-2026-0815", doc_));
  ASSERT_TRUE(CorrectField(*station_, As("reader"), doc_, "contract_no",
                           std::string("HT-2026-0999")));
  EXPECT_FALSE(Finds("HT-2026-0815", doc_));
  EXPECT_TRUE(Finds("HT-2026-0999", doc_));
  ASSERT_TRUE(CorrectField(*station_, As("reader"), doc_, "contract_no",
                           std::nullopt));
  EXPECT_FALSE(Finds("HT-2026-0999", doc_));
}

TEST_F(FindTest, CustomerRenameReindexes) {
  CustomerChanges changes;
  changes.name = "杭州远山科技有限公司";
  ASSERT_TRUE(UpdateCustomer(*station_, As("clerk"), customer_, changes));
  EXPECT_TRUE(Finds("远山", doc_));
  EXPECT_FALSE(Finds("明川", doc_));
  // The page text is still found, once.
  auto hits = Find("签章");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].matched, "text");
}

TEST_F(FindTest, DocumentFoundByMetadataIsOneHit) {
  auto d = station_->catalog().AddDocument(storage::testing::MakeDocument(
      customer_, "借款协议", {"第一页", "第二页", "第三页"}));
  ASSERT_TRUE(d) << d.error().message;
  auto hits = Find("借款协议");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].display_id, d->display_id);
  EXPECT_EQ(hits[0].page_number, 1);
  // A term on page two gives page two.
  hits = Find("借款协议 第二页");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].page_number, 2);
  EXPECT_EQ(hits[0].matched, "text");
}

TEST_F(FindTest, ExcludedTermExcludes) {
  auto d = station_->catalog().AddDocument(storage::testing::MakeDocument(
      customer_, "合同", {"本合同由甲方签订"}));
  ASSERT_TRUE(d);
  EXPECT_TRUE(Finds("合同", d->display_id));
  EXPECT_TRUE(Finds("合同", doc_));  // 服务合同, by its title
  EXPECT_TRUE(Finds("合同 -乙方", d->display_id));
  EXPECT_FALSE(Finds("合同 -乙方", doc_));  // its page says 乙方
}

TEST_F(FindTest, ShowAndExportByArchiveNumberOrBarcode) {
  const std::string number = File();
  for (const std::string& id :
       {doc_, number, Lower(number), barcode_, Lower(barcode_)}) {
    auto view = ShowDocument(*station_, As("clerk"), id, false);
    ASSERT_TRUE(view) << id << ": " << view.error().message;
    EXPECT_EQ(view->document.display_id, doc_) << id;
  }
  ExportInput in;
  in.document = barcode_;
  in.to = dir_.path() / "out.pdf";
  // The fixture's document has no stored file; the resolution comes first,
  // so the error is about the file, not the name.
  auto done = Export(*station_, As("clerk"), in);
  if (!done) {
    EXPECT_EQ(done.error().message.find("not a document id"), std::string::npos)
        << done.error().message;
  }
  // The log entry names the resolved document.
  auto log = Log();
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log.back().records.find(doc_), std::string::npos)
      << log.back().records;
}

TEST_F(FindTest, UnknownOrMalformedIdentifiersNamed) {
  auto unknown = ShowDocument(*station_, As("clerk"), "DA-2026-HT-999999-X",
                              false);
  ASSERT_FALSE(unknown);
  // Either a wrong check character or no such number; the error names it.
  EXPECT_NE(unknown.error().message.find("DA-2026-HT-999999"), std::string::npos)
      << unknown.error().message;
  auto garbage = ShowDocument(*station_, As("clerk"), "合同", false);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(garbage.error().message.find("合同"), std::string::npos);
  auto bad_barcode = ShowDocument(*station_, As("clerk"), "OR00000001B", false);
  ASSERT_FALSE(bad_barcode);
  EXPECT_NE(bad_barcode.error().message.find("OR00000001B"), std::string::npos);
}

TEST_F(FindTest, CustomersByName) {
  ASSERT_TRUE(station_->catalog().AddCustomer("北京明川物流", "company", "clerk"));
  ASSERT_TRUE(station_->catalog().AddCustomer("Acme Trading", "company", "clerk"));
  auto both = ListCustomers(*station_, As("clerk"), "", "明川");
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(both->size(), 2u);
  auto acme = ListCustomers(*station_, As("clerk"), "", "acme");
  ASSERT_TRUE(acme);
  ASSERT_EQ(acme->size(), 1u);
  EXPECT_EQ(acme->front().name, "Acme Trading");
  auto none = ListCustomers(*station_, As("clerk"), "", "100%");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace dossier::app::testing
