// Daily work in the archive room through the real `dossier` binary: a
// refused command changes nothing, `loan overdue` says when nothing is
// overdue, a flagged return says why and what to do next, and a document is
// refiled with its history showing the move.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunDossierIsolated;
using testing::ShellQuote;

class DailyWorkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() / "home";
    archive_ = dir_.path() / "archive";
    fs::create_directories(home_);
    ASSERT_EQ(Run("init").exit_code, 0);
  }
  // As an open station: DOSSIER_USER names who acts.
  CommandResult Run(const std::string& args, const std::string& user = "clerk") {
    return RunDossierIsolated(home_, archive_, args, "DOSSIER_USER=" + user);
  }

  testing::TempDir dir_;
  fs::path home_;
  fs::path archive_;
};

TEST_F(DailyWorkTest, ACustomerWithATakenUsccIsNotFiledAndUsesNoCode) {
  ASSERT_EQ(Run("customer add --name 明川集团 --uscc 91310115MA1K482383").exit_code, 0);
  auto dup = Run("customer add --name 明川集团二 --uscc 91310115MA1K482383");
  EXPECT_EQ(dup.exit_code, 7) << dup.out;
  EXPECT_NE(dup.out.find("already belongs to"), std::string::npos) << dup.out;
  auto list = Run("customer list");
  EXPECT_EQ(list.out.find("明川集团二"), std::string::npos) << list.out;
  auto next = Run("customer add --name 北京远航");
  ASSERT_EQ(next.exit_code, 0) << next.out;
  EXPECT_NE(next.out.find("-000002-"), std::string::npos) << next.out;
}

TEST_F(DailyWorkTest, OverdueSaysSoAndAFlaggedReturnSaysWhatToDo) {
  auto none = Run("loan overdue");
  EXPECT_EQ(none.exit_code, 0) << none.out;
  EXPECT_NE(none.out.find("Nothing is overdue"), std::string::npos) << none.out;

  auto c = Run("customer add --name 上海明川贸易有限公司");
  ASSERT_EQ(c.exit_code, 0) << c.out;
  const std::string code = c.out.substr(0, c.out.find('\t'));
  const fs::path page = testing::SamplesDir() / "zh-registration.png";
  auto in = Run("ingest " + ShellQuote(page.string()) + " --customer " + code +
                " --type form --no-ocr");
  ASSERT_TRUE(in.exit_code == 0 || in.exit_code == 10) << in.out;
  ASSERT_EQ(Run("location add A --kind room --name 档案室").exit_code, 0);
  ASSERT_EQ(Run("location add-cabinet A-03 --in A --shelves 1 --boxes 1").exit_code, 0);
  auto reg = Run("original register D000001 --at A-03-1-001");
  ASSERT_EQ(reg.exit_code, 0) << reg.out;
  const std::string barcode = reg.out.substr(0, reg.out.find('\t'));
  ASSERT_EQ(Run("loan request " + barcode + " --purpose 合同核对 --due 2999-01-31")
                .exit_code, 0);
  ASSERT_EQ(Run("loan approve L000001", "manager").exit_code, 0);
  ASSERT_EQ(Run("loan checkout L000001 --barcode " + barcode).exit_code, 0);
  auto back = Run("loan return L000001 --barcode " + barcode +
                  " --pages 0 --condition 少一页");
  ASSERT_EQ(back.exit_code, 0) << back.out;
  EXPECT_NE(back.out.find("return-flagged"), std::string::npos) << back.out;
  EXPECT_NE(back.out.find("0 page(s) counted, but original " + barcode + " has 1"),
            std::string::npos)
      << back.out;
  EXPECT_NE(back.out.find("dossier loan resolve L000001"), std::string::npos)
      << back.out;

  // The document is refiled; its history and `show` tell it.
  ASSERT_EQ(Run("customer add --name 北京云栈信息技术有限公司").exit_code, 0);
  auto moved = Run("document refile D000001 --customer KH-" +
                   code.substr(3, 4) + "-000002-" +
                   "X --reason wrong");
  EXPECT_EQ(moved.exit_code, 2) << moved.out;  // a mistyped code is refused
  auto customers = Run("customer list");
  const auto second = customers.out.find("北京云栈");
  ASSERT_NE(second, std::string::npos);
  const auto line = customers.out.rfind('\n', second);
  const std::string code2 =
      customers.out.substr(line + 1, customers.out.find('\t', line + 1) - line - 1);
  auto refiled = Run("document refile D000001 --customer " + code2 +
                     " --title 客户登记表 --reason 扫描时选错客户", "reviewer");
  ASSERT_EQ(refiled.exit_code, 0) << refiled.out;
  EXPECT_NE(refiled.out.find(code + " 上海明川贸易有限公司 -> " + code2),
            std::string::npos)
      << refiled.out;
  auto history = Run("history D000001");
  EXPECT_NE(history.out.find("refile_reason"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("扫描时选错客户"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("'" + code + "' -> '" + code2 + "'"),
            std::string::npos)
      << history.out;
  auto show = Run("show D000001");
  EXPECT_NE(show.out.find("Customer    " + code2), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("Original    " + barcode + "  returned-flagged"),
            std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find("Loan        L000001"), std::string::npos) << show.out;
}

}  // namespace
}  // namespace dossier
