// `dossier serve`: the API and the web UI on one listening socket, owning
// the archive until SIGTERM or SIGINT, when it stops accepting, answers
// what is in flight and returns. Uploads accepted but not yet ingested stay
// in ARCHIVE/uploads and are ingested on the next start.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "core/result.h"
#include "server/api.h"
#include "server/http_server.h"

namespace dossier::server {

struct ServeOptions {
  ListenOptions listen;
  TransportLimits limits;
  ApiOptions api;
};

// Parses "HOST:PORT" ("127.0.0.1:8080", "[::1]:8080"); kInvalidArgument
// naming the value.
Status ParseListen(const std::string& value, ListenOptions& listen);

// Runs until a signal. on_listening is told the address once it is bound.
Status Serve(const ServeOptions& options,
             const std::function<void(const std::string&)>& on_listening);

}  // namespace dossier::server
