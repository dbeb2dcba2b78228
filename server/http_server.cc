#include "server/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fmt/format.h>

#include <array>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace dossier::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// Removes a temporary file once the last reference to it goes.
struct TempFile {
  explicit TempFile(std::filesystem::path p) : path(std::move(p)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::filesystem::path path;
  ~TempFile() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove(path, ec);
  }
};

// A response body read from a file in 64 KiB pieces (Beast's file_body
// reads 4 KiB at a time: a page preview would take dozens of reads and
// socket writes). The file is opened before the body is handed over.
struct SendFileBody {
  static constexpr std::size_t kPiece = 64 * 1024;
  struct value_type {
    beast::file file;
    std::uint64_t size = 0;
    // Opens path for reading and takes its size.
    void open(const char* path, beast::error_code& ec) {
      file.open(path, beast::file_mode::scan, ec);
      if (!ec) size = file.size(ec);
    }
  };
  static std::uint64_t size(const value_type& body) { return body.size; }

  class writer {
   public:
    using const_buffers_type = asio::const_buffer;
    template <bool isRequest, class Fields>
    writer(http::header<isRequest, Fields>&, value_type& body)
        : body_(body), remain_(body.size) {}
    void init(beast::error_code& ec) {
      buf_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, remain_)));
      ec = {};
    }
    boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf_.size(), remain_));
      if (want == 0) {
        ec = {};
        return boost::none;
      }
      const std::size_t got = body_.file.read(buf_.data(), want, ec);
      if (ec) return boost::none;
      if (got == 0) {  // the file shrank while it was sent
        ec = http::error::short_read;
        return boost::none;
      }
      remain_ -= got;
      return {{asio::const_buffer(buf_.data(), got), remain_ > 0}};
    }

   private:
    value_type& body_;
    std::uint64_t remain_;
    std::vector<char> buf_;
  };
};

// The request's method, target, query and headers (names lower-cased,
// repeats joined); the reason when they cannot make a request.
template <class Fields>
std::optional<std::string> FillRequest(const http::request_header<Fields>& header,
                                       HttpRequest& request) {
  request.method = std::string(header.method_string());
  request.target = std::string(header.target());
  for (const auto& field : header) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value(field.value());
    auto [it, inserted] = request.headers.emplace(name, value);
    if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + value;
  }
  if (!ParseTarget(request.target, request)) return "malformed request target";
  if (header.version() == 11 && request.Header("host").empty()) {
    return "HTTP/1.1 request without Host";
  }
  if (!request.Header("transfer-encoding").empty() &&
      !request.Header("content-length").empty()) {
    return "both Content-Length and Transfer-Encoding";
  }
  return std::nullopt;
}

}  // namespace

ParsedRequest ParseRequestBytes(std::string_view bytes, const TransportLimits& limits) {
  ParsedRequest out;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
  parser.body_limit(limits.body_limit);
  parser.eager(true);
  beast::error_code ec;
  const std::size_t used = parser.put(asio::buffer(bytes.data(), bytes.size()), ec);
  (void)used;
  if (ec == http::error::need_more || (!ec && !parser.is_done())) {
    out.status = 408;  // incomplete: the transport would time it out
    return out;
  }
  if (ec == http::error::header_limit) {
    out.status = 431;
    return out;
  }
  if (ec == http::error::body_limit) {
    out.status = 413;
    return out;
  }
  if (ec) {
    out.status = 400;
    return out;
  }
  if (FillRequest(parser.get().base(), out.request)) {
    out.status = 400;
    return out;
  }
  out.request.body = parser.get().body();
  out.request.peer = "fuzz";
  return out;
}

struct Server::Impl {
  ListenOptions listen;
  TransportLimits limits;
  Handler handler;
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> guard{
      ioc.get_executor()};
  std::unique_ptr<asio::thread_pool> workers;
  std::optional<asio::ip::tcp::acceptor> tcp_acceptor;
  std::optional<asio::local::stream_protocol::acceptor> unix_acceptor;
  std::optional<asio::signal_set> signals;
  std::atomic<bool> stopping{false};
  std::atomic<int> sessions{0};
  std::mutex idle_mu;
  // Cancels a session that waits for a request, keyed by its address.
  std::map<void*, std::function<void()>> idle;

