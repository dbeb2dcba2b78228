#include "archive/xmp.h"

#include <cstdio>
#include <ctime>
#include <regex>

#include "core/clock.h"

namespace dossier::archive {
namespace {

// One custom property, declared both in the data and in the pdfaExtension
// schema description (PDF/A-1 6.7.8, PDF/A-2 6.6.2.3: properties outside the
// XMP specification's predefined schemas must be described there).
struct PropertySpec {
  const char* name;
  const char* value_type;
  const char* description;
};

constexpr PropertySpec kDossierProperties[] = {
    {"customerCode", "Text", "Customer file code, with its check character"},
    {"documentType", "Text", "Kind of document, e.g. contract or form"},
    {"archiveNumber", "Text",
     "Archive number given when the document was filed"},
    {"documentId", "Text", "Catalog identifier of the document"},
    {"pageCount", "Integer", "Number of scanned pages"},
    {"ocrEngine", "Text", "OCR engine and version that made the text layer"},
    {"ocrLanguages", "Text", "OCR languages, e.g. chi_sim+eng"},
    {"scanDate", "Date", "When the paper original was scanned"},
};

std::string TwoDigits(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

void AppendSimple(std::string& out, const char* qname,
                  const std::string& value) {
  if (value.empty()) return;
  out += "   <";
  out += qname;
  out += ">";
  out += XmlEscape(value);
  out += "</";
  out += qname;
  out += ">\n";
}

}  // namespace

Result<Timestamp> ParseIso8601(std::string_view text) {
  static const std::regex kPattern(
      R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):?(\d{2}))?)");
  std::cmatch m;
  if (!std::regex_match(text.data(), text.data() + text.size(), m, kPattern)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "date '" + std::string(text) +
                         "' is not ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)");
  }
  Timestamp t;
  t.year = std::stoi(m[1]);
  t.month = std::stoi(m[2]);
  t.day = std::stoi(m[3]);
  t.hour = std::stoi(m[4]);
  t.minute = std::stoi(m[5]);
  t.second = std::stoi(m[6]);
  if (m[8].matched) {
    const int off = std::stoi(m[9]) * 60 + std::stoi(m[10]);
    t.offset_minutes = m[8] == "-" ? -off : off;
  }
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23 ||
      t.minute > 59 || t.second > 60 || t.offset_minutes > 14 * 60 ||
      t.offset_minutes < -14 * 60) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "date '" + std::string(text) + "' is out of range");
  }
  return t;
}

Timestamp NowUtc() {
  auto parsed = ParseIso8601(NowIso8601());
  return parsed ? *parsed : Timestamp{};
}

std::string FormatXmpDate(const Timestamp& t) {
  const int off = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
  return std::to_string(t.year) + "-" + TwoDigits(t.month) + "-" +
         TwoDigits(t.day) + "T" + TwoDigits(t.hour) + ":" +
         TwoDigits(t.minute) + ":" + TwoDigits(t.second) +
         (t.offset_minutes < 0 ? "-" : "+") + TwoDigits(off / 60) + ":" +
         TwoDigits(off % 60);
}

std::string FormatPdfDate(const Timestamp& t) {
  const int off = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
  return "D:" + std::to_string(t.year) + TwoDigits(t.month) + TwoDigits(t.day) +
         TwoDigits(t.hour) + TwoDigits(t.minute) + TwoDigits(t.second) +
         (t.offset_minutes < 0 ? "-" : "+") + TwoDigits(off / 60) + "'" +
         TwoDigits(off % 60) + "'";
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most C0 controls even escaped; drop them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' &&
            c != '\r')
          break;
        out += c;
    }
  }
  return out;
}

