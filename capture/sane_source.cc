// Design notes.
//
// SANE's calling sequence for one page is sane_start, sane_get_parameters,
// sane_read until SANE_STATUS_EOF, repeated per frame for three-pass
// scanners (RED, GREEN, BLUE frames) until parameters.last_frame. A feeder
// is emptied by calling sane_start again after each page until it answers
// SANE_STATUS_NO_DOCS; sane_cancel ends the batch. Hand scanners report
// lines = -1, so the image height is taken from the bytes read.
//
// 1-bit data: SANE defines bit value 1 as black (the opposite of a gray
// value), most significant bit first. 16-bit samples are in host byte order.
#include "capture/sane_source.h"

#include <fmt/format.h>
#include <sane/sane.h>
#include <sane/saneopts.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "capture/driver_process.h"

namespace dossier::capture {

namespace {

std::string Lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return Lower(haystack).find(needle) != std::string::npos;
}

std::string StatusText(SANE_Status status) {
  switch (status) {
    case SANE_STATUS_JAMMED:
      return "paper jammed in the document feeder";
    case SANE_STATUS_NO_DOCS:
      return "no paper in the document feeder";
    case SANE_STATUS_COVER_OPEN:
      return "the scanner cover is open";
    case SANE_STATUS_DEVICE_BUSY:
      return "the scanner is busy";
    case SANE_STATUS_IO_ERROR:
      return "I/O error talking to the scanner";
    case SANE_STATUS_NO_MEM:
      return "the scanner driver ran out of memory";
    case SANE_STATUS_ACCESS_DENIED:
      return "access to the scanner was denied";
    case SANE_STATUS_CANCELLED:
      return "the scan was cancelled";
    default:
      return sane_strstatus(status);
  }
}

struct OptionRef {
  SANE_Int index = 0;
  const SANE_Option_Descriptor* desc = nullptr;
};

// Descriptors may change after any option is set, so look them up each time.
std::optional<OptionRef> FindOption(SANE_Handle h, const std::string& name) {
  SANE_Int count = 0;
  if (sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr) !=
      SANE_STATUS_GOOD) {
    return std::nullopt;
  }
  for (SANE_Int i = 1; i < count; ++i) {
    const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, i);
    if (d != nullptr && d->name != nullptr && name == d->name)
      return OptionRef{i, d};
  }
  return std::nullopt;
}

bool Settable(const SANE_Option_Descriptor* d) {
  return SANE_OPTION_IS_ACTIVE(d->cap) && SANE_OPTION_IS_SETTABLE(d->cap);
}

std::vector<std::string> StringChoices(const SANE_Option_Descriptor* d) {
  std::vector<std::string> out;
  if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST) {
    for (const SANE_String_Const* s = d->constraint.string_list; *s != nullptr;
         ++s) {
      out.emplace_back(*s);
    }
  }
  return out;
}

std::string RangeText(const SANE_Option_Descriptor* d) {
  auto num = [d](SANE_Word w) {
    return d->type == SANE_TYPE_FIXED ? fmt::format("{:g}", SANE_UNFIX(w))
                                      : fmt::format("{}", w);
  };
  if (d->constraint_type == SANE_CONSTRAINT_RANGE) {
    return fmt::format("{}..{}", num(d->constraint.range->min),
                       num(d->constraint.range->max));
  }
  if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST) {
    std::vector<std::string> v;
    for (SANE_Int i = 1; i <= d->constraint.word_list[0]; ++i) {
      v.push_back(num(d->constraint.word_list[i]));
    }
    return fmt::format("{}", fmt::join(v, ", "));
  }
  if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST) {
    return fmt::format("{}", fmt::join(StringChoices(d), ", "));
  }
  return "any";
}

class SaneScanner final : public PageSource {
 public:
  SaneScanner(std::string device, bool feeder)
      : device_(std::move(device)), feeder_(feeder) {}
  // After an error this runs in the driver process after the error has
  // been reported (capture/driver_process.h), so a hang here cannot take
  // the station with it.
  ~SaneScanner() override {
    if (handle_ == nullptr) return;
    if (!cancelled_) Cancel();
    sane_close(handle_);
  }
  // The scan stopped on an error: the driver's process should not trust
  // the backend's state afterwards (no sane_exit).
  bool failed() const { return failed_; }

