#include "server/http.h"

#include <cctype>

#include "core/text.h"

namespace dossier::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view s, bool form) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return std::nullopt;
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && form) {
      out.push_back(' ');
    } else if (c == '\0') {
      return std::nullopt;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool ParseTarget(const std::string& target, HttpRequest& request) {
  if (target.empty() || target.front() != '/') return false;
  const auto q = target.find('?');
  auto path = PercentDecode(std::string_view(target).substr(0, q), false);
  if (!path) return false;
  request.path = *path;
  request.query.clear();
  if (q == std::string::npos) return true;
  std::string_view rest = std::string_view(target).substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) return false;
    request.query.emplace(*name, *value);
  }
  return true;
}

std::string HttpRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> HttpRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> HttpRequest::QueryAll(const std::string& name) const {
  std::vector<std::string> out;
  auto [first, last] = query.equal_range(name);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::optional<std::string> HttpRequest::Cookie(const std::string& name) const {
  std::string_view all = headers.count("cookie") ? std::string_view(headers.at("cookie"))
                                                 : std::string_view();
  while (!all.empty()) {
    const auto semi = all.find(';');
    const std::string part = TrimSpace(all.substr(0, semi));
    all = semi == std::string_view::npos ? std::string_view() : all.substr(semi + 1);
    const auto eq = part.find('=');
    if (eq == std::string::npos) continue;
    if (TrimSpace(part.substr(0, eq)) == name) return TrimSpace(part.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace dossier::server
