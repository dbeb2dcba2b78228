#include "app/queue.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "app/capture_internal.h"
#include "app/operation.h"
#include "core/env.h"
#include "core/file_util.h"
#include "core/text.h"
#include "storage/archive.h"

namespace dossier::app {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kQueueFolder = "queue";

std::string SpoolToken() {
  std::random_device device;
  std::uniform_int_distribution<unsigned> byte(0, 255);
  std::string token;
  for (int i = 0; i < 12; ++i) token += fmt::format("{:02x}", byte(device));
  return token;
}

fs::path SpoolDir(Station& station, const std::string& spool) {
  return station.archive().dir() / kQueueFolder / spool;
}

// Copies file to `to` through the environment and fsyncs it.
Status CopyDurably(const fs::path& file, const fs::path& to) {
  Env* env = Env::Default();
  auto bytes = env->ReadFile(file);
  if (!bytes) {
    return MakeError(bytes.error().code, fmt::format("{}: cannot be read: {}",
                                                     file.string(), bytes.error().message));
  }
  auto out = env->NewWritableFile(to);
  if (!out) return std::unexpected(out.error());
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes->data());
  if (auto s = (*out)->Append({data, bytes->size()}); !s) return s;
  if (auto s = (*out)->Sync(); !s) return s;
  return (*out)->Close();
}

json CaptureJson(const CaptureInput& c) {
  return json{{"customer", c.customer},
              {"type", c.type},
              {"title", c.title},
              {"split", c.split},
              {"review_customer", c.review_customer},
              {"languages", c.languages},
              {"no_ocr", c.no_ocr},
              {"drop_blank", c.drop_blank},
              {"crop_to_paper", c.crop_to_paper},
              {"strict", c.strict}};
}

CaptureInput CaptureFromJson(const json& j) {
  CaptureInput c;
  c.customer = j.value("customer", "");
  c.type = j.value("type", "other");
  c.title = j.value("title", "");
  c.split = j.value("split", false);
  c.review_customer = j.value("review_customer", "");
  c.languages = j.value("languages", "auto");
  c.no_ocr = j.value("no_ocr", false);
  c.drop_blank = j.value("drop_blank", false);
  c.crop_to_paper = j.value("crop_to_paper", false);
  c.strict = j.value("strict", false);
  return c;
}

// The ingest a work item asks for, its files in the item's spool folder;
// kInvalidArgument naming the item when the payload is not one of ours or
// a spooled file is missing.
Result<IngestInput> IngestFromItem(Station& station, const storage::WorkItem& item,
                                   int jobs) {
  auto bad = [&](const std::string& why) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("work item {}: {}", item.display_id, why));
  };
  if (item.kind != "ingest") return bad("unknown kind '" + item.kind + "'");
  json j = json::parse(item.payload, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("files") || !j["files"].is_array() ||
      !j.contains("capture") || !j["capture"].is_object()) {
    return bad("its payload is not an ingest");
  }
  IngestInput input;
  try {
    input.capture = CaptureFromJson(j["capture"]);
    input.one_document = j.value("one_document", false);
    input.pdfa = j.value("pdfa", "2b") == "1b" ? archive::PdfaLevel::k1b
                                               : archive::PdfaLevel::k2b;
    const fs::path dir = SpoolDir(station, item.spool);
    for (const json& f : j["files"]) {
      const fs::path path = dir / f.at("spooled").get<std::string>();
      if (!Env::Default()->FileExists(path)) {
        return bad(fmt::format("its queued file {} is missing from {}",
                               f.value("name", ""), dir.string()));
      }
      input.files.push_back(path);
      input.shown_names.push_back(f.value("name", ""));
    }
  } catch (const json::exception& e) {
    return bad(std::string("its payload is not an ingest: ") + e.what());
  }
  input.capture.jobs = jobs;
  return input;
}

// Spooled file path -> the name the scanner gave it.
using ShownNames = std::map<std::string, std::string>;

ShownNames ShownNamesOf(const IngestInput& input) {
  ShownNames names;
  for (std::size_t i = 0; i < input.files.size() && i < input.shown_names.size(); ++i) {
    names[input.files[i].string()] = input.shown_names[i];
  }
  return names;
}

// The outcome with spooled paths replaced by the names the scanner gave.
pipeline::DocumentOutcome AsGiven(pipeline::DocumentOutcome d, const ShownNames& names) {
  auto shown = [&](const std::string& path) {
    auto it = names.find(path);
    return it == names.end() ? path : it->second;
  };
  for (auto& f : d.inputs) f = shown(f.string());
  for (const auto& [path, name] : names) {
    if (d.error) ReplaceAll(d.error->message, path, name);
    for (auto& w : d.warnings) ReplaceAll(w.message, path, name);
  }
  return d;
}

