// Prints precision and recall of field extraction (fields/extract.h) on the
// zh-synth corpus and the generated sample pages, from the ground-truth text
// and from OCR text, per field. Not a test: run by hand or with
// `make bench-fields`, see docs/fields.md.
//
//   field_accuracy SHARED_DIR SAMPLES_DIR [OCR_DIR] [--pipeline CACHE_DIR] [--dump]
//
// --dump prints every field extracted from the pipeline's OCR to stderr.
// OCR_DIR holds <stem>.txt per image (e.g. `tesseract IMG stem -l
// chi_sim+eng`); its text goes through NormalizeText as in the pipeline.
// --pipeline reads every page as ingest does (pipeline::ProcessPage with
// Tesseract chi_sim+eng: cleanup, orientation, deskew, OCR) and extracts
// from the OCR page with its words and boxes (ExtractPageFields), as
// ingest does; the OCR pages are kept in CACHE_DIR (<stem>.ocr.json) and
// reused, so extraction can be measured again without OCR.
//
// Scoring: a ground-truth field counts for recall only if its value is
// printed on that page (a contract's last page has no amount). A predicted
// field counts for precision only if the corpus annotates that field name
// (zh-synth does not annotate contacts or phones). Phones are compared as a
// class: a predicted phone or mobile is right if it equals any annotated
// number of the page.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "capture/image_file.h"
#include "core/text.h"
#include "fields/extract.h"
#include "fields/normalize.h"
#include "ocr/engine.h"
#include "pipeline/page_processor.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace dossier;

namespace {

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n') out.push_back(c);
  }
  return out;
}

std::string Digits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

struct Page {
  std::string stem;
  fs::path image;
  std::string gt_text;
  std::map<std::string, std::string> fields;  // our names, normalised values
  std::string doc;
};

// Is this annotated value printed on the page?
bool Visible(const std::string& name, const std::string& value,
             const std::string& text) {
  const std::string flat = Squeeze(fields::FoldFullWidth(text));
  if (name == "phone") {
    std::string d = Digits(value);
    if (d.starts_with("86")) d = d.substr(2);
    if (d.starts_with("44")) d = d.substr(2);
    return Digits(text).find(d) != std::string::npos ||
           Digits(text).find("0" + d) != std::string::npos;
  }
  if (name.ends_with("date")) {
    int y = std::stoi(value.substr(0, 4)), m = std::stoi(value.substr(5, 2)),
        d = std::stoi(value.substr(8, 2));
    for (const std::string& form :
         {fmt::format("{}年{}月{}日", y, m, d), value,
          fmt::format("{}.{:02d}.{:02d}", y, m, d)}) {
      if (flat.find(form) != std::string::npos) return true;
    }
    static const char* kMonths[] = {"January", "February", "March", "April",
                                    "May", "June", "July", "August",
                                    "September", "October", "November", "December"};
    return text.find(fmt::format("{} {}, {}", kMonths[m - 1], d, y)) !=
           std::string::npos;
  }
  if (name == "amount") {
    // 48000.00 printed as 48,000.00
    std::string whole = value.substr(0, value.find('.'));
    std::string grouped;
    for (size_t i = 0; i < whole.size(); ++i) {
      if (i > 0 && (whole.size() - i) % 3 == 0) grouped.push_back(',');
      grouped.push_back(whole[i]);
    }
    return flat.find(grouped + value.substr(value.find('.'))) != std::string::npos;
  }
  return flat.find(Squeeze(value)) != std::string::npos;
}

std::vector<Page> LoadZhSynth(const fs::path& dir) {
  std::vector<Page> pages;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".json") continue;
    json j = json::parse(ReadFile(e.path()));
    Page p;
    p.stem = e.path().stem().string();
    p.gt_text = ReadFile(dir / (p.stem + ".txt"));
    for (const char* ext : {".png", ".jpg", ".tif"}) {
      if (fs::exists(dir / (p.stem + ext))) p.image = dir / (p.stem + ext);
    }
    const json& c = j["content"];
    p.doc = c.value("doc", "");
    auto put = [&](const char* key, const char* name) {
      if (c.contains(key)) p.fields[name] = c[key].get<std::string>();
    };
    put("contract_no", "contract_number");
    put("party_a", "party_a");
    put("party_b", "party_b");
    put("party_a_uscc", "party_a_uscc");
    put("party_b_uscc", "party_b_uscc");
    put("sign_date", "signing_date");
    put("company", "customer_name");
    put("uscc", "uscc");
    put("fake_id", "id_number");
    if (c.contains("amount_fen")) {
      long long fen = c["amount_fen"].get<long long>();
      p.fields["amount"] = fmt::format("{}.{:02d}", fen / 100, fen % 100);
    }
    pages.push_back(std::move(p));
  }
  return pages;
}

