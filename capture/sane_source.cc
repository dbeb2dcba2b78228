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
#include <functional>
#include <chrono>
#include <mutex>
#include <thread>
#include <opencv2/imgproc.hpp>

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

// One sane_init for the process while anything here is in use.
std::mutex g_session_mutex;
int g_session_users = 0;

class SessionRef {
 public:
  static Result<SessionRef> Acquire() {
    std::lock_guard lock(g_session_mutex);
    if (g_session_users == 0) {
      SANE_Int version = 0;
      SANE_Status s = sane_init(&version, nullptr);
      if (s != SANE_STATUS_GOOD) {
        return MakeError(
            ErrorCode::kIo,
            fmt::format("SANE: cannot initialise: {}", sane_strstatus(s)));
      }
    }
    ++g_session_users;
    return SessionRef();
  }
  SessionRef(SessionRef&& other) noexcept
      : active_(std::exchange(other.active_, false)) {}
  SessionRef(const SessionRef&) = delete;
  SessionRef& operator=(const SessionRef&) = delete;
  SessionRef& operator=(SessionRef&&) = delete;
  ~SessionRef() {
    if (!active_) return;
    std::lock_guard lock(g_session_mutex);
    if (--g_session_users == 0) sane_exit();
  }

 private:
  SessionRef() = default;
  bool active_ = true;
};

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
  SaneScanner(SessionRef session, std::string device, bool feeder)
      : session_(std::move(session)),
        device_(std::move(device)),
        feeder_(feeder) {}
  ~SaneScanner() override {
    if (handle_ != nullptr) {
      sane_cancel(handle_);
      sane_close(handle_);
    }
  }

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
      Finish(/*after_error=*/true);
      return MakeError(
          ErrorCode::kIo,
          fmt::format("scanner {}: {} (page {}; {} page(s) scanned "
                      "before)",
                      device_, StatusText(s), page_number, pages_));
    };
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
  // after_error: the scan stopped on an error (a jam, a read failure) while
  // the backend's reader may still be producing the page. Backends built on
  // sanei_thread cancel that reader thread asynchronously in sane_cancel; a
  // reader cancelled inside malloc leaves the allocator locked and the
  // cancel waits for it forever (seen with the `test` backend). Waiting a
  // moment lets the reader block on its full pipe, a safe point, first.
  void Finish(bool after_error = false) {
    if (!done_) {
      if (after_error) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      sane_cancel(handle_);
    }
    done_ = true;
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

  SessionRef session_;
  std::string device_;
  SANE_Handle handle_ = nullptr;
  bool feeder_ = false;
  bool done_ = false;
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

Result<std::vector<ScannerInfo>> ListScanners() {
  auto session = SessionRef::Acquire();
  if (!session) return std::unexpected(session.error());
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

Result<std::unique_ptr<PageSource>> OpenScanner(const ScanSettings& settings) {
  auto session = SessionRef::Acquire();
  if (!session) return std::unexpected(session.error());
  std::string device = settings.device;
  if (device.empty()) {
    const SANE_Device** list = nullptr;
    SANE_Status s = sane_get_devices(&list, SANE_FALSE);
    if (s != SANE_STATUS_GOOD || list == nullptr || list[0] == nullptr) {
      return MakeError(ErrorCode::kNotFound,
                       "no scanner found (check the cable or network, the SANE "
                       "configuration, and `dossier scan --list-devices`)");
    }
    device = list[0]->name;
  }
  bool feeder = settings.source == ScanSource::kAdf ||
                settings.source == ScanSource::kAdfDuplex;
  auto scanner =
      std::make_unique<SaneScanner>(std::move(*session), device, feeder);
  if (auto s = scanner->Open(); !s) return std::unexpected(s.error());
  if (auto s = scanner->Configure(settings); !s)
    return std::unexpected(s.error());
  return std::unique_ptr<PageSource>(std::move(scanner));
}

}  // namespace dossier::capture