  Status Open() {
    SANE_Status s = sane_open(device_.c_str(), &handle_);
    if (s != SANE_STATUS_GOOD) {
      handle_ = nullptr;
      if (s == SANE_STATUS_INVAL) {
        return MakeError(ErrorCode::kNotFound,
                         fmt::format("scanner {}: no such device (see `dossier "
                                     "scan --list-devices`)",
                                     device_));
      }
      return MakeError(
          ErrorCode::kIo,
          fmt::format("scanner {}: cannot open: {}", device_, StatusText(s)));
    }
    return Ok();
  }

  // Sets a string option to the first offered value that `accept` likes.
  // Returns the chosen value, or "" when none is offered.
  Result<std::string> SetChoice(
      const std::string& name,
      const std::function<bool(const std::string&)>& accept) {
    auto opt = FindOption(handle_, name);
    if (!opt || !Settable(opt->desc) || opt->desc->type != SANE_TYPE_STRING) {
      return std::string();
    }
    for (const auto& choice : StringChoices(opt->desc)) {
      if (!accept(choice)) continue;
      if (auto s = SetText(name, choice); !s) return std::unexpected(s.error());
      return choice;
    }
    return std::string();
  }

  // Sets any option from text as `scanimage` would take it.
  Status SetText(const std::string& name, const std::string& text) {
    auto opt = FindOption(handle_, name);
    if (!opt) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          fmt::format("scanner {}: has no option '{}'", device_, name));
    }
    const SANE_Option_Descriptor* d = opt->desc;
    if (!Settable(d)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("scanner {}: option '{}' cannot be set now",
                                   device_, name));
    }
    std::vector<char> buf(std::max<SANE_Int>(d->size, sizeof(SANE_Word)) + 1,
                          0);
    auto bad = [&] {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("scanner {}: option '{}' does not take '{}' "
                                   "(allowed: {})",
                                   device_, name, text, RangeText(d)));
    };
    switch (d->type) {
      case SANE_TYPE_BOOL: {
        std::string t = Lower(text);
        SANE_Word w;
        if (t == "yes" || t == "true" || t == "1")
          w = SANE_TRUE;
        else if (t == "no" || t == "false" || t == "0")
          w = SANE_FALSE;
        else
          return bad();
        std::memcpy(buf.data(), &w, sizeof w);
        break;
      }
      case SANE_TYPE_INT:
      case SANE_TYPE_FIXED: {
        double v = 0;
        try {
          size_t used = 0;
          v = std::stod(text, &used);
          if (used != text.size()) return bad();
        } catch (...) {
          return bad();
        }
        SANE_Word w = d->type == SANE_TYPE_FIXED
                          ? SANE_FIX(v)
                          : static_cast<SANE_Word>(std::lround(v));
        std::memcpy(buf.data(), &w, sizeof w);
        break;
      }
      case SANE_TYPE_STRING: {
        std::string value = text;
        auto choices = StringChoices(d);
        if (!choices.empty()) {
          auto it = std::find_if(choices.begin(), choices.end(), [&](auto& c) {
            return Lower(c) == Lower(text);
          });
          if (it == choices.end()) return bad();
          value = *it;
        }
        if (value.size() + 1 > static_cast<size_t>(d->size)) return bad();
        std::memcpy(buf.data(), value.c_str(), value.size() + 1);
        break;
      }
      default:
        return bad();
    }
    SANE_Int info = 0;
    SANE_Status s = sane_control_option(
        handle_, opt->index, SANE_ACTION_SET_VALUE, buf.data(), &info);
    if (s == SANE_STATUS_INVAL) return bad();
    if (s != SANE_STATUS_GOOD) {
      return MakeError(ErrorCode::kIo,
                       fmt::format("scanner {}: setting '{}': {}", device_,
                                   name, StatusText(s)));
    }
    return Ok();
  }

  std::optional<double> NumberOption(const std::string& name) {
    auto opt = FindOption(handle_, name);
    if (!opt || !SANE_OPTION_IS_ACTIVE(opt->desc->cap)) return std::nullopt;
    if (opt->desc->type != SANE_TYPE_INT && opt->desc->type != SANE_TYPE_FIXED)
      return std::nullopt;
    std::vector<SANE_Word> buf(
        std::max<size_t>(1, opt->desc->size / sizeof(SANE_Word)));
    if (sane_control_option(handle_, opt->index, SANE_ACTION_GET_VALUE,
                            buf.data(), nullptr) != SANE_STATUS_GOOD) {
      return std::nullopt;
    }
    return opt->desc->type == SANE_TYPE_FIXED ? SANE_UNFIX(buf[0])
                                              : static_cast<double>(buf[0]);
  }

  Status Configure(const ScanSettings& settings) {
    auto choices_of = [&](const std::string& name) {
      auto opt = FindOption(handle_, name);
      return opt ? StringChoices(opt->desc) : std::vector<std::string>{};
    };
    // Source.
    if (settings.source != ScanSource::kDefault) {
      const auto offered = choices_of(SANE_NAME_SCAN_SOURCE);
      auto is_flatbed = [](const std::string& c) {
        return Contains(c, "flatbed") || Lower(c) == "normal";
      };
      auto is_duplex = [](const std::string& c) {
        return Contains(c, "duplex");
      };
      auto is_adf = [&](const std::string& c) {
        return (Contains(c, "adf") || Contains(c, "feeder")) && !is_duplex(c) &&
               !Contains(c, "back");
      };
      std::string chosen;
      if (settings.source == ScanSource::kFlatbed) {
        auto r = SetChoice(SANE_NAME_SCAN_SOURCE, is_flatbed);
        if (!r) return std::unexpected(r.error());
        chosen = *r;
        // A device without a source option is a flatbed.
        if (chosen.empty() && offered.empty()) chosen = "(only)";
      } else if (settings.source == ScanSource::kAdf) {
        auto r = SetChoice(SANE_NAME_SCAN_SOURCE, is_adf);
        if (!r) return std::unexpected(r.error());
        chosen = *r;
      } else {
        auto r = SetChoice(SANE_NAME_SCAN_SOURCE, is_duplex);
        if (!r) return std::unexpected(r.error());
        chosen = *r;
        if (chosen.empty()) {
          // Better simplex with a warning than no scan: the operator sees it.
          auto simplex = SetChoice(SANE_NAME_SCAN_SOURCE, is_adf);
          if (!simplex) return std::unexpected(simplex.error());
          chosen = *simplex;
          if (!chosen.empty()) {
            warnings_.push_back(
                {"no-duplex",
                 fmt::format("scanner {}: offers no duplex feeder "
                             "(sources: {}); scanned one side only",
                             device_, fmt::join(offered, ", "))});
          }
        }
      }
      if (chosen.empty()) {
        return MakeError(
            ErrorCode::kInvalidArgument,
            fmt::format("scanner {}: has no {} source (offered: {})", device_,
                        ScanSourceName(settings.source),
                        offered.empty()
                            ? "none"
                            : fmt::format("{}", fmt::join(offered, ", "))));
      }
    }
    // Mode.
    if (settings.mode != ScanMode::kDefault) {
      const auto offered = choices_of(SANE_NAME_SCAN_MODE);
      std::function<bool(const std::string&)> accept;
      switch (settings.mode) {
        case ScanMode::kColor:
          accept = [](const std::string& c) {
            return Contains(c, "color") || Contains(c, "colour");
          };
          break;
        case ScanMode::kGray:
          accept = [](const std::string& c) {
            return Contains(c, "gray") || Contains(c, "grey");
          };
          break;
        default:
          accept = [](const std::string& c) {
            return Contains(c, "lineart") || Contains(c, "binary") ||
                   Contains(c, "black") || Lower(c) == "bw";
          };
      }
      auto r = SetChoice(SANE_NAME_SCAN_MODE, accept);
      if (!r) return std::unexpected(r.error());
      bool ok = !r->empty();
      if (!ok && settings.mode == ScanMode::kLineart) {
        // Some backends express line-art as gray at 1 bit per sample.
        auto gray = SetChoice(SANE_NAME_SCAN_MODE, [](const std::string& c) {
          return Contains(c, "gray") || Contains(c, "grey");
        });
        if (!gray) return std::unexpected(gray.error());
        ok = !gray->empty() && SetText(SANE_NAME_BIT_DEPTH, "1").has_value();
      }
      if (!ok) {
        return MakeError(
            ErrorCode::kInvalidArgument,
            fmt::format("scanner {}: has no {} mode (offered: {})", device_,
                        ScanModeName(settings.mode),
                        offered.empty()
                            ? "none"
                            : fmt::format("{}", fmt::join(offered, ", "))));
      }
      if (settings.mode != ScanMode::kLineart) {
        if (auto depth = FindOption(handle_, SANE_NAME_BIT_DEPTH);
            depth && Settable(depth->desc)) {
          (void)SetText(SANE_NAME_BIT_DEPTH, "8");  // best effort
        }
      }
    }
    // Resolution.
    if (settings.dpi > 0) {
      if (!FindOption(handle_, SANE_NAME_SCAN_RESOLUTION)) {
        return MakeError(
            ErrorCode::kInvalidArgument,
            fmt::format("scanner {}: resolution cannot be set", device_));
      }
      if (auto s =
              SetText(SANE_NAME_SCAN_RESOLUTION, std::to_string(settings.dpi));
          !s)
        return s;
    }
    for (const auto& [name, value] : settings.extra_options) {
      if (auto s = SetText(name, value); !s) return s;
    }
    auto res = NumberOption(SANE_NAME_SCAN_RESOLUTION);
    if (res && *res > 0) {
      dpi_ = *res;
    } else {
      dpi_ = settings.dpi > 0 ? settings.dpi : 300.0;
      warnings_.push_back(
          {"dpi-unknown", fmt::format("scanner {}: reports no "
                                      "resolution; assuming {:.0f} dpi",
                                      device_, dpi_)});
    }
    max_pages_ = settings.max_pages;
    if (settings.source == ScanSource::kDefault) {
      // The device default may be a feeder.
      auto opt = FindOption(handle_, SANE_NAME_SCAN_SOURCE);
      if (opt && opt->desc->type == SANE_TYPE_STRING) {
        std::vector<char> buf(opt->desc->size + 1, 0);
        if (sane_control_option(handle_, opt->index, SANE_ACTION_GET_VALUE,
                                buf.data(), nullptr) == SANE_STATUS_GOOD) {
          std::string v(buf.data());
          feeder_ = Contains(v, "adf") || Contains(v, "feeder") ||
                    Contains(v, "duplex");
        }
      }
    }
    return Ok();
  }

  Result<std::optional<RawPage>> Next() override {
    if (done_) return std::optional<RawPage>();
    if (pages_ >= max_pages_) {
      Finish();
      return std::optional<RawPage>();
    }
    const int page_number = pages_ + 1;
    auto fail = [&](SANE_Status s) -> Result<std::optional<RawPage>> {
      done_ = true;
      failed_ = true;  // cancelled in the destructor, after the report
      return MakeError(
          ErrorCode::kIo,
          fmt::format("scanner {}: {} (page {}; {} page(s) scanned "
                      "before)",
                      device_, StatusText(s), page_number, pages_));
    };
    if (pages_ == 0) threads_before_scan_ = ThreadCount();
    SANE_Status s = sane_start(handle_);
    if (s == SANE_STATUS_NO_DOCS && feeder_ && pages_ > 0) {
      Finish();
      return std::optional<RawPage>();
    }
    if (s != SANE_STATUS_GOOD) return fail(s);

    cv::Mat planes[3];
    cv::Mat image;
    bool bilevel = false;
    for (int frame = 0; frame < 4; ++frame) {
      SANE_Parameters p{};
      s = sane_get_parameters(handle_, &p);
      if (s != SANE_STATUS_GOOD) return fail(s);
      std::vector<unsigned char> data;
      if (p.lines > 0 && p.bytes_per_line > 0) {
        data.reserve(static_cast<size_t>(p.lines) * p.bytes_per_line);
      }
      std::vector<unsigned char> chunk(64 * 1024);
      for (;;) {
        SANE_Int len = 0;
        s = sane_read(handle_, chunk.data(),
                      static_cast<SANE_Int>(chunk.size()), &len);
        if (s == SANE_STATUS_EOF) break;
        if (s != SANE_STATUS_GOOD) return fail(s);
        data.insert(data.end(), chunk.begin(), chunk.begin() + len);
      }
      auto converted = Convert(p, data, page_number);
      if (!converted) {
        Finish();
        return std::unexpected(converted.error());
      }
      bilevel = p.depth == 1;
      switch (p.format) {
        case SANE_FRAME_RED:
          planes[2] = *converted;
          break;
        case SANE_FRAME_GREEN:
          planes[1] = *converted;
          break;
        case SANE_FRAME_BLUE:
          planes[0] = *converted;
          break;
        default:
          image = *converted;
          break;
      }
      if (p.last_frame) break;
      s = sane_start(handle_);
      if (s != SANE_STATUS_GOOD) return fail(s);
    }
    if (image.empty()) {
      if (planes[0].empty() || planes[1].empty() || planes[2].empty() ||
          planes[0].size() != planes[1].size() ||
          planes[1].size() != planes[2].size()) {
        Finish();
        return MakeError(
            ErrorCode::kCorruptInput,
            fmt::format("scanner {}: page {}: incomplete colour frames",
                        device_, page_number));
      }
      cv::merge(planes, 3, image);
    }
    if (!feeder_) Finish();
    ++pages_;
    RawPage page;
    page.image = std::move(image);
    page.dpi = dpi_;
    page.bilevel = bilevel;
    page.source_file = device_;
    page.source_index = pages_ - 1;
    return std::optional<RawPage>(std::move(page));
  }

  std::string Describe() const override {
    return fmt::format("scanner {}{}", device_, feeder_ ? " (feeder)" : "");
  }
  std::vector<Warning> warnings() const override { return warnings_; }

 private:
  // The batch ended normally (the flatbed page or the feeder is done).
  void Finish() {
    if (!done_) Cancel();
    done_ = true;
  }

  // Backends built on sanei_thread read the page in a thread of their own
  // and cancel it asynchronously in sane_cancel. A reader cancelled while
  // it frees its buffer, or inside the dynamic loader, leaves that lock
  // held and the next malloc or dlclose waits forever (seen with the
  // `test` backend: after a jam, and after the last bytes of a page, when
  // the reader is still finishing). So sane_cancel waits until the threads
  // the backend started for this scan have ended, or for at most a second,
  // by which time a reader that has more to write is blocked on its full
  // pipe: a safe point to be cancelled at. Backends without such threads
  // are not slowed. The process is the driver's alone, so every thread
  // besides this one is the backend's.
  void Cancel() {
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (ThreadCount() > threads_before_scan_ &&
           std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    sane_cancel(handle_);
    cancelled_ = true;
  }

  static int ThreadCount() {
    std::error_code ec;
    int n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/task", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      ++n;
    }
    return n;
  }

  Result<cv::Mat> Convert(const SANE_Parameters& p,
                          const std::vector<unsigned char>& data,
                          int page_number) {
    auto bad = [&](const std::string& why) {
      return MakeError(
          ErrorCode::kCorruptInput,
          fmt::format("scanner {}: page {}: {}", device_, page_number, why));
    };
    if (p.bytes_per_line <= 0 || p.pixels_per_line <= 0)
      return bad("no image data");
    const int bpl = p.bytes_per_line;
    const int lines = static_cast<int>(data.size() / static_cast<size_t>(bpl));
    if (lines <= 0) return bad("no image data");
    const int width = p.pixels_per_line;
    const bool rgb = p.format == SANE_FRAME_RGB;
    const int channels = rgb ? 3 : 1;
    const int depth = p.depth;
    if (depth != 1 && depth != 8 && depth != 16) {
      return bad(fmt::format("unsupported bit depth {}", depth));
    }
    const size_t needed_bits = static_cast<size_t>(width) * channels * depth;
    if (needed_bits > static_cast<size_t>(bpl) * 8)
      return bad("line shorter than its pixels");
    cv::Mat out(lines, width, rgb ? CV_8UC3 : CV_8UC1);
    for (int y = 0; y < lines; ++y) {
      const unsigned char* row = data.data() + static_cast<size_t>(y) * bpl;
      unsigned char* dst = out.ptr<unsigned char>(y);
      for (int i = 0; i < width * channels; ++i) {
        unsigned char v;
        if (depth == 8) {
          v = row[i];
        } else if (depth == 16) {
          std::uint16_t w;
          std::memcpy(&w, row + 2 * i, 2);
          v = static_cast<unsigned char>(w >> 8);
        } else {
          bool black = (row[i / 8] >> (7 - i % 8)) & 1;
          v = black ? 0 : 255;
        }
        dst[i] = v;
      }
    }
    if (rgb) cv::cvtColor(out, out, cv::COLOR_RGB2BGR);
    return out;
  }

  std::string device_;
  SANE_Handle handle_ = nullptr;
  bool feeder_ = false;
  bool done_ = false;
  bool cancelled_ = false;
  bool failed_ = false;
  int threads_before_scan_ = 1;
  int pages_ = 0;
  int max_pages_ = 500;
  double dpi_ = 300.0;
  std::vector<Warning> warnings_;
};

}  // namespace

