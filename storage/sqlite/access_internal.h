// Internal: helpers shared by access.cc and access_log.cc.
#pragma once

#include "core/result.h"

namespace dossier::storage {

// sodium_init(), once per process; kInternal if libsodium cannot start.
Status InitSodium();

}  // namespace dossier::storage
