// Clock and time zone: the one source of "now" and of local calendar days.
//
// Every module asks Now() (or NowIso8601()) for the current time; nothing
// calls time(), system_clock::now() or localtime directly. Tests install a
// FixedClock with ScopedClock, so "today", due dates and expiry are exact.
//
// Times are stored as ISO 8601 UTC with seconds ("2026-03-01T09:30:00Z").
// They are shown, and calendar rules (a loan's due date, "overdue",
// retention dates) are reckoned, in the archive's time zone: an IANA name
// (e.g. "Asia/Shanghai") kept in the catalog's "site" setting, defaulting to
// the machine's zone. Zone rules come from ICU.
//
// Thread safety: Now() may be called from any thread. SetClock and
// ScopedClock must not race with Now() (install the clock before starting
// threads). TimeZone is an immutable value, safe to share.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier {

using TimePoint = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// The machine's clock, truncated to seconds.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock that says what it is told; Advance moves it on.
// Thread safety: Set and Advance must not race with Now().
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint at) : at_(at) {}
  TimePoint Now() const override { return at_; }
  void Set(TimePoint at) { at_ = at; }
  void Advance(std::chrono::seconds by) { at_ += by; }

 private:
  TimePoint at_;
};

// The process's clock (a SystemClock until one is installed).
const Clock& GetClock();
// Installs a clock; nullptr restores the system clock. The previous clock
// is returned so a caller can put it back.
std::shared_ptr<const Clock> SetClock(std::shared_ptr<const Clock> clock);

// Installs a clock for the lifetime of the object (tests).
class ScopedClock {
 public:
  explicit ScopedClock(std::shared_ptr<const Clock> clock)
      : previous_(SetClock(std::move(clock))) {}
  ~ScopedClock() { SetClock(previous_); }
  ScopedClock(const ScopedClock&) = delete;
  ScopedClock& operator=(const ScopedClock&) = delete;

 private:
  std::shared_ptr<const Clock> previous_;
};

TimePoint Now();
// ISO 8601 UTC with seconds: "2026-03-01T09:30:00Z".
std::string FormatUtc(TimePoint t);
std::string NowIso8601();
// Parses "YYYY-MM-DDTHH:MM:SSZ" (also without the Z) or "YYYY-MM-DD"
// (midnight UTC); kInvalidArgument otherwise.
Result<TimePoint> ParseUtc(std::string_view text);

// A time zone by IANA name, with ICU's rules.
class TimeZone {
 public:
  // kInvalidArgument naming the zone if ICU does not know it.
  static Result<TimeZone> Named(std::string_view name);
  // The machine's zone ($TZ, else /etc/localtime); UTC if unknown.
  static TimeZone Machine();
  static TimeZone Utc();

  const std::string& name() const { return name_; }
  // Offset from UTC at that instant (with daylight saving).
  std::chrono::seconds OffsetAt(TimePoint t) const;
  // "YYYY-MM-DD" of the calendar day at t in this zone.
  std::string LocalDate(TimePoint t) const;
  // "YYYY-MM-DD HH:MM:SS" at t in this zone.
  std::string LocalDateTime(TimePoint t) const;
  // "YYYY-MM-DD HH:MM +08:00": local time with its offset, for people.
  std::string Display(TimePoint t) const;
  // An ISO 8601 UTC string shown in this zone (Display); text that is not
  // a UTC time (empty, a plain date) is returned as it is.
  std::string DisplayUtc(std::string_view iso_utc) const;
  // Today's calendar day in this zone.
  std::string Today() const { return LocalDate(Now()); }
  // The local year of t (customer codes, archive numbers).
  int LocalYear(TimePoint t) const;

 private:
  explicit TimeZone(std::string name, std::shared_ptr<const void> zone)
      : name_(std::move(name)), zone_(std::move(zone)) {}
  std::string name_;
  std::shared_ptr<const void> zone_;  // icu::TimeZone, kept opaque
};

// Adds days to a YYYY-MM-DD date; kInvalidArgument for a bad date.
Result<std::string> AddDays(std::string_view date, int days);

}  // namespace dossier
