// Users, sessions and the hash-chained access log at the library level
// (storage/access.h). Tampering is done the way an intruder would: through
// a raw SQLite connection, dropping the append-only triggers first.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "storage/sqlite/access.h"
#include "storage/sqlite/catalog.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

using testing::RawDb;

LogFilter Filter(std::string user, std::string record, std::string since,
                 std::string until) {
  LogFilter f;
  f.user = std::move(user);
  f.record = std::move(record);
  f.since = std::move(since);
  f.until = std::move(until);
  return f;
}

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() / "catalog.sqlite";
    auto c = Catalog::Create(path_);
    ASSERT_TRUE(c) << c.error().message;
    catalog_ = std::move(*c);
    access_ = std::make_unique<Access>(*catalog_);
  }

  void AppendN(int n) {
    for (int i = 1; i <= n; ++i) {
      auto e = access_->AppendLog(
          {"clerk1", "show", {"show", "D00000" + std::to_string(i)},
           {"D00000" + std::to_string(i)}, "ok", ""});
      ASSERT_TRUE(e) << e.error().message;
    }
  }

  // Drops the triggers and runs sql on a second connection.
  void Tamper(const std::string& sql) {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec("DROP TRIGGER access_log_no_update; "
                       "DROP TRIGGER access_log_no_delete;"),
              RawDb::kOk);
    ASSERT_EQ(raw.Exec(sql), RawDb::kOk) << raw.LastError();
  }

  LogCheck Verify() {
    auto check = access_->VerifyLog();
    EXPECT_TRUE(check) << check.error().message;
    return check ? *check : LogCheck{};
  }

  dossier::testing::TempDir dir_;
  std::filesystem::path path_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<Access> access_;
};

TEST_F(AccessTest, NewArchiveIsOpenStationUntilFirstAdmin) {
  auto open = access_->IsOpenStation();
  ASSERT_TRUE(open);
  EXPECT_TRUE(*open);
  auto p = access_->OpenStationPrincipal("alice");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->roles, std::vector<std::string>{"admin"});
  EXPECT_TRUE(p->open_station);

  auto clerk = access_->AddUser("bob", "long-password", {"clerk"}, "alice");
  ASSERT_FALSE(clerk);
  EXPECT_EQ(clerk.error().code, ErrorCode::kConflict);

  ASSERT_TRUE(access_->AddUser("alice", "long-password", {"admin"}, "alice"));
  EXPECT_FALSE(*access_->IsOpenStation());
  EXPECT_FALSE(access_->OpenStationPrincipal("alice"));
  auto id = access_->ArchiveId();
  ASSERT_TRUE(id);
  EXPECT_EQ(id->size(), 32u);
}

TEST_F(AccessTest, PasswordsAreArgon2idAndChecked) {
  ASSERT_TRUE(access_->AddUser("admin", "correct horse", {"admin"}, "admin"));
  ASSERT_TRUE(access_->AddUser("carol", "clerk-pass-1", {"clerk", "scanner"},
                               "admin"));
  RawDb raw(path_);
  std::string stored = raw.Query("SELECT password_hash FROM users WHERE name='carol'");
  EXPECT_TRUE(stored.starts_with("$argon2id$")) << stored;
  EXPECT_EQ(stored.find("clerk-pass-1"), std::string::npos);

  auto ok = access_->CheckPassword("carol", "clerk-pass-1");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->roles, (std::vector<std::string>{"clerk", "scanner"}));
  auto wrong = access_->CheckPassword("carol", "clerk-pass-2");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(wrong.error().message, "login failed for carol");
  auto unknown = access_->CheckPassword("mallory", "clerk-pass-1");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "login failed for mallory");

  EXPECT_EQ(access_->AddUser("dave", "short", {"clerk"}, "admin").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(access_->AddUser("dave", "long-enough", {"root"}, "admin").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(access_->AddUser("carol", "long-enough", {"clerk"}, "admin").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(access_->AddUser("a b", "long-enough", {"clerk"}, "admin").error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(AccessTest, SessionsStoreOnlyTheTokenHashAndEnd) {
  ASSERT_TRUE(access_->AddUser("admin", "admin-pass", {"admin"}, "admin"));
  ASSERT_TRUE(access_->AddUser("erin", "erin-pass-1", {"auditor"}, "admin"));
  EXPECT_FALSE(access_->CreateSession("erin", "bad-pass-1", 8));
  auto s = access_->CreateSession("erin", "erin-pass-1", 8);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->token.size(), 64u);
  RawDb raw(path_);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM sessions WHERE token_sha256 LIKE '%" +
                      s->token + "%'"),
            "0");
  auto who = access_->ResumeSession(s->token);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->user, "erin");
  EXPECT_EQ(who->roles, std::vector<std::string>{"auditor"});

  // Expired.
  ASSERT_EQ(raw.Exec("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z'"),
            RawDb::kOk);
  auto expired = access_->ResumeSession(s->token);
  ASSERT_FALSE(expired);
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos);

  // Ended by logout, by a password change, by disabling.
  auto s2 = access_->CreateSession("erin", "erin-pass-1", 1);
  ASSERT_TRUE(s2);
  ASSERT_TRUE(access_->EndSession(s2->token));
  EXPECT_FALSE(access_->ResumeSession(s2->token));
  auto s3 = access_->CreateSession("erin", "erin-pass-1", 1);
  ASSERT_TRUE(access_->SetPassword("erin", "erin-pass-2", "admin"));
  EXPECT_FALSE(access_->ResumeSession(s3->token));
  EXPECT_TRUE(access_->CheckPassword("erin", "erin-pass-2"));
  auto s4 = access_->CreateSession("erin", "erin-pass-2", 1);
  ASSERT_TRUE(access_->SetActive("erin", false, "admin"));
  EXPECT_FALSE(access_->ResumeSession(s4->token));
  EXPECT_FALSE(access_->CheckPassword("erin", "erin-pass-2"));
  EXPECT_FALSE(access_->ResumeSession(std::string(64, 'a')));
}

