// Internal to app/: the ingest itself, for the use cases that run it after
// their own permission check and log entry (Ingest, the work queue's
// worker). The documents are made by `scanner`, the person who scanned.
#pragma once

#include <string>

#include "app/capture.h"

namespace dossier::app {

Result<pipeline::IngestReport> IngestAs(Station& station, const std::string& scanner,
                                        const IngestInput& input,
                                        const pipeline::IngestCallbacks& callbacks);

}  // namespace dossier::app
