#include "pipeline/ingest.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/thread_priority.h"
#include "capture/cover_sheet.h"
#include "capture/page_hash.h"
#include "capture/pdf_file.h"
#include "core/file_util.h"
#include "core/hash.h"
#include "fields/extract.h"
#include "pipeline/blocking_queue.h"
#include "pipeline/page_processor.h"
#include "records/vocabulary.h"

namespace dossier::pipeline {

namespace fs = std::filesystem;

int IngestReport::failed() const {
  return static_cast<int>(std::count_if(documents.begin(), documents.end(),
                                        [](auto& d) { return d.error.has_value(); })) +
         (source_error ? 1 : 0);
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
  return n + static_cast<int>(batch_warnings.size());
}

namespace {

std::string NowIso() { return NowIso8601(); }

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
  // Original inputs kept as received (scanned PDFs), already in the file
  // store; the catalog rows are written with the document.
  std::vector<storage::DocumentFile> files;
};

// A planned document: its inputs and where it is filed.
struct Plan {
  std::vector<fs::path> inputs;
  std::string source_key;
  std::string title;
  std::string customer_code;  // capture station: per document (cover sheets)
  std::string type;
};

struct Batch {
  std::mutex mutex;
  // Deques: documents opened while the batch runs (cover sheets) must not
  // move the ones that workers and the committer are using.
  std::deque<Plan> plans;
  std::deque<DocState> docs;
  std::deque<DocumentOutcome> outcomes;
  BlockingQueue<size_t> complete{1 << 20};
  const IngestCallbacks* callbacks = nullptr;
  int pages = 0;
  StageTimes worker_times;  // the workers' stages, merged page by page
  // Capture station. catalog_mutex serialises catalog use between the
  // stream producer and the committer (a Catalog is not thread-safe). The
  // other fields are written by the producer only, read after it ends.
  std::mutex catalog_mutex;
  int cover_sheets = 0;
  std::optional<Error> source_error;
  std::vector<Warning> batch_warnings;

  // REQUIRES: mutex held.
  void MaybeComplete(size_t doc) {
    DocState& s = docs[doc];
    if (!s.queued && s.expected >= 0 && s.done == s.expected) {
      s.queued = true;
      complete.Push(doc);
    }
  }
};

// The read options of one file: its shown name, if it has one.
capture::ImageFileOptions ReadOptionsFor(const IngestOptions& options,
                                         const std::filesystem::path& file) {
  capture::ImageFileOptions read = options.read;
  if (auto it = options.shown_names.find(file.string()); it != options.shown_names.end()) {
    read.display_name = it->second;
  }
  return read;
}

// Opening and decoding an input inside the same boundary as a page's
// processing: an exception from a decoder is an error on that file.
Result<std::unique_ptr<capture::PageSource>> OpenInput(
    const fs::path& file, const capture::ImageFileOptions& options) {
  return GuardPage<std::unique_ptr<capture::PageSource>>(
      file.string(), [&] { return capture::OpenImageFile(file, options); });
}

Result<std::optional<capture::RawPage>> NextPage(capture::PageSource& source,
                                                 const fs::path& file) {
  return GuardPage<std::optional<capture::RawPage>>(
      file.string(), [&] { return source.Next(); });
}

std::string SourceKey(const std::vector<std::string>& file_hashes) {
  std::string joined = "dossier-source-v1";
  for (const auto& h : file_hashes) joined += "|" + h;
  return Sha256Hex(joined);
}


// A scanned PDF is kept as received, next to the PDF/A made from it (its
// own text layer, signatures or metadata are not in ours). Other inputs
// are identified by their hash only, as before. nullopt for a non-PDF.
Result<std::optional<storage::DocumentFile>> KeepOriginal(storage::Archive& archive,
                                                          const fs::path& file,
                                                          const std::string& shown) {
  auto bytes = ReadFile(file);
  if (!bytes) return std::unexpected(bytes.error());
  if (!capture::LooksLikePdf(*bytes)) return std::optional<storage::DocumentFile>();
  auto sha = archive.files().Put(*bytes);
  if (!sha) {
    return MakeError(sha.error().code,
                     shown + ": keeping the original PDF: " + sha.error().message);
  }
  storage::DocumentFile kept;
  kept.role = "original";
  kept.sha256 = *sha;
  kept.size = static_cast<std::int64_t>(bytes->size());
  kept.media_type = "application/pdf";
  kept.source_file = shown;
  kept.note = "the scanned PDF as received";
  return std::optional<storage::DocumentFile>(std::move(kept));
}

// The image of a page as a file a person can open: the archive's JPEG as
// it is, a 1-bit page as PNG.
Result<std::pair<std::string, std::string>> PageImageFile(const PageImage& image) {
  if (image.encoding == PageImage::Encoding::kJpeg) {
    return std::pair<std::string, std::string>(
        std::string(image.bytes.begin(), image.bytes.end()), "image/jpeg");
  }
  cv::Mat bw(image.height, image.width, CV_8UC1, cv::Scalar(255));
  const size_t stride = (static_cast<size_t>(image.width) + 7) / 8;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const size_t at = y * stride + x / 8;
      if (at < image.bytes.size() && (image.bytes[at] >> (7 - x % 8) & 1)) {
        bw.at<uchar>(y, x) = 0;
      }
    }
  }
  std::vector<uchar> png;
  if (!cv::imencode(".png", bw, png)) {
    return MakeError(ErrorCode::kInternal, "cannot encode a page image as PNG");
  }
  return std::pair<std::string, std::string>(std::string(png.begin(), png.end()),
                                             "image/png");
}

