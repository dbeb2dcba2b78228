// An archive whose catalog is PostgreSQL, with the real binary: made by
// `dossier init --catalog`, used for a day's work by several processes
// (stations) at once, and made by `dossier migrate` from an SQLite archive,
// whose copy is checked before the archive switches.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <string>

#include "core/file_util.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCommand;
using testing::ShellQuote;

bool Ingested(const CommandResult& r) { return r.exit_code == 0 || r.exit_code == 10; }
std::string First(const CommandResult& r) { return r.out.substr(0, r.out.find('\t')); }

class PostgresStation : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::PgTestDatabase::Create();
    ASSERT_TRUE(db) << db.error().message;
    database_ = std::move(*db);
    archive_ = tmp_.path() / "shared" / "archive";
  }

  // Runs dossier as `user` on an open station, with `input` on stdin.
  CommandResult DossierOn(const fs::path& archive, const std::string& args,
                        const std::string& user = "clerk-wang",
                        const std::string& input = "") {
    std::string line = "OMP_THREAD_LIMIT=1 DOSSIER_USER=" + user + " " +
                       ShellQuote(testing::DossierBinary().string()) + " --archive " +
                       ShellQuote(archive.string()) + " " + args + " 2>&1";
    if (!input.empty()) line = "printf '%s\\n' " + ShellQuote(input) + " | " + line;
    return RunCommand(line);
  }
  CommandResult Dossier(const std::string& args, const std::string& user = "clerk-wang",
                        const std::string& input = "") {
    return DossierOn(archive_, args, user, input);
  }

  std::unique_ptr<testing::PgTestDatabase> database_;  // dropped last
  testing::TempDir tmp_;
  fs::path archive_;
};