TEST_F(AccessTest, LastAdminCannotBeRemovedAndUsersNotDeleted) {
  ASSERT_TRUE(access_->AddUser("admin", "admin-pass", {"admin"}, "admin"));
  ASSERT_TRUE(access_->AddUser("frank", "frank-pass", {"clerk"}, "admin"));
  EXPECT_EQ(access_->RevokeRole("admin", "admin", "admin").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(access_->SetActive("admin", false, "admin").error().code,
            ErrorCode::kConflict);
  ASSERT_TRUE(access_->GrantRole("frank", "admin", "admin"));
  ASSERT_TRUE(access_->RevokeRole("admin", "admin", "admin"));
  auto frank = access_->GetUser("frank");
  ASSERT_TRUE(frank);
  EXPECT_EQ(frank->roles, (std::vector<std::string>{"admin", "clerk"}));
  EXPECT_EQ(access_->RevokeRole("frank", "auditor", "admin").error().code,
            ErrorCode::kNotFound);
  RawDb raw(path_);
  EXPECT_NE(raw.Exec("DELETE FROM users WHERE name = 'frank'"), RawDb::kOk);
  auto users = access_->ListUsers();
  ASSERT_TRUE(users);
  EXPECT_EQ(users->size(), 2u);
}

TEST_F(AccessTest, LogChainsEntriesAndRefusesUpdateAndDelete) {
  AppendN(3);
  auto entries = access_->ReadLog({});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ((*entries)[1].prev_hash, (*entries)[0].hash);
  EXPECT_EQ((*entries)[2].prev_hash, (*entries)[1].hash);
  EXPECT_EQ((*entries)[1].hash, LogEntryHash((*entries)[1]));
  EXPECT_EQ((*entries)[0].args, R"(["show","D000001"])");
  auto check = Verify();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.entries, 3);
  EXPECT_EQ(check.head_hash, (*entries)[2].hash);

  RawDb raw(path_);
  EXPECT_NE(raw.Exec("UPDATE access_log SET actor = 'x' WHERE seq = 2"), RawDb::kOk);
  EXPECT_NE(raw.Exec("DELETE FROM access_log WHERE seq = 3"), RawDb::kOk);
  EXPECT_NE(raw.Exec("DELETE FROM access_log"), RawDb::kOk);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM access_log"), "3");
}

TEST_F(AccessTest, VerifyNamesAModifiedEntry) {
  AppendN(5);
  Tamper("UPDATE access_log SET actor = 'someone-else' WHERE seq = 3");
  auto check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad, 3);
  EXPECT_NE(check.problem.find("modified"), std::string::npos) << check.problem;
}

TEST_F(AccessTest, VerifyNamesAModifiedEntryWhoseHashWasRecomputed) {
  AppendN(5);
  auto entries = access_->ReadLog({});
  LogEntry e = (*entries)[2];
  e.outcome = "denied";
  Tamper("UPDATE access_log SET outcome = 'denied', hash = '" +
         LogEntryHash(e) + "' WHERE seq = 3");
  auto check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad, 4);  // entry 4 no longer links to entry 3
  EXPECT_NE(check.problem.find("does not link"), std::string::npos);
}

TEST_F(AccessTest, VerifyNamesADeletedEntry) {
  AppendN(5);
  Tamper("DELETE FROM access_log WHERE seq = 2");
  auto check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad, 3);
  EXPECT_NE(check.problem.find("missing"), std::string::npos) << check.problem;
}

TEST_F(AccessTest, VerifyNamesADeletedAndRenumberedEntry) {
  AppendN(5);
  Tamper("DELETE FROM access_log WHERE seq = 2; "
         "UPDATE access_log SET seq = seq - 1 WHERE seq > 2;");
  auto check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad, 2);
}

