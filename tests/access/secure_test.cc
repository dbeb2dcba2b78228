// The archive against other local users and forged input: owner-only file
// modes, the log-signing key kept out of the catalog (and moved out of old
// catalogs), escaped terminal output and claimed names, and login
// throttling with lockout. Runs the real binary with HOME pointed at a
// scratch folder, with a permissive umask.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "core/text.h"
#include "governance/policy.h"
#include "core/file_util.h"
#include "storage/sqlite/access.h"
#include "storage/sqlite/catalog.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCommand;
using testing::ShellQuote;

unsigned ModeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

class Secure : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = tmp_.path() / "home";
    fs::create_directories(home_);
    archive_ = tmp_.path() / "archive";
  }

  // Under umask 022, so the modes the station sets are its own.
  CommandResult Dossier(const std::string& args, const std::string& env = "",
                        const std::string& stdin_text = "") {
    return testing::RunDossierIsolated(home_, archive_, args, env, stdin_text,
                                       "umask 022;");
  }

  void SecureArchive() {
    auto init = Dossier("init --admin boss --password-stdin", "", "boss-pass-1");
    ASSERT_EQ(init.exit_code, 0) << init.out;
    // No waits in tests; the lockout stays on.
    auto t = Dossier("settings login-throttle --delay-ms 0 --lockout-after 3",
                     kBoss);
    ASSERT_EQ(t.exit_code, 0) << t.out;
  }

  static constexpr const char* kBoss =
      "DOSSIER_USER=boss DOSSIER_PASSWORD=boss-pass-1";

  testing::TempDir tmp_;
  fs::path home_;
  fs::path archive_;
};

// --- 4. Owner-only archive ----------------------------------------------------

TEST_F(Secure, EveryFolderIs0700AndEveryFile0600WhateverTheUmask) {
  SecureArchive();
  ASSERT_EQ(Dossier("customer add --name 'Northwind Ltd' --kind company", kBoss)
                .exit_code,
            0);
  auto exp = Dossier("log export --to " +
                         ShellQuote((tmp_.path() / "log.json").string()),
                     kBoss);
  ASSERT_EQ(exp.exit_code, 0) << exp.out;
  const fs::path backup = tmp_.path() / "backup";
  auto b = Dossier("backup --to " + ShellQuote(backup.string()), kBoss);
  ASSERT_EQ(b.exit_code, 0) << b.out;
  EXPECT_TRUE(fs::exists(archive_ / "log-signing.key"));
  for (const fs::path& root : {archive_, backup}) {
    EXPECT_EQ(ModeOf(root), 0700u) << root;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      EXPECT_EQ(ModeOf(e.path()), e.is_directory() ? 0700u : 0600u) << e.path();
    }
  }
  // Session files too.
  ASSERT_EQ(Dossier("login boss --password-stdin", "", "boss-pass-1").exit_code, 0);
  for (const auto& e : fs::recursive_directory_iterator(home_ / ".dossier")) {
    if (!e.is_directory()) EXPECT_EQ(ModeOf(e.path()), 0600u) << e.path();
  }
}

TEST_F(Secure, VerifyWarnsWhenModesWereWidened) {
  SecureArchive();
  auto clean = Dossier("verify", kBoss);
  ASSERT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_EQ(clean.out.find("warning"), std::string::npos) << clean.out;
  ::chmod((archive_ / "catalog.sqlite").c_str(), 0644);
  ::chmod(archive_.c_str(), 0755);
  auto wide = Dossier("verify", kBoss);
  EXPECT_NE(wide.out.find("warning: " + (archive_ / "catalog.sqlite").string() +
                          " is mode 0644"),
            std::string::npos)
      << wide.out;
  EXPECT_NE(wide.out.find(archive_.string() + " is mode 0755"), std::string::npos)
      << wide.out;
}

