#include "app/packages.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "app/documents.h"
#include "app/operation.h"
#include "archive/pdf_writer.h"
#include "core/clock.h"
#include "core/file_util.h"
#include "core/hash.h"
#include "core/json_text.h"
#include "core/output_file.h"
#include "storage/access_store.h"
#include "storage/archive.h"
#include "storage/file_store.h"

namespace dossier::app {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr char kDocumentFormat[] = "dossier-document/1";
constexpr char kCustomerFormat[] = "dossier-customer/1";
constexpr char kPackageFormat[] = "dossier-package/1";
constexpr char kXmlNamespace[] = "https://dossier.example/ns/package/1";

// --- Records as package JSON (docs/package-format.md) -----------------------

json HistoryJson(const std::vector<storage::HistoryEntry>& history) {
  json out = json::array();
  for (const auto& e : history) {
    out.push_back({{"table", e.table},
                   {"record", e.record},
                   {"field", e.field},
                   {"old", e.old_value ? json(*e.old_value) : json(nullptr)},
                   {"new", e.new_value ? json(*e.new_value) : json(nullptr)},
                   {"actor", e.actor},
                   {"at", e.at}});
  }
  return out;
}

std::vector<storage::HistoryEntry> HistoryFrom(const json& j) {
  std::vector<storage::HistoryEntry> out;
  for (const json& e : j) {
    storage::HistoryEntry h;
    h.table = e.at("table").get<std::string>();
    h.record = e.at("record").get<std::string>();
    h.field = e.at("field").get<std::string>();
    if (!e.at("old").is_null()) h.old_value = e.at("old").get<std::string>();
    if (!e.at("new").is_null()) h.new_value = e.at("new").get<std::string>();
    h.actor = e.at("actor").get<std::string>();
    h.at = e.at("at").get<std::string>();
    out.push_back(std::move(h));
  }
  return out;
}

json CustomerJson(const storage::Customer& c,
                  const std::vector<storage::Contact>& contacts,
                  const std::vector<storage::HistoryEntry>& history) {
  json k = json::array();
  for (const auto& x : contacts) {
    k.push_back({{"id", x.id},
                 {"role", x.role},
                 {"name", x.name},
                 {"phone", x.phone},
                 {"email", x.email},
                 {"address", x.address},
                 {"created_at", x.created_at},
                 {"created_by", x.created_by}});
  }
  return {{"format", kCustomerFormat},
          {"customer",
           {{"code", c.code},
            {"name", c.name},
            {"kind", c.kind},
            {"group_of", c.parent_code},
            {"uscc", c.uscc},
            {"id_number", c.id_number},
            {"phone", c.phone},
            {"email", c.email},
            {"address", c.address},
            {"created_at", c.created_at},
            {"created_by", c.created_by}}},
          {"contacts", k},
          {"history", HistoryJson(history)}};
}

storage::ImportedCustomer CustomerFrom(const json& j) {
  storage::ImportedCustomer ic;
  const json& c = j.at("customer");
  ic.customer.code = c.at("code").get<std::string>();
  ic.customer.name = c.at("name").get<std::string>();
  ic.customer.kind = c.at("kind").get<std::string>();
  ic.customer.parent_code = c.at("group_of").get<std::string>();
  ic.customer.uscc = c.at("uscc").get<std::string>();
  ic.customer.id_number = c.at("id_number").get<std::string>();
  ic.customer.phone = c.at("phone").get<std::string>();
  ic.customer.email = c.at("email").get<std::string>();
  ic.customer.address = c.at("address").get<std::string>();
  ic.customer.created_at = c.at("created_at").get<std::string>();
  ic.customer.created_by = c.at("created_by").get<std::string>();
  for (const json& x : j.at("contacts")) {
    storage::Contact k;
    k.id = x.at("id").get<std::int64_t>();
    k.role = x.at("role").get<std::string>();
    k.name = x.at("name").get<std::string>();
    k.phone = x.at("phone").get<std::string>();
    k.email = x.at("email").get<std::string>();
    k.address = x.at("address").get<std::string>();
    k.created_at = x.at("created_at").get<std::string>();
    k.created_by = x.at("created_by").get<std::string>();
    ic.contacts.push_back(std::move(k));
  }
  ic.history = HistoryFrom(j.at("history"));
  return ic;
}

json DocumentJson(const storage::DocumentRecord& d,
                  const std::vector<storage::PageRecord>& pages,
                  const std::vector<storage::DocumentField>& fields,
                  const std::vector<storage::HistoryEntry>& history) {
  json warnings = json::array();
  for (const auto& w : d.warnings) {
    warnings.push_back({{"code", w.code}, {"message", w.message}});
  }
  json p = json::array();
  for (const auto& x : pages) {
    p.push_back({{"number", x.number},
                 {"source_file", x.source_file},
                 {"source_index", x.source_index},
                 {"width", x.width},
                 {"height", x.height},
                 {"dpi", x.dpi},
                 {"rotation", x.rotation},
                 {"skew", x.skew},
                 {"confidence", x.confidence},
                 {"text", x.text}});
  }
  json f = json::array();
  for (const auto& x : fields) {
    f.push_back({{"name", x.name},
                 {"value", x.value},
                 {"raw", x.raw},
                 {"problem", x.problem},
                 {"confidence", x.confidence},
                 {"page", x.page},
                 {"source", x.source},
                 {"updated_at", x.updated_at},
                 {"updated_by", x.updated_by}});
  }
  return {{"format", kDocumentFormat},
          {"document",
           {{"id", d.display_id},
            {"customer", d.customer_code},
            {"customer_name", d.customer_name},
            {"type", d.type},
            {"title", d.title},
            {"status", d.status},
            {"archive_number", d.archive_number},
            {"source_key", d.source_key},
            {"created_at", d.created_at},
            {"created_by", d.created_by},
            {"reviewed_by", d.reviewed_by},
            {"reviewed_at", d.reviewed_at},
            {"review_reason", d.review_reason},
            {"replaces", d.replaces},
            {"warnings", warnings}}},
          {"pdf",
           {{"path", "document.pdf"},
            {"sha256", d.pdf_sha256},
            {"size", d.pdf_size},
            {"pages", d.page_count}}},
          {"pages", p},
          {"fields", f},
          {"history", HistoryJson(history)}};
}

storage::ImportedDocument DocumentFrom(const json& j) {
  storage::ImportedDocument idoc;
  const json& d = j.at("document");
  auto& r = idoc.document;
  r.display_id = d.at("id").get<std::string>();
  r.customer_code = d.at("customer").get<std::string>();
  r.type = d.at("type").get<std::string>();
  r.title = d.at("title").get<std::string>();
  r.status = d.at("status").get<std::string>();
  r.archive_number = d.at("archive_number").get<std::string>();
  r.source_key = d.at("source_key").get<std::string>();
  r.created_at = d.at("created_at").get<std::string>();
  r.created_by = d.at("created_by").get<std::string>();
  r.reviewed_by = d.at("reviewed_by").get<std::string>();
  r.reviewed_at = d.at("reviewed_at").get<std::string>();
  r.review_reason = d.at("review_reason").get<std::string>();
  r.replaces = d.at("replaces").get<std::string>();
  for (const json& w : d.at("warnings")) {
    r.warnings.push_back(
        {w.at("code").get<std::string>(), w.at("message").get<std::string>()});
  }
  r.pdf_sha256 = j.at("pdf").at("sha256").get<std::string>();
  r.pdf_size = j.at("pdf").at("size").get<std::int64_t>();
  for (const json& x : j.at("pages")) {
    storage::PageRecord p;
    p.number = x.at("number").get<int>();
    p.source_file = x.at("source_file").get<std::string>();
    p.source_index = x.at("source_index").get<int>();
    p.width = x.at("width").get<int>();
    p.height = x.at("height").get<int>();
    p.dpi = x.at("dpi").get<double>();
    p.rotation = x.at("rotation").get<int>();
    p.skew = x.at("skew").get<double>();
    p.confidence = x.at("confidence").get<float>();
    p.text = x.at("text").get<std::string>();
    idoc.pages.push_back(std::move(p));
  }
  for (const json& x : j.at("fields")) {
    storage::DocumentField f;
    f.name = x.at("name").get<std::string>();
    f.value = x.at("value").get<std::string>();
    f.raw = x.at("raw").get<std::string>();
    f.problem = x.at("problem").get<std::string>();
    f.confidence = x.at("confidence").get<float>();
    f.page = x.at("page").get<int>();
    f.source = x.at("source").get<std::string>();
    f.updated_at = x.at("updated_at").get<std::string>();
    f.updated_by = x.at("updated_by").get<std::string>();
    idoc.fields.push_back(std::move(f));
  }
  idoc.history = HistoryFrom(j.at("history"));
  return idoc;
}

// --- The same document as XML (docs/package-document.xsd) -------------------

// XML 1.0 text: escaped, and the control characters it cannot hold
// (everything below U+0020 but tab, LF and CR) replaced by U+FFFD.
std::string Xml(std::string_view text) {
  std::string out;
  for (char c : EscapeInvalidUtf8(text)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' &&
            c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string Element(std::string_view name, std::string_view value,
                    int indent) {
  return fmt::format("{}<{}>{}</{}>\n", std::string(indent, ' '), name,
                     Xml(value), name);
}

std::string HistoryXml(const json& history) {
  std::string out = "  <history>\n";
  for (const json& e : history) {
    out += fmt::format("    <entry field=\"{}\" actor=\"{}\" at=\"{}\">\n",
                       Xml(e["field"].get<std::string>()),
                       Xml(e["actor"].get<std::string>()),
                       Xml(e["at"].get<std::string>()));
    if (!e["old"].is_null()) out += Element("old", e["old"].get<std::string>(), 6);
    if (!e["new"].is_null()) out += Element("new", e["new"].get<std::string>(), 6);
    out += "    </entry>\n";
  }
  return out + "  </history>\n";
}

std::string DocumentXml(const json& j) {
  const json& d = j["document"];
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<document xmlns=\"{}\" format=\"{}\">\n",
      kXmlNamespace, kDocumentFormat);
  for (const char* key : {"id", "customer", "customer_name", "type", "title",
                          "status", "archive_number", "source_key",
                          "created_at", "created_by", "reviewed_by",
                          "reviewed_at", "review_reason", "replaces"}) {
    out += Element(key, d[key].get<std::string>(), 2);
  }
  out += "  <warnings>\n";
  for (const json& w : d["warnings"]) {
    out += fmt::format("    <warning code=\"{}\">{}</warning>\n",
                       Xml(w["code"].get<std::string>()),
                       Xml(w["message"].get<std::string>()));
  }
  out += "  </warnings>\n";
  const json& pdf = j["pdf"];
  out += fmt::format(
      "  <pdf path=\"{}\" sha256=\"{}\" size=\"{}\" pages=\"{}\"/>\n",
      Xml(pdf["path"].get<std::string>()), pdf["sha256"].get<std::string>(),
      pdf["size"].get<std::int64_t>(), pdf["pages"].get<int>());
  out += "  <pages>\n";
  for (const json& p : j["pages"]) {
    out += fmt::format(
        "    <page number=\"{}\" source_file=\"{}\" source_index=\"{}\" "
        "width=\"{}\" height=\"{}\" dpi=\"{}\" rotation=\"{}\" skew=\"{}\" "
        "confidence=\"{}\">\n",
        p["number"].get<int>(), Xml(p["source_file"].get<std::string>()),
        p["source_index"].get<int>(), p["width"].get<int>(),
        p["height"].get<int>(), p["dpi"].get<double>(),
        p["rotation"].get<int>(), p["skew"].get<double>(),
        p["confidence"].get<double>());
    out += Element("text", p["text"].get<std::string>(), 6);
    out += "    </page>\n";
  }
  out += "  </pages>\n  <fields>\n";
  for (const json& f : j["fields"]) {
    out += fmt::format(
        "    <field name=\"{}\" source=\"{}\" confidence=\"{}\" page=\"{}\" "
        "updated_at=\"{}\" updated_by=\"{}\">\n",
        Xml(f["name"].get<std::string>()), Xml(f["source"].get<std::string>()),
        f["confidence"].get<double>(), f["page"].get<int>(),
        Xml(f["updated_at"].get<std::string>()),
        Xml(f["updated_by"].get<std::string>()));
    out += Element("value", f["value"].get<std::string>(), 6);
    out += Element("raw", f["raw"].get<std::string>(), 6);
    out += Element("problem", f["problem"].get<std::string>(), 6);
    out += "    </field>\n";
  }
  out += "  </fields>\n";
  out += HistoryXml(j["history"]);
  return out + "</document>\n";
}

// --- BagIt ------------------------------------------------------------------

std::unexpected<Error> Corrupt(const fs::path& dir, std::string what) {
  return MakeError(ErrorCode::kCorruptInput,
                   fmt::format("package {}: {}; nothing imported",
                               dir.string(), what));
}

// "sha256  path" lines. Paths are relative, '/'-separated, without '.' or
// '..' parts; BagIt percent-encodes CR, LF and '%' in them.
Result<std::vector<std::pair<std::string, std::string>>> ReadManifest(
    const fs::path& dir, const std::string& name) {
  auto text = ReadFile(dir / name);
  if (!text) return Corrupt(dir, name + " cannot be read");
  std::vector<std::pair<std::string, std::string>> entries;
  std::istringstream lines(*text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    if (space != 64) {
      return Corrupt(dir, fmt::format("{} line {} is not 'SHA256  PATH'",
                                      name, number));
    }
    std::string hash = line.substr(0, 64);
    size_t start = line.find_first_not_of(' ', space);
    if (start == std::string::npos) {
      return Corrupt(dir, fmt::format("{} line {} names no file", name, number));
    }
    std::string path;
    for (size_t i = start; i < line.size(); ++i) {
      if (line[i] == '%' && i + 2 < line.size()) {
        path += static_cast<char>(std::stoi(line.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        path += line[i];
      }
    }
    fs::path rel(path);
    bool safe = !rel.is_absolute() && !path.empty();
    for (const auto& part : rel) {
      if (part == ".." || part == ".") safe = false;
    }
    if (!safe) {
      return Corrupt(dir, fmt::format("{} line {} names '{}', outside the bag",
                                      name, number, path));
    }
    std::transform(hash.begin(), hash.end(), hash.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    entries.emplace_back(path, hash);
  }
  return entries;
}

Status CheckEntries(const fs::path& dir, const std::string& manifest,
                    const std::vector<std::pair<std::string, std::string>>& entries) {
  for (const auto& [path, hash] : entries) {
    struct stat st;
    if (::lstat((dir / path).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return Corrupt(dir, fmt::format("{} is listed in {} but is missing or "
                                      "not a regular file",
                                      path, manifest));
    }
    auto actual = Sha256File(dir / path);
    if (!actual) return Corrupt(dir, path + " cannot be read");
    if (*actual != hash) {
      return Corrupt(dir, fmt::format("{}: SHA-256 is {}, {} says {}", path,
                                      *actual, manifest, hash));
    }
  }
  return Ok();
}

std::map<std::string, std::string> ReadTags(const std::string& text) {
  std::map<std::string, std::string> tags;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    tags[line.substr(0, colon)] = value;
  }
  return tags;
}

std::string ManifestLine(const std::string& hash, const std::string& path) {
  std::string encoded;
  for (char c : path) {
    if (c == '%') encoded += "%25";
    else if (c == '\n') encoded += "%0A";
    else if (c == '\r') encoded += "%0D";
    else encoded += c;
  }
  return hash + "  " + encoded + "\n";
}

// Writes the bag into dir (a new folder). payload: path under data/ ->
// bytes, in order.
Status WriteBag(const fs::path& dir,
                const std::vector<std::pair<std::string, std::string>>& payload,
                const std::vector<std::pair<std::string, std::string>>& info) {
  std::string manifest;
  std::int64_t bytes = 0;
  for (const auto& [path, content] : payload) {
    if (auto s = WriteFileAtomic(dir / "data" / path, content); !s) return s;
    manifest += ManifestLine(Sha256Hex(content), "data/" + path);
    bytes += static_cast<std::int64_t>(content.size());
  }
  const std::string bagit =
      "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
  std::string bag_info;
  for (const auto& [key, value] : info) bag_info += key + ": " + value + "\n";
  bag_info += fmt::format("Payload-Oxum: {}.{}\n", bytes, payload.size());
  std::string tags;
  const std::pair<const char*, const std::string*> tag_files[] = {
      {"bagit.txt", &bagit},
      {"bag-info.txt", &bag_info},
      {"manifest-sha256.txt", &manifest}};
  for (const auto& [name, content] : tag_files) {
    if (auto s = WriteFileAtomic(dir / name, *content); !s) return s;
    tags += ManifestLine(Sha256Hex(*content), name);
  }
  return WriteFileAtomic(dir / "tagmanifest-sha256.txt", tags);
}

std::string SafeName(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                    (c >= 'a' && c <= 'z') || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> VerifyBag(
    const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     "package " + dir.string() + ": no such folder");
  }
  auto bagit = ReadFile(dir / "bagit.txt");
  if (!bagit) return Corrupt(dir, "bagit.txt is missing (not a BagIt bag)");
  auto declaration = ReadTags(*bagit);
  if (declaration["BagIt-Version"].empty() ||
      declaration["Tag-File-Character-Encoding"] != "UTF-8") {
    return Corrupt(dir, "bagit.txt does not declare BagIt-Version and "
                        "Tag-File-Character-Encoding: UTF-8");
  }
  auto payload = ReadManifest(dir, "manifest-sha256.txt");
  if (!payload) return std::unexpected(payload.error());
  auto tags = ReadManifest(dir, "tagmanifest-sha256.txt");
  if (!tags) return std::unexpected(tags.error());
  // The tag files themselves must be covered, or a changed manifest would
  // go unnoticed.
  for (const char* required : {"bagit.txt", "bag-info.txt", "manifest-sha256.txt"}) {
    if (std::none_of(tags->begin(), tags->end(),
                     [&](const auto& e) { return e.first == required; })) {
      return Corrupt(dir, fmt::format("tagmanifest-sha256.txt does not list {}",
                                      required));
    }
  }
  if (auto s = CheckEntries(dir, "tagmanifest-sha256.txt", *tags); !s) {
    return std::unexpected(s.error());
  }
  std::set<std::string> listed;
  std::int64_t bytes = 0;
  for (const auto& [path, hash] : *payload) {
    if (!path.starts_with("data/")) {
      return Corrupt(dir, "manifest-sha256.txt lists " + path +
                              ", which is not under data/");
    }
    listed.insert(path);
  }
  if (auto s = CheckEntries(dir, "manifest-sha256.txt", *payload); !s) {
    return std::unexpected(s.error());
  }
  for (const auto& entry : fs::recursive_directory_iterator(dir / "data", ec)) {
    if (entry.is_directory()) continue;
    const std::string rel =
        entry.path().lexically_relative(dir).generic_string();
    if (!listed.contains(rel)) {
      return Corrupt(dir, rel + " is in data/ but not in manifest-sha256.txt");
    }
    bytes += static_cast<std::int64_t>(entry.file_size(ec));
  }
  if (ec) return Corrupt(dir, "data/ cannot be listed: " + ec.message());
  auto info = ReadFile(dir / "bag-info.txt");
  if (!info) return Corrupt(dir, "bag-info.txt cannot be read");
  const std::string oxum = ReadTags(*info)["Payload-Oxum"];
  if (!oxum.empty() &&
      oxum != fmt::format("{}.{}", bytes, payload->size())) {
    return Corrupt(dir, fmt::format("Payload-Oxum {} in bag-info.txt, but "
                                    "data/ holds {}.{}",
                                    oxum, bytes, payload->size()));
  }
  return *payload;
}

Result<PackageExportResult> ExportPackage(Station& station,
                                          const Caller& caller,
                                          const PackageExportInput& input) {
  Operation op(station, caller, "package.export");
  op.Record(input.customer);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  // A package is a complete copy: nothing in it is masked.
  if (auto s = op.Require("customer.pii"); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<PackageExportResult> {
    if (input.customer.empty() == input.query.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "a package holds a customer file (--customer CODE) or "
                       "a search result (--query TEXT): give one of them");
    }
    const fs::path dest = input.to;
    std::error_code ec;
    if (fs::exists(fs::symlink_status(dest, ec)) &&
        !(fs::is_directory(fs::symlink_status(dest, ec)) &&
          fs::is_empty(dest, ec))) {
      return MakeError(ErrorCode::kConflict,
                       dest.string() + ": exists; a package goes into a new "
                                       "or empty folder");
    }
    const OutputFileOptions out{false, station.archive().dir()};
    if (auto s = CheckOutputFile(dest / "bagit.txt", out); !s) {
      return std::unexpected(s.error());
    }
    // The lending rule for electronic copies is per document and uses up an
    // approval; a package cannot honour it half-way.
    auto lending = station.records().GetSetting("lending");
    if (!lending) return std::unexpected(lending.error());
    if (*lending) {
      json policy = json::parse(**lending, nullptr, false);
      if (policy.is_object() && policy.value("export_requires_approval", false)) {
        return MakeError(ErrorCode::kConflict,
                         "packages cannot be exported while exports need an "
                         "approved loan (setting lending.export_requires_"
                         "approval); export the documents one by one");
      }
    }
    auto& records = station.records();
    std::vector<storage::DocumentRecord> docs;
    std::vector<std::string> codes;
    std::string selection;
    if (!input.customer.empty()) {
      auto c = records.FindCustomer(input.customer);
      if (!c) return std::unexpected(c.error());
      codes.push_back(c->code);
      auto list = records.ListDocuments(c->code);
      if (!list) return std::unexpected(list.error());
      docs = std::move(*list);
      selection = "customer " + c->code;
    } else {
      storage::SearchQuery q;
      q.text = input.query;
      q.limit = 1000;
      auto hits = records.Search(q);
      if (!hits) return std::unexpected(hits.error());
      std::set<std::string> seen;
      for (const auto& h : *hits) {
        if (!seen.insert(h.display_id).second) continue;
        auto d = records.GetDocument(h.display_id);
        if (!d) return std::unexpected(d.error());
        if (std::find(codes.begin(), codes.end(), d->customer_code) == codes.end()) {
          codes.push_back(d->customer_code);
        }
        docs.push_back(std::move(*d));
      }
      std::sort(docs.begin(), docs.end(),
                [](const auto& a, const auto& b) { return a.id < b.id; });
      selection = "search " + input.query;
    }
    PackageExportResult result;
    std::vector<std::pair<std::string, std::string>> payload;
    json listing = json::array();
    for (const auto& d : docs) {
      if (d.status == "destroyed") {
        result.skipped.push_back(d.display_id + ": destroyed");
        continue;
      }
      auto pdf = station.archive().files().Get(d.pdf_sha256);  // verified
      if (!pdf) return std::unexpected(pdf.error());
      auto pages = records.GetPages(d.id, false);
      if (!pages) return std::unexpected(pages.error());
      auto fields = records.GetDocumentFields(d.display_id);
      if (!fields) return std::unexpected(fields.error());
      auto history = records.DocumentHistory(d.display_id);
      if (!history) return std::unexpected(history.error());
      const json meta = DocumentJson(d, *pages, *fields, *history);
      const std::string base = "documents/" + d.display_id + "/";
      payload.emplace_back(base + "document.pdf", std::move(*pdf));
      payload.emplace_back(base + "metadata.json", DumpJson(meta, 2) + "\n");
      payload.emplace_back(base + "metadata.xml", DocumentXml(meta));
      listing.push_back({{"id", d.display_id},
                         {"customer", d.customer_code},
                         {"archive_number", d.archive_number},
                         {"path", "data/" + base}});
      result.documents.push_back(d.display_id);
      op.Record(d.display_id);
    }
    json customers = json::array();
    for (const auto& code : codes) {
      auto c = records.FindCustomer(code);
      if (!c) return std::unexpected(c.error());
      auto contacts = records.ListContacts(code);
      if (!contacts) return std::unexpected(contacts.error());
      auto history = records.CustomerHistory(code);
      if (!history) return std::unexpected(history.error());
      const std::string path = "customers/" + SafeName(code) + ".json";
      payload.emplace_back(
          path, DumpJson(CustomerJson(*c, *contacts, *history), 2) + "\n");
      customers.push_back({{"code", code}, {"path", "data/" + path}});
      result.customers.push_back(code);
    }
    auto archive_id = station.access().ArchiveId();
    if (!archive_id) return std::unexpected(archive_id.error());
    const std::string now = NowIso8601();
    json package = {{"format", kPackageFormat},
                    {"source_archive", *archive_id},
                    {"selection", selection},
                    {"exported_at", now},
                    {"exported_by", op.user()},
                    {"customers", customers},
                    {"documents", listing},
                    {"skipped", result.skipped}};
    payload.emplace(payload.begin(), "package.json", DumpJson(package, 2) + "\n");
    for (const auto& [path, content] : payload) {
      result.payload_bytes += static_cast<std::int64_t>(content.size());
    }
    result.payload_files = static_cast<int>(payload.size());
    const std::vector<std::pair<std::string, std::string>> info = {
        {"Source-Organization", "Dossier archive " + *archive_id},
        {"Bagging-Date", station.Zone().Today()},
        {"Bag-Software-Agent", "dossier 0.1.0"},
        {"External-Description",
         fmt::format("Dossier package ({}): {} document(s) of {} customer(s)",
                     selection, result.documents.size(), codes.size())},
        {"External-Identifier", fmt::format("{}/{}", *archive_id, now)},
        {"Dossier-Package-Format", kPackageFormat},
    };
    // Built beside the target and renamed into place.
    fs::path tmp = dest;
    tmp += fmt::format(".partial-{}", ::getpid());
    fs::remove_all(tmp, ec);
    if (auto s = WriteBag(tmp, payload, info); !s) {
      fs::remove_all(tmp, ec);
      return std::unexpected(s.error());
    }
    if (fs::exists(dest, ec)) fs::remove(dest, ec);  // the empty folder
    fs::rename(tmp, dest, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove_all(tmp, ignored);
      return MakeError(ErrorCode::kIo, fmt::format("{}: cannot move the package "
                                                   "into place: {}",
                                                   dest.string(), ec.message()));
    }
    result.dir = dest;
    return result;
  };
  return op.Finish(run());
}

Result<PackageImportResult> ImportPackage(Station& station,
                                          const Caller& caller,
                                          const fs::path& dir) {
  Operation op(station, caller, "package.import");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<PackageImportResult> {
    if (auto s = station.SqliteOnly("package import"); !s) {
      return std::unexpected(s.error());
    }
    auto files = VerifyBag(dir);
    if (!files) return std::unexpected(files.error());
    PackageImportResult result;
    result.files_verified = static_cast<int>(files->size());
    auto parse = [&](const std::string& rel) -> Result<json> {
      auto text = ReadFile(dir / rel);
      if (!text) return std::unexpected(text.error());
      json j = json::parse(*text, nullptr, false);
      if (j.is_discarded()) return Corrupt(dir, rel + " is not valid JSON");
      return j;
    };
    auto package = parse("data/package.json");
    if (!package) return std::unexpected(package.error());
    storage::ImportBatch batch;
    batch.actor = op.user();
    std::vector<std::string> pdfs;
    try {
      if (package->value("format", "") != kPackageFormat) {
        return Corrupt(dir, "data/package.json is not a " +
                                std::string(kPackageFormat) + " package");
      }
      batch.source = fmt::format(
          "archive {} (package {}, exported {} by {})",
          package->at("source_archive").get<std::string>(),
          package->at("selection").get<std::string>(),
          package->at("exported_at").get<std::string>(),
          package->at("exported_by").get<std::string>());
      for (const json& c : package->at("customers")) {
        auto j = parse(c.at("path").get<std::string>());
        if (!j) return std::unexpected(j.error());
        batch.customers.push_back(CustomerFrom(*j));
      }
      for (const json& d : package->at("documents")) {
        const std::string base = d.at("path").get<std::string>();
        auto j = parse(base + "metadata.json");
        if (!j) return std::unexpected(j.error());
        auto idoc = DocumentFrom(*j);
        auto pdf = ReadFile(dir / (base + "document.pdf"));
        if (!pdf) return std::unexpected(pdf.error());
        if (Sha256Hex(*pdf) != idoc.document.pdf_sha256) {
          return Corrupt(dir, fmt::format("{}document.pdf is not the file its "
                                          "metadata names (sha256 {})",
                                          base, idoc.document.pdf_sha256));
        }
        pdfs.push_back(std::move(*pdf));
        batch.documents.push_back(std::move(idoc));
      }
    } catch (const json::exception& e) {
      return Corrupt(dir, std::string("a metadata file lacks a value: ") +
                              e.what());
    }
    op.Record(batch.source);
    // Every conflict first, with nothing written; then the files, then the
    // records.
    auto check = station.catalog().ImportPackage(batch, /*commit=*/false);
    if (!check) return std::unexpected(check.error());
    for (const std::string& pdf : pdfs) {
      auto put = station.archive().files().Put(pdf);
      if (!put) return std::unexpected(put.error());
    }
    auto outcome = station.catalog().ImportPackage(batch, /*commit=*/true);
    if (!outcome) return std::unexpected(outcome.error());
    // Each file's check at import, as at ingest: its SHA-256 was verified
    // against the manifest and the metadata above.
    for (size_t i = 0; i < outcome->documents.size() && i < pdfs.size(); ++i) {
      const auto& [from, to] = outcome->documents[i];
      op.Record(to);
      auto doc = station.records().GetDocument(to);
      if (!doc) return std::unexpected(doc.error());
      const archive::PdfCheckReport pdfa = archive::CheckPdfA(pdfs[i]);
      storage::Verification v;
      v.actor = op.user();
      v.kind = "ingest";  // this archive's first check of the file
      v.fixity_ok = true;
      v.pdfa_ok = pdfa.ok;
      v.pdfa_level = pdfa.level;
      v.problems = pdfa.problems;
      if (auto s = station.records().RecordVerification(doc->id, v); !s) {
        return std::unexpected(s.error());
      }
    }
    result.outcome = std::move(*outcome);
    return result;
  };
  return op.Finish(run());
}

}  // namespace dossier::app