// Likeness of two OCR texts: the Dice coefficient of their character
// bigrams, white space left out (OCR spaces Chinese text unevenly).
double TextLikeness(std::string_view a, std::string_view b, size_t* shorter) {
  auto bigrams = [](std::string_view text) {
    std::vector<std::string> chars;
    for (size_t i = 0; i < text.size();) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      std::string ch(text.substr(i, n));
      i += n;
      if (ch.size() == 1 && std::isspace(static_cast<unsigned char>(ch[0]))) continue;
      chars.push_back(std::move(ch));
    }
    std::map<std::string, int> grams;
    for (size_t i = 0; i + 1 < chars.size(); ++i) ++grams[chars[i] + chars[i + 1]];
    return std::make_pair(grams, chars.size());
  };
  auto [ga, na] = bigrams(a);
  auto [gb, nb] = bigrams(b);
  *shorter = std::min(na, nb);
  int total = 0, common = 0;
  for (const auto& [g, n] : ga) total += n;
  for (const auto& [g, n] : gb) {
    total += n;
    if (auto it = ga.find(g); it != ga.end()) common += std::min(n, it->second);
  }
  return total == 0 ? 0.0 : 2.0 * common / total;
}

// A page is a likely duplicate of a stored one when their perceptual
// hashes are within kLikelyDuplicateBits (any quarter turn) and, when both
// have text to compare (kMinTextForLikeness characters), their OCR texts
// are at least kMinTextLikeness alike: forms of one layout hash alike, and
// their filled-in text tells them apart. Measured: tests/capture/
// page_hash_test.cc, tests/pipeline/ingest_test.cc (LikelyDuplicate*).
constexpr int kLikelyDuplicateBits = 40;
constexpr size_t kMinTextForLikeness = 30;
constexpr double kMinTextLikeness = 0.85;

// Warnings naming the stored documents the new pages look like. Flags
// only: nothing is merged or left out.
std::vector<Warning> LikelyDuplicates(storage::RecordsStore& catalog,
                                      const std::map<int, PageResult>& pages) {
  std::vector<Warning> warnings;
  auto stored = catalog.ListPageHashes();
  if (!stored || stored->empty()) return warnings;
  std::vector<capture::PageHashValue> parsed(stored->size());
  for (size_t i = 0; i < stored->size(); ++i) {
    capture::ParseHashHex((*stored)[i].phash, &parsed[i]);
  }
  std::map<std::int64_t, std::vector<storage::PageRecord>> texts;  // by document
  int number = 0;
  for (const auto& [pos, page] : pages) {
    ++number;
    if (page.hashes[0].empty()) continue;
    // The closest stored page of each other document.
    std::map<std::int64_t, std::pair<int, size_t>> best;  // doc -> (bits, index)
    for (size_t i = 0; i < parsed.size(); ++i) {
      if (parsed[i].empty()) continue;
      int bits = capture::kPageHashBits;
      for (const auto& h : page.hashes) bits = std::min(bits, capture::HammingDistance(h, parsed[i]));
      if (bits > kLikelyDuplicateBits) continue;
      auto [it, added] = best.try_emplace((*stored)[i].document_id, bits, i);
      if (!added && bits < it->second.first) it->second = {bits, i};
    }
    for (const auto& [doc, match] : best) {
      const storage::PageHash& other = (*stored)[match.second];
      if (!texts.contains(doc)) {
        auto got = catalog.GetPages(doc, false);
        texts[doc] = got ? std::move(*got) : std::vector<storage::PageRecord>();
      }
      std::string other_text;
      for (const auto& p : texts[doc]) {
        if (p.number == other.page_number) other_text = p.text;
      }
      size_t shorter = 0;
      const double likeness = TextLikeness(page.record.text, other_text, &shorter);
      std::string how;
      if (shorter >= kMinTextForLikeness) {
        if (likeness < kMinTextLikeness) continue;  // same layout, other text
        how = fmt::format("text {:.0f}% alike", likeness * 100);
      } else {
        how = "no text to compare";
      }
      warnings.push_back(
          {"likely-duplicate",
           fmt::format("{} page {} looks like {} page {} (customer {}, {}): perceptual "
                       "hash {} of {} bits apart, {}; likely the same page scanned "
                       "again; a reviewer decides, nothing was merged",
                       page.record.source_file, page.record.source_index + 1,
                       other.display_id, other.page_number, other.customer_code,
                       other.status, match.first, capture::kPageHashBits, how)});
    }
  }
  return warnings;
}

