// No masked number leaks by another door: a known ID number and phone are
// planted in a customer file, a document's fields, a failed correction and
// searches; then every command that prints values runs as each role. Roles
// without customer.pii never see them in clear (text, --json, files
// written), the access log never holds them for anyone, and roles with
// customer.pii do see them where that is intended (so the test can fail).
// Every command path of `dossier --help` must be listed below, as a printer
// (with the lines to run) or as printing no planted value: a new command is
// covered the day it appears.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "core/file_util.h"
#include "governance/masking.h"
#include "governance/policy.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCommand;
using testing::ShellQuote;

constexpr const char* kId = "11010519491231002X";
// The ID number with a wrong check character: refused, but its digits were
// in the error message.
constexpr const char* kBadId = "110105194912310021";
constexpr const char* kIdDigits = "11010519491231002";  // both, in clear
constexpr const char* kPhone = "13800138000";

const std::vector<std::string> kRoles = {"scanner",         "clerk",   "reviewer",
                                         "archivist",       "records-manager",
                                         "auditor",         "admin"};

// Command lines per command path. CUST, DOC, OUT and ROLE are replaced.
const std::map<std::string, std::vector<std::string>>& Printers() {
  static const std::map<std::string, std::vector<std::string>> kPrinters = {
      {"customer show", {"customer show CUST", "customer show CUST --json"}},
      {"customer list", {"customer list", "customer list --json --tree"}},
      {"customer update", {"customer update CUST --phone '138 0013 8000'"}},
      {"customer add",
       {"customer add --name 王五-ROLE --kind person --phone 13800138000"}},
      {"customer contact add",
       {"customer contact add CUST --role 经办人 --name 李四 --phone 13800138000"}},
      {"customer link", {"customer link CUST --unlink"}},
      {"history",
       {"history CUST", "history CUST --json", "history DOC", "history DOC --json"}},
      {"review show", {"review show DOC", "review show DOC --json"}},
      {"review link", {"review link DOC"}},
      {"document refile",
       {"document refile DOC --title 服务合同核对本 --reason 核对"}},
      {"review list", {"review list", "review list --json"}},
      {"review correct", {"review correct DOC id_number 11010519491231002X"}},
      {"search",
       {"search agreement --json", "search en --field id_number=11010519491231002X",
        "search en --json"}},
      {"show", {"show DOC", "show DOC --json", "show DOC --text"}},
      {"export", {"export DOC --text --force --to OUT/ROLE-export.txt"}},
      {"export csv",
       {"export csv customers --force -o OUT/ROLE-customers.csv",
        "export csv documents --force -o OUT/ROLE-documents.csv"}},
      // Unmasked by design: refused without customer.pii.
      {"export package", {"export package --customer CUST -o OUT/ROLE-package"}},
      {"log show", {"log show", "log show --json", "log show --record DOC"}},
      {"log export", {"log export --force --to OUT/ROLE-log.json"}},
      {"log verify", {"log verify"}},
      {"where", {"where DOC", "where CUST --json"}},
      {"whoami", {"whoami"}},
      {"user list", {"user list"}},
      {"loan list", {"loan list"}},
      {"loan overdue",
       {"loan overdue", "loan overdue --force --sheet OUT/ROLE-overdue.pdf"}},
      {"customer index", {"customer index CUST --force --to OUT/ROLE-index.pdf"}},
      {"location sheet", {"location sheet A --force --to OUT/ROLE-box.pdf"}},
      {"location list", {"location list"}},
      {"location tree", {"location tree"}},
      {"hold list", {"hold list"}},
      {"retention due", {"retention due"}},
      {"retention rule list", {"retention rule list"}},
      {"profile list", {"profile list"}},
      {"jobs", {"jobs", "jobs --state done"}},
      {"verify", {"verify DOC"}},
  };
  return kPrinters;
}

