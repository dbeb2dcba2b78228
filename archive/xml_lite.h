// Internal to archive/: a small namespace-aware XML reader, enough to check
// that an XMP packet is well-formed and to read properties from it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dossier::archive {

struct XmlAttribute {
  std::string ns;     // resolved namespace URI, "" when unprefixed
  std::string local;  // name without prefix
  std::string value;  // entities decoded
};

struct XmlElement {
  std::string ns;
  std::string local;
  std::vector<XmlAttribute> attributes;
  std::vector<std::unique_ptr<XmlElement>> children;
  std::string text;  // concatenated character data directly inside

  const XmlAttribute* FindAttribute(std::string_view ns,
                                    std::string_view local) const;
};

// Parses one document (prolog, processing instructions and comments
// allowed; DTDs are not). Error (kCorruptInput) gives the byte offset.
Result<std::unique_ptr<XmlElement>> ParseXml(std::string_view xml);

}  // namespace dossier::archive