// The languages a document's pages were read with, each once, in the
// order they first appear ("chi_sim" and "chi_sim+eng" give "chi_sim+eng").
std::string DocumentLanguages(const DocState& state) {
  std::vector<std::string> names;
  for (const auto& [pos, page] : state.pages) {
    std::string_view rest = page.ocr.languages;
    while (!rest.empty()) {
      const size_t plus = rest.find('+');
      const std::string name(rest.substr(0, plus));
      if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
      rest = plus == std::string_view::npos ? std::string_view() : rest.substr(plus + 1);
    }
  }
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : "+") + name;
  return joined;
}

void Commit(storage::Archive& archive, const IngestOptions& options,
            const std::string& engine_name, const Plan& plan, DocState& state,
            DocumentOutcome& outcome, StageTimes& times) {
  const std::string& source_key = plan.source_key;
  const std::string& title = plan.title;
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
  // A page decoded from damaged data is not archived as a good one: it is
  // flagged for review, or with --strict the document is refused.
  std::vector<std::string> damaged;
  for (const auto& [pos, page] : state.pages) {
    for (const auto& w : page.warnings) {
      if (w.code == capture::kCorruptDataWarning) damaged.push_back(w.message);
    }
  }
  if (!damaged.empty()) {
    if (options.strict) {
      outcome.error = Error{
          ErrorCode::kCorruptInput,
          fmt::format("{}: refused (--strict): {}", outcome.inputs.front().string(),
                      fmt::join(damaged, "; "))};
      return;
    }
    outcome.warnings.push_back(
        {"needs-review",
         fmt::format("{}: {} page(s) decoded from corrupt data; a reviewer must "
                     "compare them with the paper before filing",
                     outcome.inputs.front().string(), damaged.size())});
  }
  // Another process may have stored the same input meanwhile.
  StageTimer lookup_timer(times, Stage::kCatalog);
  auto existing = archive.records().FindDocumentBySourceKey(plan.customer_code,
                                                            source_key);
  lookup_timer.Stop();
  if (existing && *existing) {
    outcome.duplicate = true;
    outcome.record = **existing;
    return;
  }

  if (options.drop_blank_pages) {
    const bool all_blank = std::all_of(state.pages.begin(), state.pages.end(),
                                       [](const auto& p) { return p.second.blank; });
    for (auto it = state.pages.begin(); !all_blank && it != state.pages.end();) {
      if (!it->second.blank) {
        ++it;
        continue;
      }
      // The page's image is kept with the document, so a reviewer can see
      // it and bring it back.
      const std::string where = fmt::format("{} page {}", it->second.record.source_file,
                                            it->second.record.source_index + 1);
      StageTimer encode_timer(times, Stage::kEncode);
      auto file = PageImageFile(it->second.image);
      encode_timer.Stop();
      if (!file) {
        outcome.error = Error{file.error().code, where + ": " + file.error().message};
        return;
      }
      StageTimer store_timer(times, Stage::kStore);
      auto sha = archive.files().Put(file->first);
      store_timer.Stop();
      if (!sha) {
        outcome.error = Error{sha.error().code,
                              where + ": keeping the dropped page: " + sha.error().message};
        return;
      }
      storage::DocumentFile kept;
      kept.role = "dropped-page";
      kept.sha256 = *sha;
      kept.size = static_cast<std::int64_t>(file->first.size());
      kept.media_type = file->second;
      kept.source_file = it->second.record.source_file;
      kept.source_index = it->second.record.source_index;
      kept.note = fmt::format("blank: no mark of {:.0f} mm or more",
                              options.cleanup.blank_min_mark_mm);
      state.files.push_back(std::move(kept));
      outcome.warnings.push_back(
          {"dropped-blank",
           fmt::format("{}: blank, left out of the document; its image is kept "
                       "with the document (sha256 {})",
                       where, sha->substr(0, 12))});
      it = state.pages.erase(it);
    }
  }
  {
    StageTimer timer(times, Stage::kCatalog);
    for (auto& w : LikelyDuplicates(archive.records(), state.pages)) {
      outcome.warnings.push_back(std::move(w));
    }
  }
  StageTimer pdf_timer(times, Stage::kPdf);
  std::vector<archive::ArchivePage> pdf_pages;
  pdf_pages.reserve(state.pages.size());
  for (auto& [pos, page] : state.pages) {
    pdf_pages.push_back({std::move(page.image), page.ocr});
  }
  archive::DocumentInfo info;
  info.title = title;
  info.creator = options.actor;
  info.customer_code = plan.customer_code;
  info.document_type = plan.type;
  info.ocr_engine = engine_name;
  info.languages = options.null_ocr ? "" : DocumentLanguages(state);
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
  pdf_timer.Stop();
  if (!check.ok) {
    std::string problems;
    for (const auto& p : check.problems) problems += (problems.empty() ? "" : "; ") + p;
    outcome.warnings.push_back(
        {"not-pdfa", outcome.inputs.front().string() +
                         ": written PDF fails the PDF/A check: " + problems});
  }
  // The file lands (fsynced, renamed) before the catalog row points at it.
  StageTimer store_timer(times, Stage::kStore);
  auto sha = archive.files().Put(*pdf);
  store_timer.Stop();
  StageTimer catalog_timer(times, Stage::kCatalog);
  if (!sha) {
    // The store's message names the object file and the reason; the input
    // is what the user knows the document by.
    outcome.error = Error{sha.error().code, outcome.inputs.front().string() +
                                                ": " + sha.error().message};
    return;
  }
  storage::NewDocument doc;
  doc.customer_code = plan.customer_code;
  doc.type = plan.type;
  doc.title = title;
  doc.source_key = source_key;
  doc.pdf_sha256 = *sha;
  doc.pdf_size = static_cast<std::int64_t>(pdf->size());
  doc.created_by = options.actor;
  doc.warnings = outcome.warnings;
  doc.files = state.files;
  int number = 1;
  for (auto& [pos, page] : state.pages) {
    storage::PageRecord rec = page.record;
    rec.number = number++;
    rec.words = page.ocr.words;
    doc.pages.push_back(std::move(rec));
  }
  // Suggested fields for the reviewer; invalid values keep their problem.
  std::vector<OcrPage> ocr_pages;
  for (auto& [pos, page] : state.pages) ocr_pages.push_back(page.ocr);
  for (auto& f : fields::ExtractDocumentFields(ocr_pages)) {
    doc.fields.push_back({std::move(f.name), std::move(f.value), std::move(f.raw),
                          std::move(f.problem), f.confidence, f.page,
                          std::move(f.boxes), "extracted", "", ""});
  }
  auto record = archive.records().AddDocument(doc);
  if (!record) {
    outcome.error = record.error();
    return;
  }
  if (record->pdf_sha256 != *sha) {
    // Another process stored the same input between our check and our
    // insert; the catalog kept its document. Our PDF is left unreferenced
    // for `dossier backup sweep` to remove.
    outcome.duplicate = true;
    outcome.record = std::move(*record);
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
  if (auto s = archive.records().RecordVerification(outcome.record.id, verification); !s) {
    outcome.warnings.push_back({"check-not-recorded", s.error().message});
  }
}

// --- Capture station: streamed batches (scanner pages, cover sheets) ------
//
// Reads the files' pages and then the source's as one stream and opens
// documents as it goes: one for the whole stream, or one per cover sheet
// when splitting. A document is opened at its first page, so a cover sheet
// followed directly by another one leaves only a batch warning. Runs on the
// calling thread while the workers and the committer run.

// Identifies streamed documents: "<file sha256>#<page index>" per page of a
// file, a pixel hash per scanned page.
std::string PagesSourceKey(const std::vector<std::string>& page_keys) {
  std::string joined = "dossier-pages-v1";
  for (const auto& k : page_keys) joined += "|" + k;
  return Sha256Hex(joined);
}

std::string PixelKey(const capture::RawPage& raw) {
  cv::Mat m = raw.image.isContinuous() ? raw.image : raw.image.clone();
  std::span<const std::uint8_t> bytes(m.data, m.total() * m.elemSize());
  return fmt::format("px:{}x{}x{}:{}", m.cols, m.rows, m.channels(),
                     Sha256Hex(bytes));
}

class StreamProducer {
 public:
  StreamProducer(storage::Archive& archive, const IngestOptions& options,
                 Batch& batch, BlockingQueue<PageTask>& tasks, StageTimes& times)
      : archive_(archive), options_(options), batch_(batch), tasks_(tasks),
        times_(times) {}

  void Run() {
    for (const auto& f : options_.files) {
      if (auto s = capture::CheckInputFile(f, options_.read); !s) {
        FailInput(f, s.error());
        continue;
      }
      StageTimer open_timer(times_, Stage::kRead);
      auto hash = Sha256File(f);
      if (!hash) {
        FailInput(f, hash.error());
        continue;
      }
      const capture::ImageFileOptions read = ReadOptionsFor(options_, f);
      auto source = OpenInput(f, read);
      if (!source) {
        FailInput(f, source.error());
        continue;
      }
      auto original = KeepOriginal(archive_, f,
                                   read.display_name.empty() ? f.string()
                                                             : read.display_name);
      if (!original) {
        FailInput(f, original.error());
        continue;
      }
      original_ = std::move(*original);
      open_timer.Stop();
      given_original_.clear();
      for (int i = 0;; ++i) {
        StageTimer decode_timer(times_, Stage::kRead);
        auto page = NextPage(**source, f);
        decode_timer.Stop();
        if (!page) {
          FailInput(f, page.error());
          break;
        }
        if (!*page) break;
        // Cover-sheet detection reads the page's pixels (OpenCV, ZXing).
        try {
          Feed(std::move(**page), fmt::format("{}#{}", *hash, i));
        } catch (const std::exception& e) {
          FailInput(f, Error{ErrorCode::kCorruptInput,
                             fmt::format("{} page {}: cannot be processed ({})",
                                         f.string(), i + 1, e.what())});
          break;
        }
      }
    }
    original_.reset();
    if (options_.source != nullptr) {
      for (;;) {
        StageTimer scan_timer(times_, Stage::kRead);
        auto next = options_.source->Next();
        scan_timer.Stop();
        if (!next) {
          batch_.source_error = next.error();
          break;
        }
        if (!*next) break;
        std::string key = PixelKey(**next);
        Feed(std::move(**next), std::move(key));
      }
      for (const auto& w : options_.source->warnings()) {
        batch_.batch_warnings.push_back(w);
      }
    }
    Close();
    WarnUnusedCover();
  }

 private:
  static constexpr size_t kNoDoc = static_cast<size_t>(-1);

  struct Target {
    Plan plan;
    std::vector<Warning> warnings;
  };

  void Feed(capture::RawPage raw, std::string key) {
    const std::string where =
        fmt::format("{} #{}", raw.source_file, raw.source_index + 1);
    if (options_.split_on_cover_sheets) {
      auto found = capture::DetectCoverSheet(raw.image, raw.dpi, where);
      if (found.kind != capture::CoverDetection::Kind::kNone) {
        Close();
        WarnUnusedCover();
        ++batch_.cover_sheets;
        pending_ = TargetForCover(found, where);
        pending_where_ = where;
        return;
      }
    }
    if (current_ == kNoDoc) {
      Open(pending_ ? std::move(*pending_) : DefaultTarget(raw, where));
      pending_.reset();
    }
    {
      std::lock_guard lock(batch_.mutex);
      auto& inputs = batch_.plans[current_].inputs;
      if (inputs.empty() || inputs.back() != fs::path(raw.source_file)) {
        inputs.emplace_back(raw.source_file);
      }
      // Every document made from a scanned PDF keeps the PDF as received.
      if (original_ && given_original_.insert(current_).second) {
        batch_.docs[current_].files.push_back(*original_);
      }
    }
    page_keys_.push_back(std::move(key));
    tasks_.Push(PageTask{current_, position_++, std::move(raw)});
  }

  Target DefaultTarget(const capture::RawPage& raw, const std::string& where) {
    Target t;
    t.plan.type = options_.type;
    t.plan.title = options_.title;
    if (t.plan.title.empty()) {
      t.plan.title = options_.source != nullptr && raw.source_index == 0 &&
                             options_.files.empty()
                         ? fmt::format("Scan {} {}", raw.source_file, NowIso())
                         : fmt::format("{} from page {}",
                                       fs::path(raw.source_file).stem().string(),
                                       raw.source_index + 1);
    }
    if (!options_.split_on_cover_sheets || !options_.customer_code.empty()) {
      t.plan.customer_code = options_.customer_code;
    } else {
      t.plan.customer_code = options_.review_customer_code;
      t.warnings.push_back(
          {"needs-review", fmt::format("{}: pages before the first cover sheet; "
                                       "filed under holding customer {} until "
                                       "a reviewer files them",
                                       where, options_.review_customer_code)});
    }
    return t;
  }

  Target ReviewTarget(const std::string& type, const std::string& title,
                      const std::string& where, const std::string& why) {
    Target t;
    t.plan.customer_code = options_.review_customer_code;
    t.plan.type = type;
    t.plan.title = title.empty() ? fmt::format("For review: {}", where) : title;
    t.warnings.push_back(
        {"needs-review", fmt::format("{}: {}; filed under holding customer {} "
                                     "until a reviewer files them",
                                     where, why, options_.review_customer_code)});
    return t;
  }

  Target TargetForCover(const capture::CoverDetection& found, const std::string& where) {
    if (found.kind == capture::CoverDetection::Kind::kInvalid) {
      Target t = ReviewTarget("other", "", where, "unreadable cover sheet");
      if (found.warning) t.warnings.insert(t.warnings.begin(), *found.warning);
      return t;
    }
    const capture::CoverSheet& sheet = found.sheet;
    if (!records::ParseDocumentType(sheet.type)) {
      return ReviewTarget("other", sheet.title, where,
                          fmt::format("cover sheet for {} names unknown document "
                                      "type '{}'",
                                      sheet.customer_code, sheet.type));
    }
    std::optional<Error> lookup_error;
    {
      std::lock_guard lock(batch_.catalog_mutex);
      auto customer = archive_.records().FindCustomer(sheet.customer_code);
      if (!customer) lookup_error = customer.error();
    }
    if (lookup_error) {
      std::string why =
          lookup_error->code == ErrorCode::kNotFound
              ? fmt::format("cover sheet names customer {}, which does not exist",
                            sheet.customer_code)
              : fmt::format("cover sheet customer {}: {}", sheet.customer_code,
                            lookup_error->message);
      return ReviewTarget(sheet.type, sheet.title, where, why);
    }
    Target t;
    t.plan.customer_code = sheet.customer_code;
    t.plan.type = sheet.type;
    t.plan.title = sheet.title.empty()
                       ? fmt::format("{} {}", sheet.type, where)
                       : sheet.title;
    return t;
  }

  void Open(Target target) {
    std::lock_guard lock(batch_.mutex);
    current_ = batch_.plans.size();
    batch_.plans.push_back(std::move(target.plan));
    batch_.docs.emplace_back();
    batch_.outcomes.emplace_back().warnings = std::move(target.warnings);
    position_ = 0;
    page_keys_.clear();
  }

  void Close() {
    if (current_ == kNoDoc) return;
    std::lock_guard lock(batch_.mutex);
    Plan& plan = batch_.plans[current_];
    plan.source_key = PagesSourceKey(page_keys_);
    batch_.outcomes[current_].inputs = plan.inputs;
    batch_.docs[current_].expected = position_;
    batch_.MaybeComplete(current_);
    current_ = kNoDoc;
  }

  // An input that cannot be read fails on its own; the stream goes on.
  void FailInput(const fs::path& file, const Error& error) {
    std::lock_guard lock(batch_.mutex);
    size_t index = batch_.plans.size();
    batch_.plans.push_back({{file}, "", "", options_.customer_code, options_.type});
    batch_.docs.emplace_back().error = error;
    batch_.outcomes.emplace_back().inputs = {file};
    batch_.docs[index].expected = 0;
    batch_.MaybeComplete(index);
  }

  void WarnUnusedCover() {
    if (!pending_) return;
    batch_.batch_warnings.push_back(
        {"empty-cover-sheet",
         fmt::format("{}: cover sheet (for {}) has no pages after it", pending_where_,
                     pending_->plan.customer_code)});
    pending_.reset();
  }

  storage::Archive& archive_;
  const IngestOptions& options_;
  Batch& batch_;
  BlockingQueue<PageTask>& tasks_;
  StageTimes& times_;
  size_t current_ = kNoDoc;
  int position_ = 0;
  std::vector<std::string> page_keys_;
  std::optional<Target> pending_;
  std::string pending_where_;
  // The original of the input being read (a scanned PDF), and the
  // documents that already carry it.
  std::optional<storage::DocumentFile> original_;
  std::set<size_t> given_original_;
};

}  // namespace

