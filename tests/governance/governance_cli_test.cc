// The governance commands end to end through the `dossier` binary: rules,
// due list, holds, refusals with exit codes, backup, its restore test and
// restore, and the sweep.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/test_support.h"

namespace dossier::testing {
namespace {

namespace fs = std::filesystem;

class GovernanceCli : public ::testing::Test {
 protected:
  CommandResult Run(const std::string& args, const std::string& user = "clerk") {
    return RunCommand("DOSSIER_USER=" + user + " " +
                      ShellQuote(DossierBinary().string()) + " --archive " +
                      ShellQuote((dir_.path() / "archive").string()) + " " +
                      args + " 2>&1");
  }
  TempDir dir_;
};

TEST_F(GovernanceCli, RetentionHoldsBackupAndRestore) {
  ASSERT_EQ(Run("init").exit_code, 0);
  auto customer = Run("customer add --name 明川贸易 --kind company");
  ASSERT_EQ(customer.exit_code, 0) << customer.out;
  const std::string code =
      customer.out.substr(0, customer.out.find_first_of(" \t\n"));
  ASSERT_EQ(code.size(), 16u) << customer.out;

  auto rule = Run("retention rule set contract --from contract-end --years 10");
  EXPECT_EQ(rule.exit_code, 0) << rule.out;
  EXPECT_EQ(Run("retention rule set poster --from filing --years 1").exit_code, 2);
  auto list = Run("retention rule list");
  EXPECT_NE(list.out.find("contract-end"), std::string::npos) << list.out;
  EXPECT_EQ(Run("retention relationship-end " + code + " --on 2020-01-31").exit_code,
            0);
  auto due = Run("retention due --today 2026-01-01");
  EXPECT_EQ(due.exit_code, 0) << due.out;
  EXPECT_NE(due.out.find("0 document(s) due"), std::string::npos) << due.out;

  auto hold = Run("hold add " + code + " --reason 'court order 17'");
  EXPECT_EQ(hold.exit_code, 0) << hold.out;
  EXPECT_NE(hold.out.find("H000001"), std::string::npos);
  EXPECT_EQ(Run("hold add D000099 --reason x").exit_code, 3);
  EXPECT_EQ(Run("hold release H000001 --reason done").exit_code, 0);
  EXPECT_EQ(Run("hold release H000001 --reason again").exit_code, 7);
  auto propose = Run("destroy propose --today 2026-01-01");
  EXPECT_EQ(propose.exit_code, 2) << propose.out;
  EXPECT_NE(propose.out.find("nothing to propose"), std::string::npos);
  EXPECT_EQ(Run("destroy approve DB000001").exit_code, 3);

  // Exporting the log signs it: the archive gets its signing key.
  auto signed_log = Run("log export --to " +
                        ShellQuote((dir_.path() / "log.jsonl").string()));
  ASSERT_EQ(signed_log.exit_code, 0) << signed_log.out;
  ASSERT_TRUE(fs::is_regular_file(dir_.path() / "archive" / "log-signing.key"));
  const fs::path backup = dir_.path() / "share" / "dossier-backup";
  auto b = Run("backup --to " + ShellQuote(backup.string()));
  EXPECT_EQ(b.exit_code, 0) << b.out;
  EXPECT_TRUE(fs::exists(backup / "manifest.json"));
  auto v = Run("backup verify " + ShellQuote(backup.string()));
  EXPECT_EQ(v.exit_code, 0) << v.out;
  EXPECT_NE(v.out.find("Backup OK"), std::string::npos) << v.out;
  auto r = Run("restore " + ShellQuote(backup.string()) + " --to " +
               ShellQuote((dir_.path() / "new").string()));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  auto shown = RunCommand(ShellQuote(DossierBinary().string()) + " --archive " +
                          ShellQuote((dir_.path() / "new").string()) +
                          " customer show " + code + " 2>&1");
  EXPECT_EQ(shown.exit_code, 0) << shown.out;
  // The signing key comes back with the catalog, owner-only, so the
  // restored archive can still sign and export its log.
  const fs::path key = dir_.path() / "new" / "log-signing.key";
  ASSERT_TRUE(fs::is_regular_file(key));
  EXPECT_EQ(fs::status(key).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  auto exported = RunCommand(
      ShellQuote(DossierBinary().string()) + " --archive " +
      ShellQuote((dir_.path() / "new").string()) + " log export --to " +
      ShellQuote((dir_.path() / "restored-log.jsonl").string()) + " 2>&1");
  EXPECT_EQ(exported.exit_code, 0) << exported.out;
  EXPECT_EQ(Run("backup verify " + ShellQuote(dir_.path().string())).exit_code, 3);
  EXPECT_EQ(Run("backup").exit_code, 2);
  auto sweep = Run("backup sweep --dry-run");
  EXPECT_EQ(sweep.exit_code, 0) << sweep.out;
}

// Text output shows times in the archive's zone with their offset, like
// every other command: the access log, a second hold release and a backup's
// restore test. Shanghai has no daylight saving, so "+08:00" is certain.
TEST_F(GovernanceCli, TextTimesAreInTheArchivesZone) {
  ASSERT_EQ(Run("init").exit_code, 0);
  ASSERT_EQ(Run("settings timezone Asia/Shanghai").exit_code, 0);
  auto customer = Run("customer add --name 明川贸易 --kind company");
  ASSERT_EQ(customer.exit_code, 0) << customer.out;
  const std::string code =
      customer.out.substr(0, customer.out.find_first_of(" \t\n"));

  auto log = Run("log show");
  ASSERT_EQ(log.exit_code, 0) << log.out;
  EXPECT_NE(log.out.find(" +08:00\t"), std::string::npos) << log.out;
  EXPECT_EQ(log.out.find("Z\t"), std::string::npos) << log.out;
  // --json keeps UTC.
  EXPECT_NE(Run("log show --json").out.find("Z\""), std::string::npos);

  ASSERT_EQ(Run("hold add " + code + " --reason x").exit_code, 0);
  ASSERT_EQ(Run("hold release H000001 --reason done").exit_code, 0);
  auto again = Run("hold release H000001 --reason again");
  EXPECT_EQ(again.exit_code, 7);
  EXPECT_NE(again.out.find("already released on "), std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find(" +08:00 by "), std::string::npos) << again.out;

  const std::string backup = (dir_.path() / "backup").string();
  ASSERT_EQ(Run("backup --to " + ShellQuote(backup)).exit_code, 0);
  auto check = Run("backup verify " + ShellQuote(backup));
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_NE(check.out.find("+08:00: schema"), std::string::npos) << check.out;
}

}  // namespace
}  // namespace dossier::testing
