#include "server/api.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <charconv>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <set>
#include <mutex>
#include <thread>

#include "app/capture.h"
#include "app/custody.h"
#include "app/dashboard.h"
#include "app/documents.h"
#include "app/governance.h"
#include "app/json.h"
#include "app/loans.h"
#include "app/pages.h"
#include "app/queue.h"
#include "app/records.h"
#include "app/session.h"
#include "app/station.h"
#include "core/file_util.h"
#include "core/json_text.h"
#include "governance/policy.h"
#include "server/openapi.h"

namespace dossier::server {
namespace {

using nlohmann::json;
using Params = std::map<std::string, std::string>;

template <typename T>
json ToJ(const T& value) {
  return ::dossier::json::ToJson(value);
}

constexpr const char* kCookie = "dossier_session";

std::string Hex(const unsigned char* data, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 15]);
  }
  return out;
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  return Hex(buf.data(), buf.size());
}

bool ConstantTimeEqual(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

HttpResponse JsonResponse(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = DumpJson(body);
  return r;
}

// The HTTP status and stable code of an application error.
std::pair<int, std::string> StatusOf(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kCorruptInput:
    case ErrorCode::kUnsupported:
      return {422, "unprocessable"};
    case ErrorCode::kNotFound:
      return {404, "not_found"};
    case ErrorCode::kConflict:
      return {409, "conflict"};
    case ErrorCode::kPermissionDenied:
      return {403, "permission_denied"};
    default:
      return {500, "internal"};
  }
}

// A request the route refuses before calling the application.
struct Refusal {
  int status;
  std::string code;
  std::string message;
};

struct Job {
  std::string id;
  std::string user;
  app::Principal principal;
  std::string customer;
  std::string type;
  std::string name;       // the uploaded file's name
  std::filesystem::path file;
  std::string state = "queued";  // queued|running|done|failed
  int pages = 0;
  json report;
  // With ApiOptions::queue_uploads: the work item (W000001) the upload
  // became once queued; the job then follows it.
  std::string work_item;
  int version = 0;  // counts changes, for the job's event streams
  bool Over() const { return state != "queued" && state != "running"; }
};

json JobJson(const Job& j) {
  json out{{"job", j.id}, {"state", j.state}, {"name", j.name},
           {"customer", j.customer}, {"pages", j.pages}, {"report", j.report}};
  if (!j.work_item.empty()) out["work_item"] = j.work_item;
  return out;
}

// A queued upload's job as its work item stands: queued and running as
// they are, done with the documents the worker filed (failed if one of
// them failed), failed with the worker's reason.
void FollowItem(const storage::WorkItem& item, Job& job) {
  if (item.state == "queued" || item.state == "running") {
    job.state = item.state;
    return;
  }
  if (item.state == "failed") {
    job.state = "failed";
    job.report = json{{"error", item.error}};
    return;
  }
  const json result = json::parse(item.result, nullptr, /*allow_exceptions=*/false);
  json docs = json::array();
  int failed = 0;
  if (result.is_object() && result["documents"].is_array()) {
    for (const json& d : result["documents"]) {
      const bool duplicate = d.value("duplicate", false);
      json one{{"stored", d.contains("document") && !duplicate},
               {"duplicate", duplicate},
               {"warnings", json::array()}};
      if (d.contains("document")) one["document"] = d["document"];
      if (d.contains("error")) {
        one["error"] = d["error"];
        ++failed;
      }
      docs.push_back(std::move(one));
    }
  }
  job.pages = result.is_object() ? result.value("pages", 0) : 0;
  job.report = json{{"documents", docs}, {"pages", job.pages}};
  job.state = failed > 0 ? "failed" : "done";
}

class JobEvents;

}  // namespace

struct Api::Impl {
  ApiOptions options;
  std::string key;  // CSRF key (binary, crypto_generichash_KEYBYTES)
  std::filesystem::path uploads;  // ARCHIVE/uploads
  int instance = 0;

  std::mutex sessions_mu;
  std::map<std::string, std::chrono::steady_clock::time_point> last_seen;

  std::mutex jobs_mu;
  std::condition_variable jobs_cv;
  std::map<std::string, Job> jobs;
  std::deque<std::string> queue;
  // Jobs whose upload is on the work queue and not over (queue_uploads).
  std::set<std::string> following;
  bool stopping = false;
  bool paused = false;  // !ApiOptions::start_jobs until StartJobs
  int running = 0;
  std::thread worker;
  // Each job's open event streams (GET /api/jobs/{id}/events), under jobs_mu.
  std::map<std::string, std::vector<std::weak_ptr<JobEvents>>> watchers;
  std::atomic<int> open_streams{0};
  // Tells a job's streams it changed. REQUIRES: jobs_mu not held.
  void Publish(const std::string& id);

  app::Station& StationForThread();
  std::string Csrf(const std::string& token) const {
    unsigned char out[32];
    crypto_generichash(out, sizeof out,
                       reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(),
                       reinterpret_cast<const unsigned char*>(key.data()),
                       key.size());
    return Hex(out, sizeof out);
  }
  void SaveJob(const Job& job);
  void RunJobs();
  // Brings the followed jobs up to date with their work items.
  // REQUIRES: jobs_mu not held.
  void FollowQueued(app::Station& station);
};

namespace {

// The Server-Sent Events of one upload job: the job's state as an event
// named `progress` whenever it changed (state, pages done), and, once it is
// over, the job with its report as `end`, after which the stream ends. No
// thread waits: a stream that has sent the current state keeps its
// deliver until Publish is told of a change. Its state is guarded by the
// API's jobs_mu.
class JobEvents : public BodyStream {
 public:
  JobEvents(Api::Impl& api, std::string job) : api_(api), job_(std::move(job)) {
    ++api_.open_streams;
  }
  ~JobEvents() override { --api_.open_streams; }

  void Next(Deliver deliver) override {
    std::optional<std::string> piece;
    {
      std::lock_guard lock(api_.jobs_mu);
      if (cancelled_) return;
      if (!TakeLocked(piece)) {
        pending_ = std::move(deliver);
        return;
      }
    }
    deliver(std::move(piece));
  }

  void Cancel() override {
    std::lock_guard lock(api_.jobs_mu);
    cancelled_ = true;
    pending_ = nullptr;
  }

  // An SSE comment, which EventSource ignores.
  std::string Heartbeat() const override { return ": keep-alive\n\n"; }

  // What Publish hands on: the waiting deliver and the piece for it, when
  // the job changed. REQUIRES: jobs_mu held.
  bool WakeLocked(Deliver& deliver, std::optional<std::string>& piece) {
    if (!pending_ || cancelled_ || !TakeLocked(piece)) return false;
    deliver = std::exchange(pending_, nullptr);
    return true;
  }

 private:
  // The next piece, if there is one now. REQUIRES: jobs_mu held.
  bool TakeLocked(std::optional<std::string>& piece) {
    if (ended_) {
      piece.reset();
      return true;
    }
    auto it = api_.jobs.find(job_);
    if (it == api_.jobs.end()) {
      ended_ = true;
      piece.reset();
      return true;
    }
    const Job& j = it->second;
    if (j.version == sent_) return false;
    sent_ = j.version;
    if (j.Over()) ended_ = true;
    piece = fmt::format("event: {}\nid: {}\ndata: {}\n\n", j.Over() ? "end" : "progress",
                        j.version, DumpJson(JobJson(j)));
    return true;
  }

