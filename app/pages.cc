#include "app/pages.h"

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "app/documents.h"
#include "app/operation.h"
#include "core/file_util.h"
#include "core/text.h"
#include "storage/archive.h"
#include "storage/records_store.h"

namespace dossier::app {
namespace {

constexpr int kMinWidth = 80;
constexpr int kMaxWidth = 2400;

Result<storage::PageRecord> FindPage(Station& station,
                                     const storage::DocumentRecord& d, int page,
                                     bool with_words) {
  auto pages = station.records().GetPages(d.id, with_words);
  if (!pages) return std::unexpected(pages.error());
  for (auto& p : *pages) {
    if (p.number == page) return std::move(p);
  }
  return MakeError(ErrorCode::kNotFound,
                   fmt::format("{} has no page {} (it has {})", d.display_id,
                               page, pages->size()));
}

Status CheckNotDestroyed(const storage::DocumentRecord& d) {
  if (d.status == "destroyed") {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} was destroyed: it has no pages to show",
                                 d.display_id));
  }
  return Ok();
}

Result<std::filesystem::path> Render(const std::filesystem::path& pdf,
                                     const std::string& display_id, int page,
                                     int width, const std::filesystem::path& out) {
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_file(pdf.string()));
  if (!doc || doc->is_locked()) {
    return MakeError(ErrorCode::kCorruptInput,
                     fmt::format("{}: the stored PDF {} cannot be read",
                                 display_id, pdf.string()));
  }
  std::unique_ptr<poppler::page> p(doc->create_page(page - 1));
  if (!p) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("{}: the stored PDF has no page {}", display_id, page));
  }
  const double points = p->page_rect().width();
  const double dpi = points > 0 ? width * 72.0 / points : 100.0;
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_rgb24);
  poppler::image img = renderer.render_page(p.get(), dpi, dpi);
  if (!img.is_valid()) {
    return MakeError(ErrorCode::kPdf,
                     fmt::format("{}: page {} could not be rendered", display_id, page));
  }
  cv::Mat rgb(img.height(), img.width(), CV_8UC3, img.data(),
              static_cast<std::size_t>(img.bytes_per_row()));
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  if (bgr.cols != width) {
    const int height = std::max(1, bgr.rows * width / std::max(1, bgr.cols));
    cv::resize(bgr, bgr, cv::Size(width, height), 0, 0, cv::INTER_AREA);
  }
  std::vector<std::uint8_t> png;
  if (!cv::imencode(".png", bgr, png, {cv::IMWRITE_PNG_COMPRESSION, 3})) {
    return MakeError(ErrorCode::kInternal, "PNG encoding failed");
  }
  if (auto s = WriteFileAtomic(out, png); !s) return std::unexpected(s.error());
  return out;
}

// Renders of a preview that are under way in this process, by the cached
// file they make. Many viewers asking for the same uncached page at once
// (a document everyone opens) wait for one render instead of each making
// it, and of the server's workers only one is busy with it.
class RendersInFlight {
 public:
  using Result_ = Result<std::filesystem::path>;
  Result_ RenderOnce(const std::filesystem::path& out,
                     const std::function<Result_()>& render) {
    std::shared_ptr<Flight> flight;
    bool lead = false;
    {
      std::lock_guard lock(mu_);
      auto& slot = flights_[out];
      if (!slot) {
        slot = std::make_shared<Flight>();
        lead = true;
      }
      flight = slot;
    }
    if (!lead) {
      std::unique_lock lock(flight->mu);
      flight->cv.wait(lock, [&] { return flight->outcome.has_value(); });
      return *flight->outcome;
    }
    Result_ outcome = MakeError(ErrorCode::kInternal, "the preview render failed");
    try {
      outcome = render();
    } catch (const std::exception& e) {
      outcome = MakeError(ErrorCode::kInternal,
                          fmt::format("the preview render failed: {}", e.what()));
    }
    {
      std::lock_guard lock(mu_);
      flights_.erase(out);
    }
    {
      std::lock_guard lock(flight->mu);
      flight->outcome = outcome;
    }
    flight->cv.notify_all();
    return outcome;
  }

 private:
  struct Flight {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Result_> outcome;
  };
  std::mutex mu_;
  std::map<std::filesystem::path, std::shared_ptr<Flight>> flights_;
};

RendersInFlight& Renders() {
  static RendersInFlight renders;
  return renders;
}

char32_t Fold(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c - U'A' + U'a';
  return c;
}

}  // namespace

Result<std::filesystem::path> PagePreview(Station& station, const Caller& caller,
                                          const std::string& document, int page,
                                          int width) {
  Operation op(station, caller, "document.preview");
  op.Record(document);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<std::filesystem::path> {
    if (width < kMinWidth || width > kMaxWidth) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("preview width {} is outside {}..{}", width,
                                   kMinWidth, kMaxWidth));
    }
    auto d = ResolveDocument(station, document);
    if (!d) return std::unexpected(d.error());
    if (d->display_id != document) op.Record(d->display_id);
    if (auto s = CheckNotDestroyed(*d); !s) return std::unexpected(s.error());
    auto p = FindPage(station, *d, page, /*with_words=*/false);
    if (!p) return std::unexpected(p.error());
    const auto out = station.archive().dir() / "cache" / "previews" /
                     fmt::format("{}-p{}-w{}.png", d->pdf_sha256, page, width);
    std::error_code ec;
    if (std::filesystem::is_regular_file(out, ec)) return out;
    const auto pdf = station.archive().files().PathFor(d->pdf_sha256);
    return Renders().RenderOnce(out, [&]() -> Result<std::filesystem::path> {
      // A render that finished since the check above left its file.
      std::error_code again;
      if (std::filesystem::is_regular_file(out, again)) return out;
      return Render(pdf, d->display_id, page, width, out);
    });
  };
  return op.Finish(run());
}

