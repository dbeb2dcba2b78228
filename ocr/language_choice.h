// Which Tesseract languages read a page: chosen per page from its script.
//
// No one set reads every page best (docs/ocr-models.md): a Han model alone
// reads Chinese pages better than with eng beside it (zh-synth CER 0.103
// with chi_sim, 0.138 with chi_sim+eng: eng wins characters on Chinese
// lines); English pages need eng (funsd word F1 0.704 with chi_sim+eng,
// 0.657 without), and read a little better with eng first (tesseract-test
// F1 0.974 with eng+chi_sim, 0.956 with chi_sim+eng). So each page is read
// with
//
//   han    (chi_sim)      a page in Han script,
//   latin  (eng+chi_sim)  a page in Latin script (Chinese words on it are
//                         still read, by the second model),
//   mixed  (chi_sim+eng)  a page of both, or of an unknown script,
//
// decided from the evidence the pipeline has, cheapest first:
//
//   1. the script Tesseract's orientation detection (OSD) names; it is run
//      for orientation anyway: "Han" (or "Japanese", which OSD calls some
//      Chinese pages) -> han, "Latin" -> latin, any other script or no
//      answer -> mixed. On the development corpus OSD names every Chinese
//      page Han and no English one; noisy English scans come out Latin,
//      Cyrillic or Greek, and the last two mean OSD could not tell.
//   2. the first reading itself: the share of Han characters among its
//      letters (Han ideographs and Latin letters; digits and punctuation
//      belong to both scripts). A reading that contradicts its set is
//      followed by one more reading, with the set the share points to,
//      which is kept:
//
//        read with  kept when share       else read again with
//        han        >= kHanKeptFrom       latin below kLatinPageBelow, else mixed
//        latin      <  kLatinKeptBelow    han from kHanPageFrom, else mixed
//        mixed      <  kHanPageFrom       han
//
//      A reading with fewer than kMinLettersForShare letters is kept.
//
// A fixed set (the user's --lang) turns the choice off: every page is read
// with it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/types.h"
#include "ocr/engine.h"

namespace dossier::ocr {

// The value of the language option that asks for the choice per page.
inline constexpr const char* kAutoLanguages = "auto";

inline constexpr double kHanPageFrom = 0.85;
inline constexpr double kHanKeptFrom = 0.6;
inline constexpr double kLatinKeptBelow = 0.3;
inline constexpr double kLatinPageBelow = 0.15;
inline constexpr std::size_t kMinLettersForShare = 20;

struct LanguagePolicy {
  std::string fixed;                  // non-empty: every page with these
  std::string han = "chi_sim";
  std::string latin = "eng+chi_sim";
  std::string mixed = "chi_sim+eng";

  // "auto" or empty: choose per page; else fixed to `languages`.
  static LanguagePolicy FromOption(const std::string& languages);
  // The set an engine is created with (fixed, else mixed).
  const std::string& EngineLanguages() const { return fixed.empty() ? mixed : fixed; }
};

// What a page was read with, and why (shown with the page: "OSD script Han
// (confidence 1.4)", "reading 45% Han: mixed", "set by --lang").
struct LanguageChoice {
  std::string languages;
  std::string reason;
};

// Letters of a reading by script.
struct ScriptCounts {
  std::size_t han = 0;    // Han ideographs
  std::size_t latin = 0;  // ASCII letters (engine text is NFKC: full-width ones are ASCII)
  // han / (han + latin); 0 without letters.
  double HanShare() const;
};
ScriptCounts CountScripts(const OcrPage& page);

// Step 1: the set for the first reading, from OSD (nullopt: OSD gave no
// answer).
LanguageChoice FirstChoice(const LanguagePolicy& policy,
                           const std::optional<Orientation>& osd);

// Step 2: the set to read the page again with, or nullopt to keep
// `reading`, which was read with `first`.
std::optional<LanguageChoice> SecondChoice(const LanguagePolicy& policy,
                                           const LanguageChoice& first,
                                           const OcrPage& reading);

}  // namespace dossier::ocr