  Api::Impl& api_;
  std::string job_;
  int sent_ = -1;
  bool ended_ = false;
  bool cancelled_ = false;
  Deliver pending_;
};

}  // namespace

void Api::Impl::Publish(const std::string& id) {
  std::vector<std::pair<BodyStream::Deliver, std::optional<std::string>>> out;
  {
    std::lock_guard lock(jobs_mu);
    auto it = watchers.find(id);
    if (it == watchers.end()) return;
    auto& list = it->second;
    std::erase_if(list, [](const std::weak_ptr<JobEvents>& w) { return w.expired(); });
    for (const auto& weak : list) {
      auto stream = weak.lock();
      if (!stream) continue;
      BodyStream::Deliver deliver;
      std::optional<std::string> piece;
      if (stream->WakeLocked(deliver, piece)) out.emplace_back(std::move(deliver), std::move(piece));
    }
    if (list.empty()) watchers.erase(it);
  }
  for (auto& [deliver, piece] : out) deliver(std::move(piece));
}

namespace {

struct Ctx {
  HttpRequest& req;
  Params params;
  app::Station& station;
  app::Caller caller;
  std::string token;
  Api::Impl& api;
  json body = json::object();
};

using Fn = std::function<HttpResponse(Ctx&)>;

struct Route {
  RouteInfo info;
  bool is_public = false;
  Fn fn;
};

// --- Helpers for handlers ---------------------------------------------------

HttpResponse Fail(const Error& e) {
  auto [status, code] = StatusOf(e);
  return Api::Error(status, code, e.message);
}

// The upload job {id} if the caller may see it: their own, or any with
// user.manage; kNotFound otherwise, as for a job that does not exist.
// REQUIRES: c.api.jobs_mu held.
Result<const Job*> VisibleJob(Ctx& c) {
  auto it = c.api.jobs.find(c.params["id"]);
  if (it == c.api.jobs.end() ||
      (it->second.user != c.caller.principal.user &&
       !governance::Holds(c.caller.principal, "user.manage"))) {
    return MakeError(ErrorCode::kNotFound, fmt::format("no upload job {}", c.params["id"]));
  }
  return &it->second;
}

template <typename T>
HttpResponse Reply(const Result<T>& r, int status = 200) {
  if (!r) return Fail(r.error());
  return JsonResponse(status, ToJ(*r));
}

// r's value as the one member `key` of an object ({"key": ...}), or r's
// error.
template <typename T>
HttpResponse ReplyUnder(const char* key, const Result<T>& r) {
  if (!r) return Fail(r.error());
  return JsonResponse(200, json{{key, ToJ(*r)}});
}

std::string Str(const json& body, const std::string& key, bool required = false) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) throw Refusal{422, "unprocessable", fmt::format("'{}' is required", key)};
    return "";
  }
  if (!it->is_string()) {
    throw Refusal{422, "unprocessable", fmt::format("'{}' must be a string", key)};
  }
  return it->get<std::string>();
}

bool Bool(const json& body, const std::string& key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) {
    throw Refusal{422, "unprocessable", fmt::format("'{}' must be true or false", key)};
  }
  return it->get<bool>();
}

int Int(const json& body, const std::string& key, int fallback) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) {
    throw Refusal{422, "unprocessable", fmt::format("'{}' must be an integer", key)};
  }
  const auto v = it->get<long long>();
  if (v < INT32_MIN || v > INT32_MAX) {
    throw Refusal{422, "unprocessable", fmt::format("'{}' is out of range", key)};
  }
  return static_cast<int>(v);
}

int QueryInt(const HttpRequest& req, const std::string& name, int fallback,
             int lo, int hi) {
  auto v = req.Query(name);
  if (!v || v->empty()) return fallback;
  int out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < lo || out > hi) {
    throw Refusal{422, "unprocessable",
                  fmt::format("'{}' must be a number from {} to {}", name, lo, hi)};
  }
  return out;
}

int ParamInt(const Params& params, const std::string& name) {
  const std::string& v = params.at(name);
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < 1) {
    throw Refusal{404, "not_found", fmt::format("no page '{}'", v)};
  }
  return out;
}

std::string Q(const HttpRequest& req, const std::string& name) {
  return req.Query(name).value_or("");
}

std::string CookieHeader(const HttpRequest&, const std::string& value,
                         int max_age, bool secure) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
                     kCookie, value, max_age, secure ? "; Secure" : "");
}

json PrincipalJson(app::Station& station, const app::Principal& who,
                   const std::string& csrf) {
  json permissions = json::array();
  for (const auto& p : governance::Permissions()) {
    if (governance::Holds(who, p.name)) permissions.push_back(std::string(p.name));
  }
  return json{{"user", who.user},
              {"roles", who.roles},
              {"permissions", permissions},
              {"csrf", csrf},
              {"zone", station.Zone().name()}};
}

HttpResponse FileResponse(const std::filesystem::path& file,
                          const std::string& content_type,
                          const std::string& download_name, bool temporary) {
  HttpResponse r;
  r.content_type = content_type;
  r.file = file;
  r.delete_file_after = temporary;
  if (!download_name.empty()) {
    r.Set("Content-Disposition",
          fmt::format("attachment; filename=\"{}\"", download_name));
  }
  return r;
}

// --- The routes ---------------------------------------------------------------

