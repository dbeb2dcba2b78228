// The rule that picks a page's languages (ocr/language_choice.h), on
// readings made up here: which set a page's OSD script and letters lead to.
#include "ocr/language_choice.h"

#include <gtest/gtest.h>

namespace dossier::ocr {
namespace {

// A reading of `han` Han characters and `latin` Latin letters, plus digits
// that count for neither script.
OcrPage Reading(int han, int latin) {
  OcrPage page;
  std::string text;
  for (int i = 0; i < han; ++i) text += "合";
  for (int i = 0; i < latin; ++i) text += "a";
  page.words.push_back({.text = text + "2026"});
  return page;
}

Orientation Osd(const std::string& script) {
  Orientation o;
  o.script = script;
  o.script_confidence = 1.3f;
  return o;
}

const LanguagePolicy kAuto = LanguagePolicy::FromOption("auto");

TEST(LanguageChoice, TheOptionFixesTheSetUnlessItIsAuto) {
  EXPECT_TRUE(LanguagePolicy::FromOption("auto").fixed.empty());
  EXPECT_TRUE(LanguagePolicy::FromOption("").fixed.empty());
  const auto fixed = LanguagePolicy::FromOption("chi_sim+eng");
  EXPECT_EQ(fixed.fixed, "chi_sim+eng");
  EXPECT_EQ(fixed.EngineLanguages(), "chi_sim+eng");
  EXPECT_EQ(kAuto.EngineLanguages(), kAuto.mixed);
  // A fixed set is never second-guessed, whatever the page says.
  const LanguageChoice first = FirstChoice(fixed, Osd("Han"));
  EXPECT_EQ(first.languages, "chi_sim+eng");
  EXPECT_FALSE(SecondChoice(fixed, first, Reading(100, 0)).has_value());
}

TEST(LanguageChoice, OsdScriptPicksTheFirstSet) {
  EXPECT_EQ(FirstChoice(kAuto, Osd("Han")).languages, "chi_sim");
  EXPECT_EQ(FirstChoice(kAuto, Osd("Japanese")).languages, "chi_sim");
  EXPECT_EQ(FirstChoice(kAuto, Osd("Latin")).languages, "chi_sim+eng");
  // Noisy English scans come out Cyrillic or Greek.
  EXPECT_EQ(FirstChoice(kAuto, Osd("Cyrillic")).languages, "chi_sim+eng");
  EXPECT_EQ(FirstChoice(kAuto, std::nullopt).languages, "chi_sim+eng");
  EXPECT_EQ(FirstChoice(kAuto, Osd("")).languages, "chi_sim+eng");
  EXPECT_NE(FirstChoice(kAuto, Osd("Han")).reason.find("Han"), std::string::npos);
}

TEST(LanguageChoice, ScriptsAreCountedByLetterNotDigit) {
  const ScriptCounts c = CountScripts(Reading(30, 10));
  EXPECT_EQ(c.han, 30u);
  EXPECT_EQ(c.latin, 10u);
  EXPECT_DOUBLE_EQ(c.HanShare(), 0.75);
  EXPECT_DOUBLE_EQ(ScriptCounts{}.HanShare(), 0.0);
  OcrPage punctuation;
  punctuation.words.push_back({.text = "，。、（）"});
  EXPECT_EQ(CountScripts(punctuation).latin + CountScripts(punctuation).han, 0u);
}

TEST(LanguageChoice, AReadingThatAgreesWithItsSetIsKept) {
  const auto han = FirstChoice(kAuto, Osd("Han"));
  EXPECT_FALSE(SecondChoice(kAuto, han, Reading(90, 10)).has_value());
  EXPECT_FALSE(SecondChoice(kAuto, han, Reading(60, 40)).has_value());
  const auto latin = FirstChoice(kAuto, Osd("Latin"));
  EXPECT_FALSE(SecondChoice(kAuto, latin, Reading(0, 400)).has_value());
  EXPECT_FALSE(SecondChoice(kAuto, latin, Reading(80, 20)).has_value());
  const auto unknown = FirstChoice(kAuto, std::nullopt);
  EXPECT_FALSE(SecondChoice(kAuto, unknown, Reading(50, 50)).has_value());
}

TEST(LanguageChoice, AReadingThatContradictsItsSetIsReadAgainOnce) {
  // A bilingual page OSD called Han.
  const auto han = FirstChoice(kAuto, Osd("Han"));
  auto again = SecondChoice(kAuto, han, Reading(40, 60));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->languages, "chi_sim+eng");
  EXPECT_FALSE(again->if_better);
  EXPECT_NE(again->reason.find("40% Han"), std::string::npos) << again->reason;
  // A Chinese page OSD did not call Han.
  const auto latin = FirstChoice(kAuto, Osd("Latin"));
  again = SecondChoice(kAuto, latin, Reading(95, 5));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->languages, "chi_sim");
  again = SecondChoice(kAuto, FirstChoice(kAuto, std::nullopt), Reading(90, 10));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->languages, "chi_sim");
}

// A reading of `han` Han characters in lines of the given size.
OcrPage ReadingInLines(int han, int line_width, int line_height) {
  OcrPage page;
  for (int i = 0; i < 4; ++i) {
    page.lines.push_back({.box = {i * 100, 0, line_width, line_height}});
    std::string text;
    for (int j = 0; j < han / 4; ++j) text += "档";
    page.words.push_back({.text = text, .line = i});
  }
  return page;
}

TEST(LanguageChoice, HanTextInColumnsIsReadWithTheVerticalModel) {
  const auto han = FirstChoice(kAuto, Osd("Han"));
  auto again = SecondChoice(kAuto, han, ReadingInLines(80, 50, 1000));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->languages, "chi_sim_vert");
  EXPECT_TRUE(again->if_better);
  EXPECT_NE(again->reason.find("in columns"), std::string::npos) << again->reason;
  // Also when OSD did not call it Han.
  again = SecondChoice(kAuto, FirstChoice(kAuto, Osd("Latin")), ReadingInLines(80, 50, 1000));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->languages, "chi_sim_vert");
  // Rows, or a reading with the vertical model already, stay.
  EXPECT_FALSE(SecondChoice(kAuto, han, ReadingInLines(80, 1000, 50)).has_value());
  EXPECT_FALSE(SecondChoice(kAuto, {"chi_sim_vert", "x"}, ReadingInLines(80, 50, 1000))
                   .has_value());
  // Latin letters in tall boxes (a page read sideways) are not vertical Chinese.
  OcrPage sideways = ReadingInLines(0, 50, 1000);
  for (auto& w : sideways.words) w.text = "abcdefghij";
  EXPECT_FALSE(SecondChoice(kAuto, FirstChoice(kAuto, std::nullopt), sideways).has_value());
}

TEST(LanguageChoice, AFewLettersSayNothing) {
  const auto han = FirstChoice(kAuto, Osd("Han"));
  EXPECT_FALSE(SecondChoice(kAuto, han, Reading(0, kMinLettersForShare - 1)).has_value());
  EXPECT_TRUE(SecondChoice(kAuto, han, Reading(0, kMinLettersForShare)).has_value());
}

}  // namespace
}  // namespace dossier::ocr
