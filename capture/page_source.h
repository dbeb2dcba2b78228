// PageSource: pages that arrive one at a time (a scanner's feeder), as
// opposed to image files that are read whole.
//
// The ingest pipeline pulls pages with Next() until it returns nullopt (the
// source is exhausted) or an error. An error ends the batch, but the pages
// already returned stay valid and are still archived: a paper jam on page 7
// keeps pages 1-6.
//
// Thread safety: a PageSource is used by one thread at a time.
#pragma once

#include <optional>
#include <string>

#include "capture/raw_page.h"
#include "core/result.h"

namespace dossier::capture {

class PageSource {
 public:
  virtual ~PageSource() = default;

  // The next page, nullopt when there are no more pages. After an error or
  // nullopt the source must not be asked again.
  virtual Result<std::optional<RawPage>> Next() = 0;

  // Short human-readable name, e.g. "scanner test:0 (ADF)", for messages.
  virtual std::string Describe() const = 0;

  // Problems that did not stop the scan (e.g. a duplex source the device
  // does not have, so it scanned simplex). Read after the last Next().
  virtual std::vector<Warning> warnings() const { return {}; }
};

}  // namespace dossier::capture
