// Locations, originals, moves and the chain of custody.
#include "tests/custody/custody_fixture.h"

namespace dossier::storage::testing {
namespace {

TEST(BarcodeSchemeTest, OriginalAndLocationBarcodesCarryACheckCharacter) {
  const std::string b = OriginalBarcode(17);
  EXPECT_EQ(b.size(), 11u);
  EXPECT_TRUE(b.starts_with("OR00000017"));
  EXPECT_TRUE(IsOriginalBarcode(b));
  EXPECT_FALSE(IsLocationBarcode(b));
  // Every single-character substitution is detected.
  for (size_t i = 2; i < b.size(); ++i) {
    for (char c : std::string("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
      if (c == b[i]) continue;
      std::string bad = b;
      bad[i] = c;
      EXPECT_FALSE(IsOriginalBarcode(bad)) << bad;
    }
  }
  EXPECT_TRUE(IsLocationBarcode(LocationBarcode(42)));
  EXPECT_EQ(NormalizeScan("  or00000017" + b.substr(10) + "\r\n"), b);
}

TEST_F(CustodyTest, LocationsNestAndCabinetsAreCreatedInOneGo) {
  auto box = custody_->GetLocation("A-01-2-003");
  ASSERT_TRUE(box) << box.error().message;
  EXPECT_EQ(box->kind, "box");
  EXPECT_EQ(box->capacity, 3);
  EXPECT_EQ(box->security, "locked");
  EXPECT_EQ(box->path, "A / A-01 / A-01-2 / A-01-2-003");
  EXPECT_TRUE(IsLocationBarcode(box->barcode));
  auto by_barcode = custody_->GetLocation(box->barcode);
  ASSERT_TRUE(by_barcode);
  EXPECT_EQ(by_barcode->code, "A-01-2-003");
  auto under = custody_->ListLocations("A-01");
  ASSERT_TRUE(under);
  EXPECT_EQ(under->size(), 1u + 2 + 6);
  // History rows for every location field.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM history WHERE table_name='locations' "
                  "AND field='code'"),
            std::to_string(1 + 9 + 4));
}

TEST_F(CustodyTest, LocationsAreListedInTreeOrder) {
  // A room whose code sorts after its cabinets' codes still comes first.
  ASSERT_TRUE(custody_->AddLocation({"ZR", "room", "", "", 0, ""}, "c"));
  ASSERT_TRUE(custody_->AddCabinet({"B-01", "ZR", 1, 1, 0, ""}, "c"));
  auto all = custody_->ListLocations("");
  ASSERT_TRUE(all) << all.error().message;
  std::vector<std::string> codes;
  for (const auto& l : *all) codes.push_back(l.code);
  auto at = [&codes](const std::string& code) {
    return std::find(codes.begin(), codes.end(), code) - codes.begin();
  };
  EXPECT_LT(at("ZR"), at("B-01"));
  EXPECT_EQ(at("B-01") + 1, at("B-01-1"));
  EXPECT_EQ(at("B-01-1") + 1, at("B-01-1-001"));
  EXPECT_LT(at("A"), at("A-01"));
  // Every location follows its parent, with only its parent's subtree between.
  for (size_t i = 0; i < all->size(); ++i) {
    const auto& l = (*all)[i];
    if (l.parent_code.empty()) continue;
    const auto p = at(l.parent_code);
    ASSERT_LT(p, static_cast<std::ptrdiff_t>(i)) << l.code;
    for (size_t j = p + 1; j < i; ++j) {
      EXPECT_EQ((*all)[j].path.rfind((*all)[p].path + " / ", 0), 0u)
          << (*all)[j].code << " between " << l.parent_code << " and " << l.code;
    }
  }
}

TEST_F(CustodyTest, LocationRulesAreEnforced) {
  auto dup = custody_->AddLocation({"A-01", "cabinet", "A", "", 0, ""}, "c");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto nest = custody_->AddLocation({"X-1", "room", "A-01", "", 0, ""}, "c");
  ASSERT_FALSE(nest);
  EXPECT_EQ(nest.error().code, ErrorCode::kInvalidArgument);
  auto parent = custody_->AddLocation({"X-2", "box", "NOPE", "", 0, ""}, "c");
  ASSERT_FALSE(parent);
  EXPECT_EQ(parent.error().code, ErrorCode::kNotFound);
  auto kind = custody_->AddLocation({"X-3", "drawer", "", "", 0, ""}, "c");
  EXPECT_FALSE(kind);
  auto prefix = custody_->AddLocation({"LC1", "room", "", "", 0, ""}, "c");
  EXPECT_FALSE(prefix);
  // A failed cabinet leaves nothing behind.
  auto bad = custody_->AddCabinet({"A-09", "A", 2, 1000, 0, ""}, "c");
  EXPECT_FALSE(bad);
  EXPECT_FALSE(custody_->GetLocation("A-09"));
}

TEST_F(CustodyTest, RegistersDocumentsAndCustomerFolders) {
  auto o = custody_->RegisterOriginal({docs_[0], "A-01-1-001", -1, "clerk"});
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_TRUE(IsOriginalBarcode(o->barcode));
  EXPECT_EQ(o->page_count, 3);
  EXPECT_EQ(o->document_display_id, docs_[0]);
  EXPECT_EQ(o->customer_name, "上海明川贸易有限公司");
  EXPECT_EQ(o->location_path, "A / A-01 / A-01-1 / A-01-1-001");
  auto again = custody_->RegisterOriginal({docs_[0], "A-01-1-002", -1, "c"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto folder = custody_->RegisterOriginal({customer_, "A-02", -1, "clerk"});
  ASSERT_TRUE(folder) << folder.error().message;
  EXPECT_EQ(folder->title, "customer folder");
  EXPECT_EQ(folder->page_count, 12);
  auto unknown = custody_->RegisterOriginal({"D999999", "A-02", -1, "c"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_F(CustodyTest, RegisteringIntoAFullBoxIsRefused) {
  for (int i = 0; i < 3; ++i) Register(docs_[i], "A-01-1-001");
  auto full = custody_->RegisterOriginal({docs_[3], "A-01-1-001", -1, "c"});
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kConflict);
  EXPECT_NE(full.error().message.find("full"), std::string::npos);
}

TEST_F(CustodyTest, MoveRecordsWhoWhenFromToWhy) {
  const std::string b = Register(docs_[0], "A-01-1-001");
  auto moved = custody_->MoveOriginals({{b}, "A-01-2-001", "re-shelving", "mover"});
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->moved, 1);
  auto where = custody_->Where(docs_[0]);
  ASSERT_TRUE(where) << where.error().message;
  ASSERT_EQ(where->size(), 1u);
  const Original& o = where->front();
  EXPECT_EQ(o.location_code, "A-01-2-001");
  ASSERT_EQ(o.history.size(), 2u);
  EXPECT_EQ(o.history[0].event, "register");
  EXPECT_EQ(o.history[1].event, "move");
  EXPECT_EQ(o.history[1].from, "A / A-01 / A-01-1 / A-01-1-001");
  EXPECT_EQ(o.history[1].to, "A / A-01 / A-01-2 / A-01-2-001");
  EXPECT_EQ(o.history[1].actor, "mover");
  EXPECT_EQ(o.history[1].reason, "re-shelving");
  EXPECT_FALSE(o.history[1].at.empty());
  EXPECT_EQ(Count("SELECT old_value || '>' || new_value FROM history WHERE "
                  "table_name='originals' AND field='location' AND actor='mover'"),
            "A-01-1-001>A-01-2-001");
  // where by barcode and by customer find the same original.
  EXPECT_EQ(custody_->Where(b)->front().barcode, b);
  EXPECT_EQ(custody_->Where(customer_)->front().barcode, b);
  // A move needs a reason.
  auto no_reason = custody_->MoveOriginals({{b}, "A-01-2-002", "", "mover"});
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(CustodyTest, BulkMoveWithOneUnknownItemChangesNothing) {
  const std::string a = Register(docs_[0], "A-01-1-001");
  const std::string b = Register(docs_[1], "A-01-1-002");
  const std::string before = Count(
      "SELECT group_concat(barcode || '@' || location_id) FROM originals");
  const std::string events = Count("SELECT COUNT(*) FROM custody_events");
  auto moved = custody_->MoveOriginals(
      {{a, OriginalBarcode(999), b}, "A-02-1-001", "consolidate", "mover"});
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kConflict);
  EXPECT_NE(moved.error().message.find(OriginalBarcode(999)), std::string::npos);
  EXPECT_NE(moved.error().message.find("nothing was changed"), std::string::npos);
  EXPECT_EQ(Count("SELECT group_concat(barcode || '@' || location_id) FROM "
                  "originals"),
            before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM custody_events"), events);
  // The dry run reports the same problem.
  auto problems = custody_->CheckMove(
      {{a, OriginalBarcode(999)}, "A-02-1-001", "consolidate", "mover"});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].barcode, OriginalBarcode(999));
}

TEST_F(CustodyTest, BulkMoveIntoAFullTargetChangesNothing) {
  std::vector<std::string> barcodes;
  for (int i = 0; i < 4; ++i) barcodes.push_back(Register(docs_[i], "A-02"));
  auto moved = custody_->MoveOriginals({barcodes, "A-01-1-003", "x", "mover"});
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kConflict);
  EXPECT_NE(moved.error().message.find("full"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM originals o JOIN locations l ON "
                  "l.id = o.location_id WHERE l.code = 'A-02'"),
            "4");
  // Three fit exactly.
  barcodes.pop_back();
  auto ok = custody_->MoveOriginals({barcodes, "A-01-1-003", "x", "mover"});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->moved, 3);
}

TEST_F(CustodyTest, BulkMoveWithAllUnknownIsNotFound) {
  auto moved = custody_->MoveOriginals(
      {{OriginalBarcode(5), "garbage"}, "A-02", "x", "mover"});
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kNotFound);
  auto target = custody_->MoveOriginals({{"x"}, "NOWHERE", "x", "mover"});
  ASSERT_FALSE(target);
  EXPECT_EQ(target.error().code, ErrorCode::kNotFound);
}

TEST_F(CustodyTest, TriggersRefuseMovingOrDestroyingAnOriginalNotInPlace) {
  const std::string b = Register(docs_[0], "A-02");
  RawDb raw(path_);
  ASSERT_EQ(raw.Exec("UPDATE originals SET state='on-loan' WHERE barcode='" + b +
                     "'"),
            RawDb::kOk);
  EXPECT_NE(raw.Exec("UPDATE originals SET location_id = location_id + 1 WHERE "
                     "barcode='" + b + "'"),
            RawDb::kOk);
  EXPECT_NE(raw.Exec("UPDATE originals SET state='destroyed' WHERE barcode='" +
                     b + "'"),
            RawDb::kOk);
  EXPECT_NE(raw.Exec("DELETE FROM originals"), RawDb::kOk);
  EXPECT_NE(raw.Exec("DELETE FROM custody_events"), RawDb::kOk);
}

TEST_F(CustodyTest, SchemaIsAtVersionThree) {
  EXPECT_GE(catalog_->SchemaVersion(), 3);
}

}  // namespace
}  // namespace dossier::storage::testing
