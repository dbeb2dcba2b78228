#include "server/serve.h"

#include <fmt/format.h>

#include <charconv>

#include "app/station.h"

namespace dossier::server {

Status ParseListen(const std::string& value, ListenOptions& listen) {
  auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("--listen {}: expected HOST:PORT, e.g. 127.0.0.1:8080",
                                 value));
  };
  const auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad();
  std::string host = value.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = value.substr(colon + 1);
  unsigned v = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
  if (ec != std::errc() || p != port.data() + port.size() || v > 65535) return bad();
  listen.host = host;
  listen.port = static_cast<std::uint16_t>(v);
  return Ok();
}

Status Serve(const ServeOptions& options,
             const std::function<void(const std::string&)>& on_listening) {
  auto api = Api::Create(options.api);
  if (!api) return std::unexpected(api.error());
  Api* raw = api->get();
  Handler handler;
  handler.handle = [raw](HttpRequest& r) { return raw->Handle(r); };
  handler.upload_file = [raw](const HttpRequest& r) { return raw->UploadFile(r); };
  handler.error = [](int status, const std::string& code, const std::string& message) {
    return Api::Error(status, code, message);
  };
  Server server(options.listen, options.limits, handler);
  if (auto s = server.Start(); !s) return s;
  if (on_listening) {
    on_listening(options.listen.socket.empty()
                     ? fmt::format("http://{}:{}", options.listen.host, server.port())
                     : options.listen.socket.string());
  }
  server.Run(/*handle_signals=*/true);
  return Ok();
}

}  // namespace dossier::server