Result<ScanSource> ParseScanSource(const std::string& text) {
  if (text.empty()) return ScanSource::kDefault;
  if (text == "flatbed") return ScanSource::kFlatbed;
  if (text == "adf") return ScanSource::kAdf;
  if (text == "adf-duplex") return ScanSource::kAdfDuplex;
  return MakeError(
      ErrorCode::kInvalidArgument,
      "unknown scan source '" + text + "' (use flatbed, adf or adf-duplex)");
}

Result<ScanMode> ParseScanMode(const std::string& text) {
  if (text.empty()) return ScanMode::kDefault;
  if (text == "color") return ScanMode::kColor;
  if (text == "gray") return ScanMode::kGray;
  if (text == "lineart") return ScanMode::kLineart;
  return MakeError(
      ErrorCode::kInvalidArgument,
      "unknown scan mode '" + text + "' (use color, gray or lineart)");
}

std::string ScanSourceName(ScanSource source) {
  switch (source) {
    case ScanSource::kFlatbed:
      return "flatbed";
    case ScanSource::kAdf:
      return "adf";
    case ScanSource::kAdfDuplex:
      return "adf-duplex";
    default:
      return "";
  }
}

std::string ScanModeName(ScanMode mode) {
  switch (mode) {
    case ScanMode::kColor:
      return "color";
    case ScanMode::kGray:
      return "gray";
    case ScanMode::kLineart:
      return "lineart";
    default:
      return "";
  }
}