TEST_F(Secure, TheSigningKeyIsInItsOwnFileNotInTheCatalog) {
  SecureArchive();
  const fs::path out = tmp_.path() / "log.json";
  ASSERT_EQ(Dossier("log export --to " + ShellQuote(out.string()), kBoss).exit_code, 0);
  storage::testing::RawDb db(archive_ / "catalog.sqlite");
  EXPECT_EQ(db.Query("SELECT sign_secret FROM access_identity"), "");
  const std::string pub = db.Query("SELECT sign_public FROM access_identity");
  EXPECT_EQ(pub.size(), 64u);
  const fs::path key = archive_ / "log-signing.key";
  EXPECT_EQ(ModeOf(key), 0600u);
  EXPECT_EQ(ReadFile(key).value_or("").size(), 129u);  // 64 bytes in hex and a newline
  auto json = nlohmann::json::parse(ReadFile(out).value_or(""));
  EXPECT_EQ(json["public_key"], pub);
  EXPECT_EQ(Dossier("log verify --file " + ShellQuote(out.string()), kBoss).exit_code, 0);
  // A key file others can read is refused, not used.
  ::chmod(key.c_str(), 0644);
  auto wide = Dossier("log export --force --to " + ShellQuote(out.string()), kBoss);
  EXPECT_NE(wide.exit_code, 0);
  EXPECT_NE(wide.out.find("log-signing.key is mode 0644"), std::string::npos)
      << wide.out;
  ::chmod(key.c_str(), 0600);
  // A lost key file is not silently replaced by a new key.
  fs::rename(key, tmp_.path() / "kept.key");
  auto lost = Dossier("log export --force --to " + ShellQuote(out.string()), kBoss);
  EXPECT_NE(lost.exit_code, 0);
  EXPECT_NE(lost.out.find("is missing"), std::string::npos) << lost.out;
  // The operator may keep it elsewhere.
  auto elsewhere = Dossier("log export --force --to " + ShellQuote(out.string()),
                           std::string(kBoss) + " DOSSIER_LOG_KEY=" +
                               ShellQuote((tmp_.path() / "kept.key").string()));
  EXPECT_EQ(elsewhere.exit_code, 0) << elsewhere.out;
}

TEST_F(Secure, AKeyInAnOldCatalogMovesToTheKeyFileOnFirstOpen) {
  SecureArchive();
  const fs::path out = tmp_.path() / "log.json";
  ASSERT_EQ(Dossier("log export --to " + ShellQuote(out.string()), kBoss).exit_code, 0);
  const fs::path key = archive_ / "log-signing.key";
  std::string secret = ReadFile(key).value_or("");
  secret.pop_back();
  {
    // What the previous version left: the secret key in the catalog.
    storage::testing::RawDb db(archive_ / "catalog.sqlite");
    ASSERT_EQ(db.Exec("UPDATE access_identity SET sign_secret = '" + secret + "'"),
              0);
  }
  fs::remove(key);
  const std::string pub =
      nlohmann::json::parse(ReadFile(out).value_or(""))["public_key"].get<std::string>();
  ASSERT_EQ(Dossier("customer list", kBoss).exit_code, 0);
  EXPECT_EQ(ReadFile(key).value_or(""), secret + "\n");
  EXPECT_EQ(ModeOf(key), 0600u);
  EXPECT_EQ(storage::testing::RawDb(archive_ / "catalog.sqlite")
                .Query("SELECT sign_secret FROM access_identity"),
            "");
  ASSERT_EQ(Dossier("log export --force --to " + ShellQuote(out.string()), kBoss)
                .exit_code,
            0);
  EXPECT_EQ(nlohmann::json::parse(ReadFile(out).value_or(""))["public_key"], pub);
  EXPECT_EQ(Dossier("log verify --file " + ShellQuote(out.string()), kBoss).exit_code, 0);
}

TEST_F(Secure, TheVersion1FixtureOpensExportsAndVerifies) {
  fs::copy(fs::path(DOSSIER_FIXTURES_DIR) / "archive-v1", archive_,
           fs::copy_options::recursive);
  const fs::path out = tmp_.path() / "log.json";
  auto exp = Dossier("log export --to " + ShellQuote(out.string()),
                     "DOSSIER_USER=ann");
  ASSERT_EQ(exp.exit_code, 0) << exp.out;
  EXPECT_EQ(Dossier("log verify --file " + ShellQuote(out.string()),
                    "DOSSIER_USER=ann")
                .exit_code,
            0);
  EXPECT_EQ(Dossier("log verify", "DOSSIER_USER=ann").exit_code, 0);
  EXPECT_EQ(ModeOf(archive_ / "log-signing.key"), 0600u);
}

