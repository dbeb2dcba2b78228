#include "archive/xmp.h"

#include <gtest/gtest.h>

#include "archive/xml_lite.h"

namespace dossier::archive {
namespace {

TEST(XmpTest, DatesKeepTheirZoneInBothForms) {
  auto t = ParseIso8601("2026-11-27T15:30:05+08:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatXmpDate(*t), "2026-11-27T15:30:05+08:00");
  EXPECT_EQ(FormatPdfDate(*t), "D:20261127153005+08'00'");
  auto z = ParseIso8601("2026-11-27T07:30:00Z");
  ASSERT_TRUE(z.has_value());
  EXPECT_EQ(FormatPdfDate(*z), "D:20261127073000+00'00'");
  EXPECT_FALSE(ParseIso8601("2026-13-01T00:00:00Z").has_value());
  EXPECT_FALSE(ParseIso8601("yesterday").has_value());
}

TEST(XmpTest, EscapesMarkup) {
  EXPECT_EQ(XmlEscape("<a & \"b\" 'c'>"),
            "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;");
}

TEST(XmpTest, PacketIsWellFormedAndCarriesEveryProperty) {
  XmpMetadata m;
  m.pdfa_part = 1;
  m.title = "合同 </dc:title> & co";
  m.author = "张三";
  m.customer_code = "C1";
  m.page_count = 4;
  const std::string packet = BuildXmpPacket(m);
  EXPECT_EQ(packet.find("bytes="), std::string::npos);
  EXPECT_EQ(packet.find("encoding="), std::string::npos);
  auto root = ParseXml(packet);
  ASSERT_TRUE(root.has_value()) << root.error().message;
  EXPECT_NE(packet.find("<pdfaid:part>1</pdfaid:part>"), std::string::npos);
  EXPECT_NE(
      packet.find("<pdfaSchema:namespaceURI>https://dossier.example/ns/1.0/"),
      std::string::npos);
  EXPECT_NE(packet.find("<dossier:pageCount>4</dossier:pageCount>"),
            std::string::npos);
  EXPECT_EQ(packet.find("dossier:archiveNumber>"),
            std::string::npos);  // empty: left out
  EXPECT_TRUE(packet.ends_with("<?xpacket end=\"w\"?>"));
}

TEST(XmlLiteTest, RejectsMalformedAndResolvesNamespaces) {
  EXPECT_FALSE(ParseXml("<a><b></a>").has_value());
  EXPECT_FALSE(ParseXml("<p:a/>").has_value());
  EXPECT_FALSE(ParseXml("<a>&bogus;</a>").has_value());
  auto root = ParseXml(
      "<?xml version='1.0'?><a xmlns:p='urn:p'><p:b "
      "p:c='&lt;1'>x&#x4E2D;</p:b></a>");
  ASSERT_TRUE(root.has_value()) << root.error().message;
  const XmlElement& b = *(*root)->children.at(0);
  EXPECT_EQ(b.ns, "urn:p");
  EXPECT_EQ(b.local, "b");
  EXPECT_EQ(b.text, "x中");
  ASSERT_NE(b.FindAttribute("urn:p", "c"), nullptr);
  EXPECT_EQ(b.FindAttribute("urn:p", "c")->value, "<1");
}

}  // namespace
}  // namespace dossier::archive
