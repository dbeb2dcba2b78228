// The server's view of one HTTP exchange, independent of Boost.Beast: what
// the transport (server/http_server.h) hands the API (server/api.h), and
// what the API hands back. Plain values, so the API is tested in-process
// without a socket.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
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

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // Sent instead of body when set (streamed from disk).
  std::optional<std::filesystem::path> file;
  // Removed after it was sent (a temporary export).
  bool delete_file_after = false;
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