// --- 6. Unforgeable log output ------------------------------------------------

TEST_F(Secure, AClaimedNameWithTabsAndNewlinesCannotFakeALogLine) {
  SecureArchive();
  // Real tabs and a newline in the name (printf in the shell).
  const std::string forged =
      "DOSSIER_USER=\"$(printf 'm\\t2026-01-01T00:00:00Z\\n999\\t"
      "2026-01-01T00:00:00Z\\tadmin\\tok')\" DOSSIER_PASSWORD=wrong-pass-1";
  EXPECT_EQ(Dossier("customer list", forged).exit_code, 13);
  auto log = Dossier("log show", kBoss);
  ASSERT_EQ(log.exit_code, 0) << log.out;
  std::istringstream lines(log.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    EXPECT_FALSE(line.starts_with("999\t")) << log.out;
    EXPECT_TRUE(line.starts_with(std::to_string(n) + "\t")) << line;
  }
  // Logged as claimed, escaped.
  EXPECT_NE(log.out.find("\tclaimed:m\\t2026-01-01T00:00:00Z\\n999\\t"),
            std::string::npos)
      << log.out;
  // No entry names the admin as its user but boss's own.
  auto admin = Dossier("log show --user admin", kBoss);
  EXPECT_EQ(admin.out, "");
}

TEST_F(Secure, FailedLoginsAreLoggedUnderTheClaimedName) {
  SecureArchive();
  EXPECT_EQ(Dossier("login boss --password-stdin", "", "wrong-pass-1").exit_code, 13);
  auto log = Dossier("log show", kBoss);
  EXPECT_NE(log.out.find("\tclaimed:boss\tdenied\tsession.login"), std::string::npos)
      << log.out;
  EXPECT_EQ(log.out.find("\tboss\tdenied\tsession.login"), std::string::npos)
      << log.out;
}

TEST(TerminalText, ControlCharactersAreEscaped) {
  EXPECT_EQ(EscapeControls("a\tb\nc\rd\x1b[31me\x7f"),
            "a\\tb\\nc\\rd\\x1b[31me\\x7f");
  EXPECT_EQ(EscapeControls("\xc2\x9b" "2J"), "\\u009b2J");  // C1 CSI
  EXPECT_EQ(EscapeControls("张三 ok"), "张三 ok");
  EXPECT_EQ(EscapeControls("line 1\nline 2", true), "line 1\nline 2");
}

TEST(TerminalText, CsvCellsDefuseFormulas) {
  EXPECT_EQ(CsvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvCell("+1"), "\"'+1\"");
  EXPECT_EQ(CsvCell("-2+3"), "\"'-2+3\"");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(CsvCell("plain"), "plain");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("two\nlines"), "two\\nlines");
}

// --- 7. Login throttling ------------------------------------------------------

TEST(LoginThrottle, TheDelayGrowsWithFailuresUpToTheCap) {
  governance::LoginThrottle t{250, 30000, 10};
  using std::chrono::milliseconds;
  EXPECT_EQ(governance::LoginDelay(t, 0), milliseconds(0));
  EXPECT_EQ(governance::LoginDelay(t, 1), milliseconds(250));
  EXPECT_EQ(governance::LoginDelay(t, 2), milliseconds(500));
  EXPECT_EQ(governance::LoginDelay(t, 5), milliseconds(4000));
  EXPECT_EQ(governance::LoginDelay(t, 40), milliseconds(30000));
  for (int f = 1; f < 7; ++f) {  // below the cap
    EXPECT_GT(governance::LoginDelay(t, f + 1), governance::LoginDelay(t, f))
        << f;
  }
  EXPECT_FALSE(governance::LoginLocked(t, 9));
  EXPECT_TRUE(governance::LoginLocked(t, 10));
  t.lockout_after = 0;
  EXPECT_FALSE(governance::LoginLocked(t, 1000));
}

