// CheckPdfA: the rules a scanned archive can break, checked in-process with
// qpdf. This is not a validator; the tests run veraPDF-like and Preflight
// tools on top. See docs/pdf-format.md for the list.
#include <cctype>
#include <exception>
#include <functional>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <set>

#include "core/text.h"
#include "archive/pdf_writer.h"
#include "archive/xml_lite.h"

namespace dossier::archive {
namespace {

constexpr char kRdfNamespace[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr char kPdfaIdNamespace[] = "http://www.aiim.org/pdfa/ns/id/";

// Value of pdfaid:<name>, as attribute or child element of any
// rdf:Description; empty when absent.
std::string PdfaIdProperty(const XmlElement& element, std::string_view name) {
  if (element.ns == kRdfNamespace && element.local == "Description") {
    if (const XmlAttribute* a = element.FindAttribute(kPdfaIdNamespace, name))
      return a->value;
    for (const auto& child : element.children) {
      if (child->ns == kPdfaIdNamespace && child->local == name)
        return child->text;
    }
  }
  for (const auto& child : element.children) {
    std::string found = PdfaIdProperty(*child, name);
    if (!found.empty()) return found;
  }
  return {};
}

bool IsName(QPDFObjectHandle o, const char* name) {
  return o.isName() && o.getName() == name;
}

std::string Describe(QPDFObjectHandle o) {
  return o.isIndirect() ? "object " + std::to_string(o.getObjectID())
                        : "a direct object";
}

class Checker {
 public:
  explicit Checker(PdfCheckReport& report) : report_(report) {}

  void Run(std::string_view bytes) {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    try {
      pdf.processMemoryFile("pdf", bytes.data(), bytes.size());
      CheckTrailer(pdf);
      CheckMetadata(pdf.getRoot());
      CheckOutputIntent(pdf.getRoot());
      for (QPDFObjectHandle o : pdf.getAllObjects()) Visit(o);
    } catch (const std::exception& e) {
      Problem(std::string("not a readable PDF: ") + e.what());
    }
    // qpdf repairs damaged files silently; damage is a problem for an archive.
    for (const QPDFExc& w : pdf.getWarnings()) {
      Problem(std::string("damaged PDF structure: ") + w.what());
    }
  }

 private:
  void Problem(std::string what) {
    if (seen_.insert(what).second) report_.problems.push_back(std::move(what));
  }

  void CheckTrailer(QPDF& pdf) {
    QPDFObjectHandle trailer = pdf.getTrailer();
    QPDFObjectHandle id = trailer.getKey("/ID");
    if (!id.isArray() || id.getArrayNItems() != 2 ||
        !id.getArrayItem(0).isString() || !id.getArrayItem(1).isString()) {
      Problem("trailer has no /ID with two strings");
    }
    if (trailer.hasKey("/Encrypt") || pdf.isEncrypted())
      Problem("file is encrypted (/Encrypt)");
  }

  void CheckMetadata(QPDFObjectHandle root) {
    QPDFObjectHandle metadata = root.getKey("/Metadata");
    if (!metadata.isStream()) {
      Problem("catalog has no /Metadata stream (XMP)");
      return;
    }
    QPDFObjectHandle dict = metadata.getDict();
    if (!IsName(dict.getKey("/Type"), "/Metadata") ||
        !IsName(dict.getKey("/Subtype"), "/XML")) {
      Problem("/Metadata stream lacks /Type /Metadata /Subtype /XML");
    }
    auto data = metadata.getStreamData(qpdf_dl_generalized);
    const std::string_view xmp(reinterpret_cast<const char*>(data->getBuffer()),
                               data->getSize());
    auto parsed = ParseXml(xmp);
    if (!parsed) {
      Problem("XMP metadata: " + parsed.error().message);
      return;
    }
    const std::string part = TrimSpace(PdfaIdProperty(**parsed, "part"));
    const std::string conformance =
        TrimSpace(PdfaIdProperty(**parsed, "conformance"));
    if (part.empty() || conformance.empty()) {
      Problem("XMP has no pdfaid:part and pdfaid:conformance");
      return;
    }
    if ((part != "1" && part != "2" && part != "3") ||
        (conformance != "A" && conformance != "B" && conformance != "U")) {
      Problem("XMP pdfaid part/conformance '" + part + conformance +
              "' is not PDF/A-1..3 A/B/U");
      return;
    }
    report_.level = part + static_cast<char>(std::tolower(conformance[0]));
  }

  void CheckOutputIntent(QPDFObjectHandle root) {
    QPDFObjectHandle intents = root.getKey("/OutputIntents");
    if (intents.isArray()) {
      for (int i = 0; i < intents.getArrayNItems(); ++i) {
        QPDFObjectHandle intent = intents.getArrayItem(i);
        if (intent.isDictionary() &&
            IsName(intent.getKey("/S"), "/GTS_PDFA1")) {
          if (intent.getKey("/DestOutputProfile").isStream()) return;
          Problem("OutputIntent GTS_PDFA1 has no DestOutputProfile stream");
          return;
        }
      }
    }
    Problem("no OutputIntent with /S /GTS_PDFA1");
  }

  // Checks one dictionary (or stream dictionary) and the direct objects in it;
  // indirect ones are visited from getAllObjects.
  void Visit(QPDFObjectHandle o) {
    if (o.isArray()) {
      for (QPDFObjectHandle item : o.getArrayAsVector()) {
        if (!item.isIndirect()) Visit(item);
      }
      return;
    }
    QPDFObjectHandle dict = o.isStream() ? o.getDict() : o;
    if (!dict.isDictionary()) return;
    CheckDictionary(o, dict);
    for (const std::string& key : dict.getKeys()) {
      QPDFObjectHandle value = dict.getKey(key);
      if (!value.isIndirect()) Visit(value);
    }
  }

  void CheckDictionary(QPDFObjectHandle o, QPDFObjectHandle dict) {
    const std::string where = Describe(o);
    if (IsName(dict.getKey("/Type"), "/Font")) CheckFont(dict, where);
    if (IsName(dict.getKey("/Subtype"), "/Image")) {
      if (dict.hasKey("/SMask") && !dict.getKey("/SMask").isNull()) {
        Problem("image " + where + " has a soft mask (/SMask, transparency)");
      }
      if (dict.hasKey("/SMaskInData") &&
          dict.getKey("/SMaskInData").isNumber() &&
          dict.getKey("/SMaskInData").getNumericValue() != 0) {
        Problem("image " + where + " has /SMaskInData (transparency)");
      }
    } else if (dict.hasKey("/SMask") &&
               !IsName(dict.getKey("/SMask"), "/None")) {
      Problem("graphics state " + where +
              " has a soft mask (/SMask, transparency)");
    }
    if (IsName(dict.getKey("/Type"), "/ExtGState"))
      CheckGraphicsState(dict, where);
    // Resource dictionaries name graphics states that need not say /Type.
    QPDFObjectHandle states = dict.getKey("/ExtGState");
    if (states.isDictionary()) {
      for (const std::string& key : states.getKeys()) {
        QPDFObjectHandle state = states.getKey(key);
        if (state.isDictionary())
          CheckGraphicsState(state, "graphics state " + key);
      }
    }
    QPDFObjectHandle blend = dict.getKey("/BM");
    if (blend.isName() && blend.getName() != "/Normal" &&
        blend.getName() != "/Compatible") {
      Problem("graphics state " + where + " has blend mode " + blend.getName());
    }
    QPDFObjectHandle group = dict.getKey("/Group");
    if (group.isDictionary() && IsName(group.getKey("/S"), "/Transparency")) {
      Problem(where + " has a transparency group (/Group /S /Transparency)");
    }
  }

  void CheckGraphicsState(QPDFObjectHandle state, const std::string& where) {
    for (const char* alpha : {"/CA", "/ca"}) {
      QPDFObjectHandle v = state.getKey(alpha);
      if (v.isNumber() && v.getNumericValue() != 1.0) {
        Problem(where + " has " + alpha + " < 1 (transparency)");
      }
    }
  }

  void CheckFont(QPDFObjectHandle font, const std::string& where) {
    QPDFObjectHandle subtype = font.getKey("/Subtype");
    if (IsName(subtype, "/Type3")) return;  // glyphs are content streams
    QPDFObjectHandle base = font.getKey("/BaseFont");
    const std::string name = base.isName() ? base.getName() : where;
    if (IsName(subtype, "/Type0")) {
      QPDFObjectHandle descendants = font.getKey("/DescendantFonts");
      if (!descendants.isArray() || descendants.getArrayNItems() != 1 ||
          !descendants.getArrayItem(0).isDictionary()) {
        Problem("font " + name + " has no descendant font");
        return;
      }
      font = descendants.getArrayItem(0);
    }
    QPDFObjectHandle descriptor = font.getKey("/FontDescriptor");
    if (!descriptor.isDictionary() ||
        !(descriptor.getKey("/FontFile").isStream() ||
          descriptor.getKey("/FontFile2").isStream() ||
          descriptor.getKey("/FontFile3").isStream())) {
      Problem("font " + name + " is not embedded");
    }
  }

  PdfCheckReport& report_;
  std::set<std::string> seen_;
};

}  // namespace

PdfCheckReport CheckPdfA(std::string_view pdf_bytes) {
  PdfCheckReport report;
  Checker(report).Run(pdf_bytes);
  report.ok = report.problems.empty();
  return report;
}

}  // namespace dossier::archive