std::vector<std::string> QueryTerms(const std::string& query) {
  // Tokens: "a phrase", words; parentheses only separate. A word or phrase
  // after NOT, or written -word, is excluded; AND/OR/NOT are operators.
  std::vector<std::string> out;
  bool negate_next = false;
  std::size_t i = 0;
  while (i < query.size()) {
    const char c = query[i];
    if (c == ' ' || c == '\t' || c == '(' || c == ')') {
      ++i;
      continue;
    }
    bool negated = negate_next;
    negate_next = false;
    if (c == '-') {
      negated = true;
      ++i;
    }
    std::string token;
    bool quoted = false;
    if (i < query.size() && query[i] == '"') {
      quoted = true;
      const auto close = query.find('"', i + 1);
      token = query.substr(i + 1, close == std::string::npos ? std::string::npos
                                                             : close - i - 1);
      i = close == std::string::npos ? query.size() : close + 1;
    } else {
      const auto stop = query.find_first_of(" \t()", i);
      token = query.substr(i, stop == std::string::npos ? std::string::npos : stop - i);
      i = stop == std::string::npos ? query.size() : stop;
    }
    if (!quoted && (token == "AND" || token == "OR")) continue;
    if (!quoted && token == "NOT") {
      negate_next = true;
      continue;
    }
    if (negated) continue;
    std::string t = NormalizeText(token);
    if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) {
      out.push_back(t);
    }
  }
  return out;
}

Result<PageHits> FindOnPage(Station& station, const Caller& caller,
                            const std::string& document, int page,
                            const std::string& query) {
  Operation op(station, caller, "document.hits");
  op.Record(document);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<PageHits> {
    auto d = ResolveDocument(station, document);
    if (!d) return std::unexpected(d.error());
    if (d->display_id != document) op.Record(d->display_id);
    if (auto s = CheckNotDestroyed(*d); !s) return std::unexpected(s.error());
    auto p = FindPage(station, *d, page, /*with_words=*/true);
    if (!p) return std::unexpected(p.error());
    PageHits hits;
    hits.width = p->width;
    hits.height = p->height;

    // Each OCR line as one folded string of code points, with the word and
    // the position within that word of every code point. Latin words are
    // joined with a space; CJK words are joined without one, as
    // NormalizeText joins them.
    struct Char {
      int word = -1;   // index into p->words; -1 for a joining space
      int index = 0;   // code point within the word
    };
    std::map<int, std::vector<int>> lines;
    for (int i = 0; i < static_cast<int>(p->words.size()); ++i) {
      lines[p->words[i].line].push_back(i);
    }
    std::vector<std::u32string> word_text(p->words.size());
    for (std::size_t i = 0; i < p->words.size(); ++i) {
      word_text[i] = DecodeUtf8(NormalizeText(p->words[i].text));
      for (auto& c : word_text[i]) c = Fold(c);
    }
    for (const auto& term_utf8 : QueryTerms(query)) {
      std::u32string term = DecodeUtf8(term_utf8);
      for (auto& c : term) c = Fold(c);
      if (term.empty()) continue;
      for (auto& [line, indices] : lines) {
        std::sort(indices.begin(), indices.end(), [&](int a, int b) {
          return p->words[a].box.x < p->words[b].box.x;
        });
        std::u32string text;
        std::vector<Char> chars;
        for (int wi : indices) {
          const auto& wt = word_text[wi];
          if (wt.empty()) continue;
          if (!text.empty() && (text.back() < 0x2E80 || wt.front() < 0x2E80)) {
            text.push_back(U' ');
            chars.push_back(Char{});
          }
          for (int k = 0; k < static_cast<int>(wt.size()); ++k) {
            text.push_back(wt[k]);
            chars.push_back(Char{wi, k});
          }
        }
        for (std::size_t at = text.find(term); at != std::u32string::npos;
             at = text.find(term, at + term.size())) {
          // The covered part of each word, then their union.
          int x0 = INT32_MAX, y0 = INT32_MAX, x1 = INT32_MIN, y1 = INT32_MIN;
          std::map<int, std::pair<int, int>> spans;  // word -> [first, last]
          for (std::size_t k = at; k < at + term.size(); ++k) {
            const Char& c = chars[k];
            if (c.word < 0) continue;
            auto [it, fresh] = spans.emplace(c.word, std::make_pair(c.index, c.index));
            if (!fresh) it->second.second = c.index;
          }
          std::string under;
          for (const auto& [wi, span] : spans) {
            const auto& w = p->words[wi];
            const int n = static_cast<int>(word_text[wi].size());
            const int left = w.box.x + w.box.width * span.first / n;
            const int right = w.box.x + w.box.width * (span.second + 1) / n;
            x0 = std::min(x0, left);
            x1 = std::max(x1, right);
            y0 = std::min(y0, w.box.y);
            y1 = std::max(y1, w.box.y + w.box.height);
            if (!under.empty()) under += " ";
            under += w.text;
          }
          if (spans.empty()) continue;
          hits.boxes.push_back(HitBox{x0, y0, x1 - x0, y1 - y0, under});
        }
      }
    }
    return hits;
  };
  return op.Finish(run());
}

}  // namespace dossier::app