TEST_F(PostgresStation, TheDailyWorkRunsOnAPostgresqlCatalog) {
  auto init = Dossier("init " + ShellQuote(archive_.string()) + " --catalog " +
                      ShellQuote(database_->url()));
  ASSERT_EQ(init.exit_code, 0) << init.out;
  EXPECT_NE(init.out.find("catalog on PostgreSQL"), std::string::npos) << init.out;
  EXPECT_TRUE(fs::exists(archive_ / "catalog-url"));
  EXPECT_FALSE(fs::exists(archive_ / "catalog.sqlite"));

  auto customer = Dossier("customer add --name 上海明川贸易有限公司 --kind company");
  ASSERT_EQ(customer.exit_code, 0) << customer.out;
  const std::string code = First(customer);
  const fs::path samples = testing::SamplesDir();
  auto in = Dossier("ingest " + ShellQuote((samples / "zh-contract-1.png").string()) +
                    " --customer " + code + " --type contract");
  ASSERT_TRUE(Ingested(in)) << in.out;

  // Two stations ingest at once: each document gets its own number.
  auto a = std::async(std::launch::async, [&] {
    return Dossier("ingest " + ShellQuote((samples / "zh-registration.png").string()) +
                   " --customer " + code + " --type form --no-ocr");
  });
  auto b = std::async(std::launch::async, [&] {
    return Dossier("ingest " + ShellQuote((samples / "en-agreement.png").string()) +
                   " --customer " + code + " --type contract --no-ocr",
                   "clerk-zhao");
  });
  const auto ra = a.get(), rb = b.get();
  ASSERT_TRUE(Ingested(ra)) << ra.out;
  ASSERT_TRUE(Ingested(rb)) << rb.out;
  auto list = Dossier("customer show " + code);
  for (const char* id : {"D000001", "D000002", "D000003"}) {
    EXPECT_NE(list.out.find(id), std::string::npos) << list.out;
  }

  // Search for one- and two-character Chinese terms, and with a filter.
  for (const std::string q : {"甲", "合同", "甲方 AND 合同", "\"统一社会信用代码\""}) {
    auto hits = Dossier("search " + ShellQuote(q));
    EXPECT_EQ(hits.exit_code, 0) << hits.out;
    EXPECT_NE(hits.out.find("D000001"), std::string::npos) << q << "\n" << hits.out;
  }
  auto filtered = Dossier("search 合同 --type form");
  EXPECT_EQ(filtered.out.find("D000001"), std::string::npos) << filtered.out;

  // Review: the scanner may not approve, another reviewer may.
  auto own = Dossier("review approve D000001");
  EXPECT_NE(own.exit_code, 0) << own.out;
  auto approve = Dossier("review approve D000001", "reviewer-li");
  ASSERT_EQ(approve.exit_code, 0) << approve.out;
  auto show = Dossier("show D000001");
  EXPECT_NE(show.out.find("filed"), std::string::npos) << show.out;

  // The paper original: a place, a loan, an audit.
  ASSERT_EQ(Dossier("location add A --kind room --name 档案室").exit_code, 0);
  ASSERT_EQ(Dossier("location add-cabinet A-03 --in A --shelves 1 --boxes 1").exit_code, 0);
  auto reg = Dossier("original register D000001 --at A-03-1-001");
  ASSERT_EQ(reg.exit_code, 0) << reg.out;
  const std::string barcode = First(reg);
  ASSERT_EQ(Dossier("loan request " + barcode + " --purpose 合同核对 --due 2999-01-31")
                .exit_code, 0);
  ASSERT_EQ(Dossier("loan approve L000001", "manager").exit_code, 0);
  ASSERT_EQ(Dossier("loan checkout L000001 --barcode " + barcode).exit_code, 0);
  auto back = Dossier("loan return L000001 --barcode " + barcode + " --pages 1 --condition 完好");
  ASSERT_EQ(back.exit_code, 0) << back.out;
  ASSERT_EQ(Dossier("audit start --location A-03").exit_code, 0);
  ASSERT_EQ(Dossier("audit scan AU000001", "clerk-wang", barcode).exit_code, 0);
  auto closed = Dossier("audit close AU000001 --report-dir " +
                        ShellQuote(tmp_.path().string()));
  ASSERT_EQ(closed.exit_code, 0) << closed.out;
  EXPECT_NE(closed.out.find("found 1  missing 0"), std::string::npos) << closed.out;

  // Retention on the same catalog: a hold and a rule.
  ASSERT_EQ(Dossier("hold add D000002 --reason 诉讼").exit_code, 0);
  ASSERT_EQ(Dossier("retention rule set contract --from filing --years 10").exit_code, 0);

  auto verify = Dossier("verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  auto log = Dossier("log verify");
  EXPECT_EQ(log.exit_code, 0) << log.out;
  // The URL's password is not in the log.
  auto shown = Dossier("log show");
  EXPECT_EQ(shown.out.find(database_->url()), std::string::npos);
}

TEST_F(PostgresStation, MigrateMovesAnSqliteArchiveAndChecksIt) {
  ASSERT_EQ(Dossier("init " + ShellQuote(archive_.string())).exit_code, 0);
  auto customer = Dossier("customer add --name 上海明川贸易有限公司 --kind company");
  ASSERT_EQ(customer.exit_code, 0) << customer.out;
  const std::string code = First(customer);
  const fs::path samples = testing::SamplesDir();
  ASSERT_TRUE(Ingested(Dossier("ingest " +
                               ShellQuote((samples / "zh-contract-1.png").string()) + " " +
                               ShellQuote((samples / "zh-contract-2.png").string()) +
                               " --customer " + code + " --type contract --no-ocr")));
  ASSERT_EQ(Dossier("location add A --kind room").exit_code, 0);
  ASSERT_EQ(Dossier("location add-cabinet A-01 --in A --shelves 1 --boxes 1").exit_code, 0);
  auto reg = Dossier("original register D000001 --at A-01-1-001");
  ASSERT_EQ(reg.exit_code, 0) << reg.out;
  ASSERT_EQ(Dossier("loan request " + First(reg) + " --purpose 核对 --due 2999-01-31")
                .exit_code, 0);
  const std::string before = Dossier("show D000001").out;

  auto moved = Dossier("migrate --to " + ShellQuote(database_->url()), "admin-chen");
  ASSERT_EQ(moved.exit_code, 0) << moved.out;
  EXPECT_NE(moved.out.find("every row and value the same"), std::string::npos) << moved.out;
  EXPECT_TRUE(fs::exists(archive_ / "catalog-url"));
  EXPECT_TRUE(fs::exists(archive_ / "catalog.sqlite.migrated"));
  EXPECT_FALSE(fs::exists(archive_ / "catalog.sqlite"));

  // The same records, now from PostgreSQL; new numbers follow the old.
  EXPECT_EQ(Dossier("show D000001").out, before);
  auto next = Dossier("customer add --name 北京远航");
  ASSERT_EQ(next.exit_code, 0) << next.out;
  EXPECT_NE(next.out.find("-000002-"), std::string::npos) << next.out;
  auto in = Dossier("ingest " + ShellQuote((samples / "en-agreement.png").string()) +
                    " --customer " + code + " --type contract --no-ocr");
  ASSERT_TRUE(Ingested(in)) << in.out;
  // Two inputs were two documents: the next is the third.
  EXPECT_NE(in.out.find("D000003"), std::string::npos) << in.out;
  auto reg2 = Dossier("original register D000003 --at A-01-1-001");
  ASSERT_EQ(reg2.exit_code, 0) << reg2.out;
  EXPECT_NE(First(reg2), First(reg));
  auto loan = Dossier("loan request " + First(reg2) + " --purpose 核对 --due 2999-01-31");
  ASSERT_EQ(loan.exit_code, 0) << loan.out;
  EXPECT_NE(loan.out.find("L000002"), std::string::npos) << loan.out;
  auto history = Dossier("history D000001");
  EXPECT_NE(history.out.find("clerk-wang"), std::string::npos) << history.out;

  auto log = Dossier("log verify");
  EXPECT_EQ(log.exit_code, 0) << log.out;
  auto shown = Dossier("log show");
  EXPECT_NE(shown.out.find("archive.migrate"), std::string::npos) << shown.out;
  EXPECT_EQ(shown.out.find(database_->url()), std::string::npos);
  EXPECT_EQ(Dossier("verify").exit_code, 0);

  // Once moved, a second migration is refused and changes nothing.
  auto again = Dossier("migrate --to " + ShellQuote(database_->url()), "admin-chen");
  EXPECT_NE(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("on PostgreSQL already"), std::string::npos) << again.out;
}

TEST_F(PostgresStation, AMigrationIntoADatabaseWithRecordsChangesNothing) {
  // Another archive lives in the database already.
  const fs::path other = tmp_.path() / "other";
  ASSERT_EQ(DossierOn(other, "init " + ShellQuote(other.string()) + " --catalog " +
                               ShellQuote(database_->url()))
                .exit_code, 0);
  ASSERT_EQ(DossierOn(other, "customer add --name 北京远航").exit_code, 0);

  ASSERT_EQ(Dossier("init " + ShellQuote(archive_.string())).exit_code, 0);
  ASSERT_EQ(Dossier("customer add --name 上海明川贸易有限公司").exit_code, 0);
  auto refused = Dossier("migrate --to " + ShellQuote(database_->url()));
  EXPECT_EQ(refused.exit_code, 7) << refused.out;
  EXPECT_NE(refused.out.find("already holds records"), std::string::npos) << refused.out;
  EXPECT_TRUE(fs::exists(archive_ / "catalog.sqlite"));
  EXPECT_FALSE(fs::exists(archive_ / "catalog-url"));
  // Both archives go on as they were.
  EXPECT_NE(Dossier("customer list").out.find("上海明川贸易有限公司"), std::string::npos);
  auto theirs = DossierOn(other, "customer list");
  EXPECT_NE(theirs.out.find("北京远航"), std::string::npos) << theirs.out;
  EXPECT_EQ(theirs.out.find("上海明川"), std::string::npos) << theirs.out;
}

// Backups of a PostgreSQL archive: pg_dump of the catalog with the
// objects, checked by restoring into a scratch database (dropped after,
// also when the check fails), incremental, and restored into an empty
// database as a new archive that finds what the old one found. Damage is
// found; refusals write nothing.
TEST_F(PostgresStation, APostgresqlArchiveIsBackedUpVerifiedAndRestored) {
  ASSERT_EQ(Dossier("init " + ShellQuote(archive_.string()) + " --catalog " +
                    ShellQuote(database_->url()))
                .exit_code,
            0);
  auto customer = Dossier("customer add --name 上海明川贸易有限公司 --kind company");
  ASSERT_EQ(customer.exit_code, 0) << customer.out;
  const std::string code = First(customer);
  const fs::path samples = testing::SamplesDir();
  auto in = Dossier("ingest " + ShellQuote((samples / "zh-contract-1.png").string()) + " " +
                    ShellQuote((samples / "en-agreement.png").string()) + " --customer " + code +
                    " --type contract");
  ASSERT_TRUE(Ingested(in)) << in.out;

  // Scratch databases are named dossier_check_*; none may be left.
  auto scratch_databases = [&] {
    auto r = RunCommand("psql " + ShellQuote(database_->cluster_url()) +
                        " -Atc \"SELECT count(*) FROM pg_database WHERE datname LIKE "
                        "'dossier_check_%'\" 2>&1");
    return r.out;
  };
  const fs::path backup = tmp_.path() / "backups" / "b1";
  auto made = Dossier("backup --to " + ShellQuote(backup.string()));
  ASSERT_EQ(made.exit_code, 0) << made.out;
  EXPECT_NE(made.out.find("2 document(s)"), std::string::npos) << made.out;
  EXPECT_TRUE(fs::exists(backup / "catalog.pgdump"));
  EXPECT_FALSE(fs::exists(backup / "catalog-url")) << "the live database is not named";
  EXPECT_FALSE(fs::exists(backup / "catalog.sqlite"));
  auto again = Dossier("backup --to " + ShellQuote(backup.string()));
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("0 copied"), std::string::npos) << again.out;

  auto verified = Dossier("backup verify " + ShellQuote(backup.string()));
  ASSERT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_NE(verified.out.find("Backup OK"), std::string::npos) << verified.out;
  EXPECT_NE(verified.out.find("access log chain ok"), std::string::npos) << verified.out;
  EXPECT_EQ(scratch_databases(), "0\n");
  // Without the archive, the server for the scratch database is named.
  auto offline = RunCommand(ShellQuote(testing::DossierBinary().string()) + " --archive " +
                            ShellQuote((tmp_.path() / "none").string()) + " backup verify " +
                            ShellQuote(backup.string()) + " 2>&1");
  EXPECT_NE(offline.exit_code, 0) << offline.out;
  EXPECT_NE(offline.out.find("--scratch-url"), std::string::npos) << offline.out;
  auto named = RunCommand(ShellQuote(testing::DossierBinary().string()) + " --archive " +
                          ShellQuote((tmp_.path() / "none").string()) + " backup verify " +
                          ShellQuote(backup.string()) + " --scratch-url " +
                          ShellQuote(database_->cluster_url()) + " 2>&1");
  EXPECT_EQ(named.exit_code, 0) << named.out;

  // A damaged copy: a stored file changed, then a truncated dump.
  const fs::path damaged = tmp_.path() / "backups" / "damaged";
  fs::copy(backup, damaged, fs::copy_options::recursive);
  fs::path object;
  for (const auto& e : fs::recursive_directory_iterator(damaged / "objects")) {
    if (e.is_regular_file()) object = e.path();
  }
  ASSERT_FALSE(object.empty());
  fs::permissions(object, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(object, std::ios::app) << "x";
  auto bad = Dossier("backup verify " + ShellQuote(damaged.string()));
  EXPECT_NE(bad.exit_code, 0) << bad.out;
  EXPECT_NE(bad.out.find("checksum mismatch"), std::string::npos) << bad.out;
  fs::remove_all(damaged);
  fs::copy(backup, damaged, fs::copy_options::recursive);
  fs::resize_file(damaged / "catalog.pgdump", fs::file_size(damaged / "catalog.pgdump") / 2);
  auto cut = Dossier("backup verify " + ShellQuote(damaged.string()));
  EXPECT_NE(cut.exit_code, 0) << cut.out;
  EXPECT_NE(cut.out.find("catalog.pgdump"), std::string::npos) << cut.out;
  EXPECT_EQ(scratch_databases(), "0\n") << "dropped after a failed check too";

  // Restored into an empty database: a new archive that finds the same.
  auto target = testing::PgTestDatabase::Create();
  ASSERT_TRUE(target) << target.error().message;
  const fs::path restored = tmp_.path() / "restored";
  auto refused = Dossier("restore " + ShellQuote(backup.string()) + " --to " +
                         ShellQuote(restored.string()));
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.out.find("--catalog"), std::string::npos) << refused.out;
  EXPECT_FALSE(fs::exists(restored));
  auto back = Dossier("restore " + ShellQuote(backup.string()) + " --to " +
                      ShellQuote(restored.string()) + " --catalog " +
                      ShellQuote((*target)->url()));
  ASSERT_EQ(back.exit_code, 0) << back.out;
  EXPECT_TRUE(fs::exists(restored / "catalog-url"));
  EXPECT_FALSE(fs::exists(restored / "catalog.pgdump"));
  for (const std::string q : {"合同", "甲"}) {
    auto old_hits = Dossier("search " + ShellQuote(q));
    auto new_hits = DossierOn(restored, "search " + ShellQuote(q));
    EXPECT_EQ(new_hits.exit_code, 0) << new_hits.out;
    EXPECT_NE(new_hits.out.find("1 hit(s)"), std::string::npos) << q << "\n" << new_hits.out;
    EXPECT_EQ(new_hits.out, old_hits.out) << q;
  }
  auto checked = DossierOn(restored, "verify");
  EXPECT_EQ(checked.exit_code, 0) << checked.out;
  auto log = DossierOn(restored, "log verify");
  EXPECT_EQ(log.exit_code, 0) << log.out;
  // The same database again: refused, the restored archive untouched.
  const fs::path twice = tmp_.path() / "twice";
  auto dup = Dossier("restore " + ShellQuote(backup.string()) + " --to " +
                     ShellQuote(twice.string()) + " --catalog " + ShellQuote((*target)->url()));
  EXPECT_NE(dup.exit_code, 0);
  EXPECT_NE(dup.out.find("holds a catalog"), std::string::npos) << dup.out;
  EXPECT_FALSE(fs::exists(twice));
  EXPECT_EQ(scratch_databases(), "0\n");

  // The file-store sweep reads the names from PostgreSQL: nothing named
  // goes, an orphan does.
  const fs::path orphan = archive_ / "objects" / "00" /
                          (std::string(64, '0') + ".pdf");
  fs::create_directories(orphan.parent_path());
  std::ofstream(orphan) << "orphan";
  auto swept = Dossier("backup sweep --min-age-hours 0");
  ASSERT_EQ(swept.exit_code, 0) << swept.out;
  EXPECT_NE(swept.out.find("1 unreferenced file(s)"), std::string::npos) << swept.out;
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_EQ(Dossier("verify").exit_code, 0);
}

}  // namespace
}  // namespace dossier