std::vector<Route> BuildRoutes() {
  std::vector<Route> routes;
  auto add = [&](std::string method, std::string pattern, std::string op, Fn fn,
                 bool is_public = false) {
    routes.push_back(Route{{std::move(method), std::move(pattern), std::move(op)},
                           is_public, std::move(fn)});
  };

  add("GET", "/api/health", "", [](Ctx&) {
    return JsonResponse(200, json{{"ok", true}});
  }, true);
  add("GET", "/api/openapi.json", "", [](Ctx&) {
    HttpResponse r;
    r.body = OpenApiDocument();
    return r;
  }, true);

  // Sessions. Login is public; its outcome is logged by app::Login.
  add("POST", "/api/login", "session.login", [](Ctx& c) {
    const std::string user = Str(c.body, "user", true);
    const std::string password = Str(c.body, "password", true);
    auto login = app::Login(c.station, c.caller.channel, user, password,
                            c.api.options.session_hours);
    if (!login) {
      const auto& e = login.error();
      if (e.code == ErrorCode::kPermissionDenied) {
        const bool locked = e.message.find("locked") != std::string::npos;
        return Api::Error(locked ? 429 : 401,
                          locked ? "too_many_requests" : "unauthenticated",
                          e.message);
      }
      return Fail(e);
    }
    const std::string& token = login->session.token;
    {
      std::lock_guard lock(c.api.sessions_mu);
      c.api.last_seen[token] = std::chrono::steady_clock::now();
    }
    app::Principal who{login->user.name, login->user.roles, false, "session", "http"};
    json body = PrincipalJson(c.station, who, c.api.Csrf(token));
    body["expires_at"] = login->session.expires_at;
    HttpResponse r = JsonResponse(200, body);
    r.Set("Set-Cookie", CookieHeader(c.req, token, c.api.options.session_hours * 3600,
                                     c.req.secure));
    return r;
  }, true);
  add("POST", "/api/logout", "session.logout", [](Ctx& c) {
    auto s = app::Logout(c.station, c.caller, c.token);
    if (!s) return Fail(s.error());
    {
      std::lock_guard lock(c.api.sessions_mu);
      c.api.last_seen.erase(c.token);
    }
    HttpResponse r;
    r.status = 204;
    r.content_type.clear();
    r.Set("Set-Cookie", CookieHeader(c.req, "", 0, c.req.secure));
    return r;
  });
  add("GET", "/api/me", "session.whoami", [](Ctx& c) {
    json body;
    auto r = app::Run(c.station, c.caller, "session.whoami", [&]() -> Result<int> {
      body = PrincipalJson(c.station, c.caller.principal, c.api.Csrf(c.token));
      return 0;
    });
    if (!r) return Fail(r.error());
    return JsonResponse(200, body);
  });
  add("GET", "/api/dashboard", "dashboard.show", [](Ctx& c) {
    auto d = app::ShowDashboard(c.station, c.caller);
    if (!d) return Fail(d.error());
    auto opt = [](const std::optional<std::int64_t>& v) {
      return v ? json(*v) : json(nullptr);
    };
    return JsonResponse(200, json{{"pending_reviews", opt(d->pending_reviews)},
                                  {"overdue_loans", opt(d->overdue_loans)},
                                  {"pending_loans", opt(d->pending_loans)},
                                  {"open_audits", opt(d->open_audits)},
                                  {"destructions_due", opt(d->destructions_due)}});
  });

  // Documents.
  add("GET", "/api/search", "document.search", [](Ctx& c) {
    app::SearchInput in;
    in.text = Q(c.req, "q");
    in.customer = Q(c.req, "customer");
    in.group = Q(c.req, "group") == "true";
    in.types = c.req.QueryAll("type");
    in.statuses = c.req.QueryAll("status");
    in.from = Q(c.req, "from");
    in.to = Q(c.req, "to");
    in.date_field = Q(c.req, "date_field");
    in.fields = c.req.QueryAll("field");
    in.limit = QueryInt(c.req, "limit", 20, 1, 500);
    return ReplyUnder("hits", app::Search(c.station, c.caller, in));
  });
  add("GET", "/api/documents/{id}", "document.show", [](Ctx& c) {
    return Reply(app::ShowDocument(c.station, c.caller, c.params["id"], false));
  });
  add("GET", "/api/documents/{id}/pages/{n}/image", "document.preview", [](Ctx& c) {
    const int page = ParamInt(c.params, "n");
    const int width = QueryInt(c.req, "width", 1200, 80, 2400);
    auto file = app::PagePreview(c.station, c.caller, c.params["id"], page, width);
    if (!file) return Fail(file.error());
    HttpResponse r = FileResponse(*file, "image/png", "", false);
    // The image of a stored page never changes (a new PDF is a new name).
    r.Set("Cache-Control", "private, max-age=86400");
    return r;
  });
  add("GET", "/api/documents/{id}/pages/{n}/hits", "document.hits", [](Ctx& c) {
    const int page = ParamInt(c.params, "n");
    auto hits = app::FindOnPage(c.station, c.caller, c.params["id"], page, Q(c.req, "q"));
    if (!hits) return Fail(hits.error());
    json boxes = json::array();
    for (const auto& b : hits->boxes) {
      boxes.push_back(json{{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}, {"text", b.text}});
    }
    return JsonResponse(200, json{{"width", hits->width}, {"height", hits->height},
                                  {"boxes", boxes}});
  });
  add("GET", "/api/documents/{id}/pdf", "document.export", [](Ctx& c) {
    // Outside the archive (an export never writes into it); removed once sent.
    const auto dir = std::filesystem::temp_directory_path();
    app::ExportInput in;
    in.document = c.params["id"];
    in.to = dir / fmt::format("dossier-download-{}.pdf", RandomHex(8));
    auto out = app::Export(c.station, c.caller, in);
    if (!out) return Fail(out.error());
    return FileResponse(out->written, "application/pdf",
                        out->document.display_id + ".pdf", true);
  });
  add("GET", "/api/documents/{id}/history", "record.history", [](Ctx& c) {
    return ReplyUnder("history", app::History(c.station, c.caller, c.params["id"]));
  });

  // Customer files.
  add("GET", "/api/customers", "customer.list", [](Ctx& c) {
    return ReplyUnder("customers", app::ListCustomers(c.station, c.caller, Q(c.req, "group"),
                                                      Q(c.req, "name")));
  });
  add("GET", "/api/customers/{code}", "customer.show", [](Ctx& c) {
    return Reply(app::ShowCustomer(c.station, c.caller, c.params["code"]));
  });

  // Review.
  add("GET", "/api/review", "review.list", [](Ctx& c) {
    const std::string status = c.req.Query("status").value_or("pending");
    return ReplyUnder("documents", app::ReviewQueue(c.station, c.caller, status));
  });
  add("GET", "/api/review/{id}", "review.show", [](Ctx& c) {
    return Reply(app::ShowReview(c.station, c.caller, c.params["id"], 60.f));
  });
  add("POST", "/api/review/{id}/approve", "review.approve", [](Ctx& c) {
    return Reply(app::ApproveDocument(c.station, c.caller, c.params["id"]));
  });
  add("POST", "/api/review/{id}/reject", "review.reject", [](Ctx& c) {
    return Reply(app::RejectDocument(c.station, c.caller, c.params["id"],
                                     Str(c.body, "reason", true)));
  });
  add("POST", "/api/review/{id}/fields", "review.correct", [](Ctx& c) {
    const std::string name = Str(c.body, "name", true);
    std::optional<std::string> value;
    if (c.body.contains("value") && !c.body["value"].is_null()) value = Str(c.body, "value");
    auto stored = app::CorrectField(c.station, c.caller, c.params["id"], name, value);
    if (!stored) return Fail(stored.error());
    return JsonResponse(200, json{{"name", name},
                                  {"value", *stored ? json(**stored) : json(nullptr)}});
  });

  // Loans.
  add("GET", "/api/loans", "loan.list", [](Ctx& c) {
    const std::string state = c.req.Query("state").value_or("open");
    Result<std::vector<storage::Loan>> loans =
        state == "overdue" ? app::OverdueLoans(c.station, c.caller, "")
                           : app::ListLoans(c.station, c.caller, state == "all" ? "" : state);
    return ReplyUnder("loans", loans);
  });
  add("POST", "/api/loans", "loan.request", [](Ctx& c) {
    app::LoanInput in;
    in.item = Str(c.body, "item", true);
    in.purpose = Str(c.body, "purpose", true);
    in.recipient = Str(c.body, "recipient");
    in.external = Bool(c.body, "external");
    in.electronic = Bool(c.body, "electronic");
    in.due_date = Str(c.body, "due_date");
    return Reply(app::RequestLoan(c.station, c.caller, in), 201);
  });
  add("POST", "/api/loans/{id}/approve", "loan.approve", [](Ctx& c) {
    return Reply(app::ApproveLoan(c.station, c.caller, c.params["id"], Str(c.body, "note")));
  });
  add("POST", "/api/loans/{id}/reject", "loan.reject", [](Ctx& c) {
    return Reply(app::RejectLoan(c.station, c.caller, c.params["id"], Str(c.body, "note")));
  });
  add("POST", "/api/loans/{id}/checkout", "loan.checkout", [](Ctx& c) {
    return Reply(app::CheckoutLoan(c.station, c.caller, c.params["id"],
                                   Str(c.body, "barcode", true), {}));
  });
  add("POST", "/api/loans/{id}/return", "loan.return", [](Ctx& c) {
    app::ReturnInput in;
    in.loan = c.params["id"];
    in.barcode = Str(c.body, "barcode", true);
    in.pages_counted = Int(c.body, "pages_counted", -1);
    in.condition = Str(c.body, "condition");
    return Reply(app::ReturnLoan(c.station, c.caller, in));
  });

  // Originals and locations.
  add("GET", "/api/locations", "location.list", [](Ctx& c) {
    return ReplyUnder("locations",
                      app::ListLocations(c.station, c.caller, Q(c.req, "under"), false));
  });
  add("GET", "/api/where", "original.where", [](Ctx& c) {
    return ReplyUnder("originals", app::Where(c.station, c.caller, Q(c.req, "item")));
  });

  // Cabinet audits.
  auto audit_json = [](const app::AuditResult& a) {
    return json{{"audit", ToJ(a.audit)}, {"lines", ToJ(a.lines)}};
  };
  add("POST", "/api/audits", "audit.start", [](Ctx& c) {
    return Reply(app::StartAudit(c.station, c.caller, Str(c.body, "location", true)), 201);
  });
  add("GET", "/api/audits/{id}", "audit.report", [audit_json](Ctx& c) {
    auto a = app::AuditReport(c.station, c.caller, c.params["id"], {});
    if (!a) return Fail(a.error());
    return JsonResponse(200, audit_json(*a));
  });
  add("POST", "/api/audits/{id}/scans", "audit.scan", [](Ctx& c) {
    auto it = c.body.find("barcodes");
    if (it == c.body.end() || !it->is_array()) {
      throw Refusal{422, "unprocessable", "'barcodes' must be a list of strings"};
    }
    std::vector<std::string> lines;
    for (const auto& b : *it) {
      if (!b.is_string()) throw Refusal{422, "unprocessable", "'barcodes' must be a list of strings"};
      lines.push_back(b.get<std::string>());
    }
    app::AuditScanInput in;
    in.audit = c.params["id"];
    in.batches.emplace_back("http", std::move(lines));
    auto r = app::AddAuditScans(c.station, c.caller, in);
    if (!r) return Fail(r.error());
    return JsonResponse(200, json{{"total", json{{"items", r->total.items},
                                                 {"contexts", r->total.contexts},
                                                 {"ignored", r->total.ignored}}}});
  });
  add("POST", "/api/audits/{id}/close", "audit.close", [audit_json](Ctx& c) {
    auto a = app::CloseAudit(c.station, c.caller, c.params["id"], {});
    if (!a) return Fail(a.error());
    return JsonResponse(200, audit_json(*a));
  });
  add("GET", "/api/audits/{id}/report.pdf", "audit.report", [](Ctx& c) {
    const auto dir = std::filesystem::temp_directory_path() / ("dossier-audit-" + RandomHex(8));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    auto a = app::AuditReport(c.station, c.caller, c.params["id"], dir);
    if (!a) return Fail(a.error());
    auto pdf = a->report_base;
    pdf += ".pdf";
    auto bytes = ReadFile(pdf);
    std::filesystem::remove_all(dir, ec);
    if (!bytes) return Fail(bytes.error());
    HttpResponse r;
    r.content_type = "application/pdf";
    r.body = std::move(*bytes);
    r.Set("Content-Disposition",
          fmt::format("attachment; filename=\"{}.pdf\"", a->audit.display_id));
    return r;
  });

  // Records management.
  add("GET", "/api/retention/due", "retention.due", [](Ctx& c) {
    return ReplyUnder("due",
                      app::RetentionDue(c.station, c.caller, "", Q(c.req, "all") == "true"));
  });
  add("GET", "/api/holds", "hold.list", [](Ctx& c) {
    return ReplyUnder("holds", app::ListHolds(c.station, c.caller, Q(c.req, "all") != "true"));
  });
  add("GET", "/api/destruction", "destroy.show", [](Ctx& c) {
    return ReplyUnder("batches", app::ShowDestruction(c.station, c.caller, Q(c.req, "batch")));
  });
  add("POST", "/api/destruction/{id}/approve", "destroy.approve", [](Ctx& c) {
    auto r = app::ApproveDestruction(c.station, c.caller, c.params["id"], "");
    if (!r) return Fail(r.error());
    return JsonResponse(200, json{{"batch", ToJ(r->batch)},
                                  {"certificate", r->certificate.filename().string()}});
  });
  add("GET", "/api/log", "log.show", [](Ctx& c) {
    storage::LogFilter filter;
    filter.user = Q(c.req, "user");
    filter.record = Q(c.req, "record");
    filter.since = Q(c.req, "since");
    filter.until = Q(c.req, "until");
    const int limit = QueryInt(c.req, "limit", 200, 1, 5000);
    auto entries = app::ReadLog(c.station, c.caller, filter);
    if (!entries) return Fail(entries.error());
    // Newest first, at most limit.
    std::vector<storage::LogEntry> last(entries->rbegin(),
                                        entries->rbegin() + std::min<std::size_t>(limit, entries->size()));
    return JsonResponse(200, json{{"entries", ToJ(last)}});
  });

  // Customer files: opening and contacts.
  auto values = [](const json& body) {
    app::EnteredValues v;
    auto it = body.find("values");
    if (it == body.end() || it->is_null()) return v;
    if (!it->is_object()) throw Refusal{422, "unprocessable", "'values' must be an object"};
    for (const auto& [k, val] : it->items()) {
      if (!val.is_string()) {
        throw Refusal{422, "unprocessable", fmt::format("value '{}' must be a string", k)};
      }
      v[k] = val.get<std::string>();
    }
    return v;
  };
  add("POST", "/api/customers", "customer.add", [values](Ctx& c) {
    app::NewCustomerInput in;
    in.name = Str(c.body, "name", true);
    in.kind = c.body.contains("kind") ? Str(c.body, "kind") : "company";
    in.parent = Str(c.body, "parent");
    in.values = values(c.body);
    return Reply(app::AddCustomer(c.station, c.caller, in), 201);
  });
  add("POST", "/api/customers/{code}/contacts", "customer.contact.add", [values](Ctx& c) {
    app::NewContactInput in;
    in.customer_code = c.params["code"];
    in.role = Str(c.body, "role", true);
    in.name = Str(c.body, "name", true);
    in.values = values(c.body);
    return Reply(app::AddContact(c.station, c.caller, in), 201);
  });
  add("POST", "/api/documents/{id}/refile", "document.refile", [](Ctx& c) {
    app::RefileInput in;
    in.document = c.params["id"];
    if (c.body.contains("customer")) in.customer = Str(c.body, "customer");
    if (c.body.contains("type")) in.type = Str(c.body, "type");
    if (c.body.contains("title")) in.title = Str(c.body, "title");
    in.reason = Str(c.body, "reason", true);
    auto r = app::RefileDocument(c.station, c.caller, in);
    if (!r) return Fail(r.error());
    return JsonResponse(200, json{{"before", ToJ(r->before)}, {"after", ToJ(r->after)}});
  });

  // Locations and originals.
  add("POST", "/api/locations", "location.add", [](Ctx& c) {
    storage::NewLocation in;
    in.code = Str(c.body, "code", true);
    in.kind = Str(c.body, "kind", true);
    in.parent = Str(c.body, "parent");
    in.name = Str(c.body, "name");
    in.capacity = Int(c.body, "capacity", 0);
    in.security = Str(c.body, "security");
    return Reply(app::AddLocation(c.station, c.caller, in), 201);
  });
  add("GET", "/api/locations/{code}", "location.show", [](Ctx& c) {
    auto v = app::ShowLocation(c.station, c.caller, c.params["code"]);
    if (!v) return Fail(v.error());
    return JsonResponse(200, json{{"location", ToJ(v->location)},
                                  {"originals", ToJ(v->originals)}});
  });
  add("POST", "/api/originals", "original.register", [](Ctx& c) {
    app::RegisterInput in;
    in.item = Str(c.body, "item", true);
    in.location = Str(c.body, "location", true);
    in.page_count = Int(c.body, "page_count", -1);
    return Reply(app::RegisterOriginal(c.station, c.caller, in), 201);
  });
  add("GET", "/api/originals/{barcode}", "original.show", [](Ctx& c) {
    return Reply(app::ShowOriginal(c.station, c.caller, c.params["barcode"]));
  });
  add("POST", "/api/originals/move", "original.move", [](Ctx& c) {
    app::MoveInput in;
    auto it = c.body.find("barcodes");
    if (it == c.body.end() || !it->is_array()) {
      throw Refusal{422, "unprocessable", "'barcodes' must be a list of strings"};
    }
    for (const auto& b : *it) {
      if (!b.is_string()) throw Refusal{422, "unprocessable", "'barcodes' must be a list of strings"};
      in.barcodes.push_back(b.get<std::string>());
    }
    in.to = Str(c.body, "to", true);
    in.reason = Str(c.body, "reason");
    in.dry_run = Bool(c.body, "dry_run");
    auto r = app::MoveOriginals(c.station, c.caller, in);
    if (!r) return Fail(r.error());
    json problems = json::array();
    for (const auto& p : r->problems) problems.push_back(json{{"barcode", p.barcode}, {"problem", p.problem}});
    return JsonResponse(200, json{{"moved", r->outcome.moved},
                                  {"already_there", r->outcome.already_there},
                                  {"problems", problems}});
  });
  add("POST", "/api/labels", "label.print", [](Ctx& c) {
    app::LabelInput in;
    if (auto it = c.body.find("originals"); it != c.body.end() && it->is_array()) {
      for (const auto& b : *it) {
        if (!b.is_string()) throw Refusal{422, "unprocessable", "'originals' must be a list of strings"};
        in.originals.push_back(b.get<std::string>());
      }
    }
    in.at = Str(c.body, "at");
    if (auto it = c.body.find("locations"); it != c.body.end() && it->is_array()) {
      for (const auto& b : *it) {
        if (!b.is_string()) throw Refusal{422, "unprocessable", "'locations' must be a list of strings"};
        in.locations.push_back(b.get<std::string>());
      }
    }
    if (c.body.contains("stock")) in.stock = Str(c.body, "stock");
    in.qr = Bool(c.body, "qr");
    in.skip = Int(c.body, "skip", 0);
    in.out = std::filesystem::temp_directory_path() /
             fmt::format("dossier-labels-{}.pdf", RandomHex(8));
    auto r = app::PrintLabels(c.station, c.caller, in);
    if (!r) return Fail(r.error());
    return FileResponse(r->written, "application/pdf", "labels.pdf", true);
  });

  // More of loans and audits.
  add("POST", "/api/loans/{id}/renew", "loan.renew", [](Ctx& c) {
    return Reply(app::RenewLoan(c.station, c.caller, c.params["id"], Str(c.body, "due_date", true)));
  });
  add("POST", "/api/loans/{id}/resolve", "loan.resolve", [](Ctx& c) {
    return Reply(app::ResolveReturn(c.station, c.caller, c.params["id"], Str(c.body, "note", true)));
  });
  // The work queue of `dossier worker` (app/queue.h).
  add("GET", "/api/work", "queue.list", [](Ctx& c) {
    return ReplyUnder("items", app::ListWork(c.station, c.caller, Q(c.req, "state"),
                                             QueryInt(c.req, "limit", 50, 1, 1000)));
  });
  add("GET", "/api/work/{id}", "queue.list", [](Ctx& c) {
    return Reply(app::ShowWork(c.station, c.caller, c.params["id"]));
  });
  add("GET", "/api/audits", "audit.history", [](Ctx& c) {
    return ReplyUnder("audits", app::AuditHistory(c.station, c.caller, Q(c.req, "location")));
  });
  add("POST", "/api/audits/{id}/apply-moves", "audit.apply-moves", [](Ctx& c) {
    auto r = app::ApplyAuditMoves(c.station, c.caller, c.params["id"]);
    if (!r) return Fail(r.error());
    return JsonResponse(200, json{{"moved", r->moved}, {"already_there", r->already_there}});
  });

  // More of records management.
  add("POST", "/api/holds", "hold.add", [](Ctx& c) {
    return Reply(app::AddHold(c.station, c.caller, Str(c.body, "target", true),
                              Str(c.body, "reason", true)), 201);
  });
  add("POST", "/api/holds/{id}/release", "hold.release", [](Ctx& c) {
    return Reply(app::ReleaseHold(c.station, c.caller, c.params["id"], Str(c.body, "reason", true)));
  });
  add("POST", "/api/destruction", "destroy.propose", [](Ctx& c) {
    std::vector<std::string> docs;
    auto it = c.body.find("documents");
    if (it == c.body.end() || !it->is_array()) {
      throw Refusal{422, "unprocessable", "'documents' must be a list of document ids"};
    }
    for (const auto& d : *it) {
      if (!d.is_string()) throw Refusal{422, "unprocessable", "'documents' must be a list of document ids"};
      docs.push_back(d.get<std::string>());
    }
    return Reply(app::ProposeDestruction(c.station, c.caller, docs, "", Str(c.body, "reason", true)), 201);
  });
  add("POST", "/api/destruction/{id}/cancel", "destroy.cancel", [](Ctx& c) {
    return Reply(app::CancelDestruction(c.station, c.caller, c.params["id"]));
  });
  add("POST", "/api/destruction/{id}/shredding", "destroy.record-shredding", [](Ctx& c) {
    app::ShreddingInput in;
    in.batch = c.params["id"];
    in.barcode = Str(c.body, "barcode", true);
    in.witness = Str(c.body, "witness", true);
    in.at = Str(c.body, "at");
    in.method = Str(c.body, "method");
    auto r = app::RecordShredding(c.station, c.caller, in, "");
    if (!r) return Fail(r.error());
    return JsonResponse(200, json{{"batch", ToJ(r->batch)}});
  });
  add("GET", "/api/destruction/{id}/certificate.pdf", "destroy.certificate", [](Ctx& c) {
    const auto to = std::filesystem::temp_directory_path() /
                    fmt::format("dossier-certificate-{}.pdf", RandomHex(8));
    auto r = app::IssueCertificate(c.station, c.caller, c.params["id"], to, "");
    if (!r) return Fail(r.error());
    return FileResponse(r->certificate, "application/pdf", c.params["id"] + ".pdf", true);
  });

  // Uploads: the body was streamed to a file by the transport.
  add("POST", "/api/uploads", "document.ingest", [](Ctx& c) {
    if (!c.req.body_file) {
      throw Refusal{422, "unprocessable",
                    "an upload needs ?name=FILE with a .jpg, .png, .tif or .pdf name"};
    }
    Job job;
    job.id = "J" + RandomHex(8);
    job.user = c.caller.principal.user;
    job.principal = c.caller.principal;
    job.customer = Q(c.req, "customer");
    job.type = c.req.Query("type").value_or("other");
    job.name = Q(c.req, "name");
    // Checked now so a refused upload changes nothing.
    auto r = app::Run(c.station, c.caller, "document.ingest", [&]() -> Result<int> {
      if (job.customer.empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "an upload needs ?customer=CODE");
      }
      return 0;
    });
    if (!r) return Fail(r.error());
    const auto ext = std::filesystem::path(job.name).extension();
    job.file = c.api.uploads / (job.id + ext.string());
    std::error_code ec;
    std::filesystem::rename(*c.req.body_file, job.file, ec);
    if (ec) {
      return Api::Error(500, "internal",
                        fmt::format("the upload {} could not be kept: {}", job.name, ec.message()));
    }
    {
      std::lock_guard lock(c.api.jobs_mu);
      c.api.SaveJob(job);
      c.api.jobs[job.id] = job;
      c.api.queue.push_back(job.id);
    }
    c.api.jobs_cv.notify_all();
    return JsonResponse(202, json{{"job", job.id}, {"state", "queued"}});
  });
  add("GET", "/api/hotfolder", "capture.hotfolder", [](Ctx& c) {
    const auto& dir = c.api.options.hot_folder;
    if (dir.empty()) {
      // Nothing to read; still the caller's permission and a log entry.
      auto r = app::Run(c.station, c.caller, "capture.hotfolder", [] { return Result<int>(0); });
      if (!r) return Fail(r.error());
      return JsonResponse(200, json{{"configured", false}});
    }
    auto state = app::ShowHotFolder(c.station, c.caller, dir);
    if (!state) return Fail(state.error());
    auto list = [](const std::vector<pipeline::HotFolderEntry>& entries) {
      json out = json::array();
      for (const auto& e : entries) {
        out.push_back(json{{"path", e.path.generic_string()},
                           {"customer", e.customer_code.empty() ? json(nullptr) : json(e.customer_code)},
                           {"bytes", e.bytes},
                           {"modified", e.modified.empty() ? json(nullptr) : json(e.modified)},
                           {"reason", e.reason.empty() ? json(nullptr) : json(e.reason)},
                           {"link", e.link}});
      }
      return out;
    };
    return JsonResponse(200, json{{"configured", true},
                                  {"dir", dir.string()},
                                  {"waiting", list(state->waiting)},
                                  {"processing", list(state->processing)},
                                  {"failed", list(state->failed)},
                                  {"done", state->done},
                                  {"truncated", state->truncated}});
  });
  add("GET", "/api/jobs/{id}", "job.show", [](Ctx& c) {
    json body;
    auto r = app::Run(c.station, c.caller, "job.show", [&]() -> Result<int> {
      std::lock_guard lock(c.api.jobs_mu);
      auto job = VisibleJob(c);
      if (!job) return std::unexpected(job.error());
      body = JobJson(**job);
      return 0;
    });
    if (!r) return Fail(r.error());
    return JsonResponse(200, body);
  });
  // The same job followed as Server-Sent Events: the handler returns at
  // once with a stream the transport writes as the job changes.
  add("GET", "/api/jobs/{id}/events", "job.show", [](Ctx& c) {
    std::shared_ptr<JobEvents> stream;
    auto r = app::Run(c.station, c.caller, "job.show", [&]() -> Result<int> {
      std::lock_guard lock(c.api.jobs_mu);
      if (auto job = VisibleJob(c); !job) return std::unexpected(job.error());
      stream = std::make_shared<JobEvents>(c.api, c.params["id"]);
      c.api.watchers[c.params["id"]].push_back(stream);
      return 0;
    });
    if (!r) return Fail(r.error());
    HttpResponse resp;
    resp.content_type = "text/event-stream; charset=utf-8";
    resp.stream = stream;
    resp.Set("Cache-Control", "no-store");
    resp.Set("X-Accel-Buffering", "no");  // nginx passes events on at once
    return resp;
  });
  return routes;
}

