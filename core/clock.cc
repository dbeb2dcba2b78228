#include "core/clock.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <mutex>

namespace dossier {
namespace {

std::mutex& ClockMutex() {
  static std::mutex m;
  return m;
}

std::shared_ptr<const Clock>& InstalledClock() {
  static std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
  return clock;
}

// Plain civil-date arithmetic on days since 1970-01-01.
struct Civil {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

Civil ToCivil(TimePoint t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{t - days};
  return Civil{static_cast<int>(ymd.year()), static_cast<int>(
                   static_cast<unsigned>(ymd.month())),
               static_cast<int>(static_cast<unsigned>(ymd.day())),
               static_cast<int>(hms.hours().count()),
               static_cast<int>(hms.minutes().count()),
               static_cast<int>(hms.seconds().count())};
}

const icu::TimeZone& Icu(const std::shared_ptr<const void>& zone) {
  return *static_cast<const icu::TimeZone*>(zone.get());
}

std::shared_ptr<const void> Own(icu::TimeZone* tz) {
  return std::shared_ptr<const void>(
      tz, [](const void* p) { delete static_cast<const icu::TimeZone*>(p); });
}

std::string IcuName(const icu::TimeZone& tz) {
  icu::UnicodeString id;
  tz.getID(id);
  std::string out;
  id.toUTF8String(out);
  return out;
}

}  // namespace

TimePoint SystemClock::Now() const {
  return std::chrono::floor<std::chrono::seconds>(
      std::chrono::system_clock::now());
}

const Clock& GetClock() {
  std::lock_guard lock(ClockMutex());
  return *InstalledClock();
}

std::shared_ptr<const Clock> SetClock(std::shared_ptr<const Clock> clock) {
  std::lock_guard lock(ClockMutex());
  auto previous = InstalledClock();
  InstalledClock() = clock ? std::move(clock) : std::make_shared<SystemClock>();
  return previous;
}

TimePoint Now() { return GetClock().Now(); }

std::string FormatUtc(TimePoint t) {
  const Civil c = ToCivil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year,
                c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

std::string NowIso8601() { return FormatUtc(Now()); }

Result<TimePoint> ParseUtc(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const std::string str(text);
  int consumed = 0;
  bool ok = false;
  if (str.size() == 10) {
    ok = std::sscanf(str.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) == 3 &&
         consumed == 10;
  } else if (str.size() == 19 || (str.size() == 20 && str.back() == 'Z')) {
    ok = std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h,
                     &mi, &s, &consumed) == 6 &&
         consumed == 19;
  }
  const std::chrono::year_month_day ymd{
      std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
      std::chrono::day(static_cast<unsigned>(d))};
  if (!ok || !ymd.ok() || h > 23 || mi > 59 || s > 60) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "'" + str + "' is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
  }
  return std::chrono::sys_days(ymd) + std::chrono::hours(h) +
         std::chrono::minutes(mi) + std::chrono::seconds(s);
}

Result<TimeZone> TimeZone::Named(std::string_view name) {
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(
      icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(),
                                                    static_cast<int32_t>(name.size())))));
  if (!tz || *tz == icu::TimeZone::getUnknown()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown time zone '" + std::string(name) +
                         "' (use an IANA name such as Asia/Shanghai)");
  }
  std::string canonical = IcuName(*tz);
  return TimeZone(std::move(canonical), Own(tz.release()));
}

TimeZone TimeZone::Machine() {
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::detectHostTimeZone());
  if (!tz || *tz == icu::TimeZone::getUnknown()) return Utc();
  std::string name = IcuName(*tz);
  return TimeZone(std::move(name), Own(tz.release()));
}

TimeZone TimeZone::Utc() {
  return TimeZone("UTC", Own(icu::TimeZone::getGMT()->clone()));
}

std::chrono::seconds TimeZone::OffsetAt(TimePoint t) const {
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  const double ms =
      static_cast<double>(t.time_since_epoch().count()) * 1000.0;
  Icu(zone_).getOffset(ms, false, raw, dst, status);
  if (U_FAILURE(status)) return std::chrono::seconds(0);
  return std::chrono::seconds((raw + dst) / 1000);
}

std::string TimeZone::LocalDate(TimePoint t) const {
  const Civil c = ToCivil(t + OffsetAt(t));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::string TimeZone::LocalDateTime(TimePoint t) const {
  const Civil c = ToCivil(t + OffsetAt(t));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year,
                c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

std::string TimeZone::Display(TimePoint t) const {
  const auto offset = OffsetAt(t);
  const Civil c = ToCivil(t + offset);
  const long minutes = static_cast<long>(offset.count() / 60);
  const long abs_minutes = minutes < 0 ? -minutes : minutes;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d %c%02ld:%02ld",
                c.year, c.month, c.day, c.hour, c.minute,
                minutes < 0 ? '-' : '+', abs_minutes / 60, abs_minutes % 60);
  return buf;
}

std::string TimeZone::DisplayUtc(std::string_view iso_utc) const {
  if (iso_utc.size() < 19) return std::string(iso_utc);
  auto t = ParseUtc(iso_utc);
  if (!t) return std::string(iso_utc);
  return Display(*t);
}

int TimeZone::LocalYear(TimePoint t) const { return ToCivil(t + OffsetAt(t)).year; }

Result<std::string> AddDays(std::string_view date, int days) {
  if (date.size() != 10) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "'" + std::string(date) + "' is not a date (YYYY-MM-DD)");
  }
  auto t = ParseUtc(date);
  if (!t) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "'" + std::string(date) + "' is not a date (YYYY-MM-DD)");
  }
  return FormatUtc(*t + std::chrono::days(days)).substr(0, 10);
}

}  // namespace dossier
