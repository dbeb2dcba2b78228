// libFuzzer target: raw bytes as one HTTP request, parsed as the transport
// parses it (server::ParseRequestBytes) and, when it is a request, handled
// by the API over a real secured archive made once at start. Invariants: no
// crash, a status from 200 to 599, an error body that is JSON with a code,
// and nothing but a login or the public routes answered 2xx without the
// session cookie (which the inputs cannot know).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <unistd.h>
#include <string_view>

#include "app/session.h"
#include "server/api.h"
#include "server/http_server.h"
#include "storage/access.h"
#include "storage/archive.h"

namespace {

// Removes the archive at exit, after the API (made later) is gone.
struct TempArchive {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("dossier-http-fuzz-" + std::to_string(::getpid()));
  ~TempArchive() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

dossier::server::Api* TheApi() {
  static TempArchive temp;
  static std::unique_ptr<dossier::server::Api> api = [] {
    const auto dir = temp.dir;
    std::filesystem::remove_all(dir);
    auto archive = dossier::storage::Archive::Init(dir / "archive");
    if (!archive) std::abort();
    dossier::app::Station station(std::move(*archive));
    if (!station.access().AddUser("root", "root-pass-1", {"admin"}, "root")) std::abort();
    // Failed logins would otherwise wait longer each time (throttling is
    // tested on its own).
    if (!station.access().SetLoginThrottle({0, 0, 0}, "root")) std::abort();
    dossier::server::ApiOptions options;
    options.archive = dir / "archive";
    options.web = dir / "web";
    auto made = dossier::server::Api::Create(options);
    if (!made) std::abort();
    return std::move(*made);
  }();
  return api.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dossier::server::TransportLimits limits;
  limits.header_limit = 8 * 1024;
  limits.body_limit = 64 * 1024;
  auto parsed = dossier::server::ParseRequestBytes(
      std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (parsed.status != 0) {
    if (parsed.status < 400 || parsed.status > 499) std::abort();
    return 0;
  }
  parsed.request.headers.erase("cookie");
  auto response = TheApi()->Handle(parsed.request);
  if (response.status < 200 || response.status > 599) std::abort();
  const bool is_public = parsed.request.path == "/api/health" ||
                         parsed.request.path == "/api/openapi.json" ||
                         parsed.request.path == "/api/login" ||
                         parsed.request.path.rfind("/api/", 0) != 0;
  if (!is_public && response.status < 300) std::abort();
  if (response.status >= 400) {
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("error") ||
        !body["error"].contains("code")) {
      std::abort();
    }
  }
  return 0;
}
