// Scanners through SANE (libsane): device listing and a PageSource that
// acquires one page per Next() from a flatbed or a document feeder.
//
// Every SANE call runs in a driver process of its own, one per open
// scanner or listing (capture/driver_process.h): a backend that hangs or
// crashes, as SANE's `test` backend can after a jam, stops only that
// process, and the station gets a kIo error naming the device. Callers
// need not care: several scanners may be open at once, each in its own
// process with its own sane_init.
//
// Option names follow the SANE standard ("source", "mode", "resolution",
// "depth"); values are matched case-insensitively against what the device
// offers, with the usual synonyms ("ADF", "Automatic Document Feeder",
// "Lineart", "Binary", ...). See docs/capture.md.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "capture/page_source.h"
#include "core/result.h"

namespace dossier::capture {

enum class ScanSource { kDefault, kFlatbed, kAdf, kAdfDuplex };
enum class ScanMode { kDefault, kColor, kGray, kLineart };

// "flatbed", "adf", "adf-duplex" (and "" for the device default).
Result<ScanSource> ParseScanSource(const std::string& text);
Result<ScanMode> ParseScanMode(const std::string& text);
std::string ScanSourceName(ScanSource source);
std::string ScanModeName(ScanMode mode);

struct ScanSettings {
  std::string device;  // SANE device name; empty: first found
  ScanSource source = ScanSource::kDefault;
  ScanMode mode = ScanMode::kDefault;
  int dpi = 0;  // 0: device default
  // Further backend options, name and value as `scanimage` shows them
  // (e.g. {"test-picture", "Grid"}). Applied after the settings above.
  std::vector<std::pair<std::string, std::string>> extra_options;
  // The feeder is read until it is empty, but never more than this many
  // sheets sides, so a backend that never reports "no documents" ends.
  int max_pages = 500;
};

struct ScannerInfo {
  std::string name;  // pass as ScanSettings::device
  std::string vendor;
  std::string model;
  std::string type;  // e.g. "flatbed scanner"
};

// Scanners SANE finds (local and network, as configured). An empty list is
// not an error.
Result<std::vector<ScannerInfo>> ListScanners();

// Opens the device and applies the settings. Errors: kNotFound when no
// scanner is found or the named device does not exist; kInvalidArgument when
// a setting is not offered by the device (the message lists what it offers);
// kIo for other device errors. Each message names the device.
//
// Next() starts one scan per call. With the flatbed it returns one page,
// then nullopt. With a feeder it returns pages until the feeder is empty;
// an empty feeder on the first page is an error ("no paper in the feeder").
// Jams, an open cover and I/O errors are kIo errors naming the device and
// the page number; pages returned before stay valid.
Result<std::unique_ptr<PageSource>> OpenScanner(const ScanSettings& settings);

}  // namespace dossier::capture