const std::vector<Route>& AllRoutes() {
  static const std::vector<Route> routes = BuildRoutes();
  return routes;
}

// Matches "/api/documents/{id}" against a path; fills params.
bool Match(const std::string& pattern, const std::string& path, Params& params) {
  std::size_t i = 0, j = 0;
  while (i < pattern.size() && j <= path.size()) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i);
      const std::string name = pattern.substr(i + 1, close - i - 1);
      const auto slash = path.find('/', j);
      const auto end = slash == std::string::npos ? path.size() : slash;
      if (end == j) return false;
      // Literal text after the parameter in the same segment (".pdf").
      std::string tail;
      auto k = close + 1;
      while (k < pattern.size() && pattern[k] != '/') tail.push_back(pattern[k++]);
      std::string value = path.substr(j, end - j);
      if (!tail.empty()) {
        if (value.size() <= tail.size() ||
            value.compare(value.size() - tail.size(), tail.size(), tail) != 0) {
          return false;
        }
        value.resize(value.size() - tail.size());
      }
      params[name] = value;
      i = k;
      j = end;
      continue;
    }
    if (j >= path.size() || pattern[i] != path[j]) return false;
    ++i;
    ++j;
  }
  return i == pattern.size() && j == path.size();
}

// An id in a path: letters, digits, '-' and '_' only (record ids, codes,
// barcodes, archive numbers), so nothing in a path can name a file.
bool SafeParams(const Params& params) {
  for (const auto& [name, value] : params) {
    if (value.empty() || value.size() > 64) return false;
    for (unsigned char ch : value) {
      if (!(std::isalnum(ch) || ch == '-' || ch == '_')) return false;
    }
  }
  return true;
}

