// Tesseract engine.
//
// Design notes:
// - One TessBaseAPI per language set recognised with (the engine's own, and
//   each other set asked for, initialised on first use: a Han page read
//   with chi_sim alone, ocr/language_choice.h) and one initialised with
//   "osd" for orientation; all belong to this engine and so to one worker
//   thread.
// - Tesseract parallelises internally with OpenMP, and its LSTM asks for a
//   fixed team of four. On a pool of workers that oversubscribes the cores
//   and is several times slower, so every call into Tesseract runs inside
//   WithOneOpenMpThread, whatever OMP_THREAD_LIMIT says.
// - Words are read with a ResultIterator at RIL_WORD level. Tesseract puts a
//   space between every Chinese character; NormalizeText removes those, and
//   CJK words on one line are written without separators.
#include <omp.h>
#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <fmt/format.h>

#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "core/text.h"
#include "ocr/engine.h"

namespace dossier::ocr {

namespace {

// Runs fn with every OpenMP parallel region it enters, however deep in
// Tesseract, limited to one thread. A host `teams` construct with
// thread_limit(1) sets the thread limit of the calling thread's contention
// group, and that caps even regions that ask for num_threads(4).
// omp_set_num_threads does not (the clause wins), and OMP_THREAD_LIMIT is
// read by libgomp before main, so neither can be set from here. No
// exception may leave the region: it is carried out and rethrown.
template <typename Fn>
auto WithOneOpenMpThread(Fn&& fn) -> decltype(fn()) {
  std::optional<decltype(fn())> result;
  std::exception_ptr error;
#pragma omp teams num_teams(1) thread_limit(1)
  {
    try {
      result.emplace(fn());
    } catch (...) {
      error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

struct ApiDeleter {
  void operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;
  }
};
using ApiPtr = std::unique_ptr<tesseract::TessBaseAPI, ApiDeleter>;

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// Copies the view into an 8 bpp Pix that carries the resolution: Tesseract's
// orientation detection reads the resolution from the Pix, not from
// SetSourceResolution.
PixPtr ToPix(const GrayImageView& image) {
  PixPtr pix(pixCreate(image.width, image.height, 8));
  const int dpi = static_cast<int>(image.dpi + 0.5);
  pixSetResolution(pix.get(), dpi, dpi);
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < image.height; ++y) {
    const std::uint8_t* row = image.data + static_cast<size_t>(y) * image.bytes_per_line;
    l_uint32* line = data + y * wpl;
    for (int x = 0; x < image.width; ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  return pix;
}

bool EndsWithCjk(const std::string& s) {
  auto cps = DecodeUtf8(s);
  return !cps.empty() && IsCjkCodepoint(cps.back());
}
bool StartsWithCjk(const std::string& s) {
  auto cps = DecodeUtf8(s);
  return !cps.empty() && IsCjkCodepoint(cps.front());
}

// The confidence of each character of the word at `it`, when Tesseract's
// symbols map one to one onto the code points of the normalised text (NFKC
// of a full-width letter is one letter; a ligature would not map, and then
// there are none).
std::vector<float> SymbolConfidences(const tesseract::ResultIterator& word,
                                     const std::string& text) {
  std::vector<float> out;
  tesseract::ResultIterator it(word);
  std::u32string symbols;
  do {
    std::unique_ptr<char[]> raw(it.GetUTF8Text(tesseract::RIL_SYMBOL));
    if (!raw) break;
    std::u32string cps = DecodeUtf8(NormalizeText(raw.get()));
    if (cps.size() != 1) return {};
    symbols += cps;
    out.push_back(it.Confidence(tesseract::RIL_SYMBOL));
    if (it.IsAtFinalElement(tesseract::RIL_WORD, tesseract::RIL_SYMBOL)) break;
  } while (it.Next(tesseract::RIL_SYMBOL));
  if (symbols != DecodeUtf8(text)) return {};
  return out;
}

// A TessBaseAPI initialised for `languages`, quiet and keeping inter-word
// spaces out of Chinese text where it can. kOcr error naming the languages
// and the folder when a traineddata file is missing.
Result<ApiPtr> InitApi(const std::string& tessdata_dir, const std::string& languages) {
  ApiPtr api(new tesseract::TessBaseAPI());
  // Tesseract writes its diagnostics ("Detected 142 diacritics", "Estimating
  // resolution as 106") to stderr unless debug_file names a file; they are
  // not for the station's user, and every failure the engine reports is
  // translated into an Error here. debug_file is process-wide, so the OSD
  // instance is quiet too; set before Init so its messages go as well.
  api->SetVariable("debug_file", "/dev/null");
  const char* datapath = tessdata_dir.empty() ? nullptr : tessdata_dir.c_str();
  if (api->Init(datapath, languages.c_str(), tesseract::OEM_LSTM_ONLY) == -1) {
    return MakeError(
        ErrorCode::kOcr,
        fmt::format("Tesseract cannot load the languages '{}' from {} (install "
                    "tesseract-ocr-eng and tesseract-ocr-chi-sim)",
                    languages, datapath ? datapath : "its default tessdata folder"));
  }
  api->SetVariable("preserve_interword_spaces", "1");
  return api;
}

class TesseractEngine final : public Engine {
 public:
  TesseractEngine(ApiPtr api, std::string languages, std::string tessdata_dir)
      : languages_(std::move(languages)), tessdata_dir_(std::move(tessdata_dir)) {
    apis_.emplace(languages_, std::move(api));
  }

  std::string Name() const override {
    return std::string("Tesseract ") + tesseract::TessBaseAPI::Version();
  }
  std::string Languages() const override { return languages_; }

  using Engine::Recognize;
  Result<OcrPage> Recognize(const GrayImageView& image,
                            const std::string& languages) override {
    const std::string& set = languages.empty() ? languages_ : languages;
    auto api = Api(set);
    if (!api) return std::unexpected(api.error());
    return WithOneOpenMpThread([&] { return RecognizeHere(**api, set, image); });
  }

  Result<Orientation> DetectOrientation(const GrayImageView& image) override {
    return WithOneOpenMpThread([&] { return DetectOrientationHere(image); });
  }

 private:
  // The API for `languages`, initialised on first use.
  Result<tesseract::TessBaseAPI*> Api(const std::string& languages) {
    auto it = apis_.find(languages);
    if (it == apis_.end()) {
      auto api = InitApi(tessdata_dir_, languages);
      if (!api) return std::unexpected(api.error());
      it = apis_.emplace(languages, std::move(*api)).first;
    }
    return it->second.get();
  }

  Result<OcrPage> RecognizeHere(tesseract::TessBaseAPI& api, const std::string& languages,
                                const GrayImageView& image) {
    api.SetPageSegMode(tesseract::PSM_AUTO);
    PixPtr pix = ToPix(image);
    api.SetImage(pix.get());
    if (api.Recognize(nullptr) != 0) {
      return MakeError(ErrorCode::kOcr, "Tesseract recognition failed");
    }
    OcrPage page;
    page.width = image.width;
    page.height = image.height;
    page.dpi = image.dpi;
    page.languages = languages;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    double confidence_sum = 0;
    int block = -1;
    bool block_starts = true;  // a block began at a word skipped as empty
    if (it) {
      const auto word_level = tesseract::RIL_WORD;
      do {
        block_starts = block_starts || it->IsAtBeginningOf(tesseract::RIL_BLOCK);
        if (it->Empty(word_level)) continue;
        std::unique_ptr<char[]> raw(it->GetUTF8Text(word_level));
        if (!raw) continue;
        std::string text = NormalizeText(raw.get());
        // Drop the words made of spaces only.
        if (text.empty()) continue;
        const bool new_block = block_starts;
        if (new_block) {
          ++block;
          block_starts = false;
        }
        if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE) || new_block) {
          OcrLine line;
          line.block = block;
          int l, t, r, b;
          if (it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b)) {
            line.box = {l, t, r - l, b - t};
          }
          page.lines.push_back(line);
        }
        OcrWord word;
        word.text = std::move(text);
        int l, t, r, b;
        it->BoundingBox(word_level, &l, &t, &r, &b);
        word.box = {l, t, r - l, b - t};
        int x1, y1, x2, y2;
        word.baseline =
            it->Baseline(word_level, &x1, &y1, &x2, &y2) ? (y1 + y2) / 2 : b;
        word.confidence = it->Confidence(word_level);
        word.symbol_confidence = SymbolConfidences(*it, word.text);
        word.line = static_cast<int>(page.lines.size()) - 1;
        OcrLine& line = page.lines.back();
        if (!line.text.empty() &&
            !(EndsWithCjk(line.text) && StartsWithCjk(word.text))) {
          line.text += ' ';
        }
        line.text += word.text;
        confidence_sum += word.confidence;
        page.words.push_back(std::move(word));
      } while (it->Next(word_level));
    }
    std::string text;
    for (const auto& line : page.lines) {
      if (line.text.empty()) continue;
      if (!text.empty()) text += '\n';
      text += line.text;
    }
    page.text = NormalizeText(text);
    page.mean_confidence =
        page.words.empty() ? 0.f
                           : static_cast<float>(confidence_sum / page.words.size());
    api.Clear();
    return page;
  }

  Result<Orientation> DetectOrientationHere(const GrayImageView& image) {
    if (!osd_) {
      osd_.reset(new tesseract::TessBaseAPI());
      if (osd_->Init(tessdata_dir_.empty() ? nullptr : tessdata_dir_.c_str(),
                     "osd") != 0) {
        osd_.reset();
        return MakeError(ErrorCode::kOcr,
                         "Tesseract cannot load osd.traineddata (install "
                         "tesseract-ocr-osd)");
      }
      osd_->SetPageSegMode(tesseract::PSM_OSD_ONLY);
    }
    PixPtr pix = ToPix(image);
    osd_->SetImage(pix.get());
    int orient_deg = 0;
    float orient_conf = 0.f;
    const char* script = nullptr;
    float script_conf = 0.f;
    bool ok = osd_->DetectOrientationScript(&orient_deg, &orient_conf, &script,
                                            &script_conf);
    osd_->Clear();
    if (!ok) return MakeError(ErrorCode::kOcr, "orientation not detectable");
    Orientation o;
    // Tesseract reports how far the text is turned counter-clockwise; the
    // page is made upright by turning it back clockwise.
    o.degrees_clockwise = ((360 - orient_deg) % 360 + 360) % 360;
    o.confidence = orient_conf;
    if (script != nullptr) o.script = script;
    o.script_confidence = script_conf;
    return o;
  }

  std::string languages_;
  std::string tessdata_dir_;
  std::map<std::string, ApiPtr> apis_;  // by languages; languages_ always there
  ApiPtr osd_;
};

}  // namespace

Result<std::unique_ptr<Engine>> MakeTesseractEngine(
    const TesseractOptions& options) {
  auto api = InitApi(options.tessdata_dir, options.languages);
  if (!api) return std::unexpected(api.error());
  return std::unique_ptr<Engine>(std::make_unique<TesseractEngine>(
      std::move(*api), options.languages, options.tessdata_dir));
}

}  // namespace dossier::ocr
