#include "storage/work_queue.h"

#include <fmt/format.h>

#include "storage/records_codec.h"

namespace dossier::storage {

std::string WorkItemDisplayId(std::int64_t id) { return fmt::format("W{:06d}", id); }

Result<std::int64_t> ParseWorkItemId(const std::string& text) {
  auto id = ParsePrefixedId(text, 'W');
  if (!id) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a work item id (like W000012)", text));
  }
  return *id;
}

}  // namespace dossier::storage
