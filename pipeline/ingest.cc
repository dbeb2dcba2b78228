#include "pipeline/ingest.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

#include "core/hash.h"
#include "pipeline/blocking_queue.h"
#include "pipeline/page_processor.h"

namespace dossier::pipeline {

namespace fs = std::filesystem;

const std::vector<std::string>& DocumentTypes() {
  static const std::vector<std::string> kTypes = {
      "contract", "form", "id-copy", "correspondence", "other"};
  return kTypes;
}

int IngestReport::failed() const {
  return static_cast<int>(std::count_if(documents.begin(), documents.end(),
                                        [](auto& d) { return d.error.has_value(); }));
}
int IngestReport::stored() const {
  return static_cast<int>(std::count_if(documents.begin(), documents.end(),
                                        [](auto& d) { return d.stored; }));
}
int IngestReport::duplicates() const {
  return static_cast<int>(std::count_if(documents.begin(), documents.end(),
                                        [](auto& d) { return d.duplicate; }));
}
int IngestReport::warnings() const {
  int n = 0;
  for (const auto& d : documents) n += static_cast<int>(d.warnings.size());
  return n;
}

namespace {

std::string NowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Work item for a worker: one page of one planned document.
struct PageTask {
  size_t doc = 0;
  int position = 0;  // page position within the document
  capture::RawPage raw;
};

// A document being assembled; guarded by Batch::mutex.
struct DocState {
  int expected = -1;  // known once all its files are read
  int done = 0;
  bool queued = false;
  std::map<int, PageResult> pages;
  std::optional<Error> error;
};

struct Batch {
  std::mutex mutex;
  std::vector<DocState> docs;
  std::vector<DocumentOutcome> outcomes;
  BlockingQueue<size_t> complete{1 << 20};
  const IngestCallbacks* callbacks = nullptr;
  int pages = 0;

