// Packages and CSV lists through the real `dossier` binary: a customer file
// is exported from archive A as a BagIt package, checked with xmllint
// against docs/package-document.xsd, imported into a fresh archive B with
// its checksums, fields and history, and B verifies; a package with one
// changed byte is refused and B is left as it was. Also: finding a filed
// document by title, archive number and barcode, `search 合同 -乙方` on the
// command line, and CSV quoting.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "core/file_util.h"
#include "core/hash.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCommand;
using testing::ShellQuote;

class PackageE2E : public ::testing::Test {
 protected:
  CommandResult Dossier(const fs::path& archive, const std::string& args,
                        const std::string& user = "zhang") {
    return RunCommand("OMP_THREAD_LIMIT=1 DOSSIER_USER=" + user + " " +
                      ShellQuote(testing::DossierBinary().string()) +
                      " --archive " + ShellQuote(archive.string()) + " " + args);
  }

  std::string Match(const std::string& text, const std::string& pattern) {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(pattern))) return "";
    return m[1];
  }

  // Archive A: a customer with a contract of two pages, filed by a second
  // person (archive number), a corrected field and an original's barcode.
  void MakeArchiveA() {
    a_ = tmp_.path() / "a";
    ASSERT_EQ(Dossier(a_, "init " + ShellQuote(a_.string())).exit_code, 0);
    auto add = Dossier(a_, "customer add --name '上海明川贸易有限公司'");
    ASSERT_EQ(add.exit_code, 0) << add.out;
    customer_ = add.out.substr(0, add.out.find('\t'));
    fs::path s = testing::SamplesDir();
    auto ingest = Dossier(
        a_, "ingest " + ShellQuote((s / "zh-contract-1.png").string()) + " " +
                ShellQuote((s / "zh-contract-2.png").string()) +
                " --one-document --type contract --title 年度服务合同 --customer " +
                customer_);
    ASSERT_EQ(ingest.exit_code == 0 || ingest.exit_code == 10, true) << ingest.out;
    doc_ = Match(ingest.out, "-> (D\\d{6})");
    ASSERT_FALSE(doc_.empty()) << ingest.out;
    auto correct = Dossier(a_, "review correct " + doc_ +
                                   " contract_no HT-MC-2026-0815", "li");
    ASSERT_EQ(correct.exit_code, 0) << correct.out;
    auto approve = Dossier(a_, "review approve " + doc_, "li");
    if (approve.exit_code != 0) {
      // Remove whatever extraction flagged, then file.
      const std::regex flagged("; ([a-z_]+): ");
      const std::string out = approve.out;
      for (std::sregex_iterator it(out.begin(), out.end(), flagged), end;
           it != end; ++it) {
        Dossier(a_, "review correct " + doc_ + " " + (*it)[1].str() + " --remove",
                "li");
      }
      approve = Dossier(a_, "review approve " + doc_, "li");
    }
    ASSERT_EQ(approve.exit_code, 0) << approve.out;
    number_ = Match(approve.out, "(DA-\\d{4}-[A-Z]{2}-\\d{6}-[0-9A-Z])");
    ASSERT_FALSE(number_.empty()) << approve.out;
    ASSERT_EQ(Dossier(a_, "location add A --kind room --name 档案室").exit_code, 0);
    auto cab = Dossier(a_, "location add-cabinet A-01 --in A --shelves 1 --boxes 1");
    ASSERT_EQ(cab.exit_code, 0) << cab.out;
    auto reg = Dossier(a_, "original register " + doc_ + " --at A-01-1-001");
    ASSERT_EQ(reg.exit_code, 0) << reg.out;
    barcode_ = Match(reg.out, "(OR\\d{8}[0-9A-Z])");
    ASSERT_FALSE(barcode_.empty()) << reg.out;
  }

  testing::TempDir tmp_;
  fs::path a_;
  std::string customer_, doc_, number_, barcode_;
};

