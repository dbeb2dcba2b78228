#include "ocr/language_choice.h"

#include <fmt/format.h>

#include "core/text.h"

namespace dossier::ocr {

namespace {

bool IsHan(char32_t cp) {
  return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

bool IsLatinLetter(char32_t cp) {
  return (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z');
}

}  // namespace

LanguagePolicy LanguagePolicy::FromOption(const std::string& languages) {
  LanguagePolicy policy;
  if (!languages.empty() && languages != kAutoLanguages) policy.fixed = languages;
  return policy;
}

double ScriptCounts::HanShare() const {
  const std::size_t letters = han + latin;
  return letters == 0 ? 0.0 : static_cast<double>(han) / static_cast<double>(letters);
}

ScriptCounts CountScripts(const OcrPage& page) {
  ScriptCounts counts;
  for (const auto& word : page.words) {
    const bool column =
        word.line >= 0 && static_cast<size_t>(word.line) < page.lines.size() &&
        page.lines[word.line].box.height >= kColumnAspect * page.lines[word.line].box.width;
    for (char32_t cp : DecodeUtf8(word.text)) {
      const bool letter = IsHan(cp) || IsLatinLetter(cp);
      if (IsHan(cp)) ++counts.han;
      else if (IsLatinLetter(cp)) ++counts.latin;
      if (letter && column) ++counts.in_columns;
    }
  }
  return counts;
}

LanguageChoice FirstChoice(const LanguagePolicy& policy,
                           const std::optional<Orientation>& osd) {
  if (!policy.fixed.empty()) return {policy.fixed, "set by --lang"};
  if (!osd || osd->script.empty()) {
    return {policy.mixed, "OSD named no script"};
  }
  const std::string why =
      fmt::format("OSD script {} (confidence {:.1f})", osd->script, osd->script_confidence);
  // OSD calls some Chinese pages Japanese (Han with kana).
  const bool han = osd->script == "Han" || osd->script == "Japanese";
  return {han ? policy.han : policy.mixed, why};
}

std::optional<LanguageChoice> SecondChoice(const LanguagePolicy& policy,
                                           const LanguageChoice& first,
                                           const OcrPage& reading) {
  if (!policy.fixed.empty() || policy.han == policy.mixed) return std::nullopt;
  const ScriptCounts counts = CountScripts(reading);
  if (counts.han + counts.latin < kMinLettersForShare) return std::nullopt;
  const double share = counts.HanShare();
  const std::string& set = first.languages;
  std::string again;
  const double in_columns = static_cast<double>(counts.in_columns) /
                            static_cast<double>(counts.han + counts.latin);
  if (set != policy.vertical && in_columns >= kVerticalFrom && share >= kHanKeptFrom) {
    return LanguageChoice{
        policy.vertical,
        fmt::format("{}; {:.0f}% of the letters read with {} in columns", first.reason,
                    in_columns * 100.0, set),
        true};
  }
  if (set == policy.han && share < kHanKeptFrom) again = policy.mixed;
  if (set == policy.mixed && share >= kHanPageFrom) again = policy.han;
  if (again.empty()) return std::nullopt;
  return LanguageChoice{
      again, fmt::format("{}; read {:.0f}% Han with {}", first.reason, share * 100.0, set)};
}

}  // namespace dossier::ocr
