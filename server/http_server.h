// The transport: an asynchronous HTTP/1.1 server on Boost.Beast and
// Boost.Asio. A small pool of I/O threads serves every connection (no
// thread per connection); each request is handed to a separate pool of
// worker threads, so a slow handler (a PDF render, a catalog query) never
// blocks reading or writing other connections, and a slow client never
// holds a worker.
//
// Limits, each answered with a 4xx and the connection closed:
//   - the request line and headers: header_limit bytes (431) and
//     header_timeout to arrive whole (408; a trickling client is cut off);
//   - bodies: body_limit bytes (413), or upload_limit for upload routes,
//     which are streamed to a file, never held in memory;
//   - a body must keep arriving: body_idle_timeout between reads (408).
//
// A streamed response (HttpResponse::stream, e.g. Server-Sent Events) holds
// no worker thread: the handler returns at once, and each piece is written
// from the I/O threads when the stream delivers it. While it streams the
// connection is watched for the client going away (end of file, a reset,
// or anything it sends), and a heartbeat is written after stream_heartbeat
// without a piece; either way a client that left ends the stream (Cancel)
// and its connection. Stop ends every stream.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "server/http.h"

namespace dossier::server {

struct ListenOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;     // 0 = any free port (see Server::port)
  std::filesystem::path socket;  // a Unix socket instead of TCP
};

struct TransportLimits {
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1 * 1024 * 1024;
  std::uint64_t upload_limit = 512ull * 1024 * 1024;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_idle_timeout{30000};
  std::chrono::milliseconds keep_alive_timeout{60000};
  std::chrono::milliseconds stream_heartbeat{15000};
  int io_threads = 1;
  int workers = 4;
};

// What the transport asks of the application.
struct Handler {
  // Handles one request on a worker thread. Must not throw (an exception
  // becomes a 500 without details).
  std::function<HttpResponse(HttpRequest&)> handle;
  // For a request whose headers arrived: a file to stream its body into
  // (an upload route), or empty to read the body into memory.
  std::function<std::filesystem::path(const HttpRequest&)> upload_file;
  // A JSON error response, for what the transport refuses itself.
  std::function<HttpResponse(int status, const std::string& code,
                             const std::string& message)> error;
};

// One whole request in bytes, parsed as the transport parses it (limits,
// target, headers): status 0 and the request, or the 4xx it would get.
// For the request-parser fuzz target and its replay in the tests.
struct ParsedRequest {
  int status = 0;
  HttpRequest request;
};
ParsedRequest ParseRequestBytes(std::string_view bytes, const TransportLimits& limits);

class Server {
 public:
  Server(ListenOptions listen, TransportLimits limits, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; kInvalidArgument/kIo naming the address on failure.
  Status Start();
  // The bound TCP port (after Start), e.g. when port 0 was asked for.
  std::uint16_t port() const;
  // Serves until Stop (or SIGTERM/SIGINT when handle_signals) and returns
  // once every request in flight has been answered.
  void Run(bool handle_signals);
  // Stops accepting; requests in flight are finished. Thread-safe.
  void Stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::server
