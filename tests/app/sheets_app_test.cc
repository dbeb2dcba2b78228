// The archive room's printed lists through the application layer: the
// document index of a customer file (卷内目录), a box's contents and the
// overdue-loan list. Each is one operation with its permission and one
// access-log entry, shows times in the archive's zone, masks phones for
// roles without customer.pii and never writes into the archive folder.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "app/loans.h"
#include "app/sheets.h"
#include "storage/records_store.h"
#include "tests/app/app_fixture.h"

namespace dossier::app::testing {
namespace {

using dossier::testing::RunCommand;
using dossier::testing::ShellQuote;

std::string PdfText(const std::filesystem::path& pdf) {
  auto r = RunCommand("pdftotext -layout " + ShellQuote(pdf.string()) + " -");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return r.out;
}

class SheetsAppTest : public AppTest {
 protected:
  std::filesystem::path Out(const std::string& name) {
    return out_.path() / name;
  }
  dossier::testing::TempDir out_;
};

TEST_F(SheetsAppTest, CustomerIndexListsTheFileAndIsOneLogEntry) {
  const size_t before = Log().size();
  auto done = PrintCustomerIndex(*station_, As("clerk"), customer_,
                                 {Out("index.pdf"), false, ""});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->rows, 1);
  const std::string text = PdfText(Out("index.pdf"));
  EXPECT_NE(text.find("卷内目录"), std::string::npos) << text;
  EXPECT_NE(text.find("上海明川贸易有限公司"), std::string::npos) << text;
  EXPECT_NE(text.find("服务合同"), std::string::npos) << text;
  EXPECT_NE(text.find(doc_), std::string::npos) << text;
  EXPECT_NE(text.find("待审核"), std::string::npos) << text;
  auto log = Log();
  ASSERT_EQ(log.size(), before + 1);
  EXPECT_EQ(log.back().command, "customer.index");
  EXPECT_EQ(log.back().outcome, "ok");
  EXPECT_NE(log.back().records.find(customer_), std::string::npos);

  // An existing file needs force; nothing is logged as done.
  auto again = PrintCustomerIndex(*station_, As("clerk"), customer_,
                                  {Out("index.pdf"), false, ""});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("--force"), std::string::npos);
  EXPECT_TRUE(PrintCustomerIndex(*station_, As("clerk"), customer_,
                                 {Out("index.pdf"), true, ""}));
}

TEST_F(SheetsAppTest, BoxSheetNeedsLocationReadAndStaysOutOfTheArchive) {
  const size_t before = Log().size();
  auto refused = PrintBoxSheet(*station_, As("scanner"), "A-01-1-001",
                               {Out("box.pdf"), false, ""});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.error().message.find("location.read"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(Out("box.pdf")));
  auto log = Log();
  ASSERT_EQ(log.size(), before + 1);
  EXPECT_EQ(log.back().command, "location.sheet");
  EXPECT_EQ(log.back().outcome, "denied");

  const auto inside = station_->archive().dir() / "box.pdf";
  auto in_archive =
      PrintBoxSheet(*station_, As("keeper"), "A-01-1-001", {inside, false, ""});
  ASSERT_FALSE(in_archive);
  EXPECT_NE(in_archive.error().message.find("inside the archive"),
            std::string::npos)
      << in_archive.error().message;
  EXPECT_FALSE(std::filesystem::exists(inside));

  auto done = PrintBoxSheet(*station_, As("keeper"), "A-01-1-001",
                            {Out("box.pdf"), false, ""});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->rows, 1);
  const std::string text = PdfText(Out("box.pdf"));
  EXPECT_NE(text.find("盒内文件清单"), std::string::npos) << text;
  EXPECT_NE(text.find(barcode_), std::string::npos) << text;
  EXPECT_NE(text.find("上海明川贸易有限公司"), std::string::npos) << text;
  EXPECT_NE(text.find("A / A-01 / A-01-1 / A-01-1-001"), std::string::npos)
      << text;
}

