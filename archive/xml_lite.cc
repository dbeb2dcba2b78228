#include "archive/xml_lite.h"

#include <cctype>
#include <map>

#include "core/text.h"

namespace dossier::archive {
namespace {

constexpr char kXmlNamespace[] = "http://www.w3.org/XML/1998/namespace";

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '_' ||
         c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

struct RawAttribute {
  std::string qname;
  std::string value;
};

class Parser {
 public:
  explicit Parser(std::string_view xml) : xml_(xml) {}

  Result<std::unique_ptr<XmlElement>> Document() {
    if (auto s = SkipMisc(); !s) return std::unexpected(s.error());
    if (pos_ >= xml_.size() || xml_[pos_] != '<')
      return Fail("no root element");
    std::vector<std::map<std::string, std::string>> scopes = {
        {{"xml", kXmlNamespace}}};
    auto root = Element(scopes);
    if (!root) return root;
    if (auto s = SkipMisc(); !s) return std::unexpected(s.error());
    if (pos_ != xml_.size()) return Fail("content after the root element");
    return root;
  }

 private:
  std::unexpected<Error> Fail(const std::string& what) {
    return MakeError(
        ErrorCode::kCorruptInput,
        "XML not well-formed at byte " + std::to_string(pos_) + ": " + what);
  }

  bool StartsWith(std::string_view s) const {
    return xml_.substr(pos_, s.size()) == s;
  }

  void SkipSpace() {
    while (pos_ < xml_.size() &&
           std::isspace(static_cast<unsigned char>(xml_[pos_])))
      ++pos_;
  }

  // Skips to just after `end`; false when it does not occur.
  bool SkipPast(std::string_view end) {
    const std::size_t at = xml_.find(end, pos_);
    if (at == std::string_view::npos) return false;
    pos_ = at + end.size();
    return true;
  }

  // Whitespace, comments and processing instructions outside the root.
  Status SkipMisc() {
    for (;;) {
      SkipSpace();
      if (StartsWith("<?")) {
        if (!SkipPast("?>")) return Fail("unterminated processing instruction");
      } else if (StartsWith("<!--")) {
        if (!SkipPast("-->")) return Fail("unterminated comment");
      } else if (StartsWith("<!")) {
        return Fail("DTDs are not accepted");
      } else {
        return Ok();
      }
    }
  }

  std::string Name() {
    const std::size_t start = pos_;
    while (pos_ < xml_.size() && IsNameChar(xml_[pos_])) ++pos_;
    return std::string(xml_.substr(start, pos_ - start));
  }