TEST_F(AccessTest, VerifyNamesAnInsertedEntry) {
  AppendN(4);
  // A forged entry 3 with a self-consistent hash, the later ones shifted.
  auto entries = access_->ReadLog({});
  LogEntry forged = (*entries)[1];
  forged.seq = 3;
  forged.actor = "ghost";
  forged.prev_hash = (*entries)[1].hash;
  forged.hash = LogEntryHash(forged);
  Tamper("UPDATE access_log SET seq = seq + 100 WHERE seq >= 3; "
         "UPDATE access_log SET seq = seq - 99 WHERE seq >= 100; "
         "INSERT INTO access_log VALUES (3, '" + forged.at + "', 'ghost', '" +
         forged.command + "', '" + forged.args + "', '" + forged.records +
         "', 'ok', '', '" + forged.prev_hash + "', '" + forged.hash + "');");
  auto check = Verify();
  EXPECT_FALSE(check.ok);
  // Entry 3 (the forgery) is consistent; entry 4 (formerly 3) has a hash
  // over seq 3, so it is the first bad one.
  EXPECT_EQ(check.first_bad, 4);
}

TEST_F(AccessTest, VerifyNamesAnAppendedForgery) {
  AppendN(3);
  Tamper("INSERT INTO access_log VALUES (4, '2026-01-01T00:00:00Z', 'ghost', "
         "'show', '[]', '', 'ok', '', '" + std::string(64, '0') + "', 'x');");
  auto check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad, 4);
}

TEST_F(AccessTest, VerifyNamesReorderedEntries) {
  AppendN(5);
  // Swap entries 2 and 4 (whole rows, seq numbers exchanged).
  Tamper("UPDATE access_log SET seq = 100 WHERE seq = 2; "
         "UPDATE access_log SET seq = 2 WHERE seq = 4; "
         "UPDATE access_log SET seq = 4 WHERE seq = 100;");
  auto check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad, 2);
}

