// The access store contract: every AccessStore backend runs this suite
// (SQLite, and PostgreSQL on the test cluster: tests/support/
// pg_test_support.h, each test in its own database). It speaks
// only through the AccessStore interface: users and roles, the open
// station, passwords and sessions, the hash-chained log and its export,
// the errors each call gives, and that a second connection sees it all.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "storage/access_store.h"
#include "storage/postgres/access.h"
#include "storage/postgres/catalog.h"
#include "storage/sqlite/access.h"
#include "storage/sqlite/catalog.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

// The access store with what it lives on (for SQLite: the catalog whose
// connection it shares; for PostgreSQL: the catalog's pool and, for the
// store that made it, the test database; destroyed after the store).
struct AccessStores {
  std::shared_ptr<void> database;
  std::shared_ptr<void> catalog;
  std::unique_ptr<RecordsStore> records;
  std::unique_ptr<AccessStore> access;
  AccessStores() = default;
  AccessStores(AccessStores&&) = default;
  AccessStores& operator=(AccessStores&&) = default;
  ~AccessStores() { access.reset(); }
};

struct AccessBackend {
  std::string name;
  std::function<AccessStores(const std::filesystem::path&, bool create)> make;
};

// Test names end in the backend's name, not the parameter's bytes.
void PrintTo(const AccessBackend& backend, std::ostream* os) { *os << backend.name; }

std::vector<AccessBackend> AccessBackends() {
  return {{"sqlite", [](const std::filesystem::path& dir, bool create) {
             AccessStores s;
             auto c = create ? Catalog::Create(dir / "catalog.sqlite")
                             : Catalog::Open(dir / "catalog.sqlite");
             EXPECT_TRUE(c) << c.error().message;
             if (!c) return s;
             s.access = std::make_unique<Access>(**c);
             s.records = std::move(*c);
             return s;
           }},
          {"postgresql", [](const std::filesystem::path& dir, bool create) {
             // The database's URL is kept in dir, for the further
             // connections of open.
             AccessStores s;
             auto c = dossier::testing::OpenPgTestCatalog(dir, create);
             EXPECT_TRUE(c) << c.error().message;
             if (!c) return s;
             s.database = std::move(c->database);
             s.access = std::make_unique<postgres::PgAccess>(*c->catalog, dir);
             s.catalog = std::shared_ptr<postgres::PgCatalog>(std::move(c->catalog));
             return s;
           }}};
}

class AccessStoreContract : public ::testing::TestWithParam<AccessBackend> {
 protected:
  void SetUp() override {
    stores_ = GetParam().make(dir_.path(), true);
    ASSERT_NE(stores_.access, nullptr);
  }
  AccessStore& access() { return *stores_.access; }
  void Secure() {
    auto admin = access().AddUser("admin", "correct horse", {"admin"}, "setup");
    ASSERT_TRUE(admin) << admin.error().message;
  }
  dossier::testing::TempDir dir_;
  AccessStores stores_;
};