TEST(LoginThrottle, FailuresAreCountedForKnownAndUnknownNamesAndLock) {
  testing::TempDir dir;
  auto catalog = storage::Catalog::Create(dir.path() / "catalog.sqlite");
  ASSERT_TRUE(catalog) << catalog.error().message;
  storage::Access access(**catalog);
  ASSERT_TRUE(access.AddUser("ann", "ann-pass-1", {"admin"}, "setup"));
  ASSERT_TRUE(access.SetLoginThrottle({0, 0, 3}, "setup"));
  for (int i = 1; i <= 2; ++i) {
    EXPECT_FALSE(access.CheckPassword("ann", "wrong-pass"));
    EXPECT_FALSE(access.CheckPassword("nobody", "wrong-pass"));
    EXPECT_EQ(access.GetLoginState("ann")->failures, i);
    EXPECT_EQ(access.GetLoginState("nobody")->failures, i);
    EXPECT_EQ(access.GetLoginState("ann")->station_failures, 2 * i);
  }
  // With waits on, the computed wait grows with the failures.
  ASSERT_TRUE(access.SetLoginThrottle({100, 60000, 3}, "setup"));
  const auto two = access.GetLoginState("ann")->next_delay;
  ASSERT_TRUE(access.SetLoginThrottle({0, 0, 3}, "setup"));
  EXPECT_FALSE(access.CheckPassword("ann", "wrong-pass"));
  auto locked = access.GetLoginState("ann");
  EXPECT_TRUE(locked->locked);
  ASSERT_TRUE(access.SetLoginThrottle({100, 60000, 3}, "setup"));
  EXPECT_GT(access.GetLoginState("ann")->next_delay, two);
  ASSERT_TRUE(access.SetLoginThrottle({0, 0, 3}, "setup"));
  // Locked: the right password is refused too, and says why.
  auto refused = access.CheckPassword("ann", "ann-pass-1");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("dossier user unlock ann"),
            std::string::npos);
  // Another process sees the same counts.
  auto again = storage::Catalog::Open(dir.path() / "catalog.sqlite");
  ASSERT_TRUE(again);
  storage::Access other(**again);
  EXPECT_TRUE(other.GetLoginState("ann")->locked);
  ASSERT_TRUE(access.UnlockUser("ann", "boss"));
  EXPECT_EQ(access.GetLoginState("ann")->failures, 0);
  EXPECT_TRUE(access.CheckPassword("ann", "ann-pass-1"));
  EXPECT_EQ(access.GetLoginState("ann")->station_failures, 0);
  EXPECT_EQ(access.UnlockUser("nobody", "boss").error().code,
            ErrorCode::kNotFound);
}

TEST_F(Secure, LockoutAndUnlockThroughTheCommand) {
  SecureArchive();
  auto add = Dossier("user add cl --role clerk --password-stdin", kBoss,
                     "clerk-pass-1");
  ASSERT_EQ(add.exit_code, 0) << add.out;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Dossier("login cl --password-stdin", "", "wrong-pass-1").exit_code, 13);
  }
  auto locked = Dossier("login cl --password-stdin --print-token", "", "clerk-pass-1");
  EXPECT_EQ(locked.exit_code, 13) << locked.out;
  EXPECT_NE(locked.out.find("locked after 3 failed logins"), std::string::npos)
      << locked.out;
  // Only an admin unlocks.
  EXPECT_EQ(Dossier("user unlock cl", "DOSSIER_USER=cl DOSSIER_PASSWORD=clerk-pass-1")
                .exit_code,
            13);
  auto unlock = Dossier("user unlock cl", kBoss);
  ASSERT_EQ(unlock.exit_code, 0) << unlock.out;
  // 3 wrong passwords, the right one while locked, cl's own unlock try.
  EXPECT_NE(unlock.out.find("5 failed login(s) cleared"), std::string::npos)
      << unlock.out;
  EXPECT_EQ(Dossier("login cl --password-stdin --print-token", "", "clerk-pass-1")
                .exit_code,
            0);
  auto log = Dossier("log show", kBoss);
  EXPECT_NE(log.out.find("boss\tok\tuser.unlock"), std::string::npos) << log.out;
  size_t failures = 0;
  for (size_t at = 0;
       (at = log.out.find("claimed:cl\tdenied\tsession.login", at)) !=
       std::string::npos;
       ++at) {
    ++failures;
  }
  EXPECT_EQ(failures, 4u) << log.out;
  auto settings = Dossier("settings login-throttle", kBoss);
  EXPECT_NE(settings.out.find("lockout_after\t3"), std::string::npos) << settings.out;
}

}  // namespace
}  // namespace dossier
