// The rules for a customer file's own values, checked by every records
// store before it writes (storage/records_store.h: AddCustomer,
// AddCustomerFile, UpdateCustomer).
#pragma once

#include <optional>
#include <string>

#include "core/result.h"

namespace dossier::records {

// A new customer: a name that is not blank, kind "company" or "person",
// and who enters it. kInvalidArgument saying which.
Status CheckNewCustomer(const std::string& name, const std::string& kind,
                        const std::string& actor);

// A change to customer `code` (canonical): the new name, if given, not
// blank; the new kind, if given, company or person; and who changes it.
Status CheckCustomerUpdate(const std::string& code,
                           const std::optional<std::string>& name,
                           const std::optional<std::string>& kind,
                           const std::string& actor);

}  // namespace dossier::records