void SecurityHeaders(HttpResponse& r) {
  r.Set("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  r.Set("X-Content-Type-Options", "nosniff");
  r.Set("X-Frame-Options", "DENY");
  r.Set("Referrer-Policy", "no-referrer");
  r.Set("Cross-Origin-Opener-Policy", "same-origin");
  bool has_cache = false;
  for (const auto& [name, value] : r.headers) has_cache |= name == "Cache-Control";
  if (!has_cache) r.Set("Cache-Control", "no-store");
}

std::string ContentTypeFor(const std::filesystem::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json") return "application/json";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

HttpResponse StaticFile(const ApiOptions& options, const HttpRequest& req) {
  if (req.method != "GET" && req.method != "HEAD") {
    return Api::Error(405, "method_not_allowed", "only GET is allowed here");
  }
  std::string rel = req.path == "/" ? "index.html" : req.path.substr(1);
  for (unsigned char ch : rel) {
    if (!(std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '/')) {
      return Api::Error(404, "not_found", "no such page");
    }
  }
  if (rel.find("..") != std::string::npos || rel.find("//") != std::string::npos ||
      rel.front() == '.' || rel.front() == '/') {
    return Api::Error(404, "not_found", "no such page");
  }
  const auto file = options.web / rel;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(file, ec))) {
    return Api::Error(404, "not_found", fmt::format("no such page: /{}", rel));
  }
  HttpResponse r = FileResponse(file, ContentTypeFor(file), "", false);
  r.Set("Cache-Control", "no-cache");
  return r;
}

}  // namespace