std::vector<Page> LoadSamples(const fs::path& dir) {
  std::vector<Page> pages;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".json") continue;
    json j = json::parse(ReadFile(e.path()));
    if (!j.contains("fields")) continue;
    Page p;
    p.stem = e.path().stem().string();
    p.gt_text = ReadFile(dir / (p.stem + ".txt"));
    p.image = dir / (p.stem + ".png");
    p.doc = j.value("kind", "");
    for (auto& [key, v] : j["fields"].items()) {
      std::string name = key;
      if (key == "uscc" && p.doc == "contract") name = "party_a_uscc";
      if (key == "mobile") name = "phone";
      static const std::set<std::string> kVocabulary = {
          "contract_number", "party_a", "party_b", "party_a_uscc",
          "party_b_uscc", "uscc", "contact", "phone", "signing_date", "amount",
          "customer_name", "email", "legal_representative",
          "registration_date"};
      if (!kVocabulary.contains(name)) continue;
      std::string value = v.get<std::string>();
      if (name == "phone") {
        if (auto e164 = fields::NormalizePhone(value)) value = *e164;
        p.fields["phone#" + value] = value;
        continue;
      }
      p.fields[name] = value;
    }
    pages.push_back(std::move(p));
  }
  return pages;
}

struct Tally {
  int tp = 0, predicted = 0, expected = 0;
};

using Predict = std::function<std::optional<std::vector<fields::SuggestedField>>(const Page&)>;

void Score(const std::vector<Page>& pages, const Predict& predict,
           std::map<std::string, Tally>& per_field, Tally& total) {
  for (const Page& page : pages) {
    auto prediction = predict(page);
    if (!prediction) continue;
    const auto& predicted = *prediction;
    std::set<std::string> annotated_names;
    std::set<std::string> phones;
    for (const auto& [name, value] : page.fields) {
      std::string base = name.substr(0, name.find('#'));
      annotated_names.insert(base);
      if (base == "phone") phones.insert(value);
      if (!Visible(base, value, page.gt_text)) continue;
      ++per_field[base].expected;
      ++total.expected;
    }
    // Vocabulary of the corpus: the names it annotates for this kind of page.
    std::set<std::string> vocabulary;
    for (const Page& p : pages) {
      if (p.doc != page.doc) continue;
      for (const auto& [name, v] : p.fields) vocabulary.insert(name.substr(0, name.find('#')));
    }
    std::set<std::string> matched;
    for (const auto& f : predicted) {
      std::string name = f.name == "mobile" ? "phone" : f.name;
      if (!vocabulary.contains(name)) continue;
      ++per_field[name].predicted;
      ++total.predicted;
      bool ok = false;
      if (name == "phone") {
        ok = phones.contains(f.value) && matched.insert("phone#" + f.value).second;
      } else if (auto it = page.fields.find(name); it != page.fields.end()) {
        ok = (it->second == f.value ||
              (name == "id_number" && Squeeze(f.raw) == it->second)) &&
             Visible(name, it->second, page.gt_text) &&
             matched.insert(name).second;
      }
      if (ok) {
        ++per_field[name].tp;
        ++total.tp;
      }
    }
  }
}

json BoxJson(const Box& b) { return {b.x, b.y, b.width, b.height}; }
Box BoxFrom(const json& j) {
  return {j[0].get<int>(), j[1].get<int>(), j[2].get<int>(), j[3].get<int>()};
}

json OcrToJson(const OcrPage& page) {
  json j = {{"width", page.width}, {"height", page.height}, {"dpi", page.dpi},
            {"text", page.text}, {"words", json::array()}, {"lines", json::array()}};
  for (const auto& w : page.words) {
    j["words"].push_back({{"text", w.text}, {"box", BoxJson(w.box)},
                          {"baseline", w.baseline}, {"confidence", w.confidence},
                          {"line", w.line}, {"symbols", w.symbol_confidence}});
  }
  for (const auto& l : page.lines) {
    j["lines"].push_back({{"text", l.text}, {"box", BoxJson(l.box)}, {"block", l.block}});
  }
  return j;
}

OcrPage OcrFromJson(const json& j) {
  OcrPage page;
  page.width = j["width"], page.height = j["height"], page.dpi = j["dpi"];
  page.text = j["text"];
  for (const auto& w : j["words"]) {
    OcrWord word;
    word.text = w["text"], word.box = BoxFrom(w["box"]), word.baseline = w["baseline"];
    word.confidence = w["confidence"], word.line = w["line"];
    word.symbol_confidence = w["symbols"].get<std::vector<float>>();
    page.words.push_back(std::move(word));
  }
  for (const auto& l : j["lines"]) {
    OcrLine line;
    line.text = l["text"], line.box = BoxFrom(l["box"]), line.block = l["block"];
    page.lines.push_back(std::move(line));
  }
  return page;
}