  void Accept();
  template <class Protocol, class Acceptor>
  void AcceptOn(Acceptor& acceptor);
  void SessionEnded() {
    if (--sessions == 0 && stopping) {
      asio::post(ioc, [this] { guard.reset(); });
    }
  }
  void CancelIdle() {
    std::map<void*, std::function<void()>> copy;
    {
      std::lock_guard lock(idle_mu);
      copy = idle;
    }
    for (auto& [key, cancel] : copy) cancel();
  }
};

namespace {

template <class Protocol>
class Session : public std::enable_shared_from_this<Session<Protocol>> {
 public:
  using Stream = beast::basic_stream<Protocol, asio::any_io_executor,
                                     beast::unlimited_rate_policy>;

  Session(typename Protocol::socket socket, Server::Impl& server,
          std::string peer)
      : stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        beat_(stream_.get_executor()),
        server_(server),
        peer_(std::move(peer)) {
    ++server_.sessions;
  }
  ~Session() {
    SetIdle(false);
    if (body_) body_->Cancel();
    server_.SessionEnded();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   [self = this->shared_from_this()] { self->ReadHeader(); });
  }

 private:
  const TransportLimits& limits() const { return server_.limits; }

  void SetIdle(bool idle) {
    std::lock_guard lock(server_.idle_mu);
    if (idle) {
      std::weak_ptr<Session> weak = this->shared_from_this();
      auto executor = stream_.get_executor();
      server_.idle[this] = [weak, executor] {
        asio::post(executor, [weak] {
          if (auto self = weak.lock()) self->stream_.cancel();
        });
      };
    } else {
      server_.idle.erase(this);
    }
  }

