// A failing disk under the file store, injected in-process with FaultEnv
// (tests/support/fault_env.h) at a chosen call: ENOSPC or EIO on write, a
// failed fsync of the file or of its directory, a failed rename. For each,
// the ingest (null OCR engine, three small pages) reports the documents that
// could not be stored with an error naming the input and the reason; the
// catalog names no file the store lacks; no temporary is left in objects/;
// and a later ingest on a healthy disk stores the rest with no duplicates.
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ostream>
#include <set>
#include <string>

#include "pipeline/ingest.h"
#include "storage/archive.h"
#include "storage/backup.h"
#include "tests/faults/fault_support.h"
#include "tests/support/fault_env.h"
#include "tests/support/test_support.h"

namespace dossier::faults {
namespace {

namespace fs = std::filesystem;
using Op = dossier::testing::FaultEnv::Op;

constexpr int kPages = 3;

struct DiskFault {
  const char* name;
  Op op;
  int nth;  // the call that fails, counted from the start of the ingest
  int error_number;
  bool sticky;         // every later call fails too (a disk that stays full)
  const char* reason;  // what the error must say
  int failed;          // documents that cannot be stored
  // The directory fsync fails after the rename: the whole file is in
  // objects/ but no document names it until the next ingest adopts it.
  bool leaves_orphan;
};

// Each document's PDF is one atomic write: create, write, fsync the file,
// rename, fsync the directory; so the second document's file fsync is the
// third fsync, its directory's the fourth.
const DiskFault kDiskFaults[] = {
    {"EnospcOnWrite", Op::kWrite, 2, ENOSPC, true, "No space left on device", 2,
     false},
    {"EioOnWrite", Op::kWrite, 1, EIO, false, "Input/output error", 1, false},
    {"FailedFsync", Op::kSync, 3, EIO, false, "fsync: Input/output error", 1,
     false},
    {"FailedDirectoryFsync", Op::kSync, 4, EIO, false,
     "fsync: Input/output error", 1, true},
    {"FailedRename", Op::kRename, 1, EIO, false, "Input/output error", 1,
     false},
};

pipeline::IngestOptions Options(const std::string& customer,
                                const std::vector<fs::path>& pages) {
  pipeline::IngestOptions options;
  options.files = pages;
  options.customer_code = customer;
  options.actor = "env-fault-test";
  options.type = "form";
  options.null_ocr = true;
  // One worker: documents are committed in input order, so the nth call
  // belongs to a known document.
  options.jobs = 1;
  return options;
}

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const DiskFault& fault, std::ostream* os) { *os << fault.name; }

class EnvFaultTest : public ::testing::TestWithParam<DiskFault> {};

TEST_P(EnvFaultTest, IngestFailsCleanlyAndALaterIngestCompletes) {
  const DiskFault& fault = GetParam();
  dossier::testing::TempDir tmp;
  const auto pages = MakePages(tmp.path() / "inputs", kPages);
  const fs::path dir = tmp.path() / "archive";
  const std::string customer = MakeArchive(dir);

  std::set<std::string> stored_before;
  {
    dossier::testing::FaultEnv env;
    auto archive = storage::Archive::Open(dir, &env);
    ASSERT_TRUE(archive) << archive.error().message;
    env.FailNth(fault.op, fault.nth, fault.error_number, fault.sticky);
    auto report = pipeline::RunIngest(**archive, Options(customer, pages));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_GE(env.injected(), 1) << "the fault was not hit";
    EXPECT_EQ(report->failed(), fault.failed);
    EXPECT_EQ(report->stored(), kPages - fault.failed);
    for (const auto& d : report->documents) {
      if (d.stored) stored_before.insert(d.record.display_id);
      if (!d.error) continue;
      ASSERT_EQ(d.inputs.size(), 1u);
      const std::string& message = d.error->message;
      EXPECT_EQ(d.error->code, ErrorCode::kIo) << message;
      EXPECT_TRUE(message.starts_with(d.inputs.front().string() + ": "))
          << message;
      EXPECT_NE(message.find(fault.reason), std::string::npos) << message;
      EXPECT_NE(message.find((dir / "objects").string()), std::string::npos)
          << "names the stored file: " << message;
      std::printf("[ env fault ] %s: %s\n", fault.name, message.c_str());
    }
  }

  // What a restarted station finds: every document's file present and whole,
  // nothing half-written, no temporaries.
  ArchiveCheck after = CheckArchive(dir);
  EXPECT_TRUE(after.problems.empty()) << after.problems.front();
  EXPECT_EQ(after.ids, stored_before);
  EXPECT_EQ(after.temporaries, 0) << "a failed write removes its temporary";
  EXPECT_EQ(after.orphans, fault.leaves_orphan ? 1 : 0);

  // The disk is healthy again: the same inputs store what failed, once.
  {
    auto archive = storage::Archive::Open(dir);
    ASSERT_TRUE(archive) << archive.error().message;
    auto report = pipeline::RunIngest(**archive, Options(customer, pages));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->failed(), 0);
    EXPECT_EQ(report->stored(), fault.failed);
    EXPECT_EQ(report->duplicates(), kPages - fault.failed);
  }
  ArchiveCheck done = CheckArchive(dir);
  EXPECT_TRUE(done.problems.empty()) << done.problems.front();
  EXPECT_EQ(done.documents, kPages);
  EXPECT_EQ(done.distinct_sources, kPages) << "no duplicates";
  EXPECT_EQ(done.temporaries, 0);
  EXPECT_EQ(done.objects, kPages + done.orphans);
  if (!fault.leaves_orphan) {
    EXPECT_EQ(done.orphans, 0);
    return;
  }
  // The new PDF carries a new scan date, so it is usually another object and
  // the orphan stays (the same bytes would have been adopted); the sweep
  // removes it and nothing a document names.
  EXPECT_LE(done.orphans, 1);
  auto sweep = storage::SweepFileStore(dir, std::chrono::seconds(0));
  ASSERT_TRUE(sweep) << sweep.error().message;
  EXPECT_EQ(sweep->orphans_removed, done.orphans);
  ArchiveCheck swept = CheckArchive(dir);
  EXPECT_TRUE(swept.problems.empty()) << swept.problems.front();
  EXPECT_EQ(swept.documents, kPages);
  EXPECT_EQ(swept.objects, kPages);
  EXPECT_EQ(swept.orphans, 0);
}

INSTANTIATE_TEST_SUITE_P(Faults, EnvFaultTest, ::testing::ValuesIn(kDiskFaults),
                         [](const auto& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace dossier::faults
