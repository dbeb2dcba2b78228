// The HTTP API and the web UI's files (docs/api.yaml). Every route calls
// one app/ use case, so a request meets the same permission check, masking
// and access-log entry as the same work done from the CLI; the API only
// translates JSON and query strings into those calls and results back.
//
// Sessions: POST /api/login sets the `dossier_session` cookie (HttpOnly,
// SameSite=Strict, Secure behind TLS) holding the archive's session token;
// a session ends at logout, at its absolute expiry (the archive's), or
// after idle_timeout without a request. Every state-changing request
// carries `X-CSRF-Token`, a keyed hash of the session token; a request
// from another Origin is refused.
//
// Thread safety: Handle may be called from several threads at once; each
// thread opens its own app::Station on the archive.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "server/http.h"

namespace dossier::server {

struct ApiOptions {
  std::filesystem::path archive;
  std::filesystem::path web;  // the built web UI (index.html, app.js, app.css)
  std::chrono::minutes idle_timeout{30};
  int session_hours = 8;
  // Trust X-Forwarded-Proto from a reverse proxy on loopback (docs/deploy.md)
  bool behind_proxy = false;
  int ingest_jobs = 1;  // OCR workers of an upload's ingest
  // The hot folder a `dossier watch` serves, shown on the upload screen;
  // empty: none.
  std::filesystem::path hot_folder;
  // true: an upload is put on the archive's work queue (app/queue.h) for
  // `dossier worker` processes on any station, and its job follows the
  // work item; false: the server ingests uploads itself.
  bool queue_uploads = false;
  // false: uploads are accepted and queued, but none is ingested until
  // StartJobs (tests that need a job to stay unfinished).
  bool start_jobs = true;
};

struct RouteInfo {
  std::string method;
  std::string pattern;    // "/api/documents/{id}"
  std::string operation;  // the app operation it runs (governance/policy.h)
};

class Api {
 public:
  // Opens the archive once to check it; refuses an open station (an
  // archive without users: the server cannot tell users apart) and
  // requeues uploads a previous run left unfinished.
  static Result<std::unique_ptr<Api>> Create(ApiOptions options);
  ~Api();

  HttpResponse Handle(HttpRequest& request);
  // For the transport: the file an upload's body is streamed into, or ''
  // when the request is not an upload or cannot be one (the handler then
  // refuses it without its body being stored).
  std::filesystem::path UploadFile(const HttpRequest& request);
  static HttpResponse Error(int status, const std::string& code,
                            const std::string& message);

  // Every route, for the OpenAPI document and the tests.
  static std::vector<RouteInfo> Routes();
  // Waits for queued upload ingests to finish (shutdown, tests).
  void Drain();
  // Starts ingesting queued uploads (after ApiOptions::start_jobs false).
  void StartJobs();
  // Job event streams open now (GET /api/jobs/{id}/events), for the tests
  // that check a client who left is cleaned up.
  int OpenStreams() const;

  struct Impl;

 private:
  explicit Api(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::server
