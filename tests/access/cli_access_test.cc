// The `dossier` command as different users: open station, secured archive
// with login and sessions, refusals naming the permission, masking, and the
// access log's verify and export. Runs the real binary with HOME pointed
// at a scratch folder.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <regex>

#include "cli/operations.h"
#include "core/file_util.h"
#include "governance/policy.h"
#include "storage/sqlite/access.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCommand;
using testing::ShellQuote;

class CliAccess : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = tmp_.path() / "home";
    fs::create_directories(home_);
    archive_ = tmp_.path() / "archive";
  }

  // env: extra VAR=value words; stdin_text: fed to the command's stdin.
  CommandResult Dossier(const std::string& args, const std::string& env = "",
                        const std::string& stdin_text = "") {
    return testing::RunDossierIsolated(home_, archive_, args, env, stdin_text);
  }

  // A secured archive with an admin "boss" and users of the given roles,
  // each named after the role with the password "<role>-pass-1".
  void Secure(const std::vector<std::string>& roles) {
    auto init = Dossier("init --admin boss --password-stdin", "", "boss-pass-1");
    ASSERT_EQ(init.exit_code, 0) << init.out;
    for (const auto& role : roles) {
      auto add = Dossier("user add " + role + " --role " + role + " --password-stdin",
                         "DOSSIER_USER=boss DOSSIER_PASSWORD=boss-pass-1",
                         role + "-pass-1");
      ASSERT_EQ(add.exit_code, 0) << add.out;
    }
  }

  std::string Token(const std::string& user, const std::string& password) {
    auto r = Dossier("login " + user + " --password-stdin --print-token", "",
                     password);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    std::smatch m;
    std::regex re("([0-9a-f]{64})");
    return std::regex_search(r.out, m, re) ? m[1].str() : "";
  }

  std::string As(const std::string& token) { return "DOSSIER_SESSION=" + token; }

  static constexpr const char* kBoss = "DOSSIER_USER=boss DOSSIER_PASSWORD=boss-pass-1";

  testing::TempDir tmp_;
  fs::path home_;
  fs::path archive_;
};