TEST_F(AccessTest, ReadLogFilters) {
  ASSERT_TRUE(access_->AppendLog({"ann", "show", {"show", "D000001"}, {"D000001"}, "ok", ""}));
  ASSERT_TRUE(access_->AppendLog({"ben", "export", {"export", "D000002"}, {"D000002"}, "ok", ""}));
  ASSERT_TRUE(access_->AppendLog({"ann", "loan approve", {}, {"L000001"}, "denied", "x"}));
  EXPECT_EQ(access_->ReadLog(Filter("ann", "", "", ""))->size(), 2u);
  EXPECT_EQ(access_->ReadLog(Filter("", "d000002", "", ""))->size(), 1u);
  EXPECT_EQ(access_->ReadLog(Filter("", "D00000", "", ""))->size(), 0u);  // whole ids
  EXPECT_EQ(access_->ReadLog(Filter("", "%", "", ""))->size(), 0u);
  EXPECT_EQ(access_->ReadLog(Filter("", "", "2000-01-01", ""))->size(), 3u);
  EXPECT_EQ(access_->ReadLog(Filter("", "", "", "2000-01-01"))->size(), 0u);
  auto at = (*access_->ReadLog({}))[0].at;
  EXPECT_EQ(access_->ReadLog(Filter("", "", at.substr(0, 10), at.substr(0, 10)))->size(), 3u);
  EXPECT_EQ(access_->ReadLog(Filter("", "", "yesterday", "")).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(AccessTest, ExportIsSignedAndCheckable) {
  AppendN(4);
  auto text = access_->ExportLog();
  ASSERT_TRUE(text) << text.error().message;
  auto key = access_->SigningPublicKey();
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 64u);
  auto ok = VerifyLogExport(*text, *key);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(ok->ok) << ok->problem;
  EXPECT_EQ(ok->entries, 4);

  auto doc = nlohmann::json::parse(*text);
  // A changed entry.
  auto changed = doc;
  changed["entries"][1]["actor"] = "ghost";
  auto c1 = VerifyLogExport(changed.dump(), *key);
  ASSERT_TRUE(c1);
  EXPECT_FALSE(c1->ok);
  EXPECT_EQ(c1->first_bad, 2);
  // A cut-off tail (chain fine, head signed over entry 4).
  auto cut = doc;
  cut["entries"].erase(3);
  auto c2 = VerifyLogExport(cut.dump(), *key);
  ASSERT_TRUE(c2);
  EXPECT_FALSE(c2->ok);
  EXPECT_NE(c2->problem.find("cut off"), std::string::npos);
  // A cut-off tail with a re-made head: the signature fails.
  cut["head"]["seq"] = 3;
  cut["head"]["hash"] = doc["entries"][2]["hash"];
  auto c3 = VerifyLogExport(cut.dump(), *key);
  ASSERT_TRUE(c3);
  EXPECT_FALSE(c3->ok);
  EXPECT_NE(c3->problem.find("signature"), std::string::npos);
  // Another key.
  auto c4 = VerifyLogExport(*text, std::string(64, '1'));
  ASSERT_TRUE(c4);
  EXPECT_FALSE(c4->ok);
  // Not an export.
  EXPECT_FALSE(VerifyLogExport("{}", std::nullopt));
  EXPECT_FALSE(VerifyLogExport("garbage", std::nullopt));
}

TEST_F(AccessTest, NonUtf8ArgumentsAreStoredAndVerifiable) {
  ASSERT_TRUE(access_->AppendLog(
      {"ann", "ingest", {"ingest", std::string("scan-\xff\xfe.tif")}, {}, "ok", ""}));
  auto check = Verify();
  EXPECT_TRUE(check.ok) << check.problem;
}

// The server's workers each append on their own connection: the entries
// are committed in groups (storage/sqlite/access.h). Every entry is there
// once, the chain verifies, and each append returned only after its entry
// was committed: a second connection of the same thread, opened before,
// sees it as soon as AppendLog returns.
TEST_F(AccessTest, ConcurrentAppendsAreEachCommittedOnceInAVerifyingChain) {
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::vector<std::string> problems;
  std::vector<std::int64_t> seqs;
  auto problem = [&](std::string text) {
    std::lock_guard lock(mu);
    problems.push_back(std::move(text));
  };
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto writer_catalog = Catalog::Open(path_);
      auto reader_catalog = Catalog::Open(path_);
      if (!writer_catalog || !reader_catalog) return problem("cannot open the catalog");
      Access writer(**writer_catalog);
      Access reader(**reader_catalog);
      for (int i = 0; i < kEach; ++i) {
        const std::string id = fmt::format("D{:03d}{:03d}", t, i);
        auto e = writer.AppendLog({fmt::format("clerk{}", t), "document.show",
                                   {"GET", "/api/documents/" + id}, {id}, "ok", ""});
        if (!e) return problem(e.error().message);
        auto seen = reader.ReadLog(Filter("", id, "", ""));
        if (!seen || seen->size() != 1 || (*seen)[0].seq != e->seq ||
            (*seen)[0].hash != e->hash) {
          return problem(id + " was not committed when AppendLog returned");
        }
        std::lock_guard lock(mu);
        seqs.push_back(e->seq);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(problems.empty()) << problems.front();

  auto entries = access_->ReadLog({});
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), static_cast<std::size_t>(kThreads * kEach));
  std::set<std::string> ids;
  for (const auto& e : *entries) ids.insert(e.records);
  EXPECT_EQ(ids.size(), entries->size()) << "an entry was logged twice";
  std::sort(seqs.begin(), seqs.end());
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    ASSERT_EQ(seqs[i], static_cast<std::int64_t>(i) + 1) << "seq returned twice or skipped";
  }
  // Each thread's entries are in the log in the order it appended them.
  std::map<std::string, std::string> last_of;
  for (const auto& e : *entries) {
    std::string& last = last_of[e.actor];
    EXPECT_LT(last, e.records) << e.actor;
    last = e.records;
  }
  auto check = Verify();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.entries, kThreads * kEach);
}

// A commit that fails is the error of every append in it: none of their
// entries is kept, the chain still verifies, and appends go on afterwards.
TEST_F(AccessTest, AFailedLogCommitIsEveryAppendersErrorAndKeepsNothing) {
  AppendN(2);
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec("CREATE TRIGGER access_log_test_refuse BEFORE INSERT ON "
                       "access_log BEGIN SELECT RAISE(ABORT, 'refused by the "
                       "test'); END;"),
              RawDb::kOk)
        << raw.LastError();
  }
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kThreads);
  std::vector<int> succeeded(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto catalog = Catalog::Open(path_);
      if (!catalog) return;
      Access access(**catalog);
      auto e = access.AppendLog({"clerk", "document.search", {"GET", "/api/search"},
                                 {}, "ok", ""});
      if (e) {
        succeeded[t] = 1;
      } else {
        errors[t] = e.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(succeeded[t], 0) << "thread " << t;
    EXPECT_NE(errors[t].find("refused by the test"), std::string::npos) << errors[t];
    EXPECT_NE(errors[t].find("access log"), std::string::npos) << errors[t];
  }
  {
    RawDb raw(path_);
    EXPECT_EQ(raw.Query("SELECT count(*) FROM access_log"), "2");
    ASSERT_EQ(raw.Exec("DROP TRIGGER access_log_test_refuse"), RawDb::kOk);
  }
  AppendN(1);
  auto check = Verify();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.entries, 3);
}

}  // namespace
}  // namespace dossier::storage