namespace {

using internal::Channel;
using internal::DriverProcess;
using internal::MessageReader;
using internal::MessageWriter;

// Watchdogs in the driver process (alarm: the process ends on SIGALRM).
// One page may take this long to scan; closing and leaving this long.
constexpr unsigned kPageSeconds = 600;
constexpr unsigned kLeaveSeconds = 15;

// Replies from the driver process: the first byte says which.
constexpr std::uint8_t kReplyError = 'E';
constexpr std::uint8_t kReplyOpened = 'O';
constexpr std::uint8_t kReplyPage = 'P';
constexpr std::uint8_t kReplyDone = 'D';
constexpr std::uint8_t kReplyList = 'L';
// Requests to it.
constexpr char kRequestNext[] = "N";

void PutError(MessageWriter& w, const Error& e) {
  w.U8(kReplyError).I64(static_cast<std::int64_t>(e.code)).Str(e.message);
}

void PutWarnings(MessageWriter& w, const std::vector<Warning>& warnings) {
  w.I64(static_cast<std::int64_t>(warnings.size()));
  for (const auto& x : warnings) w.Str(x.code).Str(x.message);
}

std::vector<Warning> GetWarnings(MessageReader& r) {
  std::vector<Warning> out;
  const std::int64_t n = r.I64();
  for (std::int64_t i = 0; r.ok() && i < n; ++i) {
    Warning w;
    w.code = r.Str();
    w.message = r.Str();
    out.push_back(std::move(w));
  }
  return out;
}

Error GetError(MessageReader& r) {
  Error e;
  e.code = static_cast<ErrorCode>(r.I64());
  e.message = r.Str();
  return e;
}

Error Garbled(const std::string& what) {
  return Error{ErrorCode::kInternal,
               fmt::format("{}: the scanner driver sent a garbled reply", what)};
}

// A reply of kind kReplyError as the error it carries (garbled if it is cut
// short); Ok for a reply of any other kind.
Status ReplyStatus(std::uint8_t kind, MessageReader& r, const std::string& what) {
  if (kind != kReplyError) return Ok();
  Error e = GetError(r);
  if (!r.ok()) return std::unexpected(Garbled(what));
  return std::unexpected(std::move(e));
}

Status InitSane() {
  SANE_Int version = 0;
  SANE_Status s = sane_init(&version, nullptr);
  if (s != SANE_STATUS_GOOD) {
    return MakeError(
        ErrorCode::kIo,
        fmt::format("SANE: cannot initialise: {}", sane_strstatus(s)));
  }
  return Ok();
}

// In the driver process.
Result<std::vector<ScannerInfo>> ListHere() {
  const SANE_Device** list = nullptr;
  SANE_Status s = sane_get_devices(&list, SANE_FALSE);
  if (s != SANE_STATUS_GOOD) {
    return MakeError(
        ErrorCode::kIo,
        fmt::format("SANE: cannot list scanners: {}", StatusText(s)));
  }
  std::vector<ScannerInfo> out;
  for (const SANE_Device** d = list; d != nullptr && *d != nullptr; ++d) {
    auto str = [](const char* s) { return s ? std::string(s) : std::string(); };
    out.push_back({str((*d)->name), str((*d)->vendor), str((*d)->model),
                   str((*d)->type)});
  }
  return out;
}

// In the driver process.
Result<std::unique_ptr<SaneScanner>> OpenHere(const ScanSettings& settings,
                                              const std::string& device) {
  bool feeder = settings.source == ScanSource::kAdf ||
                settings.source == ScanSource::kAdfDuplex;
  auto scanner = std::make_unique<SaneScanner>(device, feeder);
  if (auto s = scanner->Open(); !s) return std::unexpected(s.error());
  if (auto s = scanner->Configure(settings); !s)
    return std::unexpected(s.error());
  return scanner;
}

// The device a setting names, or the first one SANE finds.
Result<std::string> ChooseDevice(const ScanSettings& settings) {
  if (!settings.device.empty()) return settings.device;
  const SANE_Device** list = nullptr;
  SANE_Status s = sane_get_devices(&list, SANE_FALSE);
  if (s != SANE_STATUS_GOOD || list == nullptr || list[0] == nullptr) {
    return MakeError(ErrorCode::kNotFound,
                     "no scanner found (check the cable or network, the SANE "
                     "configuration, and `dossier scan --list-devices`)");
  }
  return std::string(list[0]->name);
}

// The driver process's side of a scanner: opens it, then answers each
// request for the next page until the parent leaves. After an error it
// reports first and closes the device afterwards, under a watchdog, and
// skips sane_exit: a backend whose cancel went wrong may hang there.
void ServeScanner(Channel& channel, const ScanSettings& settings) {
  auto reply_error = [&](const Error& e) {
    MessageWriter w;
    PutError(w, e);
    PutWarnings(w, {});
    channel.Send(w.str());
  };
  if (auto s = InitSane(); !s) return reply_error(s.error());
  bool clean = true;
  {
    auto device = ChooseDevice(settings);
    if (!device) return reply_error(device.error());
    auto scanner = OpenHere(settings, *device);
    if (!scanner) {
      reply_error(scanner.error());
      alarm(kLeaveSeconds);
      return;
    }
    {
      MessageWriter w;
      w.U8(kReplyOpened).Str((*scanner)->Describe());
      PutWarnings(w, (*scanner)->warnings());
      if (!channel.Send(w.str())) return;
    }
    for (;;) {
      auto request = channel.Receive();
      if (!request || *request != kRequestNext) break;
      alarm(kPageSeconds);
      auto page = (*scanner)->Next();
      alarm(0);
      MessageWriter w;
      if (!page) {
        PutError(w, page.error());
      } else if (!page->has_value()) {
        w.U8(kReplyDone);
      } else {
        RawPage& p = **page;
        cv::Mat image = p.image.isContinuous() ? p.image : p.image.clone();
        w.U8(kReplyPage)
            .I64(image.rows)
            .I64(image.cols)
            .I64(image.type())
            .Bytes(image.data, image.total() * image.elemSize())
            .F64(p.dpi)
            .U8(p.bilevel ? 1 : 0)
            .Str(p.source_file)
            .I64(p.source_index);
        PutWarnings(w, p.warnings);
      }
      PutWarnings(w, (*scanner)->warnings());
      if (!channel.Send(w.str())) break;
      if (!page || !page->has_value()) break;
    }
    clean = !(*scanner)->failed();
    alarm(kLeaveSeconds);  // closing the device
  }
  if (clean) sane_exit();
  alarm(0);
}

// The station's side: every SANE call happens in the driver process.
class ScannerProxy final : public PageSource {
 public:
  ScannerProxy(std::unique_ptr<DriverProcess> driver, std::string describe,
               std::vector<Warning> warnings)
      : driver_(std::move(driver)),
        describe_(std::move(describe)),
        warnings_(std::move(warnings)) {}