std::string BuildXmpPacket(const XmpMetadata& m) {
  std::string x;
  // The BOM inside begin="" marks the packet as UTF-8; PDF/A forbids the
  // bytes= and encoding= attributes.
  x += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
  x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
  x += " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";

  x += "  <rdf:Description rdf:about=\"\" "
       "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n";
  x += "   <pdfaid:part>" + std::to_string(m.pdfa_part) + "</pdfaid:part>\n";
  x += std::string("   <pdfaid:conformance>") + m.pdfa_conformance +
       "</pdfaid:conformance>\n";
  x += "  </rdf:Description>\n";

  x += "  <rdf:Description rdf:about=\"\" "
       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n";
  x += "   <dc:format>application/pdf</dc:format>\n";
  if (!m.title.empty()) {
    x += "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
         XmlEscape(m.title) + "</rdf:li></rdf:Alt></dc:title>\n";
  }
  if (!m.author.empty()) {
    x += "   <dc:creator><rdf:Seq><rdf:li>" + XmlEscape(m.author) +
         "</rdf:li></rdf:Seq></dc:creator>\n";
  }
  x += "  </rdf:Description>\n";

  x += "  <rdf:Description rdf:about=\"\" "
       "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n";
  x += "   <xmp:CreateDate>" + FormatXmpDate(m.created) + "</xmp:CreateDate>\n";
  x +=
      "   <xmp:ModifyDate>" + FormatXmpDate(m.modified) + "</xmp:ModifyDate>\n";
  x += "   <xmp:MetadataDate>" + FormatXmpDate(m.modified) +
       "</xmp:MetadataDate>\n";
  AppendSimple(x, "xmp:CreatorTool", m.creator_tool);
  x += "  </rdf:Description>\n";

  x += "  <rdf:Description rdf:about=\"\" "
       "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n";
  AppendSimple(x, "pdf:Producer", m.producer);
  x += "  </rdf:Description>\n";

  x += std::string("  <rdf:Description rdf:about=\"\" xmlns:") +
       kDossierXmpPrefix + "=\"" + kDossierXmpNamespace + "\">\n";
  AppendSimple(x, "dossier:customerCode", m.customer_code);
  AppendSimple(x, "dossier:documentType", m.document_type);
  AppendSimple(x, "dossier:archiveNumber", m.archive_number);
  AppendSimple(x, "dossier:documentId", m.document_id);
  AppendSimple(x, "dossier:pageCount", std::to_string(m.page_count));
  AppendSimple(x, "dossier:ocrEngine", m.ocr_engine);
  AppendSimple(x, "dossier:ocrLanguages", m.ocr_languages);
  AppendSimple(x, "dossier:scanDate", m.scan_date);
  x += "  </rdf:Description>\n";

  x += "  <rdf:Description rdf:about=\"\""
       " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\""
       " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\""
       " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n";
  x += "   <pdfaExtension:schemas>\n    <rdf:Bag>\n";
  x += "     <rdf:li rdf:parseType=\"Resource\">\n";
  x +=
      "      <pdfaSchema:schema>Dossier archive document</pdfaSchema:schema>\n";
  x += std::string("      <pdfaSchema:namespaceURI>") + kDossierXmpNamespace +
       "</pdfaSchema:namespaceURI>\n";
  x += std::string("      <pdfaSchema:prefix>") + kDossierXmpPrefix +
       "</pdfaSchema:prefix>\n";
  x += "      <pdfaSchema:property>\n       <rdf:Seq>\n";
  for (const PropertySpec& p : kDossierProperties) {
    x += "        <rdf:li rdf:parseType=\"Resource\">\n";
    x += std::string("         <pdfaProperty:name>") + p.name +
         "</pdfaProperty:name>\n";
    x += std::string("         <pdfaProperty:valueType>") + p.value_type +
         "</pdfaProperty:valueType>\n";
    x += "         <pdfaProperty:category>external</pdfaProperty:category>\n";
    x += std::string("         <pdfaProperty:description>") + p.description +
         "</pdfaProperty:description>\n";
    x += "        </rdf:li>\n";
  }
  x += "       </rdf:Seq>\n      </pdfaSchema:property>\n";
  x += "     </rdf:li>\n    </rdf:Bag>\n   </pdfaExtension:schemas>\n";
  x += "  </rdf:Description>\n";

  x += " </rdf:RDF>\n</x:xmpmeta>\n";
  // Padding lets an editor update the packet in place (XMP spec part 1, 7.3).
  for (int i = 0; i < 20; ++i) x += std::string(99, ' ') + "\n";
  x += "<?xpacket end=\"w\"?>";
  return x;
}

}  // namespace dossier::archive
