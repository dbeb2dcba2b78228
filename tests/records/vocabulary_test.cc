// The vocabulary tables: names round-trip, unknown names are refused with
// the known ones listed, and every type has its own archive code.
#include "records/vocabulary.h"

#include <gtest/gtest.h>

#include <set>

namespace dossier::records {
namespace {

TEST(VocabularyTest, EveryTypeRoundTripsAndHasItsOwnArchiveCode) {
  std::set<std::string_view> codes, labels;
  for (DocumentType t : AllDocumentTypes()) {
    auto back = ParseDocumentType(ToString(t));
    ASSERT_TRUE(back) << ToString(t);
    EXPECT_EQ(*back, t);
    EXPECT_EQ(ArchiveCode(t).size(), 2u);
    codes.insert(ArchiveCode(t));
    labels.insert(ChineseLabel(t));
  }
  EXPECT_EQ(codes.size(), AllDocumentTypes().size());
  EXPECT_EQ(labels.size(), AllDocumentTypes().size());
  EXPECT_EQ(ArchiveCode(DocumentType::kContract), "HT");
  EXPECT_EQ(ToString(DocumentType::kIdCopy), "id-copy");
  EXPECT_EQ(DocumentTypeNames().size(), AllDocumentTypes().size());
}

TEST(VocabularyTest, EveryStatusRoundTrips) {
  for (DocumentStatus s : AllDocumentStatuses()) {
    auto back = ParseDocumentStatus(ToString(s));
    ASSERT_TRUE(back) << ToString(s);
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(ToString(DocumentStatus::kPending), "pending");
  EXPECT_EQ(DocumentStatusNames().size(), 5u);
}

TEST(VocabularyTest, UnknownNamesAreRefusedWithTheKnownOnesListed) {
  for (std::string_view bad : {"Contract", "contracts", "", "id_copy", "合同"}) {
    auto t = ParseDocumentType(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(t.error().message.find("correspondence"), std::string::npos);
  }
  auto s = ParseDocumentStatus("archived");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("'archived'"), std::string::npos);
  EXPECT_NE(s.error().message.find("destroyed"), std::string::npos);
}

}  // namespace
}  // namespace dossier::records