app::Station& Api::Impl::StationForThread() {
  thread_local std::map<int, std::unique_ptr<app::Station>> stations;
  auto& slot = stations[instance];
  if (!slot) {
    auto st = app::Station::Open(options.archive);
    if (!st) throw Refusal{500, "internal", st.error().message};
    slot = std::move(*st);
  }
  return *slot;
}

void Api::Impl::SaveJob(const Job& job) {
  json meta{{"job", job.id},       {"user", job.user},
            {"roles", job.principal.roles},
            {"customer", job.customer}, {"type", job.type},
            {"name", job.name},     {"file", job.file.filename().string()},
            {"state", job.state},   {"pages", job.pages},
            {"report", job.report}, {"work_item", job.work_item}};
  (void)WriteFileAtomic(uploads / (job.id + ".json"), DumpJson(meta));
}

void Api::Impl::RunJobs() {
  std::unique_ptr<app::Station> station;
  // Models are loaded once for the server's life, not once per upload.
  ocr::EngineCache engines;
  for (;;) {
    std::string id;
    {
      std::unique_lock lock(jobs_mu);
      auto ready = [&] { return stopping || (!paused && !queue.empty()); };
      bool woken = true;
      if (following.empty()) {
        jobs_cv.wait(lock, ready);
      } else {
        woken = jobs_cv.wait_for(lock, std::chrono::seconds(1), ready);
      }
      if (!woken) {  // a second without uploads: look at the queued ones
        lock.unlock();
        if (!station) {
          auto st = app::Station::Open(options.archive);
          if (st) station = std::move(*st);
        }
        if (station) FollowQueued(*station);
        continue;
      }
      if (queue.empty() || paused) return;  // stopping
      id = queue.front();
      queue.pop_front();
      ++running;
      jobs[id].state = "running";
      ++jobs[id].version;
    }
    Publish(id);
    Job job;
    {
      std::lock_guard lock(jobs_mu);
      job = jobs[id];
    }
    json report;
    std::string state = "done";
    if (!station) {
      auto st = app::Station::Open(options.archive);
      if (st) station = std::move(*st);
    }
    if (!station) {
      state = "failed";
      report = json{{"error", "the archive cannot be opened"}};
    } else {
      app::Caller caller{job.principal, app::Channel{"http", {"POST", "/api/uploads"}}};
      app::IngestInput in;
      in.capture.customer = job.customer;
      in.capture.type = job.type;
      in.capture.title = std::filesystem::path(job.name).stem().string();
      in.capture.jobs = options.ingest_jobs;
      in.files = {job.file};
      in.shown_names = {job.name};
      in.engines = &engines;
      if (options.queue_uploads) {
        // Copied into the queue's spool; the workers do the rest.
        auto item = app::QueueIngest(*station, caller, in);
        if (!item) {
          state = "failed";
          report = json{{"error", item.error().message}};
        } else {
          state = "queued";
          std::lock_guard lock(jobs_mu);
          jobs[id].work_item = item->display_id;
          following.insert(id);
        }
      } else {
        pipeline::IngestCallbacks callbacks;
        callbacks.on_page = [&](const pipeline::PageEvent&) {
          {
            std::lock_guard lock(jobs_mu);
            ++jobs[id].pages;
            ++jobs[id].version;
          }
          Publish(id);
        };
        auto r = app::Ingest(*station, caller, in, callbacks);
        if (!r) {
          state = "failed";
          report = json{{"error", r.error().message}};
        } else {
          json docs = json::array();
          for (const auto& d : r->documents) {
            json one{{"stored", d.stored}, {"duplicate", d.duplicate}};
            if (d.stored || d.duplicate) one["document"] = d.record.display_id;
            if (d.error) one["error"] = d.error->message;
            json warnings = json::array();
            for (const auto& w : d.warnings) warnings.push_back(ToJ(w));
            one["warnings"] = warnings;
            docs.push_back(one);
          }
          report = json{{"documents", docs}, {"pages", r->pages}};
          if (r->failed() > 0) state = "failed";
        }
      }
    }
    {
      std::lock_guard lock(jobs_mu);
      Job& j = jobs[id];
      j.state = state;
      j.report = report;
      ++j.version;
      SaveJob(j);
      --running;
    }
    Publish(id);
    // The stored document (or the queue's spool) keeps its own copy; the
    // upload is done with.
    std::error_code ec;
    std::filesystem::remove(job.file, ec);
    jobs_cv.notify_all();
  }
}

