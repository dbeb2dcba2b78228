// Internal to archive/: XMP metadata packet and the date forms shared by XMP
// and the Info dictionary. The schema is documented in docs/pdf-format.md.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier::archive {

// Namespace of our own XMP properties (docs/pdf-format.md).
inline constexpr char kDossierXmpNamespace[] =
    "https://dossier.example/ns/1.0/";
inline constexpr char kDossierXmpPrefix[] = "dossier";

// A point in time with the UTC offset it was written with, so that XMP and
// the Info dictionary can show the same wall-clock time and zone.
struct Timestamp {
  int year = 1970;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int offset_minutes = 0;  // east of UTC
};

// Parses "YYYY-MM-DDTHH:MM:SS" with an optional fraction and "Z" or "+HH:MM"
// (no zone means UTC). Error (kInvalidArgument) names the text.
Result<Timestamp> ParseIso8601(std::string_view text);
Timestamp NowUtc();
// "2026-11-27T07:30:00+00:00"
std::string FormatXmpDate(const Timestamp& t);
// "D:20261127073000+00'00'"
std::string FormatPdfDate(const Timestamp& t);

// Escapes &, <, >, " and ' for XML text and attribute values.
std::string XmlEscape(std::string_view text);

struct XmpMetadata {
  int pdfa_part = 2;  // 1 or 2
  char pdfa_conformance = 'B';
  std::string title;         // dc:title, Info /Title
  std::string author;        // dc:creator, Info /Author
  std::string creator_tool;  // xmp:CreatorTool, Info /Creator
  std::string producer;      // pdf:Producer, Info /Producer
  Timestamp created;         // xmp:CreateDate, Info /CreationDate
  Timestamp modified;        // xmp:ModifyDate, xmp:MetadataDate, /ModDate
  // dossier: properties; empty strings are left out.
  std::string customer_code;
  std::string document_type;
  std::string archive_number;
  std::string document_id;
  int page_count = 0;
  std::string ocr_engine;
  std::string ocr_languages;
  std::string scan_date;  // already validated ISO 8601
};

// The complete packet, <?xpacket begin ...?> to <?xpacket end="w"?>, UTF-8,
// with the pdfaExtension schema description PDF/A needs for dossier:.
std::string BuildXmpPacket(const XmpMetadata& m);

}  // namespace dossier::archive