  // A read deadline that, unlike the stream's own, leaves the socket open
  // so the client can still be told 408.
  void Arm(std::chrono::milliseconds after) {
    timed_out_ = false;
    timer_.expires_after(after);
    timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;  // disarmed
      self->timed_out_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    });
  }
  void Disarm() { timer_.cancel(); }

  void ReadHeader() {
    if (server_.stopping) return Close();
    request_ = HttpRequest{};
    request_.peer = peer_;
    header_parser_.emplace();
    header_parser_->header_limit(
        static_cast<std::uint32_t>(limits().header_limit));
    header_parser_->body_limit(std::max<std::uint64_t>(limits().upload_limit, limits().body_limit));
    stream_.expires_never();
    Arm(limits().header_timeout);
    SetIdle(true);
    http::async_read_header(
        stream_, buffer_, *header_parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
          self->SetIdle(false);
          self->Disarm();
          self->OnHeader(ec);
        });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == asio::error::operation_aborted && timed_out_) ec = beast::error::timeout;
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == asio::error::eof || ec == asio::error::connection_reset) {
      return Close();
    }
    if (ec == beast::error::timeout) {
      // Nothing sent at all is an idle keep-alive: just close.
      if (buffer_.size() == 0 && !header_parser_->got_some()) return Close();
      return Refuse(408, "timeout", "the request did not arrive in time");
    }
    if (ec == http::error::body_limit) {
      return Refuse(413, "payload_too_large",
                    fmt::format("the request body is larger than {} bytes",
                                std::max<std::uint64_t>(limits().upload_limit,
                                                        limits().body_limit)));
    }
    if (ec == http::error::header_limit) {
      return Refuse(431, "header_too_large",
                    fmt::format("request headers are larger than {} bytes",
                                limits().header_limit));
    }
    if (ec) {
      return Refuse(400, "bad_request", "malformed HTTP request: " + ec.message());
    }

    auto& header = header_parser_->get();
    keep_alive_ = header.keep_alive();
    if (auto refusal = FillRequest(header, request_)) {
      return Refuse(400, "bad_request", *refusal);
    }

    std::filesystem::path upload;
    if (server_.handler.upload_file) upload = server_.handler.upload_file(request_);
    // A declared length over the limit is refused before any of it is read
    // (the parser checks chunked bodies as they arrive).
    const std::uint64_t limit = upload.empty() ? limits().body_limit : limits().upload_limit;
    if (auto length = header_parser_->content_length(); length && *length > limit) {
      return Refuse(413, "payload_too_large",
                    fmt::format("the request body is larger than {} bytes", limit));
    }
    if (!upload.empty()) {
      file_parser_.emplace(std::move(*header_parser_));
      file_parser_->body_limit(limits().upload_limit);
      beast::error_code fec;
      file_parser_->get().body().open(upload.c_str(), beast::file_mode::write_new,
                                      fec);
      if (fec) {
        return Refuse(500, "internal", "the upload could not be stored");
      }
      upload_ = std::make_shared<TempFile>(upload);
      request_.body_file = upload;
      if (request_.Header("expect") == "100-continue") return Continue(true);
      return ReadFileBody();
    }
    string_parser_.emplace(std::move(*header_parser_));
    string_parser_->body_limit(limits().body_limit);
    if (request_.Header("expect") == "100-continue") return Continue(false);
    ReadStringBody();
  }

  // Answers "Expect: 100-continue" so clients send the body at once.
  void Continue(bool file) {
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(limits().body_idle_timeout);
    asio::async_write(stream_, asio::buffer(kContinue),
                      [self = this->shared_from_this(), file](beast::error_code ec,
                                                             std::size_t) {
                        if (ec) return self->Close();
                        file ? self->ReadFileBody() : self->ReadStringBody();
                      });
  }

  void ReadStringBody() {
    if (string_parser_->is_done()) return Dispatch();
    Arm(limits().body_idle_timeout);
    http::async_read_some(
        stream_, buffer_, *string_parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
          self->Disarm();
          if (ec) return self->BodyError(ec);
          self->ReadStringBody();
        });
  }

  void ReadFileBody() {
    if (file_parser_->is_done()) {
      file_parser_->get().body().close();
      return Dispatch();
    }
    Arm(limits().body_idle_timeout);
    http::async_read_some(
        stream_, buffer_, *file_parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
          self->Disarm();
          if (ec) return self->BodyError(ec);
          self->ReadFileBody();
        });
  }

  void BodyError(beast::error_code ec) {
    if (ec == asio::error::operation_aborted && timed_out_) ec = beast::error::timeout;
    if (file_parser_) file_parser_->get().body().close();
    upload_.reset();  // a partial upload is removed
    if (ec == http::error::body_limit) {
      const auto limit = file_parser_ ? limits().upload_limit : limits().body_limit;
      return Refuse(413, "payload_too_large",
                    fmt::format("the request body is larger than {} bytes", limit));
    }
    if (ec == beast::error::timeout) {
      return Refuse(408, "timeout", "the request body stopped arriving");
    }
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == http::error::partial_message) {
      return Close();
    }
    Refuse(400, "bad_request", "malformed request body: " + ec.message());
  }

  void Dispatch() {
    if (string_parser_) request_.body = string_parser_->release().body();
    string_parser_.reset();
    file_parser_.reset();
    stream_.expires_never();
    asio::post(*server_.workers, [self = this->shared_from_this()] {
      HttpResponse response;
      try {
        response = self->server_.handler.handle(self->request_);
      } catch (...) {
        response = self->server_.handler.error(500, "internal",
                                               "the request failed");
      }
      self->upload_.reset();  // the handler has taken what it keeps
      asio::post(self->stream_.get_executor(),
                 [self, r = std::move(response)]() mutable {
                   self->Write(std::move(r), !self->keep_alive_);
                 });
    });
  }

  void Refuse(int status, const std::string& code, const std::string& message) {
    Write(server_.handler.error(status, code, message), /*close=*/true);
  }

  template <class Body>
  void Prepare(http::response<Body>& msg, const HttpResponse& r, bool close) {
    msg.result(static_cast<unsigned>(r.status));
    msg.version(11);
    msg.set(http::field::server, "dossier");
    if (!r.content_type.empty()) msg.set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) msg.insert(name, value);
    msg.keep_alive(!close);
  }

  void Write(HttpResponse r, bool close) {
    if (server_.stopping) close = true;
    const bool head = request_.method == "HEAD";
    if (r.stream) {
      if (!head && !server_.stopping) return StartStream(std::move(r));
      r.stream->Cancel();
      r.stream.reset();
    }
    if (r.file) {
      auto msg = std::make_shared<http::response<SendFileBody>>();
      Prepare(*msg, r, close);
      std::shared_ptr<TempFile> temp;
      if (r.delete_file_after) temp = std::make_shared<TempFile>(*r.file);
      beast::error_code ec;
      msg->body().open(r.file->c_str(), ec);
      if (ec) {
        return Write(server_.handler.error(500, "internal",
                                           "the file could not be read"),
                     close);
      }
      msg->prepare_payload();
      if (head) {
        auto empty = std::make_shared<http::response<http::empty_body>>();
        Prepare(*empty, r, close);
        empty->content_length(msg->body().size);
        return WriteMessage(empty, close, temp);
      }
      return WriteMessage(msg, close, temp);
    }
    auto msg = std::make_shared<http::response<http::string_body>>();
    Prepare(*msg, r, close);
    msg->body() = std::move(r.body);
    msg->prepare_payload();
    if (head) {
      auto empty = std::make_shared<http::response<http::empty_body>>();
      Prepare(*empty, r, close);
      empty->content_length(msg->body().size());
      return WriteMessage(empty, close, nullptr);
    }
    WriteMessage(msg, close, nullptr);
  }

  template <class Body>
  void WriteMessage(std::shared_ptr<http::response<Body>> msg, bool close,
                    std::shared_ptr<TempFile> temp) {
    auto sr = std::make_shared<http::response_serializer<Body>>(*msg);
    WriteSome(msg, sr, close, temp);
  }

  // Writes in pieces, each with its own deadline: a long download to a
  // slow but live client goes on, a stalled one is cut off.
  template <class Body>
  void WriteSome(std::shared_ptr<http::response<Body>> msg,
                 std::shared_ptr<http::response_serializer<Body>> sr, bool close,
                 std::shared_ptr<TempFile> temp) {
    stream_.expires_after(limits().body_idle_timeout);
    http::async_write_some(
        stream_, *sr,
        [self = this->shared_from_this(), msg, sr, close, temp](
            beast::error_code ec, std::size_t) {
          if (ec) return self->Close();
          if (!sr->is_done()) return self->WriteSome(msg, sr, close, temp);
          if (close) return self->Close();
          self->ReadHeader();
        });
  }

  // --- A streamed response ---------------------------------------------------

  // The header (chunked, Connection: close), then the pieces as they come.
  void StartStream(HttpResponse r) {
    body_ = std::move(r.stream);
    auto msg = std::make_shared<http::response<http::empty_body>>();
    Prepare(*msg, r, /*close=*/true);
    msg->chunked(true);
    auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*msg);
    // Stop ends the stream like a client that left.
    {
      std::lock_guard lock(server_.idle_mu);
      std::weak_ptr<Session> weak = this->shared_from_this();
      auto executor = stream_.get_executor();
      server_.idle[this] = [weak, executor] {
        asio::post(executor, [weak] {
          if (auto self = weak.lock()) self->EndStream();
        });
      };
    }
    writing_ = true;
    stream_.expires_after(limits().body_idle_timeout);
    http::async_write_header(
        stream_, *sr,
        [self = this->shared_from_this(), msg, sr](beast::error_code ec, std::size_t) {
          self->writing_ = false;
          self->stream_.expires_never();
          if (ec) return self->EndStream();
          self->WatchClient();
          self->Beat();
          self->Pump();
        });
  }

  // The client sends nothing while it listens: end of file, a reset or any
  // byte means it is gone (or misbehaves), and the stream ends.
  void WatchClient() {
    stream_.async_read_some(
        asio::buffer(watch_buf_),
        [self = this->shared_from_this()](beast::error_code, std::size_t) {
          self->EndStream();
        });
  }

  void Beat() {
    beat_.expires_after(limits().stream_heartbeat);
    beat_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || !self->body_) return;
      if (!self->writing_ && self->out_.empty()) {
        const std::string beat = self->body_->Heartbeat();
        if (!beat.empty()) self->QueueChunk(beat);
      }
      self->Beat();
    });
  }

  // Asks the body for its next piece once everything before it was written
  // (a slow reader holds back the stream, not memory).
  void Pump() {
    if (!body_ || asking_ || finished_ || writing_ || !out_.empty()) return;
    asking_ = true;
    std::weak_ptr<Session> weak = this->shared_from_this();
    auto executor = stream_.get_executor();
    body_->Next([weak, executor](std::optional<std::string> piece) {
      asio::post(executor, [weak, piece = std::move(piece)]() mutable {
        if (auto self = weak.lock()) self->OnPiece(std::move(piece));
      });
    });
  }

  void OnPiece(std::optional<std::string> piece) {
    asking_ = false;
    if (!body_) return;
    if (!piece) {
      finished_ = true;
      out_.push_back("0\r\n\r\n");
      return WriteChunks();
    }
    if (piece->empty()) return Pump();  // an empty chunk would end the body
    QueueChunk(*piece);
  }

  void QueueChunk(const std::string& data) {
    out_.push_back(fmt::format("{:x}\r\n", data.size()) + data + "\r\n");
    WriteChunks();
  }

  void WriteChunks() {
    if (writing_) return;
    if (out_.empty()) {
      if (finished_) return EndStream();
      return Pump();
    }
    writing_ = true;
    auto data = std::make_shared<std::string>(std::move(out_.front()));
    out_.pop_front();
    stream_.expires_after(limits().body_idle_timeout);
    asio::async_write(stream_, asio::buffer(*data),
                      [self = this->shared_from_this(), data](beast::error_code ec,
                                                             std::size_t) {
                        self->writing_ = false;
                        self->stream_.expires_never();
                        if (ec) return self->EndStream();
                        self->WriteChunks();
                      });
  }

  // Ends a stream (done, client gone, stopping): the body is told, the
  // connection closed; pending handlers finish with errors and let go.
  void EndStream() {
    if (!body_) return;
    body_->Cancel();
    body_.reset();
    out_.clear();
    beat_.cancel();
    SetIdle(false);
    Close();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(asio::socket_base::shutdown_send, ec);
    stream_.close();
  }

  Stream stream_;
  asio::steady_timer timer_;
  asio::steady_timer beat_;  // a streamed response's heartbeat
  bool timed_out_ = false;
  Server::Impl& server_;
  std::string peer_;
  beast::flat_buffer buffer_;
  HttpRequest request_;
  bool keep_alive_ = true;
  std::optional<http::request_parser<http::empty_body>> header_parser_;
  std::optional<http::request_parser<http::string_body>> string_parser_;
  std::optional<http::request_parser<http::file_body>> file_parser_;
  std::shared_ptr<TempFile> upload_;
  // A streamed response.
  std::shared_ptr<BodyStream> body_;
  std::deque<std::string> out_;
  bool writing_ = false;
  bool asking_ = false;
  bool finished_ = false;
  std::array<char, 256> watch_buf_{};
};

}  // namespace