  Result<std::optional<RawPage>> Next() override {
    if (done_) return std::optional<RawPage>();
    auto fail = [&](Error e) -> Result<std::optional<RawPage>> {
      done_ = true;
      return std::unexpected(std::move(e));
    };
    if (!driver_->Send(kRequestNext)) {
      auto gone = driver_->Receive();
      return fail(gone ? Garbled(describe_) : gone.error());
    }
    auto reply = driver_->Receive();
    if (!reply) {
      Error e = reply.error();
      e.message += fmt::format(" ({} page(s) scanned before)", pages_);
      return fail(std::move(e));
    }
    MessageReader r(*reply);
    const std::uint8_t kind = r.U8();
    if (kind == kReplyError) {
      Error e = GetError(r);
      warnings_ = GetWarnings(r);
      if (!r.ok()) return fail(Garbled(describe_));
      return fail(std::move(e));
    }
    if (kind == kReplyDone) {
      warnings_ = GetWarnings(r);
      done_ = true;
      if (!r.ok()) return fail(Garbled(describe_));
      return std::optional<RawPage>();
    }
    if (kind != kReplyPage) return fail(Garbled(describe_));
    const std::int64_t rows = r.I64(), cols = r.I64(), type = r.I64();
    const std::string bytes = r.Str();
    RawPage page;
    page.dpi = r.F64();
    page.bilevel = r.U8() != 0;
    page.source_file = r.Str();
    page.source_index = static_cast<int>(r.I64());
    page.warnings = GetWarnings(r);
    warnings_ = GetWarnings(r);
    if (!r.ok() || rows <= 0 || cols <= 0 ||
        (type != CV_8UC1 && type != CV_8UC3)) {
      return fail(Garbled(describe_));
    }
    page.image.create(static_cast<int>(rows), static_cast<int>(cols),
                      static_cast<int>(type));
    if (bytes.size() != page.image.total() * page.image.elemSize())
      return fail(Garbled(describe_));
    std::memcpy(page.image.data, bytes.data(), bytes.size());
    ++pages_;
    return std::optional<RawPage>(std::move(page));
  }