TEST_F(PackageE2E, FoundByTitleArchiveNumberAndBarcode) {
  MakeArchiveA();
  if (HasFatalFailure()) return;
  for (const std::string& q :
       {std::string("年度服务合同"), number_, barcode_, std::string("明川"),
        std::string("HT-MC-2026-0815")}) {
    auto r = Dossier(a_, "search " + ShellQuote(q));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find(doc_), std::string::npos) << q << ":\n" << r.out;
  }
  for (const std::string& id : {number_, barcode_}) {
    auto show = Dossier(a_, "show " + id);
    EXPECT_EQ(show.exit_code, 0) << show.out;
    EXPECT_NE(show.out.find(doc_), std::string::npos) << show.out;
    auto pdf = tmp_.path() / (id + ".pdf");
    auto exp = Dossier(a_, "export " + id + " --to " + ShellQuote(pdf.string()));
    EXPECT_EQ(exp.exit_code, 0) << exp.out;
  }
  auto unknown = Dossier(a_, "show DA-2026-HT-000099-X");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.out.find("DA-2026-HT-000099"), std::string::npos) << unknown.out;
  // -term on the command line is an excluded term, not an option.
  auto with = Dossier(a_, "search 合同 -乙方");
  EXPECT_EQ(with.exit_code, 0) << with.out;
  EXPECT_EQ(with.out.find("not expected"), std::string::npos) << with.out;
  EXPECT_EQ(with.out.find(doc_), std::string::npos) << with.out;  // 乙方 is on it
  auto without = Dossier(a_, "search 合同 -鲸鱼 --limit 5");
  EXPECT_EQ(without.exit_code, 0) << without.out;
  EXPECT_NE(without.out.find(doc_), std::string::npos) << without.out;
  auto names = Dossier(a_, "customer list --name 明川");
  EXPECT_EQ(names.exit_code, 0);
  EXPECT_NE(names.out.find(customer_), std::string::npos) << names.out;
  auto none = Dossier(a_, "customer list --name 远山");
  EXPECT_EQ(none.out.find(customer_), std::string::npos) << none.out;
}

