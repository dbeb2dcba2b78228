// Output files a command writes (export --to, log export --to, label print
// --out, cover --to, audit report --report-dir, certificates): written
// beside the target and renamed, never onto a device, a FIFO or a path in
// the archive folder, and --force replaces only a regular file. Runs the
// real binary on a real archive.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <regex>

#include "core/file_util.h"
#include "core/output_file.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCommand;
using testing::ShellQuote;

bool IsCharDevice(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}
bool IsFifo(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}
// Names in dir that look like a temporary of the output helper.
std::vector<std::string> Temporaries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().starts_with(".tmp-")) {
      out.push_back(e.path().filename().string());
    }
  }
  return out;
}

// A character device to aim at: a private copy of /dev/full's node where we
// may make one (as root, where the old code would have replaced it), else
// /dev/full itself (which a non-root process cannot replace).
fs::path DeviceNode(const fs::path& dir) {
  const fs::path node = dir / "full";
  if (::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 7)) == 0) return node;
  return "/dev/full";
}

class OutputFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = tmp_.path() / "archive";
    out_ = tmp_.path() / "out";
    fs::create_directories(out_);
    ASSERT_EQ(Dossier("init").exit_code, 0);
    auto add = Dossier("customer add --name 'Northwind Ltd' --kind company");
    ASSERT_EQ(add.exit_code, 0) << add.out;
    customer_ = add.out.substr(0, add.out.find('\t'));
    auto ingest = Dossier("ingest --no-ocr --customer " + customer_ + " " +
                          ShellQuote((testing::SamplesDir() / "en-agreement.png")
                                         .string()));
    // Exit 0, or the warnings code (orientation unsure on an unread page).
    ASSERT_NE(ingest.out.find("-> D000001"), std::string::npos) << ingest.out;
  }

  CommandResult Dossier(const std::string& args) {
    return RunCommand("env -u DOSSIER_SESSION -u DOSSIER_PASSWORD DOSSIER_USER=ann " +
                      ShellQuote(testing::DossierBinary().string()) +
                      " --archive " + ShellQuote(archive_.string()) + " " + args +
                      " </dev/null");
  }

  // The archive still opens and lists its document.
  void ExpectArchiveIntact() {
    auto search = Dossier("show D000001");
    EXPECT_EQ(search.exit_code, 0) << search.out;
    auto verify = Dossier("verify");
    EXPECT_EQ(verify.exit_code, 0) << verify.out;
  }

  testing::TempDir tmp_;
  fs::path archive_;
  fs::path out_;
  std::string customer_;
};

TEST_F(OutputFiles, ExportForceLeavesADeviceNodeAlone) {
  const fs::path device = DeviceNode(out_);
  ASSERT_TRUE(IsCharDevice(device));
  auto r = Dossier("export D000001 --to " + ShellQuote(device.string()) + " --force");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(device.string() + ": is a device"), std::string::npos)
      << r.out;
  EXPECT_TRUE(IsCharDevice(device));
  EXPECT_TRUE(Temporaries(device.parent_path()).empty());
}

TEST_F(OutputFiles, ExportForceLeavesAFifoAlone) {
  const fs::path fifo = out_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = Dossier("export D000001 --to " + ShellQuote(fifo.string()) + " --force");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("is a FIFO"), std::string::npos) << r.out;
  EXPECT_TRUE(IsFifo(fifo));
  EXPECT_TRUE(Temporaries(out_).empty());
}

TEST_F(OutputFiles, ExportForceNeverWritesIntoTheArchiveFolder) {
  const fs::path catalog = archive_ / "catalog.sqlite";
  ASSERT_TRUE(fs::is_regular_file(catalog));
  for (const std::string& to :
       {catalog.string(), (archive_ / ".." / "archive" / "catalog.sqlite").string(),
        (archive_ / "copy.pdf").string()}) {
    auto r = Dossier("export D000001 --to " + ShellQuote(to) + " --force");
    EXPECT_NE(r.exit_code, 0) << to << ": " << r.out;
    EXPECT_NE(r.out.find("inside the archive folder"), std::string::npos) << r.out;
  }
  // Through a symbolic link to the archive folder, too.
  fs::create_directory_symlink(archive_, out_ / "link");
  auto r = Dossier("export D000001 --to " +
                   ShellQuote((out_ / "link" / "catalog.sqlite").string()) +
                   " --force");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_FALSE(fs::exists(archive_ / "copy.pdf"));
  ExpectArchiveIntact();
}