json ResultJson(const pipeline::IngestReport& report, const ShownNames& names) {
  json docs = json::array();
  for (const auto& given : report.documents) {
    const pipeline::DocumentOutcome d = AsGiven(given, names);
    json one{{"inputs", json::array()}};
    for (const auto& f : d.inputs) one["inputs"].push_back(f.string());
    if (d.stored || d.duplicate) one["document"] = d.record.display_id;
    one["duplicate"] = d.duplicate;
    if (d.error) one["error"] = d.error->message;
    docs.push_back(std::move(one));
  }
  return json{{"documents", docs},
              {"pages", report.pages},
              {"stored", report.stored()},
              {"duplicates", report.duplicates()},
              {"failed", report.failed()}};
}

std::string DefaultWorkerName() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}", host[0] ? host : "localhost", ::getpid());
}

// Renews a claimed item's lease every third of it, on the worker's second
// connection (renewals), until stopped or the lease is lost to another
// worker. REQUIRES: renewals outlives the keeper and nothing else uses it
// meanwhile.
class LeaseKeeper {
 public:
  LeaseKeeper(Station& renewals, std::int64_t item, std::string worker, int lease_seconds)
      : thread_([this, &renewals, item, worker = std::move(worker), lease_seconds] {
          const auto every = std::chrono::milliseconds(lease_seconds * 1000 / 3);
          std::unique_lock lock(mu_);
          while (!cv_.wait_for(lock, every, [this] { return stop_; })) {
            lock.unlock();
            auto renewed = renewals.queue().Renew(item, worker, lease_seconds);
            lock.lock();
            // Lost to another worker: this one's Finish will be refused.
            if (!renewed && renewed.error().code == ErrorCode::kConflict) return;
          }
        }) {}
  ~LeaseKeeper() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// Waits, with the queue empty, for up to poll_seconds: less when the queue
// wakes the worker (work may have been queued) or stop is set. The wait is
// cut into short slices so that stop is seen within them. A queue that
// cannot wait (its wake-up connection lost) is waited on by sleeping, so
// the worker claims again after poll_seconds as it always has; that claim
// tells whether the catalog is reachable at all.
template <typename Stopped>
void IdleUntilWork(storage::WorkQueue& queue, double poll_seconds, Stopped stopped) {
  using std::chrono::milliseconds;
  constexpr milliseconds kSlice(50);
  const auto until = std::chrono::steady_clock::now() +
                     milliseconds(static_cast<int>(poll_seconds * 1000));
  bool can_wait = true;
  while (!stopped()) {
    const auto left = std::chrono::duration_cast<milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    const milliseconds slice = std::min(left, kSlice);
    if (can_wait) {
      auto woken = queue.WaitForWork(slice);
      if (woken && *woken) return;
      can_wait = woken.has_value();
    } else {
      std::this_thread::sleep_for(slice);
    }
  }
}

// Removes spool folders no open or failed item names: those of done items
// whose worker stopped before it could remove them (killed between its
// Finish and the removal), and those of a queueing that stopped before its
// item was added. Folders younger than an hour are left alone, so a
// queueing still copying its files is not disturbed.
void RemoveStaleSpools(Station& station) {
  const fs::path root = station.archive().dir() / kQueueFolder;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return;
  std::set<std::string> keep;
  for (const char* state : {"queued", "running", "failed"}) {
    auto items = station.queue().List(state, 1000000);
    if (!items) return;  // unsure: remove nothing
    for (const auto& item : *items) keep.insert(item.spool);
  }
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string spool = entry.path().filename().string();
    if (keep.contains(spool)) continue;
    auto written = fs::last_write_time(entry.path(), ec);
    if (ec || written > old) continue;
    fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

Result<storage::WorkItem> QueueIngest(Station& station, const Caller& caller,
                                      const IngestInput& input) {
  Operation op(station, caller, "queue.add");
  op.Record(input.capture.customer);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::WorkItem> {
    if (input.files.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "nothing to queue: no files given");
    }
    if (!input.capture.split && input.capture.customer.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--customer is required unless the batch is split at "
                       "cover sheets (--split)");
    }
    if (!input.capture.customer.empty()) {
      if (auto c = station.records().FindCustomer(input.capture.customer); !c) {
        return std::unexpected(c.error());
      }
    }
    for (const auto& f : input.files) {
      if (auto size = RegularFileSize(f); !size) {
        return MakeError(size.error().code,
                         fmt::format("{}: {}", f.string(), size.error().message));
      }
    }
    const std::string token = SpoolToken();
    const fs::path dir = SpoolDir(station, token);
    auto cleanup = [&] {
      std::error_code ec;
      fs::remove_all(dir, ec);
    };
    json files = json::array();
    for (std::size_t i = 0; i < input.files.size(); ++i) {
      const fs::path& f = input.files[i];
      const fs::path rel = fs::path(std::to_string(i + 1)) / f.filename();
      if (auto s = Env::Default()->CreateDirectories(dir / rel.parent_path()); !s) {
        cleanup();
        return std::unexpected(s.error());
      }
      if (auto s = CopyDurably(f, dir / rel); !s) {
        cleanup();
        return std::unexpected(s.error());
      }
      if (auto s = Env::Default()->SyncDirectory(dir / rel.parent_path()); !s) {
        cleanup();
        return std::unexpected(s.error());
      }
      const std::string shown = i < input.shown_names.size() && !input.shown_names[i].empty()
                                    ? input.shown_names[i]
                                    : f.string();
      files.push_back(json{{"spooled", rel.string()}, {"name", shown}});
    }
    if (auto s = Env::Default()->SyncDirectory(dir); !s) {
      cleanup();
      return std::unexpected(s.error());
    }
    const json payload{{"capture", CaptureJson(input.capture)},
                       {"files", files},
                       {"one_document", input.one_document},
                       {"pdfa", input.pdfa == archive::PdfaLevel::k1b ? "1b" : "2b"}};
    auto item = station.queue().Enqueue("ingest", token, payload.dump(), op.user());
    if (!item) {
      cleanup();
      return item;
    }
    op.Record(item->display_id);
    return item;
  };
  return op.Finish(run());
}