TEST_F(CliAccess, OpenStationTrustsDossierUserAsAdminAndLogsIt) {
  ASSERT_EQ(Dossier("init").exit_code, 0);
  auto add = Dossier("customer add --name 'Northwind Ltd' --kind company",
                     "DOSSIER_USER=ann");
  ASSERT_EQ(add.exit_code, 0) << add.out;
  auto who = Dossier("whoami", "DOSSIER_USER=ann");
  EXPECT_NE(who.out.find("ann\tadmin\topen station"), std::string::npos) << who.out;
  auto log = Dossier("log show --user ann", "DOSSIER_USER=auditor1");
  ASSERT_EQ(log.exit_code, 0) << log.out;
  EXPECT_NE(log.out.find("ann\tok\tcustomer.add"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("ann\tok\tsession.whoami"), std::string::npos) << log.out;
  auto login = Dossier("login ann --password-stdin", "", "whatever-1");
  EXPECT_EQ(login.exit_code, 7) << login.out;
  EXPECT_NE(login.out.find("open station"), std::string::npos);
  EXPECT_EQ(Dossier("log verify").exit_code, 0);
}

TEST_F(CliAccess, OpenStationBecomesSecuredByTheFirstAdmin) {
  ASSERT_EQ(Dossier("init --open-station").exit_code, 0);
  auto clerk = Dossier("user add cl --role clerk --password-stdin",
                       "DOSSIER_USER=ann", "clerk-pass-1");
  EXPECT_EQ(clerk.exit_code, 7) << clerk.out;  // first user must be admin
  auto admin = Dossier("user add ann --role admin --password-stdin",
                       "DOSSIER_USER=ann", "ann-pass-12");
  ASSERT_EQ(admin.exit_code, 0) << admin.out;
  EXPECT_NE(admin.out.find("now secured"), std::string::npos);
  auto denied = Dossier("customer list", "DOSSIER_USER=ann");
  EXPECT_EQ(denied.exit_code, 13) << denied.out;
  EXPECT_EQ(Dossier("customer list", "DOSSIER_USER=ann DOSSIER_PASSWORD=ann-pass-12")
                .exit_code,
            0);
}

TEST_F(CliAccess, SecuredArchiveNeedsALogin) {
  Secure({});
  auto none = Dossier("customer list");
  EXPECT_EQ(none.exit_code, 13) << none.out;
  EXPECT_NE(none.out.find("not logged in"), std::string::npos) << none.out;
  // $DOSSIER_USER alone is not trusted on a secured archive.
  EXPECT_EQ(Dossier("customer list", "DOSSIER_USER=boss").exit_code, 13);
  // A password for one command.
  EXPECT_EQ(Dossier("customer list", kBoss).exit_code, 0);
  auto wrong = Dossier("customer list", "DOSSIER_USER=boss DOSSIER_PASSWORD=nope-nope");
  EXPECT_EQ(wrong.exit_code, 13);
  EXPECT_NE(wrong.out.find("login failed for boss"), std::string::npos) << wrong.out;

  // A session file, mode 0600, used by later commands.
  auto login = Dossier("login boss --password-stdin", "", "boss-pass-1");
  ASSERT_EQ(login.exit_code, 0) << login.out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(home_ / ".dossier")) files.push_back(e.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].filename().string().starts_with("session-"));
  struct stat st {};
  ASSERT_EQ(::stat(files[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(Dossier("customer list").exit_code, 0);
  auto who = Dossier("whoami");
  EXPECT_NE(who.out.find("boss\tadmin\tlogged in"), std::string::npos) << who.out;
  // The session is boss's: claiming another name is refused.
  EXPECT_EQ(Dossier("customer list", "DOSSIER_USER=ann").exit_code, 13);
  // A file readable by others is refused.
  ::chmod(files[0].c_str(), 0644);
  EXPECT_EQ(Dossier("customer list").exit_code, 13);
  ::chmod(files[0].c_str(), 0600);
  ASSERT_EQ(Dossier("logout").exit_code, 0);
  EXPECT_FALSE(fs::exists(files[0]));
  EXPECT_EQ(Dossier("customer list").exit_code, 13);

  // A token for scripts; logout through $DOSSIER_SESSION ends it.
  std::string token = Token("boss", "boss-pass-1");
  ASSERT_EQ(token.size(), 64u);
  EXPECT_EQ(Dossier("customer list", As(token)).exit_code, 0);
  EXPECT_EQ(Dossier("logout", As(token)).exit_code, 0);
  EXPECT_EQ(Dossier("customer list", As(token)).exit_code, 13);

  // Failed and successful logins are in the log, passwords are not.
  auto log = Dossier("log show", kBoss);
  ASSERT_EQ(log.exit_code, 0) << log.out;
  EXPECT_NE(log.out.find("boss\tdenied\tcustomer.list"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("boss\tok\tsession.login"), std::string::npos);
  EXPECT_EQ(log.out.find("boss-pass-1"), std::string::npos);
  EXPECT_EQ(log.out.find("nope-nope"), std::string::npos);
}

TEST_F(CliAccess, RefusalsNameTheMissingPermission) {
  Secure({"clerk", "scanner", "auditor", "records-manager"});
  const std::string clerk = Token("clerk", "clerk-pass-1");
  const std::string scanner = Token("scanner", "scanner-pass-1");
  const std::string auditor = Token("auditor", "auditor-pass-1");

  auto log = Dossier("log show", As(clerk));
  EXPECT_EQ(log.exit_code, 13);
  EXPECT_NE(log.out.find("permission denied: role clerk lacks 'log.read'"),
            std::string::npos)
      << log.out;
  auto add = Dossier("customer add --name 'Northwind Ltd' --kind company",
                     As(scanner));
  EXPECT_EQ(add.exit_code, 13);
  EXPECT_NE(add.out.find("role scanner lacks 'customer.write'"), std::string::npos);
  auto approve = Dossier("loan approve L000001", As(clerk));
  EXPECT_EQ(approve.exit_code, 13);
  EXPECT_NE(approve.out.find("role clerk lacks 'loan.approve'"), std::string::npos);
  auto users = Dossier("user add x --role admin --password-stdin", As(auditor),
                       "x-password-1");
  EXPECT_EQ(users.exit_code, 13);
  EXPECT_NE(users.out.find("role auditor lacks 'user.manage'"), std::string::npos);
  EXPECT_EQ(Dossier("backup --to " + ShellQuote((tmp_.path() / "b").string()),
                    As(auditor))
                .exit_code,
            13);
  auto pw = Dossier("user passwd scanner --password-stdin", As(clerk), "new-pass-12");
  EXPECT_EQ(pw.exit_code, 13) << pw.out;
  EXPECT_EQ(Dossier("user passwd --password-stdin", As(clerk), "new-pass-12").exit_code,
            0);

  // The auditor reads the log; each refusal is in it, with the record.
  auto read = Dossier("log show --user clerk", As(auditor));
  ASSERT_EQ(read.exit_code, 0) << read.out;
  EXPECT_NE(read.out.find("clerk\tdenied\tlog.show"), std::string::npos) << read.out;
  EXPECT_NE(read.out.find("clerk\tdenied\tloan.approve"), std::string::npos);
  auto rec = Dossier("log show --record L000001", As(auditor));
  EXPECT_NE(rec.out.find("loan.approve"), std::string::npos) << rec.out;
  EXPECT_EQ(rec.out.find("log.show"), std::string::npos) << rec.out;
  // Revoked permissions take effect at once.
  ASSERT_EQ(Dossier("user revoke auditor auditor", kBoss).exit_code, 0);
  EXPECT_EQ(Dossier("log show", As(auditor)).exit_code, 13);
}

TEST_F(CliAccess, SensitiveFieldsAreMaskedForRolesWithoutNeed) {
  Secure({"clerk", "scanner", "auditor"});
  const std::string clerk = Token("clerk", "clerk-pass-1");
  auto add = Dossier("customer add --name 张三 --kind person --id-number "
                     "11010519491231002X --phone '138 0013 8000'",
                     As(clerk));
  ASSERT_EQ(add.exit_code, 0) << add.out;
  const std::string code = add.out.substr(0, add.out.find('\t'));
  auto full = Dossier("customer show " + code, As(clerk));
  EXPECT_NE(full.out.find("11010519491231002X"), std::string::npos) << full.out;
  EXPECT_NE(full.out.find("+8613800138000"), std::string::npos);
  for (const char* role : {"scanner", "auditor"}) {
    auto masked = Dossier("customer show " + code,
                          As(Token(role, std::string(role) + "-pass-1")));
    ASSERT_EQ(masked.exit_code, 0) << masked.out;
    EXPECT_NE(masked.out.find("110105********002X"), std::string::npos) << masked.out;
    EXPECT_NE(masked.out.find("+86138****8000"), std::string::npos);
    EXPECT_EQ(masked.out.find("11010519491231002X"), std::string::npos);
  }
  auto history = Dossier("history " + code, As(Token("scanner", "scanner-pass-1")));
  EXPECT_EQ(history.out.find("11010519491231002X"), std::string::npos) << history.out;
  // The log keeps the command, with the ID number masked.
  auto log = Dossier("log show --user clerk", kBoss);
  EXPECT_NE(log.out.find("110105********002X"), std::string::npos) << log.out;
  EXPECT_EQ(log.out.find("11010519491231002X"), std::string::npos);
}

TEST_F(CliAccess, LogVerifyAndSignedExport) {
  Secure({"auditor"});
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Dossier("customer list", kBoss).exit_code, 0);
  auto ok = Dossier("log verify", kBoss);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  const fs::path copy = tmp_.path() / "log.json";
  auto exported = Dossier("log export --to " + ShellQuote(copy.string()), kBoss);
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(exported.out, m, std::regex("head entry (\\d+) ([0-9a-f]{64})")));
  const int head_seq = std::stoi(m[1]);
  const std::string head = m[2];
  auto file_ok = Dossier("log verify --file " + ShellQuote(copy.string()), kBoss);
  EXPECT_EQ(file_ok.exit_code, 0) << file_ok.out;
  EXPECT_EQ(Dossier("log verify --head " + head, kBoss).exit_code, 0);

  {  // an edited copy
    std::string text = *ReadFile(copy);
    auto pos = text.find("\"customer.list\"");
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, 15, "\"customer.show\"");
    ASSERT_TRUE(WriteFileAtomic(tmp_.path() / "edited.json", text));
    auto bad = Dossier("log verify --file " +
                           ShellQuote((tmp_.path() / "edited.json").string()),
                       kBoss);
    EXPECT_EQ(bad.exit_code, 12) << bad.out;
    EXPECT_NE(bad.out.find("FAILED at entry"), std::string::npos);
  }
  {  // an edited catalog
    storage::testing::RawDb raw(archive_ / "catalog.sqlite");
    ASSERT_EQ(raw.Exec("DROP TRIGGER access_log_no_update; "
                       "UPDATE access_log SET outcome = 'denied' WHERE seq = 2"),
              storage::testing::RawDb::kOk);
  }
  auto bad = Dossier("log verify", kBoss);
  EXPECT_EQ(bad.exit_code, 12) << bad.out;
  EXPECT_NE(bad.out.find("FAILED at entry 2: entry 2 was modified"), std::string::npos)
      << bad.out;
  {  // a cut tail: chain fine, but the exported head is gone. Cut back
     // past the `customer list` entries, so the entries appended afterwards
     // (by `log verify`, maybe within the same second) cannot recreate the
     // exported head byte for byte.
    storage::testing::RawDb raw(archive_ / "catalog.sqlite");
    ASSERT_EQ(raw.Exec("DROP TRIGGER access_log_no_delete; "
                       "UPDATE access_log SET outcome = 'ok' WHERE seq = 2; "
                       "DELETE FROM access_log WHERE seq > " +
                       std::to_string(head_seq - 3)),
              storage::testing::RawDb::kOk);
  }
  EXPECT_EQ(Dossier("log verify", kBoss).exit_code, 0);
  EXPECT_EQ(Dossier("log verify --head " + head, kBoss).exit_code, 12);
}

// Every runnable subcommand `dossier --help` lists (recursively) runs an
// app operation with a documented permission.
TEST_F(CliAccess, EveryCommandInHelpRunsAnOperationWithAPermission) {
  const auto paths = testing::DossierCommandPaths();
  for (const auto& path : paths) {
    const std::string operation = cli::OperationForCommand(path);
    EXPECT_FALSE(operation.empty()) << path << " names no app operation";
    EXPECT_NE(governance::PermissionForOperation(operation),
              governance::kUnlisted)
        << path << " -> " << operation;
  }
  EXPECT_GT(paths.size(), 50u);
}

}  // namespace
}  // namespace dossier