TEST_F(OutputFiles, ForceReplacesARegularFileAndOnlyWithForce) {
  const fs::path pdf = out_ / "contract.pdf";
  ASSERT_TRUE(WriteFileAtomic(pdf, "old").has_value());
  auto refused = Dossier("export D000001 --to " + ShellQuote(pdf.string()));
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  EXPECT_NE(refused.out.find("exists (use --force"), std::string::npos) << refused.out;
  EXPECT_EQ(*ReadFile(pdf), "old");
  auto ok = Dossier("export D000001 --to " + ShellQuote(pdf.string()) + " --force");
  ASSERT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_TRUE(ReadFile(pdf)->starts_with("%PDF-"));
  EXPECT_TRUE(Temporaries(out_).empty());
  // A symbolic link is not replaced (the link, not its file, would go).
  fs::create_symlink(pdf, out_ / "alias.pdf");
  auto link = Dossier("export D000001 --to " +
                      ShellQuote((out_ / "alias.pdf").string()) + " --force");
  EXPECT_NE(link.exit_code, 0) << link.out;
  EXPECT_TRUE(fs::is_symlink(out_ / "alias.pdf"));
}

TEST_F(OutputFiles, EveryOutputOptionRefusesDevicesFifosAndTheArchive) {
  const fs::path fifo = out_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const fs::path device = DeviceNode(out_);
  auto room = Dossier("location add R1 --kind room");
  ASSERT_EQ(room.exit_code, 0) << room.out;
  // Each command with an output file, with TARGET where the file goes.
  const std::vector<std::string> commands = {
      "export D000001 --force --to TARGET",
      "export D000001 --text --force --to TARGET",
      "log export --force --to TARGET",
      "cover --customer " + customer_ + " --type contract --to TARGET",
      "label print --location R1 --out TARGET",
  };
  for (const auto& command : commands) {
    for (const fs::path& target :
         {device, fifo, archive_ / "catalog.sqlite"}) {
      const std::string line = std::regex_replace(
          command, std::regex("TARGET"), ShellQuote(target.string()));
      auto r = Dossier(line);
      EXPECT_NE(r.exit_code, 0) << line << ": " << r.out;
      EXPECT_NE(r.out.find(target.string() + ": "), std::string::npos)
          << line << ": " << r.out;
    }
    EXPECT_TRUE(IsCharDevice(device)) << command;
    EXPECT_TRUE(IsFifo(fifo)) << command;
  }
  EXPECT_TRUE(Temporaries(out_).empty());
  ExpectArchiveIntact();
}

// The helper itself: a failed write leaves the target and no temporary.
TEST(OutputFileHelper, FailedWriteLeavesTargetUntouchedAndNoTemporary) {
  testing::TempDir tmp;
  const fs::path target = tmp.path() / "report.pdf";
  ASSERT_TRUE(WriteFileAtomic(target, "before").has_value());
  // Not allowed to replace: refused, nothing written.
  auto refused = WriteOutputFile(target, "after", {});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(*ReadFile(target), "before");
  // Allowed: replaced through a temporary that does not stay behind.
  ASSERT_TRUE(WriteOutputFile(target, "after", {.replace = true}).has_value());
  EXPECT_EQ(*ReadFile(target), "after");
  EXPECT_TRUE(Temporaries(tmp.path()).empty());
  // A directory in the way of the rename: error, temporary removed.
  fs::create_directory(tmp.path() / "dir.pdf");
  EXPECT_FALSE(WriteOutputFile(tmp.path() / "dir.pdf", "x", {.replace = true})
                   .has_value());
  EXPECT_TRUE(Temporaries(tmp.path()).empty());
}

}  // namespace
}  // namespace dossier
