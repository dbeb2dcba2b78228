// The OpenAPI 3 document served at /api/openapi.json, made from the route
// table so it cannot drift from what the server answers: every path and
// method, its path parameters, the application operation it runs and the
// permission that needs (x-operation, x-permission), and the error shape.
// docs/api.yaml describes the same routes for readers, with their bodies.
#pragma once

#include <string>

namespace dossier::server {

std::string OpenApiDocument();

}  // namespace dossier::server