  // REQUIRES: mutex held.
  void MaybeComplete(size_t doc) {
    DocState& s = docs[doc];
    if (!s.queued && s.expected >= 0 && s.done == s.expected) {
      s.queued = true;
      complete.Push(doc);
    }
  }
};

std::string SourceKey(const std::vector<std::string>& file_hashes) {
  std::string joined = "dossier-source-v1";
  for (const auto& h : file_hashes) joined += "|" + h;
  return Sha256Hex(joined);
}

void Commit(storage::Archive& archive, const IngestOptions& options,
            const std::string& engine_name, const std::string& source_key,
            const std::string& title, DocState& state, DocumentOutcome& outcome) {
  for (auto& [pos, page] : state.pages) {
    for (auto& w : page.warnings) outcome.warnings.push_back(w);
  }
  if (state.error) {
    outcome.error = state.error;
    return;
  }
  if (state.pages.empty()) {
    outcome.error = Error{ErrorCode::kCorruptInput,
                          outcome.inputs.front().string() + ": no pages"};
    return;
  }
  // Another process may have stored the same input meanwhile.
  auto existing = archive.catalog().FindDocumentBySourceKey(options.customer_code,
                                                            source_key);
  if (existing && *existing) {
    outcome.duplicate = true;
    outcome.record = **existing;
    return;
  }

  std::vector<archive::ArchivePage> pdf_pages;
  pdf_pages.reserve(state.pages.size());
  for (auto& [pos, page] : state.pages) {
    pdf_pages.push_back({std::move(page.image), page.ocr});
  }
  archive::DocumentInfo info;
  info.title = title;
  info.creator = options.actor;
  info.customer_code = options.customer_code;
  info.document_type = options.type;
  info.ocr_engine = engine_name;
  info.languages = options.null_ocr ? "" : options.ocr.languages;
  info.scan_date = NowIso();
  info.pdfa = options.pdfa;
  auto pdf = archive::WriteSearchablePdf(pdf_pages, info);
  if (!pdf) {
    outcome.error = Error{pdf.error().code,
                          outcome.inputs.front().string() + ": " +
                              pdf.error().message};
    return;
  }
  auto check = archive::CheckPdfA(*pdf);
  if (!check.ok) {
    std::string problems;
    for (const auto& p : check.problems) problems += (problems.empty() ? "" : "; ") + p;
    outcome.warnings.push_back(
        {"not-pdfa", outcome.inputs.front().string() +
                         ": written PDF fails the PDF/A check: " + problems});
  }
  // The file lands (fsynced, renamed) before the catalog row points at it.
  auto sha = archive.files().Put(*pdf);
  if (!sha) {
    outcome.error = sha.error();
    return;
  }
  storage::NewDocument doc;
  doc.customer_code = options.customer_code;
  doc.type = options.type;
  doc.title = title;
  doc.source_key = source_key;
  doc.pdf_sha256 = *sha;
  doc.pdf_size = static_cast<std::int64_t>(pdf->size());
  doc.created_by = options.actor;
  doc.warnings = outcome.warnings;
  int number = 1;
  for (auto& [pos, page] : state.pages) {
    storage::PageRecord rec = page.record;
    rec.number = number++;
    rec.words = page.ocr.words;
    doc.pages.push_back(std::move(rec));
  }
  auto record = archive.catalog().AddDocument(doc);
  if (!record) {
    outcome.error = record.error();
    return;
  }
  outcome.stored = true;
  outcome.record = std::move(*record);
  // The check made on write is kept with the document (shown by `show`).
  storage::Verification verification;
  verification.actor = options.actor;
  verification.kind = "ingest";
  verification.fixity_ok = true;
  verification.pdfa_ok = check.ok;
  verification.pdfa_level = check.ok ? check.level : "";
  verification.problems = check.problems;
  if (auto s = archive.catalog().RecordVerification(outcome.record.id, verification); !s) {
    outcome.warnings.push_back({"check-not-recorded", s.error().message});
  }
}

}  // namespace

Result<IngestReport> RunIngest(storage::Archive& archive,
                               const IngestOptions& options,
                               const IngestCallbacks& callbacks) {
  auto start = std::chrono::steady_clock::now();
  if (options.files.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no input files given");
  }
  const auto& types = DocumentTypes();
  if (std::find(types.begin(), types.end(), options.type) == types.end()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("unknown document type '{}' (use one of: {})",
                                 options.type, fmt::join(types, ", ")));
  }
  auto customer = archive.catalog().FindCustomer(options.customer_code);
  if (!customer) return std::unexpected(customer.error());

