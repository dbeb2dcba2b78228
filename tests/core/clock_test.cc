// The one clock and the archive's time zone.
#include <gtest/gtest.h>

#include "core/clock.h"

namespace dossier {
namespace {

TimePoint At(const char* iso) {
  auto t = ParseUtc(iso);
  EXPECT_TRUE(t) << iso;
  return t ? *t : TimePoint{};
}

TEST(ClockTest, FixedClockIsWhatNowSays) {
  auto fixed = std::make_shared<FixedClock>(At("2026-03-01T23:30:00Z"));
  {
    ScopedClock scoped(fixed);
    EXPECT_EQ(NowIso8601(), "2026-03-01T23:30:00Z");
    fixed->Advance(std::chrono::hours(1));
    EXPECT_EQ(NowIso8601(), "2026-03-02T00:30:00Z");
  }
  // The system clock is back: not stuck in 2026-03.
  EXPECT_NE(NowIso8601().substr(0, 7), "2026-03");
}

TEST(ClockTest, ParseAndFormatRoundTrip) {
  EXPECT_EQ(FormatUtc(At("2024-02-29T12:00:59Z")), "2024-02-29T12:00:59Z");
  EXPECT_EQ(FormatUtc(At("2024-02-29")), "2024-02-29T00:00:00Z");
  EXPECT_FALSE(ParseUtc("2023-02-29"));
  EXPECT_FALSE(ParseUtc("2024-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseUtc("yesterday"));
  EXPECT_FALSE(ParseUtc(""));
}

TEST(TimeZoneTest, ShanghaiMorningIsTheNextDayInUtcEvening) {
  auto zone = TimeZone::Named("Asia/Shanghai");
  ASSERT_TRUE(zone) << zone.error().message;
  const TimePoint t = At("2026-03-01T23:30:00Z");
  EXPECT_EQ(zone->OffsetAt(t), std::chrono::hours(8));
  EXPECT_EQ(zone->LocalDate(t), "2026-03-02");
  EXPECT_EQ(zone->LocalDateTime(t), "2026-03-02 07:30:00");
  EXPECT_EQ(zone->Display(t), "2026-03-02 07:30 +08:00");
  EXPECT_EQ(zone->DisplayUtc("2026-03-01T23:30:00Z"), "2026-03-02 07:30 +08:00");
  EXPECT_EQ(zone->DisplayUtc("2026-03-01"), "2026-03-01");  // a date stays
  EXPECT_EQ(zone->LocalYear(At("2026-12-31T16:00:00Z")), 2027);
  EXPECT_EQ(TimeZone::Utc().LocalDate(t), "2026-03-01");
}

TEST(TimeZoneTest, DaylightSavingAndWestOfUtc) {
  auto ny = TimeZone::Named("America/New_York");
  ASSERT_TRUE(ny);
  EXPECT_EQ(ny->OffsetAt(At("2026-01-15T12:00:00Z")), std::chrono::hours(-5));
  EXPECT_EQ(ny->OffsetAt(At("2026-07-15T12:00:00Z")), std::chrono::hours(-4));
  EXPECT_EQ(ny->Display(At("2026-01-15T03:00:00Z")), "2026-01-14 22:00 -05:00");
}

TEST(TimeZoneTest, TodayFollowsTheInstalledClock) {
  ScopedClock scoped(std::make_shared<FixedClock>(At("2026-03-01T16:00:00Z")));
  EXPECT_EQ(TimeZone::Named("Asia/Shanghai")->Today(), "2026-03-02");
  EXPECT_EQ(TimeZone::Named("Europe/London")->Today(), "2026-03-01");
}

TEST(TimeZoneTest, UnknownZoneIsRefusedByName) {
  auto zone = TimeZone::Named("Mars/Olympus");
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(zone.error().message.find("Mars/Olympus"), std::string::npos);
}

TEST(DatesTest, AddDaysCrossesMonthsAndLeapYears) {
  EXPECT_EQ(*AddDays("2024-02-28", 1), "2024-02-29");
  EXPECT_EQ(*AddDays("2024-02-29", 1), "2024-03-01");
  EXPECT_EQ(*AddDays("2026-01-01", -1), "2025-12-31");
  EXPECT_FALSE(AddDays("2026-02-30", 1));
}

}  // namespace
}  // namespace dossier
