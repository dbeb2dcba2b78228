// Prints precision and recall of field extraction (fields/extract.h) on the
// zh-synth corpus and the generated sample pages, from the ground-truth text
// and from OCR text. Not a test: run by hand, see docs/fields.md.
//
//   field_accuracy SHARED_DIR SAMPLES_DIR [OCR_DIR]
//
// OCR_DIR holds <stem>.txt per image (e.g. `tesseract IMG stem -l
// chi_sim+eng`); its text goes through NormalizeText as in the pipeline.
//
// Scoring: a ground-truth field counts for recall only if its value is
// printed on that page (a contract's last page has no amount). A predicted
// field counts for precision only if the corpus annotates that field name
// (zh-synth does not annotate contacts or phones). Phones are compared as a
// class: a predicted phone or mobile is right if it equals any annotated
// number of the page.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/text.h"
#include "fields/extract.h"
#include "fields/normalize.h"

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

void Score(const std::vector<Page>& pages, const std::string& corpus,
           const std::string& source, const fs::path& ocr_dir,
           std::map<std::string, Tally>& per_field, Tally& total) {
  for (const Page& page : pages) {
    std::string text = page.gt_text;
    if (source == "ocr") {
      fs::path f = ocr_dir / (page.stem + ".txt");
      if (!fs::exists(f)) continue;
      text = NormalizeText(ReadFile(f));
    }
    auto predicted = fields::ExtractTextFields(text, 1);
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
  (void)corpus;
}

std::string Pct(int a, int b) {
  return b == 0 ? "  -  " : fmt::format("{:5.1f}", 100.0 * a / b);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: field_accuracy SHARED_DIR SAMPLES_DIR [OCR_DIR]\n");
    return 2;
  }
  const fs::path shared = argv[1];
  const fs::path samples = argv[2];
  const fs::path ocr = argc > 3 ? fs::path(argv[3]) : fs::path();
  const std::vector<std::pair<std::string, std::vector<Page>>> corpora = {
      {"zh-synth", LoadZhSynth(shared / "corpus" / "zh-synth")},
      {"samples", LoadSamples(samples)}};
  fmt::print("| corpus | text | fields expected | predicted | correct | precision % | recall % |\n");
  fmt::print("|---|---|---|---|---|---|---|\n");
  std::map<std::string, std::map<std::string, Tally>> details;
  for (const auto& [name, pages] : corpora) {
    for (const std::string source : {"ground truth", "ocr"}) {
      if (source == "ocr" && ocr.empty()) continue;
      std::map<std::string, Tally> per_field;
      Tally total;
      Score(pages, name, source == "ocr" ? "ocr" : "gt", ocr, per_field, total);
      fmt::print("| {} | {} | {} | {} | {} | {} | {} |\n", name, source,
                 total.expected, total.predicted, total.tp,
                 Pct(total.tp, total.predicted), Pct(total.tp, total.expected));
      details[name + " / " + source] = per_field;
    }
  }
  fmt::print("\nPer field (correct/predicted/expected):\n");
  for (const auto& [key, per_field] : details) {
    std::string line = key + ":";
    for (const auto& [field, t] : per_field) {
      line += fmt::format(" {} {}/{}/{};", field, t.tp, t.predicted, t.expected);
    }
    fmt::print("{}\n", line);
  }
  return 0;
}