TEST_F(SheetsAppTest, OverdueListCountsLocalDaysAndMasksPhones) {
  // 2026-03-01 20:00 UTC is already 2026-03-02 04:00 in Shanghai.
  auto clock = std::make_shared<FixedClock>(*ParseUtc("2026-03-01T20:00:00Z"));
  ScopedClock scoped(clock);
  ASSERT_TRUE(station_->records().SetZone("Asia/Shanghai", "root"));
  storage::Contact contact;
  contact.customer_code = customer_;
  contact.role = "经办人";
  contact.name = "周晓岚";
  contact.phone = "+8613800138000";
  contact.email = "zhouxl@example.com";
  ASSERT_TRUE(station_->records().AddContact(contact, "clerk"));
  auto loan =
      RequestLoan(*station_, As("clerk"),
                  {barcode_, false, "合同核对", "周晓岚", false, "2026-03-05"});
  ASSERT_TRUE(loan) << loan.error().message;
  ASSERT_TRUE(ApproveLoan(*station_, As("boss"), loan->display_id, "ok"));
  ASSERT_TRUE(
      CheckoutLoan(*station_, As("keeper"), loan->display_id, barcode_, ""));

  // Nothing is overdue yet: the sheet says so.
  auto none = PrintOverdueSheet(*station_, As("auditor"), "",
                                {Out("none.pdf"), false, ""});
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->rows, 0);
  EXPECT_EQ(none->subject, "2026-03-02");
  EXPECT_NE(PdfText(Out("none.pdf")).find("无超期借阅"), std::string::npos);

  // 2026-03-09 18:00 UTC = 2026-03-10 02:00 local: five days overdue there
  // (four by the UTC calendar).
  clock->Set(*ParseUtc("2026-03-09T18:00:00Z"));
  const size_t before = Log().size();
  auto done = PrintOverdueSheet(*station_, As("auditor"), "",
                                {Out("overdue.pdf"), false, ""});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->rows, 1);
  EXPECT_EQ(done->subject, "2026-03-10");
  auto log = Log();
  ASSERT_EQ(log.size(), before + 1);
  EXPECT_EQ(log.back().command, "loan.overdue");
  EXPECT_NE(log.back().records.find(loan->display_id), std::string::npos);
  const std::string text = PdfText(Out("overdue.pdf"));
  EXPECT_NE(text.find("超期借阅清单"), std::string::npos) << text;
  EXPECT_NE(text.find(loan->display_id), std::string::npos) << text;
  EXPECT_NE(text.find("周晓岚"), std::string::npos) << text;
  EXPECT_NE(text.find("zhouxl@example.com"), std::string::npos) << text;
  // The auditor lacks customer.pii: the phone is masked.
  EXPECT_EQ(text.find("13800138000"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-03-05"), std::string::npos) << text;
  EXPECT_NE(text.find(" 5\n"), std::string::npos) << text;
  // Printed at the local time with its offset.
  EXPECT_NE(text.find("2026-03-10 02:00 +08:00"), std::string::npos) << text;

  // The clerk holds customer.pii and sees the number.
  ASSERT_TRUE(PrintOverdueSheet(*station_, As("clerk"), "",
                                {Out("clerk.pdf"), false, ""}));
  EXPECT_NE(PdfText(Out("clerk.pdf")).find("+8613800138000"),
            std::string::npos);
}

TEST(DaysBetweenTest, CalendarDays) {
  EXPECT_EQ(*DaysBetween("2026-03-05", "2026-03-10"), 5);
  EXPECT_EQ(*DaysBetween("2026-02-27", "2026-03-01"), 2);
  EXPECT_EQ(*DaysBetween("2028-02-28", "2028-03-01"), 2);
  EXPECT_EQ(*DaysBetween("2026-03-10", "2026-03-10"), 0);
  EXPECT_FALSE(DaysBetween("2026-3-1", "2026-03-10"));
}

}  // namespace
}  // namespace dossier::app::testing
