// The server's view of one HTTP exchange, independent of Boost.Beast: what
// the transport (server/http_server.h) hands the API (server/api.h), and
// what the API hands back. Plain values, so the API is tested in-process
// without a socket.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dossier::server {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path, without the query
  std::multimap<std::string, std::string> query;  // decoded
  std::map<std::string, std::string> headers;     // names lower-cased
  std::string body;                               // small bodies
  // A streamed upload: the body was written to this file instead.
  std::optional<std::filesystem::path> body_file;
  std::string peer;  // "127.0.0.1:54321" or "unix"
  bool secure = false;  // reached through TLS (X-Forwarded-Proto: https
                        // from a trusted proxy)

  std::string Header(const std::string& lower_name) const;
  std::optional<std::string> Query(const std::string& name) const;
  std::vector<std::string> QueryAll(const std::string& name) const;
  std::optional<std::string> Cookie(const std::string& name) const;
};

// A response body that arrives over time (Server-Sent Events). The
// transport sends it with chunked transfer encoding, one piece per chunk,
// and closes the connection after the last; no thread waits for a piece.
//
// Thread safety: Next and Cancel may be called from any thread; `deliver`
// may be called from any thread (the transport posts it to the
// connection's strand).
class BodyStream {
 public:
  using Deliver = std::function<void(std::optional<std::string> piece)>;
  virtual ~BodyStream() = default;
  // Asks for the next piece: `deliver` is called once, at once or later,
  // with the piece, or with nullopt when the body is over. REQUIRES: the
  // previous Next's deliver was called.
  virtual void Next(Deliver deliver) = 0;
  // The client left or the server stops: a waiting deliver is dropped
  // without being called, and Next is not called again.
  virtual void Cancel() = 0;
  // Sent when no piece came for TransportLimits::stream_heartbeat, so a
  // proxy keeps the connection and a vanished client is noticed; '' sends
  // nothing.
  virtual std::string Heartbeat() const { return ""; }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // Sent instead of body when set (streamed from disk).
  std::optional<std::filesystem::path> file;
  // Removed after it was sent (a temporary export).
  bool delete_file_after = false;
  // Sent instead of body when set: a body that arrives over time.
  std::shared_ptr<BodyStream> stream;
  std::vector<std::pair<std::string, std::string>> headers;

  void Set(const std::string& name, const std::string& value) {
    headers.emplace_back(name, value);
  }
};

// Percent-decodes s ('+' stays '+' in paths; form decoding turns it into a
// space). nullopt for a malformed escape or an encoded NUL.
std::optional<std::string> PercentDecode(std::string_view s, bool form);
// Splits a target into path and query; false if either is malformed.
bool ParseTarget(const std::string& target, HttpRequest& request);

}  // namespace dossier::server
