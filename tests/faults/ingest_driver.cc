// Test driver for the fault tests: runs one ingest (null OCR engine) into an
// archive, printing one line per document as soon as it is committed, so a
// test can kill -9 it at any moment and know what was committed.
//
//   fault_ingest_driver ARCHIVE CUSTOMER [--fsize BYTES] FILE...
//
// --fsize limits the size of any file this process writes (RLIMIT_FSIZE):
// writes past it fail with EFBIG, as on a full disk, without privileges.
// Output lines: "stored D000012 <sha256>", "duplicate D000012",
// "failed <input>: <message>". Exit: 0 all stored, 11 some failed, 1 the
// batch could not start.
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "pipeline/ingest.h"
#include "storage/archive.h"

int main(int argc, char** argv) {
  using namespace dossier;
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s ARCHIVE CUSTOMER [--fsize BYTES] FILE...\n",
                 argv[0]);
    return 2;
  }
  pipeline::IngestOptions options;
  options.customer_code = argv[2];
  options.actor = "fault-driver";
  options.null_ocr = true;
  options.jobs = 1;
  options.type = "form";
  for (int i = 3; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--fsize" && i + 1 < argc) {
      const rlim_t limit = std::strtoull(argv[++i], nullptr, 10);
      ::signal(SIGXFSZ, SIG_IGN);  // fail the write with EFBIG instead
      rlimit rl{limit, limit};
      if (::setrlimit(RLIMIT_FSIZE, &rl) != 0) {
        std::perror("setrlimit");
        return 2;
      }
      continue;
    }
    options.files.emplace_back(arg);
  }
  auto archive = storage::Archive::Open(argv[1]);
  if (!archive) {
    std::printf("error: %s\n", archive.error().message.c_str());
    return 1;
  }
  pipeline::IngestCallbacks callbacks;
  callbacks.on_document = [](const pipeline::DocumentOutcome& o) {
    if (o.stored) {
      std::printf("stored %s %s\n", o.record.display_id.c_str(),
                  o.record.pdf_sha256.c_str());
    } else if (o.duplicate) {
      std::printf("duplicate %s\n", o.record.display_id.c_str());
    } else if (o.error) {
      std::printf("failed %s: %s\n",
                  o.inputs.empty() ? "?" : o.inputs.front().c_str(),
                  o.error->message.c_str());
    }
    std::fflush(stdout);
  };
  auto report = pipeline::RunIngest(**archive, options, callbacks);
  if (!report) {
    std::printf("error: %s\n", report.error().message.c_str());
    return 1;
  }
  std::printf("done stored=%d duplicates=%d failed=%d\n", report->stored(),
              report->duplicates(), report->failed());
  return report->failed() > 0 ? 11 : 0;
}