// The page as ingest reads it, from the cache or through the pipeline.
std::optional<OcrPage> PipelineOcr(const Page& page, const fs::path& cache,
                                   std::unique_ptr<ocr::Engine>& engine) {
  const fs::path cached = cache / (page.stem + ".ocr.json");
  if (fs::exists(cached)) return OcrFromJson(json::parse(ReadFile(cached)));
  if (page.image.empty()) return std::nullopt;
  if (!engine) {
    auto made = ocr::MakeTesseractEngine({"chi_sim+eng", ""});
    if (!made) {
      fmt::print(stderr, "{}\n", made.error().message);
      std::exit(1);
    }
    engine = std::move(*made);
  }
  auto raws = capture::ReadImageFile(page.image);
  if (!raws || raws->empty()) {
    fmt::print(stderr, "{}: cannot read\n", page.image.string());
    return std::nullopt;
  }
  auto result = pipeline::ProcessPage(*engine, raws->front(), {}, {});
  if (!result) {
    fmt::print(stderr, "{}\n", result.error().message);
    return std::nullopt;
  }
  fs::create_directories(cache);
  std::ofstream(cached) << OcrToJson(result->ocr).dump();
  return result->ocr;
}

std::string Pct(int a, int b) {
  return b == 0 ? "  -  " : fmt::format("{:5.1f}", 100.0 * a / b);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  fs::path cache;
  if (auto it = std::find(args.begin(), args.end(), "--pipeline"); it != args.end()) {
    if (it + 1 == args.end()) {
      fmt::print(stderr, "--pipeline needs a cache folder\n");
      return 2;
    }
    cache = *(it + 1);
    args.erase(it, it + 2);
  }
  bool dump = false;
  if (auto it = std::find(args.begin(), args.end(), "--dump"); it != args.end()) {
    dump = true;
    args.erase(it);
  }
  if (args.size() < 2) {
    fmt::print(stderr,
               "usage: field_accuracy SHARED_DIR SAMPLES_DIR [OCR_DIR] [--pipeline CACHE_DIR]\n");
    return 2;
  }
  const fs::path shared = args[0];
  const fs::path samples = args[1];
  const fs::path ocr = args.size() > 2 ? fs::path(args[2]) : fs::path();
  const std::vector<std::pair<std::string, std::vector<Page>>> corpora = {
      {"zh-synth", LoadZhSynth(shared / "corpus" / "zh-synth")},
      {"samples", LoadSamples(samples)}};
  std::unique_ptr<ocr::Engine> engine;
  std::vector<std::pair<std::string, Predict>> sources = {
      {"ground truth", [](const Page& p) {
         return std::optional(fields::ExtractTextFields(p.gt_text, 1));
       }}};
  if (!ocr.empty()) {
    sources.push_back({"OCR text", [&](const Page& p) -> std::optional<std::vector<fields::SuggestedField>> {
                         fs::path f = ocr / (p.stem + ".txt");
                         if (!fs::exists(f)) return std::nullopt;
                         return fields::ExtractTextFields(NormalizeText(ReadFile(f)), 1);
                       }});
  }
  if (!cache.empty()) {
    sources.push_back({"pipeline OCR", [&](const Page& p) -> std::optional<std::vector<fields::SuggestedField>> {
                         auto page = PipelineOcr(p, cache, engine);
                         if (!page) return std::nullopt;
                         auto found = fields::ExtractPageFields(*page, 1);
                         for (const auto& f : found) {
                           if (dump) fmt::print(stderr, "{}: {} = {} {}\n", p.stem, f.name, f.value, f.problem);
                         }
                         return found;
                       }});
  }
  fmt::print("| corpus | text | fields expected | predicted | correct | precision % | recall % |\n");
  fmt::print("|---|---|---|---|---|---|---|\n");
  std::map<std::string, std::map<std::string, std::map<std::string, Tally>>> details;
  for (const auto& [name, pages] : corpora) {
    for (const auto& [source, predict] : sources) {
      std::map<std::string, Tally> per_field;
      Tally total;
      Score(pages, predict, per_field, total);
      fmt::print("| {} | {} | {} | {} | {} | {} | {} |\n", name, source,
                 total.expected, total.predicted, total.tp,
                 Pct(total.tp, total.predicted), Pct(total.tp, total.expected));
      details[name][source] = per_field;
    }
  }
  for (const auto& [name, by_source] : details) {
    fmt::print("\n{} per field: recall % / precision % (correct/predicted/expected)\n\n", name);
    std::set<std::string> names;
    for (const auto& [source, per_field] : by_source) {
      for (const auto& [field, t] : per_field) names.insert(field);
    }
    std::string header = "| field |", rule = "|---|";
    for (const auto& [source, predict] : sources) {
      header += " " + source + " |";
      rule += "---|";
    }
    fmt::print("{}\n{}\n", header, rule);
    for (const std::string& field : names) {
      std::string line = "| " + field + " |";
      for (const auto& [source, predict] : sources) {
        Tally t;
        if (auto it = by_source.at(source).find(field); it != by_source.at(source).end()) {
          t = it->second;
        }
        line += fmt::format(" {} / {} ({}/{}/{}) |", Pct(t.tp, t.expected),
                            Pct(t.tp, t.predicted), t.tp, t.predicted, t.expected);
      }
      fmt::print("{}\n", line);
    }
  }
  return 0;
}
