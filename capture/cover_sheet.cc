#include "capture/cover_sheet.h"

#include <ZXing/ReadBarcode.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <opencv2/imgproc.hpp>

namespace dossier::capture {

namespace {

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Strict UTF-8 check: no overlong forms, no surrogates, nothing above
// U+10FFFF, no control characters.
bool IsCleanUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      ++i;
      continue;
    }
    int len;
    char32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else
      return false;
    if (i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0)) {
      return false;
    }
    i += len;
  }
  return true;
}

// Two upper-case letters, '-', four digits, '-', six digits, '-', one
// digit or upper-case letter.
bool LooksLikeCustomerCode(std::string_view s) {
  if (s.size() != 16) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool ok;
    if (i < 2)
      ok = c >= 'A' && c <= 'Z';
    else if (i == 2 || i == 7 || i == 14)
      ok = c == '-';
    else if (i < 14)
      ok = c >= '0' && c <= '9';
    else
      ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

bool LooksLikeType(std::string_view s) {
  if (s.empty() || s.size() > 32 || s.front() == '-' || s.back() == '-')
    return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (IsUnreserved(c))
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

Error Invalid(std::string why) {
  return Error{ErrorCode::kInvalidArgument,
               "cover sheet payload: " + std::move(why)};
}

}  // namespace

Result<std::string> FormatCoverPayload(const CoverSheet& sheet) {
  if (!LooksLikeCustomerCode(sheet.customer_code)) {
    return std::unexpected(Invalid("customer code '" + sheet.customer_code +
                                   "' is not of the form KH-2026-000001-7"));
  }
  if (!LooksLikeType(sheet.type)) {
    return std::unexpected(
        Invalid("document type '" + sheet.type + "' is not valid"));
  }
  if (sheet.title.size() > kMaxCoverTitle) {
    return std::unexpected(
        Invalid(fmt::format("title longer than {} bytes", kMaxCoverTitle)));
  }
  if (!IsCleanUtf8(sheet.title)) {
    return std::unexpected(Invalid("title is not clean UTF-8 text"));
  }
  std::string payload = fmt::format("{}1;c={};t={}", kCoverPrefix,
                                    sheet.customer_code, sheet.type);
  if (!sheet.title.empty()) payload += ";ti=" + PercentEncode(sheet.title);
  return payload;
}

Result<CoverSheet> ParseCoverPayload(std::string_view payload) {
  if (payload.size() > kMaxCoverPayload) {
    return std::unexpected(
        Invalid(fmt::format("{} bytes, more than the {} allowed",
                            payload.size(), kMaxCoverPayload)));
  }
  if (!payload.starts_with(kCoverPrefix)) {
    return std::unexpected(Invalid("does not start with DOSSIER-COVER/"));
  }
  payload.remove_prefix(kCoverPrefix.size());
  size_t semi = payload.find(';');
  std::string_view version = payload.substr(0, semi);
  if (version != "1") {
    std::string shown(version.substr(0, 8));
    bool printable = std::all_of(shown.begin(), shown.end(),
                                 [](char c) { return c >= 0x20 && c < 0x7f; });
    return std::unexpected(Invalid("unsupported format version '" +
                                   (printable ? shown : std::string("?")) +
                                   "'"));
  }
  if (semi == std::string_view::npos)
    return std::unexpected(Invalid("no fields"));
  payload.remove_prefix(semi + 1);

  // Fields in fixed order: c, t, then optional ti.
  std::vector<std::string_view> fields;
  while (true) {
    size_t next = payload.find(';');
    fields.push_back(payload.substr(0, next));
    if (next == std::string_view::npos) break;
    payload.remove_prefix(next + 1);
  }
  static constexpr std::string_view kKeys[] = {"c=", "t=", "ti="};
  if (fields.size() < 2 || fields.size() > 3) {
    return std::unexpected(
        Invalid(fmt::format("{} fields, expected c, t and "
                            "optionally ti",
                            fields.size())));
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!fields[i].starts_with(kKeys[i])) {
      return std::unexpected(
          Invalid(fmt::format("field {} must be '{}...'", i + 1, kKeys[i])));
    }
    fields[i].remove_prefix(kKeys[i].size());
  }
  CoverSheet sheet;
  if (!LooksLikeCustomerCode(fields[0])) {
    return std::unexpected(
        Invalid("customer code is not of the form KH-2026-000001-7"));
  }
  sheet.customer_code = std::string(fields[0]);
  if (!LooksLikeType(fields[1])) {
    return std::unexpected(Invalid("document type is not valid"));
  }
  sheet.type = std::string(fields[1]);
  if (fields.size() == 3) {
    auto title = PercentDecode(fields[2]);
    if (!title)
      return std::unexpected(Invalid("title is not properly percent-encoded"));
    if (title->empty()) return std::unexpected(Invalid("title is empty"));
    if (title->size() > kMaxCoverTitle) {
      return std::unexpected(
          Invalid(fmt::format("title longer than {} bytes", kMaxCoverTitle)));
    }
    if (!IsCleanUtf8(*title))
      return std::unexpected(Invalid("title is not clean UTF-8"));
    sheet.title = std::move(*title);
  }
  return sheet;
}

namespace {

// QR codes found on the image, as raw bytes (no charset guessing).
std::vector<std::string> ReadQrCodes(const cv::Mat& gray) {
  ZXing::ImageView view(gray.data, gray.cols, gray.rows,
                        ZXing::ImageFormat::Lum, static_cast<int>(gray.step));
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  hints.setTryDownscale(false);
  hints.setMaxNumberOfSymbols(8);
  std::vector<std::string> out;
  try {
    for (const auto& r : ZXing::ReadBarcodes(view, hints)) {
      if (!r.isValid()) continue;
      const auto& bytes = r.bytes();
      out.emplace_back(bytes.begin(), bytes.end());
    }
  } catch (...) {
    // A decoder failure on a page means "no code found", never a crash.
  }
  return out;
}

cv::Mat GrayAt(const cv::Mat& image, double dpi, double target_dpi) {
  cv::Mat gray;
  if (image.channels() == 3)
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  else if (image.channels() == 4)
    cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  else
    gray = image;
  double scale = dpi > target_dpi ? target_dpi / dpi : 1.0;
  if (scale < 0.95) {
    cv::Mat small;
    cv::resize(gray, small, {}, scale, scale, cv::INTER_AREA);
    return small;
  }
  return gray.isContinuous() ? gray : gray.clone();
}

}  // namespace

CoverDetection DetectCoverSheet(const cv::Mat& image, double dpi,
                                const std::string& where) {
  CoverDetection result;
  if (image.empty() || image.depth() != CV_8U) return result;
  if (dpi <= 0) dpi = 300.0;
  for (double target : {150.0, 300.0}) {
    cv::Mat gray = GrayAt(image, dpi, target);
    bool any = false;
    for (const auto& text : ReadQrCodes(gray)) {
      if (!text.starts_with(kCoverPrefix)) continue;  // not ours
      any = true;
      auto sheet = ParseCoverPayload(text);
      if (sheet) {
        result.kind = CoverDetection::Kind::kCover;
        result.sheet = std::move(*sheet);
        result.warning.reset();
        return result;
      }
      result.kind = CoverDetection::Kind::kInvalid;
      result.warning =
          Warning{"bad-cover-sheet", where + ": " + sheet.error().message};
    }
    if (any || dpi <= target * 1.05) break;  // nothing more to gain
  }
  return result;
}

}  // namespace dossier::capture
