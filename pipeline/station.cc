#include "pipeline/station.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "archive/cover_sheet_pdf.h"
#include "pipeline/ingest.h"
#include "records/vocabulary.h"

namespace dossier::pipeline {

namespace {

using nlohmann::json;

constexpr char kProfilesSection[] = "scan-profiles";
constexpr char kCaptureSection[] = "capture";

bool ValidProfileName(const std::string& name) {
  if (name.empty() || name.size() > 40) return false;
  if (!std::isalnum(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

json ToJson(const capture::ScanSettings& s) {
  json j = json::object();
  if (!s.device.empty()) j["device"] = s.device;
  if (s.source != capture::ScanSource::kDefault)
    j["source"] = ScanSourceName(s.source);
  if (s.mode != capture::ScanMode::kDefault) j["mode"] = ScanModeName(s.mode);
  if (s.dpi > 0) j["dpi"] = s.dpi;
  if (!s.extra_options.empty()) {
    json opts = json::array();
    for (const auto& [k, v] : s.extra_options) opts.push_back({k, v});
    j["options"] = opts;
  }
  return j;
}

Result<capture::ScanSettings> FromJson(const std::string& name, const json& j) {
  auto bad = [&](const std::string& why) {
    return MakeError(ErrorCode::kCorruptInput,
                     fmt::format("scan profile {}: {}", name, why));
  };
  if (!j.is_object()) return bad("not an object");
  capture::ScanSettings s;
  try {
    if (j.contains("device")) s.device = j.at("device").get<std::string>();
    if (j.contains("source")) {
      auto src = capture::ParseScanSource(j.at("source").get<std::string>());
      if (!src) return bad(src.error().message);
      s.source = *src;
    }
    if (j.contains("mode")) {
      auto mode = capture::ParseScanMode(j.at("mode").get<std::string>());
      if (!mode) return bad(mode.error().message);
      s.mode = *mode;
    }
    if (j.contains("dpi")) s.dpi = j.at("dpi").get<int>();
    if (j.contains("options")) {
      for (const auto& pair : j.at("options")) {
        s.extra_options.emplace_back(pair.at(0).get<std::string>(),
                                     pair.at(1).get<std::string>());
      }
    }
  } catch (const json::exception& e) {
    return bad(e.what());
  }
  return s;
}

Result<json> LoadSection(storage::RecordsStore& catalog, const char* section) {
  auto raw = catalog.GetSetting(section);
  if (!raw) return std::unexpected(raw.error());
  if (!*raw) return json::object();
  json j = json::parse(**raw, nullptr, false);
  if (!j.is_object()) {
    return MakeError(ErrorCode::kCorruptInput,
                     fmt::format("setting {}: not a JSON object", section));
  }
  return j;
}

}  // namespace

Result<std::vector<ScanProfile>> LoadScanProfiles(storage::RecordsStore& catalog) {
  auto j = LoadSection(catalog, kProfilesSection);
  if (!j) return std::unexpected(j.error());
  std::vector<ScanProfile> out;
  for (const auto& [name, value] : j->items()) {
    auto s = FromJson(name, value);
    if (!s) return std::unexpected(s.error());
    out.push_back({name, std::move(*s)});
  }
  std::sort(out.begin(), out.end(),
            [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

Result<ScanProfile> FindScanProfile(storage::RecordsStore& catalog,
                                    const std::string& name) {
  auto all = LoadScanProfiles(catalog);
  if (!all) return std::unexpected(all.error());
  std::vector<std::string> names;
  for (auto& p : *all) {
    if (p.name == name) return p;
    names.push_back(p.name);
  }
  return MakeError(
      ErrorCode::kNotFound,
      fmt::format(
          "scan profile '{}' does not exist (saved: {})", name,
          names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
}

Status SaveScanProfile(storage::RecordsStore& catalog, const ScanProfile& profile,
                       bool replace, const std::string& actor) {
  if (!ValidProfileName(profile.name)) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("scan profile name '{}': use lower-case letters, "
                    "digits, '-' and '_' (at most 40)",
                    profile.name));
  }
  auto j = LoadSection(catalog, kProfilesSection);
  if (!j) return std::unexpected(j.error());
  if (j->contains(profile.name) && !replace) {
    return MakeError(
        ErrorCode::kConflict,
        fmt::format("scan profile '{}' exists (use --replace)", profile.name));
  }
  (*j)[profile.name] = ToJson(profile.settings);
  return catalog.PutSetting(kProfilesSection, j->dump(), actor);
}

Status RemoveScanProfile(storage::RecordsStore& catalog, const std::string& name,
                         const std::string& actor) {
  auto j = LoadSection(catalog, kProfilesSection);
  if (!j) return std::unexpected(j.error());
  if (!j->contains(name)) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("scan profile '{}' does not exist", name));
  }
  j->erase(name);
  return catalog.PutSetting(kProfilesSection, j->dump(), actor);
}

Result<std::string> EnsureReviewCustomer(storage::RecordsStore& catalog,
                                         const std::string& actor) {
  auto j = LoadSection(catalog, kCaptureSection);
  if (!j) return std::unexpected(j.error());
  if (j->contains("review_customer") && (*j)["review_customer"].is_string()) {
    std::string code = (*j)["review_customer"].get<std::string>();
    auto c = catalog.FindCustomer(code);
    if (!c) {
      return MakeError(c.error().code,
                       fmt::format("holding customer for review {} (setting "
                                   "capture.review_customer): {}",
                                   code, c.error().message));
    }
    return code;
  }
  auto created = catalog.AddCustomer(kReviewCustomerName, "company", actor);
  if (!created) return std::unexpected(created.error());
  (*j)["review_customer"] = created->code;
  if (auto s = catalog.PutSetting(kCaptureSection, j->dump(), actor); !s) {
    return std::unexpected(s.error());
  }
  return created->code;
}

Status SetReviewCustomer(storage::RecordsStore& catalog, const std::string& code,
                         const std::string& actor) {
  auto c = catalog.FindCustomer(code);
  if (!c) return std::unexpected(c.error());
  auto j = LoadSection(catalog, kCaptureSection);
  if (!j) return std::unexpected(j.error());
  (*j)["review_customer"] = c->code;
  return catalog.PutSetting(kCaptureSection, j->dump(), actor);
}

Result<std::string> MakeCoverSheetPdf(storage::RecordsStore& catalog,
                                      const capture::CoverSheet& sheet) {
  auto type = records::ParseDocumentType(sheet.type);
  if (!type) return std::unexpected(type.error());
  auto customer = catalog.FindCustomer(sheet.customer_code);
  if (!customer) return std::unexpected(customer.error());
  capture::CoverSheet normalised = sheet;
  normalised.customer_code = customer->code;
  auto payload = capture::FormatCoverPayload(normalised);
  if (!payload) return std::unexpected(payload.error());
  archive::CoverSheetText text;
  text.payload = *payload;
  text.customer_code = customer->code;
  text.customer_name = customer->name;
  text.type = std::string(records::ChineseLabel(*type)) + " " + sheet.type;
  text.title = sheet.title;
  return archive::WriteCoverSheetPdf(text);
}

}  // namespace dossier::pipeline
