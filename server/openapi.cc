#include "server/openapi.h"

#include <nlohmann/json.hpp>

#include "governance/policy.h"
#include "server/api.h"

namespace dossier::server {

std::string OpenApiDocument() {
  using nlohmann::json;
  json paths = json::object();
  for (const auto& route : Api::Routes()) {
    json parameters = json::array();
    for (std::size_t i = route.pattern.find('{'); i != std::string::npos;
         i = route.pattern.find('{', i + 1)) {
      const auto close = route.pattern.find('}', i);
      parameters.push_back(json{{"name", route.pattern.substr(i + 1, close - i - 1)},
                                {"in", "path"},
                                {"required", true},
                                {"schema", {{"type", "string"}}}});
    }
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json op{{"operationId", route.operation.empty() ? "public" : route.operation},
            {"parameters", parameters},
            {"responses",
             {{"200", {{"description", "the result (shapes: docs/json.md)"}}},
              {"4XX", {{"description", "refused",
                        "content", {{"application/json",
                                     {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
    if (!route.operation.empty()) {
      op["x-operation"] = route.operation;
      op["x-permission"] =
          std::string(governance::PermissionForOperation(route.operation));
    }
    if (route.operation.empty() || route.operation == "session.login") {
      op["security"] = json::array();
    }
    paths[route.pattern][method] = op;
  }
  json doc{
      {"openapi", "3.0.3"},
      {"info", {{"title", "Dossier"}, {"version", "1"},
                {"description", "The archive station's API; see docs/api.yaml."}}},
      {"paths", paths},
      {"security", json::array({json{{"session", json::array()}}})},
      {"components",
       {{"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "dossier_session"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"properties",
             {{"error", {{"type", "object"},
                         {"properties", {{"code", {{"type", "string"}}},
                                         {"message", {{"type", "string"}}}}}}}}}}}}}}}};
  return doc.dump(2);
}

}  // namespace dossier::server