TEST_F(PackageE2E, CustomerFileRoundTripsIntoAnotherArchive) {
  MakeArchiveA();
  if (HasFatalFailure()) return;
  const fs::path bag = tmp_.path() / "bag";
  auto exp = Dossier(a_, "export package --customer " + customer_ + " -o " +
                             ShellQuote(bag.string()));
  ASSERT_EQ(exp.exit_code, 0) << exp.out;
  for (const char* f : {"bagit.txt", "bag-info.txt", "manifest-sha256.txt",
                        "tagmanifest-sha256.txt", "data/package.json"}) {
    EXPECT_TRUE(fs::is_regular_file(bag / f)) << f;
  }
  const fs::path docdir = bag / "data" / "documents" / doc_;
  const fs::path xsd = fs::path(DOSSIER_SOURCE_DIR) / "docs" / "package-document.xsd";
  auto xml = RunCommand("xmllint --noout --schema " + ShellQuote(xsd.string()) +
                        " " + ShellQuote((docdir / "metadata.xml").string()));
  EXPECT_EQ(xml.exit_code, 0) << xml.out;
  // The manifests are what sha256sum says.
  auto sums = RunCommand("cd " + ShellQuote(bag.string()) +
                         " && sha256sum -c --quiet manifest-sha256.txt && "
                         "sha256sum -c --quiet tagmanifest-sha256.txt");
  EXPECT_EQ(sums.exit_code, 0) << sums.out;
  auto pdf_a = Sha256File(docdir / "document.pdf");
  ASSERT_TRUE(pdf_a);

  // A tampered copy is refused, naming the file, and changes nothing.
  const fs::path bad = tmp_.path() / "bad";
  fs::copy(bag, bad, fs::copy_options::recursive);
  {
    std::fstream f(bad / "data" / "documents" / doc_ / "document.pdf",
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    char c = 0;
    f.seekg(200);
    f.get(c);
    f.seekp(200);
    f.put(static_cast<char>(c ^ 0x01));
  }
  const fs::path b = tmp_.path() / "b";
  ASSERT_EQ(Dossier(b, "init " + ShellQuote(b.string())).exit_code, 0);
  auto refused = Dossier(b, "import package " + ShellQuote(bad.string()), "wang");
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  EXPECT_NE(refused.out.find("data/documents/" + doc_ + "/document.pdf"),
            std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find("nothing imported"), std::string::npos) << refused.out;
  auto empty = Dossier(b, "customer list");
  EXPECT_EQ(empty.out.find(customer_), std::string::npos) << empty.out;
  EXPECT_TRUE(fs::is_empty(b / "objects") ||
              std::distance(fs::recursive_directory_iterator(b / "objects"),
                            fs::recursive_directory_iterator()) ==
                  std::distance(fs::directory_iterator(b / "objects"),
                                fs::directory_iterator()));

  // The intact package imports.
  auto imported = Dossier(b, "import package " + ShellQuote(bag.string()), "wang");
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  const std::string doc_b = Match(imported.out, doc_ + " -> (D\\d{6})");
  ASSERT_FALSE(doc_b.empty()) << imported.out;
  // Same PDF bytes, found by the same names and numbers.
  const fs::path out_b = tmp_.path() / "from-b.pdf";
  auto exp_b = Dossier(b, "export " + number_ + " --to " + ShellQuote(out_b.string()));
  ASSERT_EQ(exp_b.exit_code, 0) << exp_b.out;
  EXPECT_EQ(Sha256File(out_b).value_or("b"), *pdf_a);
  auto show = Dossier(b, "show " + number_);
  EXPECT_NE(show.out.find(doc_b), std::string::npos) << show.out;
  EXPECT_NE(show.out.find(customer_), std::string::npos) << show.out;
  auto found = Dossier(b, "search 年度服务合同");
  EXPECT_NE(found.out.find(doc_b), std::string::npos) << found.out;
  auto field = Dossier(b, "search HT-MC-2026-0815");
  EXPECT_NE(field.out.find(doc_b), std::string::npos) << field.out;
  auto history = Dossier(b, "history " + doc_b);
  EXPECT_NE(history.out.find("imported:li"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("imported_from"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find(number_), std::string::npos) << history.out;
  auto verify = Dossier(b, "verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.out;

  // Twice is refused: the archive number is here already.
  auto again = Dossier(b, "import package " + ShellQuote(bag.string()), "wang");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.out.find(number_), std::string::npos) << again.out;
  // B issues the next archive number, not the imported one, and new
  // customer codes after the imported one.
  auto next_customer = Dossier(b, "customer add --name 北京远山科技");
  EXPECT_EQ(next_customer.out.find(customer_), std::string::npos) << next_customer.out;
}

TEST_F(PackageE2E, CsvListsAreQuotedAndMasked) {
  const fs::path a = tmp_.path() / "a";
  ASSERT_EQ(Dossier(a, "init " + ShellQuote(a.string())).exit_code, 0);
  ASSERT_EQ(Dossier(a, "customer add --name '明川, \"贸易\"' --phone 13800138000")
                .exit_code,
            0);
  const fs::path csv = tmp_.path() / "customers.csv";
  auto r = Dossier(a, "export csv customers -o " + ShellQuote(csv.string()) + " --bom");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto text = ReadFile(csv);
  ASSERT_TRUE(text);
  EXPECT_TRUE(text->starts_with("\xEF\xBB\xBF" "code,name,kind,"));
  EXPECT_NE(text->find(",\"明川, \"\"贸易\"\"\",company,"), std::string::npos) << *text;
  EXPECT_NE(text->find("\r\n"), std::string::npos);
  for (const char* kind : {"documents", "loans", "review", "retention-due"}) {
    const fs::path out = tmp_.path() / (std::string(kind) + ".csv");
    auto k = Dossier(a, std::string("export csv ") + kind + " -o " +
                            ShellQuote(out.string()));
    EXPECT_EQ(k.exit_code, 0) << kind << ": " << k.out;
    EXPECT_TRUE(fs::is_regular_file(out)) << kind;
  }
  // The same file again needs --force.
  auto again = Dossier(a, "export csv customers -o " + ShellQuote(csv.string()));
  EXPECT_NE(again.exit_code, 0);
}

}  // namespace
}  // namespace dossier