Result<IngestReport> RunIngest(storage::Archive& archive,
                               const IngestOptions& options,
                               const IngestCallbacks& callbacks) {
  auto start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  StageTimes main_times;  // planning, setup and reading, on this thread
  if (options.files.empty() && options.source == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "no input files given");
  }
  if (auto type = records::ParseDocumentType(options.type); !type) {
    return std::unexpected(type.error());
  }
  // Capture station: when splitting at cover sheets the customer is optional
  // and the holding customer for review is required.
  if (!options.split_on_cover_sheets || !options.customer_code.empty()) {
    auto customer = archive.records().FindCustomer(options.customer_code);
    if (!customer) return std::unexpected(customer.error());
  }
  if (options.split_on_cover_sheets) {
    if (options.review_customer_code.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "splitting at cover sheets needs a holding customer for "
                       "pages that need review");
    }
    auto holding = archive.records().FindCustomer(options.review_customer_code);
    if (!holding) return std::unexpected(holding.error());
  }
  const bool streaming = options.split_on_cover_sheets || options.source != nullptr;

  int jobs = options.jobs > 0
                 ? options.jobs
                 : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));

  // Plan documents and find inputs ingested before. A streaming batch
  // (capture station) opens its documents as it reads: StreamProducer.
  Batch batch;
  std::deque<Plan>& plans = batch.plans;
  if (streaming) {
    // Planned as pages arrive.
  } else if (options.one_document) {
    plans.push_back({options.files, "", options.title, options.customer_code,
                     options.type});
  } else {
    for (const auto& f : options.files) {
      plans.push_back({{f}, "", options.title, options.customer_code, options.type});
    }
  }

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
      // Before hashing: a FIFO or /dev/zero would be read forever, a 3 GB
      // file whole.
      if (auto s = capture::CheckInputFile(f, options.read); !s) {
        outcome.error = s.error();
        break;
      }
      StageTimer hash_timer(main_times, Stage::kRead);
      auto h = Sha256File(f);
      hash_timer.Stop();
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
    StageTimer lookup_timer(main_times, Stage::kCatalog);
    auto existing =
        archive.records().FindDocumentBySourceKey(options.customer_code, plan.source_key);
    lookup_timer.Stop();
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
  const auto languages = ocr::LanguagePolicy::FromOption(options.ocr.languages);
  ocr::TesseractOptions engine_options = options.ocr;
  engine_options.languages = languages.EngineLanguages();
  // Engines from the caller's cache go back to it however this ends.
  struct Engines {
    ocr::EngineCache* cache;
    const ocr::TesseractOptions& options;
    std::vector<std::unique_ptr<ocr::Engine>> list;
    ~Engines() {
      if (cache == nullptr) return;
      for (auto& e : list) cache->Give(options, std::move(e));
    }
  } kept{options.null_ocr ? nullptr : options.engine_cache, engine_options, {}};
  std::vector<std::unique_ptr<ocr::Engine>>& engines = kept.list;
  StageTimer setup_timer(main_times, Stage::kSetup);
  for (int i = 0; i < jobs; ++i) {
    if (options.null_ocr) {
      engines.push_back(ocr::MakeNullEngine());
    } else {
      auto engine = kept.cache ? kept.cache->Take(engine_options)
                               : ocr::MakeTesseractEngine(engine_options);
      if (!engine) return std::unexpected(engine.error());
      engines.push_back(std::move(*engine));
    }
  }
  const std::string engine_name = engines.front()->Name();
  setup_timer.Stop();

  // One decoded page waits for a free worker: decoding takes a fraction of
  // a page's OCR time, so the workers never starve, and each page waiting
  // is a decoded scan in memory (26 MB for an A4 colour page at 300 dpi).
  BlockingQueue<PageTask> tasks(1);
  std::vector<std::thread> workers;
  for (int w = 0; w < jobs; ++w) {
    workers.emplace_back([&, w] {
      // Best effort: a refusal leaves the worker at normal priority.
      if (options.background) (void)LowerThreadPriority();
      ocr::Engine& engine = *engines[w];
      while (auto task = tasks.Pop()) {
        auto result =
            ProcessPage(engine, std::move(task->raw), options.cleanup, options.encode,
                        languages);
        std::lock_guard lock(batch.mutex);
        DocState& s = batch.docs[task->doc];
        if (result) {
          batch.worker_times += result->times;
          if (callbacks.on_page) {
            PageEvent e;
            e.source_file = result->record.source_file;
            e.source_index = result->record.source_index;
            e.rotation = result->record.rotation;
            e.skew = result->record.skew;
            e.blank = result->blank;
            e.words = static_cast<int>(result->ocr.words.size());
            e.confidence = result->ocr.mean_confidence;
            e.languages = result->languages;
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

  StageTimes committer_times;
  std::thread committer([&] {
    while (auto doc = batch.complete.Pop()) {
      DocState* state;
      DocumentOutcome* outcome_ptr;
      const Plan* plan;
      {
        std::lock_guard lock(batch.mutex);
        state = &batch.docs[*doc];
        outcome_ptr = &batch.outcomes[*doc];
        plan = &batch.plans[*doc];
      }
      DocumentOutcome& outcome = *outcome_ptr;
      {
        // The stream producer looks customers up while documents commit.
        std::lock_guard catalog_lock(batch.catalog_mutex);
        // Writing the PDF and the catalog row is the last stage of the
        // pages' journey; what throws there fails this document only.
        try {
          Commit(archive, options, engine_name, *plan, *state, outcome,
                 committer_times);
        } catch (const std::exception& e) {
          outcome.stored = false;
          outcome.error = Error{ErrorCode::kInternal,
                                (outcome.inputs.empty() ? std::string("(no input)")
                                                        : outcome.inputs.front().string()) +
                                    ": cannot be archived (" + e.what() + ")"};
        }
      }
      state->pages.clear();  // free the images
      if (callbacks.on_document) {
        std::lock_guard lock(batch.mutex);
        callbacks.on_document(outcome);
      }
    }
  });

  // Producer: read files in order and feed their pages to the workers.
  if (streaming) StreamProducer(archive, options, batch, tasks, main_times).Run();
  for (size_t i = 0; i < plans.size() && !streaming; ++i) {
    if (skip[i]) continue;
    int position = 0;
    std::optional<Error> read_error;
    // Pages are decoded one at a time and the task queue is bounded, so a
    // long multi-page TIFF is never held decoded in memory.
    for (const auto& f : plans[i].inputs) {
      StageTimer open_timer(main_times, Stage::kRead);
      const capture::ImageFileOptions read = ReadOptionsFor(options, f);
      auto source = OpenInput(f, read);
      if (!source) {
        read_error = source.error();
        break;
      }
      auto original = KeepOriginal(
          archive, f, read.display_name.empty() ? f.string() : read.display_name);
      open_timer.Stop();
      if (!original) {
        read_error = original.error();
        break;
      }
      if (*original) {
        std::lock_guard lock(batch.mutex);
        batch.docs[i].files.push_back(std::move(**original));
      }
      for (;;) {
        StageTimer decode_timer(main_times, Stage::kRead);
        auto page = NextPage(**source, f);
        decode_timer.Stop();
        if (!page) {
          read_error = page.error();
          break;
        }
        if (!*page) break;
        tasks.Push(PageTask{i, position++, std::move(**page)});
      }
      if (read_error) break;
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
  report.documents.assign(std::make_move_iterator(batch.outcomes.begin()),
                          std::make_move_iterator(batch.outcomes.end()));
  report.pages = batch.pages;
  report.cover_sheets = batch.cover_sheets;
  report.source_error = std::move(batch.source_error);
  report.batch_warnings = std::move(batch.batch_warnings);
  report.stages += main_times;
  report.stages += batch.worker_times;
  report.stages += committer_times;
  report.cpu_seconds = ProcessCpuSeconds() - cpu_start;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace dossier::pipeline