  std::string Describe() const override { return describe_; }
  std::vector<Warning> warnings() const override { return warnings_; }

 private:
  std::unique_ptr<DriverProcess> driver_;
  std::string describe_;
  std::vector<Warning> warnings_;
  bool done_ = false;
  int pages_ = 0;
};

}  // namespace

Result<std::vector<ScannerInfo>> ListScanners() {
  auto driver = DriverProcess::Start("SANE", [](Channel& channel) {
    MessageWriter w;
    if (auto s = InitSane(); !s) {
      PutError(w, s.error());
      channel.Send(w.str());
      return;
    }
    auto list = ListHere();
    if (!list) {
      PutError(w, list.error());
    } else {
      w.U8(kReplyList).I64(static_cast<std::int64_t>(list->size()));
      for (const auto& d : *list) w.Str(d.name).Str(d.vendor).Str(d.model).Str(d.type);
    }
    channel.Send(w.str());
    alarm(kLeaveSeconds);
    sane_exit();
  });
  if (!driver) return std::unexpected(driver.error());
  auto reply = (*driver)->Receive();
  if (!reply) return std::unexpected(reply.error());
  MessageReader r(*reply);
  const std::uint8_t kind = r.U8();
  if (auto s = ReplyStatus(kind, r, "SANE"); !s) return std::unexpected(s.error());
  std::vector<ScannerInfo> out;
  const std::int64_t n = r.I64();
  for (std::int64_t i = 0; r.ok() && i < n; ++i) {
    ScannerInfo d;
    d.name = r.Str();
    d.vendor = r.Str();
    d.model = r.Str();
    d.type = r.Str();
    out.push_back(std::move(d));
  }
  if (kind != kReplyList || !r.ok()) return std::unexpected(Garbled("SANE"));
  return out;
}

Result<std::unique_ptr<PageSource>> OpenScanner(const ScanSettings& settings) {
  const std::string what =
      settings.device.empty() ? std::string("scanner")
                              : fmt::format("scanner {}", settings.device);
  auto driver = DriverProcess::Start(
      what, [settings](Channel& channel) { ServeScanner(channel, settings); },
      std::chrono::seconds(kLeaveSeconds + 5));
  if (!driver) return std::unexpected(driver.error());
  auto reply = (*driver)->Receive();
  if (!reply) return std::unexpected(reply.error());
  MessageReader r(*reply);
  const std::uint8_t kind = r.U8();
  if (auto s = ReplyStatus(kind, r, what); !s) return std::unexpected(s.error());
  std::string describe = r.Str();
  auto warnings = GetWarnings(r);
  if (kind != kReplyOpened || !r.ok()) return std::unexpected(Garbled(what));
  return std::unique_ptr<PageSource>(std::make_unique<ScannerProxy>(
      std::move(*driver), std::move(describe), std::move(warnings)));
}

}  // namespace dossier::capture