template <class Protocol, class Acceptor>
void Server::Impl::AcceptOn(Acceptor& acceptor) {
  acceptor.async_accept(
      asio::make_strand(ioc),
      [this, &acceptor](beast::error_code ec, typename Protocol::socket socket) {
        if (stopping || !acceptor.is_open()) return;
        if (!ec) {
          std::string peer = "unix";
          if constexpr (std::is_same_v<Protocol, asio::ip::tcp>) {
            // A response goes out in several writes (header, file pieces):
            // without TCP_NODELAY the last small one waits for the
            // client's delayed ACK.
            beast::error_code nec;
            socket.set_option(asio::ip::tcp::no_delay(true), nec);
            beast::error_code pec;
            auto ep = socket.remote_endpoint(pec);
            if (!pec) peer = fmt::format("{}:{}", ep.address().to_string(), ep.port());
          }
          std::make_shared<Session<Protocol>>(std::move(socket), *this, peer)
              ->Start();
        }
        AcceptOn<Protocol>(acceptor);
      });
}

void Server::Impl::Accept() {
  if (tcp_acceptor) AcceptOn<asio::ip::tcp>(*tcp_acceptor);
  if (unix_acceptor) AcceptOn<asio::local::stream_protocol>(*unix_acceptor);
}

Server::Server(ListenOptions listen, TransportLimits limits, Handler handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->listen = std::move(listen);
  impl_->limits = limits;
  impl_->handler = std::move(handler);
}

