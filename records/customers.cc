#include "records/customers.h"

#include <fmt/format.h>

#include "core/text.h"

namespace dossier::records {

namespace {
bool KnownKind(const std::string& kind) {
  return kind == "company" || kind == "person";
}
}  // namespace

Status CheckNewCustomer(const std::string& name, const std::string& kind,
                        const std::string& actor) {
  if (TrimSpace(name).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "customer name is empty");
  }
  if (!KnownKind(kind)) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("customer kind '{}' must be company or person", kind));
  }
  if (TrimSpace(actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "adding a customer needs the name of who enters it");
  }
  return Ok();
}

Status CheckCustomerUpdate(const std::string& code,
                           const std::optional<std::string>& name,
                           const std::optional<std::string>& kind,
                           const std::string& actor) {
  if (TrimSpace(actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "updating " + code + " needs the acting user");
  }
  if (name && TrimSpace(*name).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "customer " + code + ": name may not be empty");
  }
  if (kind && !KnownKind(*kind)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("customer {}: kind '{}' must be company or "
                                 "person",
                                 code, *kind));
  }
  return Ok();
}

}  // namespace dossier::records