// Paths that print no value of a customer file or a document's fields:
// they change state, or print only ids, counts, barcodes and locations.
const std::set<std::string>& NoValues() {
  static const std::set<std::string> kNoValues = {
      "audit apply-moves", "audit close", "audit history", "audit report",
      "audit scan", "audit start", "backup sweep", "backup verify", "cover",
      "import package",
      "destroy approve", "destroy cancel", "destroy certificate",
      "destroy propose", "destroy record-shredding", "destroy show",
      "hold add", "hold release", "ingest", "init", "label print",
      "loan approve", "loan checkout", "loan reject", "loan renew",
      "loan request", "loan resolve", "loan return", "location add", "migrate",
      "location add-cabinet", "location show", "login", "logout",
      "original move", "original register", "original show", "profile add",
      "profile remove", "restore", "retention relationship-end",
      "retention rule set", "review approve", "review reject",
      "review replace", "scan", "serve", "settings login-throttle",
      "settings timezone", "user add",
      "user disable", "user enable", "user grant", "user passwd",
      "user revoke", "user unlock", "watch", "worker"};
  return kNoValues;
}

class NoLeak : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = tmp_.path() / "home";
    out_ = tmp_.path() / "out";
    fs::create_directories(home_);
    fs::create_directories(out_);
    archive_ = tmp_.path() / "archive";
  }

  CommandResult Dossier(const std::string& args, const std::string& user,
                        const std::string& stdin_text = "") {
    return testing::RunDossierIsolated(
        home_, archive_, args,
        "DOSSIER_USER=" + ShellQuote(user) +
            " DOSSIER_PASSWORD=" + ShellQuote(user + "-pass-12"),
        stdin_text);
  }

  // A secured archive with one user per role, named after it.
  void Secure() {
    auto init = Dossier("init --admin admin --password-stdin", "admin",
                        "admin-pass-12");
    ASSERT_EQ(init.exit_code, 0) << init.out;
    for (const auto& role : kRoles) {
      if (role == "admin") continue;
      auto add = Dossier("user add " + role + " --role " + role +
                             " --password-stdin",
                         "admin", role + "-pass-12");
      ASSERT_EQ(add.exit_code, 0) << add.out;
    }
  }

  // The line with its placeholders filled in for the role.
  std::string Fill(std::string line, const std::string& role) {
    for (const auto& [key, value] :
         std::vector<std::pair<std::string, std::string>>{
             {"CUST", customer_}, {"DOC", "D000001"},
             {"OUT", out_.string()}, {"ROLE", role}}) {
      line = std::regex_replace(line, std::regex(key), value);
    }
    return line;
  }

  static bool InClear(const std::string& text) {
    return text.find(kIdDigits) != std::string::npos ||
           text.find(kPhone) != std::string::npos ||
           text.find("138 0013 8000") != std::string::npos;
  }

  testing::TempDir tmp_;
  fs::path home_;
  fs::path out_;
  fs::path archive_;
  std::string customer_;
};