Result<WorkerReport> RunWorker(Station& station, const Caller& caller,
                               const WorkerOptions& options,
                               const WorkerCallbacks& callbacks) {
  {
    // Refused before any work is taken; the refusal is logged.
    Operation check(station, caller, "queue.work");
    if (auto s = check.Authorize(); !s) return std::unexpected(s.error());
  }
  if (options.lease_seconds < 3 || options.lease_seconds > 86400) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("a lease of {} s is not between 3 s and a day",
                                 options.lease_seconds));
  }
  const std::string name = options.name.empty() ? DefaultWorkerName() : options.name;
  auto stopped = [&] { return options.stop && options.stop->load(); };
  RemoveStaleSpools(station);
  // Leases are renewed on a connection of their own, opened once.
  auto renewals = Station::Open(station.archive().dir());
  if (!renewals) return std::unexpected(renewals.error());
  // Models are loaded once for the worker's life, not once per item.
  ocr::EngineCache engines;
  WorkerReport report;
  while (!stopped()) {
    auto claimed = station.queue().Claim(name, options.lease_seconds, options.max_attempts);
    if (!claimed) return std::unexpected(claimed.error());
    if (!*claimed) {
      if (options.once) break;
      IdleUntilWork(station.queue(), options.poll_seconds, stopped);
      continue;
    }
    const storage::WorkItem item = **claimed;
    if (callbacks.on_claim) callbacks.on_claim(item);
    Operation op(station, caller, "queue.work");
    op.Record(item.display_id);
    auto input = IngestFromItem(station, item, options.jobs);
    const ShownNames names = input ? ShownNamesOf(*input) : ShownNames{};
    auto ingested = [&]() -> Result<pipeline::IngestReport> {
      if (!input) return std::unexpected(input.error());
      op.Record(input->capture.customer);
      pipeline::IngestCallbacks ingest = callbacks.ingest;
      if (ingest.on_document) {
        ingest.on_document = [&](const pipeline::DocumentOutcome& d) {
          callbacks.ingest.on_document(AsGiven(d, names));
        };
      }
      LeaseKeeper keeper(**renewals, item.id, name, options.lease_seconds);
      input->engines = &engines;
      return IngestAs(station, item.enqueued_by, *input, ingest);
    }();
    Status ended = ingested ? station.queue().Finish(item.id, name,
                                                     ResultJson(*ingested, names).dump())
                            : station.queue().Fail(item.id, name, ingested.error().message);
    if (!ended && ended.error().code != ErrorCode::kConflict) {
      (void)op.Finish(ended);
      return std::unexpected(ended.error());
    }
    if (!ended) {
      ++report.lost;  // another worker took it over and will end it
    } else if (ingested) {
      ++report.done;
      std::error_code ec;
      fs::remove_all(SpoolDir(station, item.spool), ec);
    } else {
      ++report.failed;
    }
    auto after = station.queue().Get(item.id);
    if (callbacks.on_end) callbacks.on_end(after ? *after : item, ingested);
    const Status outcome = ingested ? Ok() : Status(std::unexpected(ingested.error()));
    if (auto logged = op.Finish(outcome); !logged && ingested) {
      return std::unexpected(logged.error());
    }
  }
  return report;
}

Result<std::vector<storage::WorkItem>> ListWork(Station& station, const Caller& caller,
                                                const std::string& state, int limit) {
  Operation op(station, caller, "queue.list");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.queue().List(state, limit));
}

Result<storage::WorkItem> ShowWork(Station& station, const Caller& caller,
                                   const std::string& item) {
  Operation op(station, caller, "queue.list");
  op.Record(item);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::WorkItem> {
    auto id = storage::ParseWorkItemId(item);
    if (!id) return std::unexpected(id.error());
    return station.queue().Get(*id);
  };
  return op.Finish(run());
}

Result<storage::WorkItem> FollowWork(Station& station, const std::string& item) {
  auto id = storage::ParseWorkItemId(item);
  if (!id) return std::unexpected(id.error());
  return station.queue().Get(*id);
}

}  // namespace dossier::app