void Api::Impl::FollowQueued(app::Station& station) {
  std::vector<std::pair<std::string, std::string>> followed;  // job, item
  {
    std::lock_guard lock(jobs_mu);
    for (const std::string& id : following) followed.emplace_back(id, jobs[id].work_item);
  }
  for (const auto& [id, item] : followed) {
    auto now = app::FollowWork(station, item);
    if (!now) continue;  // asked again next time (a lost connection, say)
    bool changed = false;
    {
      std::lock_guard lock(jobs_mu);
      Job& job = jobs[id];
      Job next = job;
      FollowItem(*now, next);
      if (next.state != job.state || next.pages != job.pages || next.report != job.report) {
        job.state = next.state;
        job.pages = next.pages;
        job.report = next.report;
        ++job.version;
        SaveJob(job);
        changed = true;
      }
      if (job.Over()) following.erase(id);
    }
    if (changed) Publish(id);
  }
  jobs_cv.notify_all();
}

Result<std::unique_ptr<Api>> Api::Create(ApiOptions options) {
  if (sodium_init() < 0) return MakeError(ErrorCode::kInternal, "libsodium failed to start");
  auto impl = std::make_unique<Impl>();
  static std::atomic<int> instances{0};
  impl->instance = ++instances;
  impl->options = std::move(options);
  impl->paused = !impl->options.start_jobs;
  auto station = app::Station::Open(impl->options.archive);
  if (!station) return std::unexpected(station.error());
  auto open = app::IsOpenStation(**station);
  if (!open) return std::unexpected(open.error());
  if (*open) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} has no users: the server needs a secured archive "
                                 "(create one with `dossier init --admin NAME`, or add "
                                 "a user with `dossier user add`)",
                                 impl->options.archive.string()));
  }
  const auto dir = (*station)->archive().dir();
  impl->uploads = dir / "uploads";
  std::error_code ec;
  std::filesystem::create_directories(impl->uploads, ec);
  std::filesystem::permissions(impl->uploads, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  // The CSRF key, kept with the archive so tokens survive a restart.
  const auto key_file = dir / "server.key";
  auto key = ReadFile(key_file);
  if (!key || key->size() != crypto_generichash_KEYBYTES) {
    std::string fresh(crypto_generichash_KEYBYTES, '\0');
    randombytes_buf(fresh.data(), fresh.size());
    if (auto s = WriteFileAtomic(key_file, fresh); !s) return std::unexpected(s.error());
    std::filesystem::permissions(key_file,
                                 std::filesystem::perms::owner_read |
                                     std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ec);
    key = fresh;
  }
  impl->key = *key;
  // Uploads a previous run accepted but did not finish are ingested again.
  for (const auto& entry : std::filesystem::directory_iterator(impl->uploads, ec)) {
    if (entry.path().extension() != ".json") continue;
    auto text = ReadFile(entry.path());
    if (!text) continue;
    json meta = json::parse(*text, nullptr, false);
    if (!meta.is_object()) continue;
    Job job;
    job.id = meta.value("job", "");
    job.user = meta.value("user", "");
    job.principal = app::Principal{job.user, meta.value("roles", std::vector<std::string>{}),
                                   false, "session", "http"};
    job.customer = meta.value("customer", "");
    job.type = meta.value("type", "other");
    job.name = meta.value("name", "");
    job.file = impl->uploads / meta.value("file", "");
    job.state = meta.value("state", "queued");
    job.pages = meta.value("pages", 0);
    job.report = meta.value("report", json());
    job.work_item = meta.value("work_item", "");
    if (job.id.empty()) continue;
    if (!job.work_item.empty() && !job.Over()) {
      // On the work queue already: followed, never queued twice.
      impl->following.insert(job.id);
    } else if (job.state == "queued" || job.state == "running") {
      job.state = "queued";
      job.pages = 0;
      impl->queue.push_back(job.id);
    }
    impl->jobs[job.id] = job;
  }
  // The start is in the access log, under the server's own name.
  app::Caller system{app::Principal{"system:server", {}, false, "system", "http"},
                     app::Channel{"http", {"serve"}}};
  auto logged = app::Run(**station, system, "server.start", [] { return Result<int>(0); });
  if (!logged) return std::unexpected(logged.error());
  Impl* raw = impl.get();
  impl->worker = std::thread([raw] { raw->RunJobs(); });
  return std::unique_ptr<Api>(new Api(std::move(impl)));
}

