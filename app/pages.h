// A document's pages as a viewer needs them (operations document.preview
// and document.hits, permission document.read): a page image rendered from
// the stored PDF/A, and where the words of a search fall on it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app/station.h"

namespace dossier::app {

// The page as a PNG `width` pixels wide (80..2400), rendered from the
// stored PDF once and kept under ARCHIVE/cache/previews (named by the
// PDF's SHA-256, so a cached image never outlives its file); callers that
// ask for the same uncached image at once share one render. kNotFound for
// a page the document does not have; kConflict for a destroyed document.
Result<std::filesystem::path> PagePreview(Station& station, const Caller& caller,
                                          const std::string& document, int page,
                                          int width);

struct HitBox {
  int x = 0, y = 0, w = 0, h = 0;  // page-image pixels (PageRecord width/height)
  std::string text;                // the words under the box
};
struct PageHits {
  int width = 0;   // of the OCRed page image
  int height = 0;
  std::vector<HitBox> boxes;
};
// Where each term of a search query (storage/search_syntax.h syntax; the
// operators and negated terms are left out) occurs on the page, from its
// OCR words: a term inside a longer word gets the part of the word's box
// that its characters take, a term across words the union of theirs.
Result<PageHits> FindOnPage(Station& station, const Caller& caller,
                            const std::string& document, int page,
                            const std::string& query);

// The terms FindOnPage looks for, normalised (core/text.h NormalizeText).
std::vector<std::string> QueryTerms(const std::string& query);

}  // namespace dossier::app