TEST_P(AccessStoreContract, AnArchiveIsOpenUntilItsFirstAdmin) {
  EXPECT_TRUE(*access().IsOpenStation());
  auto open = access().OpenStationPrincipal("clerk");
  ASSERT_TRUE(open) << open.error().message;
  EXPECT_EQ(open->user, "clerk");
  // The first user must be an admin; refusing writes nothing.
  EXPECT_EQ(access().AddUser("ann", "long enough", {"clerk"}, "setup").error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(*access().IsOpenStation());
  Secure();
  EXPECT_FALSE(*access().IsOpenStation());
  EXPECT_EQ(access().OpenStationPrincipal("clerk").error().code,
            ErrorCode::kConflict);
  auto id = access().ArchiveId();
  ASSERT_TRUE(id);
  EXPECT_EQ(id->size(), 32u);
  EXPECT_EQ(*access().ArchiveId(), *id);
}

TEST_P(AccessStoreContract, UsersAndRolesKeepOneActiveAdmin) {
  Secure();
  auto ann = access().AddUser("ann", "long enough", {"clerk"}, "admin");
  ASSERT_TRUE(ann) << ann.error().message;
  EXPECT_EQ(ann->roles, std::vector<std::string>{"clerk"});
  EXPECT_EQ(access().AddUser("ann", "long enough", {"clerk"}, "admin").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(access().AddUser("bob", "short", {"clerk"}, "admin").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(access().AddUser("bob", "long enough", {"wizard"}, "admin").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(access().GetUser("nobody").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(access().GrantRole("ann", "reviewer", "admin"));
  EXPECT_EQ(access().GetUser("ann")->roles,
            (std::vector<std::string>{"clerk", "reviewer"}));
  ASSERT_TRUE(access().RevokeRole("ann", "clerk", "admin"));
  EXPECT_EQ(access().GetUser("ann")->roles, std::vector<std::string>{"reviewer"});
  // The last active admin can neither lose the role nor be disabled.
  EXPECT_EQ(access().RevokeRole("admin", "admin", "admin").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(access().SetActive("admin", false, "admin").error().code,
            ErrorCode::kConflict);
  ASSERT_TRUE(access().SetActive("ann", false, "admin"));
  EXPECT_FALSE(access().GetUser("ann")->active);
  EXPECT_EQ(access().ListUsers()->size(), 2u);
}

TEST_P(AccessStoreContract, UsersAreListedByNameBytewise) {
  Secure();
  for (const char* name : {"bob", "Zed", "ann", "张三"}) {
    ASSERT_TRUE(access().AddUser(name, "long enough", {"clerk", "auditor"}, "admin"));
  }
  auto users = access().ListUsers();
  ASSERT_TRUE(users) << users.error().message;
  std::vector<std::string> names;
  for (const auto& u : *users) names.push_back(u.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"Zed", "admin", "ann", "bob", "张三"}));
  EXPECT_EQ((*users)[1].roles, std::vector<std::string>{"admin"});
  EXPECT_EQ((*users)[2].roles, (std::vector<std::string>{"auditor", "clerk"}));
  EXPECT_EQ((*users)[2].created_by, "admin");
  EXPECT_TRUE((*users)[2].active);
}

TEST_P(AccessStoreContract, PasswordsAndSessionsProveWhoActs) {
  Secure();
  ASSERT_TRUE(access().AddUser("ann", "long enough", {"clerk"}, "admin"));
  auto ok = access().CheckPassword("ann", "long enough");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->user, "ann");
  EXPECT_EQ(access().CheckPassword("ann", "wrong one!").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(access().GetLoginState("ann")->failures, 1);
  ASSERT_TRUE(access().UnlockUser("ann", "admin"));
  EXPECT_EQ(access().GetLoginState("ann")->failures, 0);
  EXPECT_EQ(access().UnlockUser("nobody", "admin").error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(access().SetPassword("ann", "another long one", "admin"));
  auto session = access().CreateSession("ann", "another long one", 8);
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->token.size(), 64u);
  auto resumed = access().ResumeSession(session->token);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->user, "ann");
  ASSERT_TRUE(access().EndSession(session->token));
  EXPECT_TRUE(access().EndSession(session->token));  // idempotent
  EXPECT_EQ(access().ResumeSession(session->token).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(access().EndSession(std::string(64, '0')).error().code,
            ErrorCode::kNotFound);
  // Disabling a user ends their sessions.
  auto again = access().CreateSession("ann", "another long one", 1);
  ASSERT_TRUE(again);
  ASSERT_TRUE(access().SetActive("ann", false, "admin"));
  EXPECT_EQ(access().ResumeSession(again->token).error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(AccessStoreContract, TheLogIsAChainThatReadsFiltersAndExports) {
  for (int i = 1; i <= 3; ++i) {
    auto e = access().AppendLog({i == 2 ? "ann" : "bob", "document.show",
                                 {"show", "D00000" + std::to_string(i)},
                                 {"D00000" + std::to_string(i)}, "ok", ""});
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->seq, i);
    EXPECT_EQ(e->hash, LogEntryHash(*e));
  }
  auto all = access().ReadLog({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].prev_hash, (*all)[0].hash);
  LogFilter by_ann;
  by_ann.user = "ann";
  EXPECT_EQ(access().ReadLog(by_ann)->size(), 1u);
  LogFilter by_record;
  by_record.record = "d000003";
  EXPECT_EQ(access().ReadLog(by_record)->size(), 1u);
  auto check = access().VerifyLog();
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok);
  EXPECT_EQ(check->entries, 3);
  EXPECT_EQ(check->head_seq, 3);
  auto key = access().SigningPublicKey();
  ASSERT_TRUE(key) << key.error().message;
  auto exported = access().ExportLog();
  ASSERT_TRUE(exported) << exported.error().message;
  auto verified = VerifyLogExport(*exported, *key);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(verified->ok) << verified->problem;
  EXPECT_EQ(verified->entries, 3);
}

TEST_P(AccessStoreContract, AnotherConnectionSeesUsersAndTheLog) {
  Secure();
  ASSERT_TRUE(access().AppendLog({"admin", "user.add", {}, {}, "ok", ""}));
  AccessStores other = GetParam().make(dir_.path(), false);
  ASSERT_NE(other.access, nullptr);
  EXPECT_FALSE(*other.access->IsOpenStation());
  EXPECT_TRUE(other.access->CheckPassword("admin", "correct horse"));
  ASSERT_TRUE(other.access->AppendLog({"admin", "user.list", {}, {}, "ok", ""}));
  auto check = access().VerifyLog();
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok);
  EXPECT_EQ(check->entries, 2);
  EXPECT_EQ(*other.access->ArchiveId(), *access().ArchiveId());
}

TEST_P(AccessStoreContract, FailedLoginsLockANameForEveryConnection) {
  Secure();
  ASSERT_TRUE(access().AddUser("ann", "long enough", {"clerk"}, "admin"));
  EXPECT_EQ(access().SetLoginThrottle({-1, 0, 3}, "admin").error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(access().SetLoginThrottle({0, 0, 3}, "admin"));
  EXPECT_EQ(access().LoginThrottleSettings()->lockout_after, 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(access().CheckPassword("ann", "wrong one!").error().code,
              ErrorCode::kPermissionDenied);
  }
  // A name that is no user is counted the same way, and so is the station.
  EXPECT_FALSE(access().CheckPassword("nobody", "wrong one!"));
  auto state = access().GetLoginState("ann");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->failures, 3);
  EXPECT_EQ(state->station_failures, 4);
  EXPECT_TRUE(state->locked);
  EXPECT_EQ(access().GetLoginState("nobody")->failures, 1);
  // Locked: the right password is refused too, on any connection.
  AccessStores other = GetParam().make(dir_.path(), false);
  ASSERT_NE(other.access, nullptr);
  auto refused = other.access->CheckPassword("ann", "long enough");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.error().message.find("locked"), std::string::npos)
      << refused.error().message;
  ASSERT_TRUE(other.access->UnlockUser("ann", "admin"));
  EXPECT_FALSE(access().GetLoginState("ann")->locked);
  EXPECT_TRUE(access().CheckPassword("ann", "long enough"));
  // A good login clears the station's count as well.
  EXPECT_EQ(access().GetLoginState("ann")->station_failures, 0);
}

TEST_P(AccessStoreContract, SessionsExpireAndAPasswordChangeEndsThem) {
  Secure();
  auto clock = std::make_shared<FixedClock>(
      std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + std::chrono::hours(9));
  ScopedClock scoped(clock);
  EXPECT_EQ(access().CreateSession("admin", "correct horse", 0).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(access().CreateSession("admin", "correct horse", 169).error().code,
            ErrorCode::kInvalidArgument);
  auto session = access().CreateSession("admin", "correct horse", 2);
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->expires_at, "2026-03-01T11:00:00Z");
  clock->Advance(std::chrono::minutes(119));
  EXPECT_TRUE(access().ResumeSession(session->token));
  clock->Advance(std::chrono::minutes(1));
  auto expired = access().ResumeSession(session->token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos);
  auto again = access().CreateSession("admin", "correct horse", 8);
  ASSERT_TRUE(again);
  ASSERT_TRUE(access().SetPassword("admin", "a new long one", "admin"));
  EXPECT_EQ(access().ResumeSession(again->token).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(access().CheckPassword("admin", "correct horse").error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(AccessStoreContract, TheLogFiltersByTimeAndMatchesRecordsLiterally) {
  auto clock = std::make_shared<FixedClock>(
      std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + std::chrono::hours(23));
  ScopedClock scoped(clock);
  ASSERT_TRUE(access().AppendLog({"ann", "document.show", {}, {"A_B"}, "ok", ""}));
  clock->Advance(std::chrono::hours(2));  // 2026-03-02T01:00:00Z
  ASSERT_TRUE(access().AppendLog({"bob", "document.show", {}, {"AXB", "D000007"},
                                  "denied", ""}));
  LogFilter day1;
  day1.until = "2026-03-01";  // the whole day
  auto first = access().ReadLog(day1);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].actor, "ann");
  EXPECT_EQ((*first)[0].at, "2026-03-01T23:00:00Z");
  LogFilter day2;
  day2.since = "2026-03-02";
  ASSERT_EQ(access().ReadLog(day2)->size(), 1u);
  LogFilter exact;
  exact.since = "2026-03-01T23:00:00Z";
  exact.until = "2026-03-01T23:00:00Z";
  EXPECT_EQ(access().ReadLog(exact)->size(), 1u);
  LogFilter bad;
  bad.since = "yesterday";
  EXPECT_EQ(access().ReadLog(bad).error().code, ErrorCode::kInvalidArgument);
  // Record ids match whole words, case-insensitively, with no wildcards.
  LogFilter underscore;
  underscore.record = "A_B";
  EXPECT_EQ(access().ReadLog(underscore)->size(), 1u);
  LogFilter percent;
  percent.record = "%";
  EXPECT_EQ(access().ReadLog(percent)->size(), 0u);
  LogFilter word;
  word.record = "d000007";
  ASSERT_EQ(access().ReadLog(word)->size(), 1u);
  EXPECT_EQ((*access().ReadLog(word))[0].outcome, "denied");
  LogFilter part;
  part.record = "D00000";
  EXPECT_EQ(access().ReadLog(part)->size(), 0u);
}

TEST_P(AccessStoreContract, AMissingSigningKeyIsNotSilentlyReplaced) {
  ASSERT_TRUE(access().AppendLog({"ann", "log.export", {}, {}, "ok", ""}));
  auto key = access().SigningPublicKey();
  ASSERT_TRUE(key) << key.error().message;
  const auto file = access().SigningKeyFile();
  ASSERT_TRUE(std::filesystem::exists(file)) << file;
  EXPECT_EQ(std::filesystem::status(file).permissions() &
                std::filesystem::perms::group_all,
            std::filesystem::perms::none);
  // Another connection signs with the same key.
  AccessStores other = GetParam().make(dir_.path(), false);
  ASSERT_NE(other.access, nullptr);
  EXPECT_EQ(*other.access->SigningPublicKey(), *key);
  std::filesystem::remove(file);
  auto gone = access().ExportLog();
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  EXPECT_NE(gone.error().message.find(*key), std::string::npos)
      << gone.error().message;
  EXPECT_FALSE(std::filesystem::exists(file));
}

INSTANTIATE_TEST_SUITE_P(Backends, AccessStoreContract,
                         ::testing::ValuesIn(AccessBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dossier::storage