Server::~Server() {
  if (impl_->workers) impl_->workers->join();
}

Status Server::Start() {
  beast::error_code ec;
  if (!impl_->listen.socket.empty()) {
    { std::error_code fec; std::filesystem::remove(impl_->listen.socket, fec); }
    impl_->unix_acceptor.emplace(impl_->ioc);
    asio::local::stream_protocol::endpoint ep(impl_->listen.socket.string());
    impl_->unix_acceptor->open(ep.protocol(), ec);
    if (!ec) impl_->unix_acceptor->bind(ep, ec);
    if (!ec) impl_->unix_acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return MakeError(ErrorCode::kIo,
                       fmt::format("cannot listen on {}: {}",
                                   impl_->listen.socket.string(), ec.message()));
    }
  } else {
    auto address = asio::ip::make_address(impl_->listen.host, ec);
    if (ec) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("--listen {}: not an IP address",
                                   impl_->listen.host));
    }
    asio::ip::tcp::endpoint ep(address, impl_->listen.port);
    impl_->tcp_acceptor.emplace(impl_->ioc);
    impl_->tcp_acceptor->open(ep.protocol(), ec);
    if (!ec) impl_->tcp_acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) impl_->tcp_acceptor->bind(ep, ec);
    if (!ec) impl_->tcp_acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return MakeError(ErrorCode::kIo,
                       fmt::format("cannot listen on {}:{}: {}", impl_->listen.host,
                                   impl_->listen.port, ec.message()));
    }
  }
  impl_->workers = std::make_unique<asio::thread_pool>(
      static_cast<std::size_t>(std::max(1, impl_->limits.workers)));
  impl_->Accept();
  return Ok();
}

std::uint16_t Server::port() const {
  if (!impl_->tcp_acceptor) return 0;
  beast::error_code ec;
  return impl_->tcp_acceptor->local_endpoint(ec).port();
}

void Server::Stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] {
    if (impl->stopping.exchange(true)) return;
    beast::error_code ec;
    if (impl->tcp_acceptor) impl->tcp_acceptor->close(ec);
    if (impl->unix_acceptor) {
      impl->unix_acceptor->close(ec);
      { std::error_code fec; std::filesystem::remove(impl->listen.socket, fec); }
    }
    if (impl->signals) impl->signals->cancel(ec);
    impl->CancelIdle();
    if (impl->sessions == 0) impl->guard.reset();
  });
}

void Server::Run(bool handle_signals) {
  if (handle_signals) {
    impl_->signals.emplace(impl_->ioc, SIGTERM, SIGINT);
    impl_->signals->async_wait([this](beast::error_code ec, int) {
      if (!ec) Stop();
    });
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->limits.io_threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : threads) t.join();
  impl_->workers->join();
}

}  // namespace dossier::server
