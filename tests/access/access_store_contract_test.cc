// The access store contract: every AccessStore backend runs this suite
// (today SQLite; a PostgreSQL store joins the parameter list). It speaks
// only through the AccessStore interface: users and roles, the open
// station, passwords and sessions, the hash-chained log and its export,
// the errors each call gives, and that a second connection sees it all.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/access_store.h"
#include "storage/sqlite/access.h"
#include "storage/sqlite/catalog.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

// The access store with what it lives on (for SQLite: the catalog whose
// connection it shares; destroyed after the store).
struct AccessStores {
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

INSTANTIATE_TEST_SUITE_P(Backends, AccessStoreContract,
                         ::testing::ValuesIn(AccessBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dossier::storage