  int jobs = options.jobs > 0
                 ? options.jobs
                 : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));

  // Plan documents and find inputs ingested before.
  struct Plan {
    std::vector<fs::path> inputs;
    std::string source_key;
    std::string title;
  };
  std::vector<Plan> plans;
  if (options.one_document) {
    plans.push_back({options.files, "", options.title});
  } else {
    for (const auto& f : options.files) plans.push_back({{f}, "", options.title});
  }

  Batch batch;
  batch.callbacks = &callbacks;
  batch.docs.resize(plans.size());
  batch.outcomes.resize(plans.size());
  std::vector<bool> skip(plans.size(), false);
  for (size_t i = 0; i < plans.size(); ++i) {
    Plan& plan = plans[i];
    DocumentOutcome& outcome = batch.outcomes[i];
    outcome.inputs = plan.inputs;
    if (plan.title.empty()) {
      plan.title = plan.inputs.front().stem().string();
      if (plan.inputs.size() > 1) {
        plan.title += fmt::format(" (+{} files)", plan.inputs.size() - 1);
      }
    }
    std::vector<std::string> hashes;
    for (const auto& f : plan.inputs) {
      std::error_code ec;
      if (!fs::exists(f, ec)) {
        outcome.error = Error{ErrorCode::kNotFound, f.string() + ": no such file"};
        break;
      }
      if (fs::is_directory(f, ec)) {
        outcome.error = Error{ErrorCode::kInvalidArgument,
                              f.string() + ": is a directory, not an image file"};
        break;
      }
      auto h = Sha256File(f);
      if (!h) {
        outcome.error = h.error();
        break;
      }
      hashes.push_back(*h);
    }
    if (outcome.error) {
      skip[i] = true;
      continue;
    }
    plan.source_key = SourceKey(hashes);
    auto existing =
        archive.catalog().FindDocumentBySourceKey(options.customer_code, plan.source_key);
    if (!existing) return std::unexpected(existing.error());
    if (*existing) {
      outcome.duplicate = true;
      outcome.record = **existing;
      skip[i] = true;
    }
  }
  for (size_t i = 0; i < plans.size(); ++i) {
    if (skip[i] && callbacks.on_document) callbacks.on_document(batch.outcomes[i]);
  }

  // OCR engines, one per worker, created before any thread starts so a
  // missing language fails the batch at once.
  std::vector<std::unique_ptr<ocr::Engine>> engines;
  for (int i = 0; i < jobs; ++i) {
    if (options.null_ocr) {
      engines.push_back(ocr::MakeNullEngine());
    } else {
      auto engine = ocr::MakeTesseractEngine(options.ocr);
      if (!engine) return std::unexpected(engine.error());
      engines.push_back(std::move(*engine));
    }
  }
  const std::string engine_name = engines.front()->Name();

  BlockingQueue<PageTask> tasks(static_cast<size_t>(jobs) * 2);
  std::vector<std::thread> workers;
  for (int w = 0; w < jobs; ++w) {
    workers.emplace_back([&, w] {
      ocr::Engine& engine = *engines[w];
      while (auto task = tasks.Pop()) {
        auto result = ProcessPage(engine, task->raw, options.cleanup, options.encode);
        std::lock_guard lock(batch.mutex);
        DocState& s = batch.docs[task->doc];
        if (result) {
          if (callbacks.on_page) {
            PageEvent e;
            e.source_file = task->raw.source_file;
            e.source_index = task->raw.source_index;
            e.rotation = result->record.rotation;
            e.skew = result->record.skew;
            e.blank = result->blank;
            e.words = static_cast<int>(result->ocr.words.size());
            e.confidence = result->ocr.mean_confidence;
            e.seconds = result->seconds;
            e.warnings = result->warnings;
            callbacks.on_page(e);
          }
          s.pages.emplace(task->position, std::move(*result));
        } else if (!s.error) {
          s.error = result.error();
        }
        ++s.done;
        ++batch.pages;
        batch.MaybeComplete(task->doc);
      }
    });
  }

  std::thread committer([&] {
    while (auto doc = batch.complete.Pop()) {
      DocState* state;
      {
        std::lock_guard lock(batch.mutex);
        state = &batch.docs[*doc];
      }
      DocumentOutcome& outcome = batch.outcomes[*doc];
      Commit(archive, options, engine_name, plans[*doc].source_key,
             plans[*doc].title, *state, outcome);
      state->pages.clear();  // free the images
      if (callbacks.on_document) {
        std::lock_guard lock(batch.mutex);
        callbacks.on_document(outcome);
      }
    }
  });

  // Producer: read files in order and feed their pages to the workers.
  for (size_t i = 0; i < plans.size(); ++i) {
    if (skip[i]) continue;
    int position = 0;
    std::optional<Error> read_error;
    for (const auto& f : plans[i].inputs) {
      auto pages = capture::ReadImageFile(f, options.read);
      if (!pages) {
        read_error = pages.error();
        break;
      }
      for (auto& raw : *pages) {
        tasks.Push(PageTask{i, position++, std::move(raw)});
      }
    }
    std::lock_guard lock(batch.mutex);
    DocState& s = batch.docs[i];
    if (read_error && !s.error) s.error = read_error;
    s.expected = position;
    batch.MaybeComplete(i);
  }
  tasks.Close();
  for (auto& t : workers) t.join();
  batch.complete.Close();
  committer.join();

  IngestReport report;
  report.documents = std::move(batch.outcomes);
  report.pages = batch.pages;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace dossier::pipeline
