// CSV lists (app/exports.h): RFC 4180 quoting, masking as on screen, one
// access-log entry per export, the permission of the list.
#include "app/exports.h"
#include "app/records.h"
#include "core/file_util.h"
#include "tests/app/app_fixture.h"

namespace dossier::app::testing {
namespace {

TEST(CsvText, QuotesAsRfc4180) {
  EXPECT_EQ(CsvText({{"a", "b,c"}, {"say \"hi\"", "two\nlines"}}, false),
            "a,\"b,c\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
  EXPECT_EQ(CsvText({{"x"}}, true), "\xEF\xBB\xBFx\r\n");
}

class ExportsTest : public AppTest {
 protected:
  std::string Export(const std::string& user, const std::string& kind) {
    CsvExportInput in;
    in.kind = kind;
    in.to = dir_.path() / (user + "-" + kind + ".csv");
    auto done = ExportCsv(*station_, As(user), in);
    EXPECT_TRUE(done) << kind << ": " << done.error().message;
    if (!done) return "";
    return ReadFile(done->written).value_or("");
  }
};

TEST_F(ExportsTest, PhonesMaskedWithoutPii) {
  CustomerChanges changes;
  changes.values["phone"] = "13800138000";
  ASSERT_TRUE(UpdateCustomer(*station_, As("clerk"), customer_, changes));
  const std::string clerk = Export("clerk", "customers");
  EXPECT_NE(clerk.find("+8613800138000"), std::string::npos) << clerk;
  const std::string scanner = Export("scanner", "customers");  // no customer.pii
  EXPECT_EQ(scanner.find("13800138000"), std::string::npos) << scanner;
  EXPECT_NE(scanner.find(customer_), std::string::npos) << scanner;
  EXPECT_NE(scanner.find("上海明川贸易有限公司"), std::string::npos);
}

TEST_F(ExportsTest, EveryListHasItsHeaderAndOneLogEntry) {
  const size_t before = Log().size();
  const std::string documents = Export("clerk", "documents");
  EXPECT_TRUE(documents.starts_with("document,customer,")) << documents;
  EXPECT_NE(documents.find(doc_), std::string::npos);
  EXPECT_NE(Export("clerk", "review").find(doc_), std::string::npos);  // pending
  EXPECT_TRUE(Export("clerk", "loans").starts_with("loan,kind,status,"));
  EXPECT_TRUE(Export("boss", "retention-due").starts_with("document,archive_number,"));
  auto log = Log();
  std::string commands;
  for (const auto& e : log) commands += e.command + " ";
  ASSERT_EQ(log.size(), before + 4) << commands;
  EXPECT_EQ(log[before].command, "document.export-csv");
  EXPECT_EQ(log.back().command, "retention.export-due-csv");
}

TEST_F(ExportsTest, ListsNeedTheirPermission) {
  CsvExportInput in;
  in.kind = "retention-due";
  in.to = dir_.path() / "due.csv";
  auto denied = ExportCsv(*station_, As("clerk"), in);  // no retention.manage
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(std::filesystem::exists(in.to));
  in.kind = "secrets";
  auto unknown = ExportCsv(*station_, As("clerk"), in);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ExportsTest, RefusedInsideTheArchive) {
  CsvExportInput in;
  in.kind = "customers";
  in.to = station_->archive().dir() / "customers.csv";
  auto refused = ExportCsv(*station_, As("clerk"), in);
  ASSERT_FALSE(refused);
  EXPECT_FALSE(std::filesystem::exists(in.to));
}

}  // namespace
}  // namespace dossier::app::testing