Api::Api(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Api::~Api() {
  {
    std::lock_guard lock(impl_->jobs_mu);
    impl_->stopping = true;
  }
  impl_->jobs_cv.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
}

void Api::StartJobs() {
  {
    std::lock_guard lock(impl_->jobs_mu);
    impl_->paused = false;
  }
  impl_->jobs_cv.notify_all();
}

int Api::OpenStreams() const { return impl_->open_streams.load(); }

void Api::Drain() {
  std::unique_lock lock(impl_->jobs_mu);
  impl_->jobs_cv.wait(lock, [&] { return impl_->queue.empty() && impl_->running == 0; });
}

HttpResponse Api::Error(int status, const std::string& code, const std::string& message) {
  HttpResponse r = JsonResponse(status, json{{"error", {{"code", code}, {"message", message}}}});
  SecurityHeaders(r);
  return r;
}

std::vector<RouteInfo> Api::Routes() {
  std::vector<RouteInfo> out;
  for (const auto& r : AllRoutes()) out.push_back(r.info);
  return out;
}

std::filesystem::path Api::UploadFile(const HttpRequest& request) {
  if (request.method != "POST" || request.path != "/api/uploads") return {};
  // Only for a caller who holds a session and its CSRF token: nobody else
  // gets a body stored. The session itself is checked by the handler.
  auto token = request.Cookie(kCookie);
  if (!token || !ConstantTimeEqual(request.Header("x-csrf-token"), impl_->Csrf(*token))) {
    return {};
  }
  const auto ext = std::filesystem::path(request.Query("name").value_or("")).extension().string();
  std::string lower;
  for (char ch : ext) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  static const std::vector<std::string> kAccepted = {".jpg", ".jpeg", ".png", ".tif",
                                                     ".tiff", ".pdf"};
  if (std::find(kAccepted.begin(), kAccepted.end(), lower) == kAccepted.end()) return {};
  return impl_->uploads / ("incoming-" + RandomHex(12) + ".part");
}

HttpResponse Api::Handle(HttpRequest& req) {
  HttpResponse response;
  if (impl_->options.behind_proxy && req.Header("x-forwarded-proto") == "https") {
    req.secure = true;
  }
  try {
    if (req.path.rfind("/api/", 0) != 0) {
      response = StaticFile(impl_->options, req);
    } else {
      const Route* route = nullptr;
      Params params;
      bool path_known = false;
      for (const auto& r : AllRoutes()) {
        Params p;
        if (!Match(r.info.pattern, req.path, p)) continue;
        path_known = true;
        if (r.info.method == req.method || (r.info.method == "GET" && req.method == "HEAD")) {
          route = &r;
          params = std::move(p);
          break;
        }
      }
      if (!route) {
        response = path_known ? Api::Error(405, "method_not_allowed",
                                           fmt::format("{} is not allowed on {}", req.method, req.path))
                              : Api::Error(404, "not_found",
                                           fmt::format("no API route {}", req.path));
      } else if (!SafeParams(params)) {
        response = Api::Error(404, "not_found", "no such record");
      } else {
        app::Station& station = impl_->StationForThread();
        app::Channel channel{"http", app::Redact({req.method, req.target})};
        Ctx ctx{req, std::move(params), station, app::Caller{{}, channel}, "", *impl_};
        const bool changes = req.method != "GET" && req.method != "HEAD";
        // Checks of the request itself; a refusal after authentication is
        // logged like any other outcome.
        auto prepare = [&] {
          const auto origin = req.Header("origin");
          if (changes && !origin.empty()) {
            const auto host = req.Header("host");
            if (origin != "http://" + host && origin != "https://" + host) {
              throw Refusal{403, "csrf", "the request came from another origin"};
            }
          }
          if (changes && !req.body.empty()) {
            const auto type = req.Header("content-type");
            if (type.rfind("application/json", 0) != 0) {
              throw Refusal{415, "unsupported_media_type",
                            "the request body must be application/json"};
            }
            ctx.body = json::parse(req.body, nullptr, false);
            if (ctx.body.is_discarded() || !ctx.body.is_object()) {
              throw Refusal{400, "bad_request", "the request body is not a JSON object"};
            }
          }
        };
        if (route->is_public) {
          ctx.caller.principal = app::Principal{"", {}, false, "", "http"};
          prepare();
          response = route->fn(ctx);
        } else {
          auto token = req.Cookie(kCookie);
          if (token) {
            // Idle sessions end here, before they are used.
            std::lock_guard lock(impl_->sessions_mu);
            const auto now = std::chrono::steady_clock::now();
            auto it = impl_->last_seen.find(*token);
            if (it != impl_->last_seen.end() && now - it->second > impl_->options.idle_timeout) {
              (void)station.access().EndSession(*token);
              impl_->last_seen.erase(it);
            } else {
              impl_->last_seen[*token] = now;
            }
          }
          app::Credentials creds;
          creds.session = token;
          auto who = app::Authenticate(station, creds, channel, route->info.operation);
          if (!who) {
            response = Api::Error(401, "unauthenticated",
                                  token ? who.error().message : "not logged in: POST /api/login first");
          } else {
            who->station = "http";
            ctx.caller.principal = *who;
            ctx.token = *token;
            auto log_refusal = [&](ErrorCode code, const std::string& message) {
              (void)app::Run(station, ctx.caller, route->info.operation,
                             [&]() -> Result<int> { return MakeError(code, message); });
            };
            try {
              if (changes && !ConstantTimeEqual(req.Header("x-csrf-token"), impl_->Csrf(*token))) {
                throw Refusal{403, "csrf", "missing or forged CSRF token"};
              }
              prepare();
              response = route->fn(ctx);
            } catch (const Refusal& r) {
              log_refusal(r.status == 403 ? ErrorCode::kPermissionDenied
                                          : ErrorCode::kInvalidArgument,
                          r.message);
              throw;
            }
          }
        }
      }
    }
  } catch (const Refusal& r) {
    response = Api::Error(r.status, r.code, r.message);
  } catch (const std::exception& e) {
    response = Api::Error(500, "internal", "the request failed");
  }
  // An upload's body the route did not take (refused) is not kept.
  if (req.body_file) {
    std::error_code ec;
    std::filesystem::remove(*req.body_file, ec);
  }
  SecurityHeaders(response);
  return response;
}

}  // namespace dossier::server
