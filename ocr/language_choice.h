// Which Tesseract languages read a page: chosen per page from its script.
//
// No one set reads every page best (docs/ocr-models.md): a Han model alone
// reads Chinese pages better than with eng beside it (zh-synth CER 0.103
// with chi_sim, 0.138 with chi_sim+eng: eng wins characters on Chinese
// lines), and English pages need eng (funsd word F1 0.704 with chi_sim+eng,
// 0.657 without). So each page is read with
//
//   han    (chi_sim)      a page in Han script,
//   mixed  (chi_sim+eng)  a page in Latin script, of both, or unknown,
//
// decided from the evidence the pipeline has, cheapest first:
//
//   1. the script Tesseract's orientation detection (OSD) names; it is run
//      for orientation anyway: "Han" (or "Japanese", which OSD calls some
//      Chinese pages) -> han, any other script or no answer -> mixed. On
//      the development corpus OSD names every Chinese page Han and no
//      English one.
//   2. the first reading itself: the share of Han characters among its
//      letters (Han ideographs and Latin letters; digits and punctuation
//      belong to both scripts). A page read with han whose share is below
//      kHanKeptFrom is read again with mixed (a bilingual page OSD called
//      Han); a page read with mixed whose share is kHanPageFrom or more is
//      read again with han (a Chinese page OSD did not call Han, e.g. one
//      with Latin codes and numbers in its head). The second reading is
//      kept; there is never a third. A reading with fewer than
//      kMinLettersForShare letters is kept.
//
// Vertical text (竖排): Tesseract's layout analysis finds the columns of a
// page set top to bottom, but a horizontal model reads them as nonsense.
// A reading most of whose letters (kVerticalFrom) are Han and lie in lines
// at least kColumnAspect times as tall as wide is of such a page: it is read
// again with the vertical model (chi_sim_vert, which reads each column as a
// line, columns right to left), and the better reading of the two (more
// confident characters) is kept: Tesseract itself reads some sideways
// pages of rows right, in boxes that look the same. This rule comes first.
//
// An eng-first set for Latin pages (eng+chi_sim) was measured too: it
// reads tesseract-test better (F1 0.974 against 0.956) but one funsd form
// worse (group F1 0.703 against 0.704), so Latin pages keep chi_sim+eng.
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
inline constexpr std::size_t kMinLettersForShare = 20;
inline constexpr double kVerticalFrom = 0.5;
inline constexpr int kColumnAspect = 3;

struct LanguagePolicy {
  std::string fixed;                  // non-empty: every page with these
  std::string han = "chi_sim";
  std::string mixed = "chi_sim+eng";
  std::string vertical = "chi_sim_vert";

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
  // A second reading with this set replaces the first only if it reads
  // better (more confident characters); else it replaces it outright.
  bool if_better = false;
};

// Letters of a reading by script.
struct ScriptCounts {
  std::size_t han = 0;    // Han ideographs
  std::size_t latin = 0;  // ASCII letters (engine text is NFKC: full-width ones are ASCII)
  std::size_t in_columns = 0;  // letters in lines kColumnAspect times as tall as wide
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