TEST_F(NoLeak, NoRoleWithoutPiiSeesAPlantedNumberThroughAnyCommand) {
  Secure();
  // Plant the numbers.
  auto add = Dossier(std::string("customer add --name 张三 --kind person "
                                 "--id-number ") +
                         kId + " --phone '138 0013 8000'",
                     "clerk");
  ASSERT_EQ(add.exit_code, 0) << add.out;
  customer_ = add.out.substr(0, add.out.find('\t'));
  auto ingest = Dossier("ingest --no-ocr --customer " + customer_ + " " +
                            ShellQuote((testing::SamplesDir() / "en-agreement.png")
                                           .string()),
                        "scanner");
  ASSERT_NE(ingest.out.find("-> D000001"), std::string::npos) << ingest.out;
  for (const std::string& line :
       {std::string("review correct D000001 id_number ") + kId,
        std::string("review correct D000001 party_b_phone ") + kPhone,
        std::string("review correct D000001 telephone ") + kPhone,
        std::string("review correct D000001 contact '张三 ") + kPhone + "'"}) {
    auto r = Dossier(line, "reviewer");
    ASSERT_EQ(r.exit_code, 0) << line << ": " << r.out;
  }
  // A refused correction and searches by the number, for the log.
  EXPECT_NE(Dossier(std::string("review correct D000001 id_number ") + kBadId,
                    "reviewer")
                .exit_code,
            0);
  Dossier(std::string("search en --field id_number=") + kBadId, "clerk");
  Dossier(std::string("search en --field=id_number=") + kId, "clerk");
  Dossier(std::string("search ") + kId, "clerk");

  // Every path is classified.
  for (const auto& path : testing::DossierCommandPaths()) {
    EXPECT_TRUE(Printers().contains(path) || NoValues().contains(path))
        << "`dossier " << path
        << "` is new: add it to Printers() with the lines that print values, "
           "or to NoValues()";
  }

  std::map<std::string, bool> seen_in_clear;  // role -> some output had it
  for (const auto& role : kRoles) {
    const bool pii = governance::RoleHasPermission(role, "customer.pii");
    for (const auto& [path, lines] : Printers()) {
      for (const auto& line : lines) {
        const std::string filled = Fill(line, role);
        auto r = Dossier(filled, role);
        std::string output = r.out;
        for (const char* file : {"-export.txt", "-log.json", "-index.pdf",
                                 "-overdue.pdf", "-box.pdf", "-customers.csv",
                                 "-documents.csv"}) {
          const fs::path written = out_ / (role + file);
          if (filled.find(written.string()) != std::string::npos &&
              fs::exists(written)) {
            output += written.extension() == ".pdf"
                          ? RunCommand("pdftotext " +
                                       ShellQuote(written.string()) + " -")
                                .out
                          : *ReadFile(written);
            fs::remove(written);
          }
        }
        const bool clear = InClear(output);
        if (clear) seen_in_clear[role] = true;
        if (!pii || path.starts_with("log ")) {
          EXPECT_FALSE(clear) << "as " << role << ": dossier " << filled
                              << "\n" << output;
        }
      }
    }
  }
  // Intended: the roles that hold customer.pii see the numbers.
  for (const auto& role : kRoles) {
    if (governance::RoleHasPermission(role, "customer.pii")) {
      EXPECT_TRUE(seen_in_clear[role]) << role << " never saw the number";
    }
  }
  // And the masked forms are what the others see.
  auto masked = Dossier("history D000001", "auditor");
  EXPECT_NE(masked.out.find("110105********002X"), std::string::npos) << masked.out;
  EXPECT_NE(masked.out.find("+86138****8000"), std::string::npos) << masked.out;
}

TEST(MaskText, MasksLongNumbersOnlyAndKeepsIds) {
  using governance::MaskText;
  EXPECT_EQ(MaskText("身份证号 11010519491231002X 已核"),
            "身份证号 110105********002X 已核");
  EXPECT_EQ(MaskText("tel 138 0013 8000."), "tel 138****8000.");
  EXPECT_EQ(MaskText("+8613800138000"), "+86138****8000");
  EXPECT_EQ(MaskText("id_number=110105194912310021"), "id_number=110105********0021");
  for (const char* kept :
       {"D000012", "KH-2026-000001-7", "2024-01-15", "OR00000012X", "12,000.00",
        "DA-2026-HT-000001-3"}) {
    EXPECT_EQ(MaskText(kept), kept);
  }
}

TEST(SensitiveField, EveryNameReadAsAPhoneOrIdIsSensitive) {
  for (const char* name : {"id_number", "party_b_id_number", "ID_NUMBER",
                           "phone", "party_b_phone", "telephone", "mobile",
                           "contact_mobile", "tel", "id-number"}) {
    EXPECT_TRUE(governance::IsSensitiveField(name)) << name;
  }
  for (const char* name : {"title", "contact", "uscc", "amount", "signing_date"}) {
    EXPECT_FALSE(governance::IsSensitiveField(name)) << name;
  }
}

}  // namespace
}  // namespace dossier