  Result<std::string> Decode(std::string_view raw) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '<') return Fail("'<' in character data");
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      const std::size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos) return Fail("unterminated entity");
      const std::string_view name = raw.substr(i + 1, semi - i - 1);
      if (name == "amp")
        out += '&';
      else if (name == "lt")
        out += '<';
      else if (name == "gt")
        out += '>';
      else if (name == "quot")
        out += '"';
      else if (name == "apos")
        out += '\'';
      else if (name.size() > 1 && name[0] == '#') {
        const bool hex = name[1] == 'x';
        const std::string digits(name.substr(hex ? 2 : 1));
        if (digits.empty()) return Fail("empty character reference");
        char32_t cp = 0;
        try {
          cp =
              static_cast<char32_t>(std::stoul(digits, nullptr, hex ? 16 : 10));
        } catch (...) {
          return Fail("bad character reference");
        }
        out += EncodeUtf8(std::u32string(1, cp));
      } else {
        return Fail("unknown entity &" + std::string(name) + ";");
      }
      i = semi;
    }
    return out;
  }

  Status Resolve(const std::vector<std::map<std::string, std::string>>& scopes,
                 const std::string& qname, bool is_attribute, std::string& ns,
                 std::string& local) {
    const std::size_t colon = qname.find(':');
    const std::string prefix =
        colon == std::string::npos ? "" : qname.substr(0, colon);
    local = colon == std::string::npos ? qname : qname.substr(colon + 1);
    if (prefix.empty() && is_attribute) {
      ns.clear();
      return Ok();
    }
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      if (auto found = it->find(prefix); found != it->end()) {
        ns = found->second;
        return Ok();
      }
    }
    if (prefix.empty()) {
      ns.clear();
      return Ok();
    }
    return Fail("undeclared namespace prefix '" + prefix + "'");
  }

  Result<std::unique_ptr<XmlElement>> Element(
      std::vector<std::map<std::string, std::string>>& scopes) {
    ++pos_;  // '<'
    const std::string qname = Name();
    if (qname.empty()) return Fail("element without a name");
    std::vector<RawAttribute> raw_attributes;
    std::map<std::string, std::string> scope;
    bool empty = false;
    for (;;) {
      SkipSpace();
      if (pos_ >= xml_.size())
        return Fail("unterminated start tag <" + qname + ">");
      if (StartsWith("/>")) {
        pos_ += 2;
        empty = true;
        break;
      }
      if (xml_[pos_] == '>') {
        ++pos_;
        break;
      }
      RawAttribute a;
      a.qname = Name();
      if (a.qname.empty()) return Fail("bad attribute in <" + qname + ">");
      SkipSpace();
      if (pos_ >= xml_.size() || xml_[pos_] != '=')
        return Fail("attribute without '='");
      ++pos_;
      SkipSpace();
      if (pos_ >= xml_.size() || (xml_[pos_] != '"' && xml_[pos_] != '\'')) {
        return Fail("unquoted attribute value");
      }
      const char quote = xml_[pos_++];
      const std::size_t end = xml_.find(quote, pos_);
      if (end == std::string_view::npos)
        return Fail("unterminated attribute value");
      auto value = Decode(xml_.substr(pos_, end - pos_));
      if (!value) return std::unexpected(value.error());
      a.value = std::move(*value);
      pos_ = end + 1;
      if (a.qname == "xmlns")
        scope[""] = a.value;
      else if (a.qname.starts_with("xmlns:"))
        scope[a.qname.substr(6)] = a.value;
      else
        raw_attributes.push_back(std::move(a));
    }
    scopes.push_back(std::move(scope));
    auto element = std::make_unique<XmlElement>();
    if (auto s = Resolve(scopes, qname, false, element->ns, element->local);
        !s) {
      return std::unexpected(s.error());
    }
    for (const RawAttribute& a : raw_attributes) {
      XmlAttribute resolved;
      if (auto s = Resolve(scopes, a.qname, true, resolved.ns, resolved.local);
          !s) {
        return std::unexpected(s.error());
      }
      resolved.value = a.value;
      element->attributes.push_back(std::move(resolved));
    }
    while (!empty) {
      if (pos_ >= xml_.size())
        return Fail("unterminated element <" + qname + ">");
      if (StartsWith("</")) {
        pos_ += 2;
        const std::string close = Name();
        SkipSpace();
        if (close != qname || pos_ >= xml_.size() || xml_[pos_] != '>') {
          return Fail("</" + close + "> does not close <" + qname + ">");
        }
        ++pos_;
        break;
      }
      if (StartsWith("<!--")) {
        if (!SkipPast("-->")) return Fail("unterminated comment");
      } else if (StartsWith("<![CDATA[")) {
        const std::size_t start = pos_ + 9;
        if (!SkipPast("]]>")) return Fail("unterminated CDATA");
        element->text += xml_.substr(start, pos_ - 3 - start);
      } else if (StartsWith("<?")) {
        if (!SkipPast("?>")) return Fail("unterminated processing instruction");
      } else if (xml_[pos_] == '<') {
        auto child = Element(scopes);
        if (!child) return child;
        element->children.push_back(std::move(*child));
      } else {
        const std::size_t end = xml_.find('<', pos_);
        if (end == std::string_view::npos)
          return Fail("unterminated element <" + qname + ">");
        auto text = Decode(xml_.substr(pos_, end - pos_));
        if (!text) return std::unexpected(text.error());
        element->text += *text;
        pos_ = end;
      }
    }
    scopes.pop_back();
    return element;
  }

  std::string_view xml_;
  std::size_t pos_ = 0;
};

}  // namespace

const XmlAttribute* XmlElement::FindAttribute(
    std::string_view ns_uri, std::string_view local_name) const {
  for (const XmlAttribute& a : attributes) {
    if (a.ns == ns_uri && a.local == local_name) return &a;
  }
  return nullptr;
}

Result<std::unique_ptr<XmlElement>> ParseXml(std::string_view xml) {
  return Parser(xml).Document();
}

}  // namespace dossier::archive
