// Custody: barcodes, locations, originals, moves and `where`. Loans are in
// custody_loans.cc, audits in custody_audits.cc.
#include "storage/sqlite/custody.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "storage/sqlite/catalog_impl.h"
#include "custody/placement.h"
#include "records/coding_rule.h"
#include "storage/sqlite/custody_internal.h"

namespace dossier::storage {

using namespace custody_internal;

namespace {

constexpr std::string_view kLocationSelect =
    "SELECT l.id, l.code, l.barcode, l.kind, l.name, COALESCE(l.parent_id, 0),"
    " COALESCE(p.code, ''), COALESCE(l.capacity, 0), l.security,"
    " (SELECT COUNT(*) FROM originals o WHERE o.location_id = l.id"
    "  AND o.state <> 'destroyed')"
    " FROM locations l LEFT JOIN locations p ON p.id = l.parent_id ";

Location ReadLocation(const Statement& s) {
  Location l;
  l.id = s.ColumnInt64(0);
  l.code = s.ColumnText(1);
  l.barcode = s.ColumnText(2);
  l.kind = s.ColumnText(3);
  l.name = s.ColumnText(4);
  l.parent_id = s.ColumnInt64(5);
  l.parent_code = s.ColumnText(6);
  l.capacity = s.ColumnInt(7);
  l.security = s.ColumnText(8);
  l.original_count = s.ColumnInt(9);
  return l;
}

constexpr std::string_view kOriginalSelect =
    "SELECT o.id, o.barcode, COALESCE(o.document_id, 0), c.code, c.name,"
    " COALESCE(d.title, ''), o.page_count, o.location_id, l.code, o.state,"
    " o.registered_at, o.registered_by,"
    " (SELECT MAX(n.id) FROM loans n WHERE n.original_id = o.id AND n.status"
    "  IN ('checked-out', 'renewal-requested', 'return-flagged'))"
    " FROM originals o JOIN customers c ON c.id = o.customer_id"
    " LEFT JOIN documents d ON d.id = o.document_id"
    " JOIN locations l ON l.id = o.location_id ";

Original ReadOriginal(const Statement& s) {
  Original o;
  o.id = s.ColumnInt64(0);
  o.barcode = s.ColumnText(1);
  o.document_id = s.ColumnInt64(2);
  if (o.document_id != 0) {
    o.document_display_id = fmt::format("D{:06d}", o.document_id);
  }
  o.customer_code = s.ColumnText(3);
  o.customer_name = s.ColumnText(4);
  o.title = o.document_id != 0 ? s.ColumnText(5) : "customer folder";
  o.page_count = s.ColumnInt(6);
  o.location_id = s.ColumnInt64(7);
  o.location_code = s.ColumnText(8);
  o.state = s.ColumnText(9);
  o.registered_at = s.ColumnText(10);
  o.registered_by = s.ColumnText(11);
  if (!s.ColumnIsNull(12)) o.loan_id = LoanId(s.ColumnInt64(12));
  return o;
}

Result<std::int64_t> NextId(const Database& db, std::string_view table,
                            std::string_view what) {
  auto max = db.QueryInt(fmt::format("SELECT COALESCE(MAX(id), 0) FROM {}",
                                     table),
                         what);
  if (!max) return std::unexpected(max.error());
  return *max + 1;
}

}  // namespace

// ---------------------------------------------------------------------------
// Internal helpers

namespace custody_internal {

Result<Location> FindLocation(const Database& db, const std::string& key) {
  const std::string k = NormalizeScan(key);
  if (k.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no location given");
  }
  auto stmt = db.Prepare(
      std::string(kLocationSelect) + "WHERE l.code = ?1 OR l.barcode = ?1",
      "looking up location " + k);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, k);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no location " + k);
  Location l = ReadLocation(*stmt);
  stmt->Reset();
  auto path = LocationPath(db, l.id);
  if (!path) return std::unexpected(path.error());
  l.path = *path;
  return l;
}

Result<std::string> LocationPath(const Database& db, std::int64_t id) {
  auto stmt = db.Prepare(
      "WITH RECURSIVE up(id, parent_id, code, depth) AS ("
      " SELECT id, parent_id, code, 0 FROM locations WHERE id = ?1"
      " UNION ALL SELECT l.id, l.parent_id, l.code, up.depth + 1"
      " FROM locations l JOIN up ON l.id = up.parent_id)"
      " SELECT code FROM up ORDER BY depth DESC",
      "reading a location path");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, id);
  std::string path;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    if (!path.empty()) path += " / ";
    path += stmt->ColumnText(0);
  }
  return path;
}

Result<Original> FindOriginal(const Database& db, const std::string& barcode) {
  const std::string b = NormalizeScan(barcode);
  auto stmt = db.Prepare(std::string(kOriginalSelect) + "WHERE o.barcode = ?1",
                         "looking up original " + b);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, b);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return MakeError(ErrorCode::kNotFound,
                     IsOriginalBarcode(b)
                         ? "no original with barcode " + b
                         : "'" + b + "' is not an original's barcode");
  }
  Original o = ReadOriginal(*stmt);
  stmt->Reset();
  auto path = LocationPath(db, o.location_id);
  if (!path) return std::unexpected(path.error());
  o.location_path = *path;
  return o;
}

Result<std::vector<std::int64_t>> Subtree(const Database& db,
                                          std::int64_t id) {
  auto stmt = db.Prepare(
      "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL"
      " SELECT l.id FROM locations l JOIN sub ON l.parent_id = sub.id)"
      " SELECT id FROM sub",
      "listing a location subtree");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, id);
  auto ids = stmt->CollectInt64s();
  if (!ids) return std::unexpected(ids.error());
  return std::move(*ids);
}

Result<HistoryWriter> HistoryWriter::Make(const Database& db) {
  auto stmt = db.Prepare(
      "INSERT INTO history (table_name, record_id, field, old_value, "
      "new_value, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "recording history");
  if (!stmt) return std::unexpected(stmt.error());
  return HistoryWriter(std::move(*stmt));
}

Status HistoryWriter::Write(std::string_view table, std::int64_t record_id,
                            std::string_view field,
                            const std::optional<std::string>& old_value,
                            std::string_view new_value, std::string_view actor,
                            std::string_view at) {
  stmt_.Reset();
  stmt_.Bind(1, table).Bind(2, record_id).Bind(3, field);
  if (old_value) {
    stmt_.Bind(4, *old_value);
  } else {
    stmt_.BindNull(4);
  }
  stmt_.Bind(5, new_value).Bind(6, actor).Bind(7, at);
  return stmt_.Run();
}

Status WriteCustodyEvent(const Database& db, std::int64_t original_id,
                         std::string_view event,
                         std::optional<std::int64_t> from_location,
                         std::optional<std::int64_t> to_location,
                         std::optional<std::int64_t> loan_id,
                         std::string_view actor, std::string_view at,
                         std::string_view reason) {
  auto stmt = db.Prepare(
      "INSERT INTO custody_events (original_id, event, from_location_id,"
      " to_location_id, loan_id, actor, at, reason)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      "recording a custody event");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, original_id).Bind(2, event);
  auto bind_opt = [&](int i, std::optional<std::int64_t> v) {
    if (v) {
      stmt->Bind(i, *v);
    } else {
      stmt->BindNull(i);
    }
  };
  bind_opt(3, from_location);
  bind_opt(4, to_location);
  bind_opt(5, loan_id);
  stmt->Bind(6, actor).Bind(7, at).Bind(8, reason);
  return stmt->Run();
}

Result<MoveOutcome> MoveInTransaction(const Database& db,
                                      const MoveRequest& request,
                                      std::vector<MoveProblem>* problems) {
  CUSTODY_TRY(custody::CheckMoveRequest(request));
  auto target = FindLocation(db, request.to);
  if (!target) return std::unexpected(target.error());

  // 1. Validate every item; nothing is written until all pass.
  std::vector<custody::MoveItem> scanned;
  for (const std::string& barcode : custody::DistinctBarcodes(request.barcodes)) {
    auto original = FindOriginal(db, barcode);
    if (!original && original.error().code != ErrorCode::kNotFound) {
      return std::unexpected(original.error());
    }
    scanned.push_back({barcode, original ? std::optional(std::move(*original))
                                         : std::nullopt});
  }
  auto items = custody::PlanMove(*target, scanned, problems);
  if (!items) return std::unexpected(items.error());

  // 2. Apply.
  const UtcNow now = CurrentUtc();
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  auto update = db.Prepare(
      "UPDATE originals SET location_id = ?1 WHERE id = ?2 AND state = "
      "'in-place'",
      "moving originals to " + target->code);
  if (!update) return std::unexpected(update.error());
  MoveOutcome outcome;
  for (const Original& o : *items) {
    if (o.location_id == target->id) {
      ++outcome.already_there;
      continue;
    }
    update->Reset();
    update->Bind(1, target->id).Bind(2, o.id);
    CUSTODY_TRY(update->Run());
    if (sqlite3_changes(db.get()) != 1) {
      return MakeError(ErrorCode::kConflict,
                       "original " + o.barcode + " changed during the move");
    }
    CUSTODY_TRY(history->Write("originals", o.id, "location", o.location_code,
                               target->code, request.actor, now.iso8601));
    CUSTODY_TRY(WriteCustodyEvent(db, o.id, "move", o.location_id, target->id,
                                  std::nullopt, request.actor, now.iso8601,
                                  request.reason));
    ++outcome.moved;
  }
  return outcome;
}

}  // namespace custody_internal

// ---------------------------------------------------------------------------
// Custody

Custody::Custody(Catalog& catalog)
    : catalog_(catalog), db_(&catalog.impl_->db) {}

namespace {

// Inserts one location inside the caller's transaction.
Result<Location> AddLocationRow(const Database& db, const NewLocation& location,
                                const std::string& actor, const UtcNow& now,
                                HistoryWriter& history) {
  // The location's own values first, then its place under the parent.
  if (auto s = custody::CheckNewLocation(location, actor, nullptr); !s) {
    return std::unexpected(s.error());
  }
  std::optional<Location> parent;
  if (!NormalizeScan(location.parent).empty()) {
    auto p = FindLocation(db, location.parent);
    if (!p) return std::unexpected(p.error());
    parent = *p;
  }
  auto checked = custody::CheckNewLocation(location, actor, parent ? &*parent : nullptr);
  if (!checked) return std::unexpected(checked.error());
  const std::string& code = *checked;
  const std::string what = "adding location " + code;
  {
    auto exists = db.Prepare("SELECT 1 FROM locations WHERE code = ?1", what);
    if (!exists) return std::unexpected(exists.error());
    exists->Bind(1, code);
    auto row = exists->Step();
    if (!row) return std::unexpected(row.error());
    if (*row) {
      return MakeError(ErrorCode::kConflict,
                       "location " + code + " already exists");
    }
  }
  auto id = NextId(db, "locations", what);
  if (!id) return std::unexpected(id.error());
  if (*id >= 1'000'000) {
    return MakeError(ErrorCode::kConflict, "all location barcodes are used");
  }
  auto insert = db.Prepare(
      "INSERT INTO locations (id, code, barcode, kind, parent_id, name,"
      " capacity, security, created_at, created_by)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
      what);
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, *id).Bind(2, code).Bind(3, LocationBarcode(*id));
  insert->Bind(4, location.kind);
  if (parent) {
    insert->Bind(5, parent->id);
  } else {
    insert->BindNull(5);
  }
  insert->Bind(6, location.name);
  if (location.capacity > 0) {
    insert->Bind(7, location.capacity);
  } else {
    insert->BindNull(7);
  }
  insert->Bind(8, location.security).Bind(9, now.iso8601).Bind(10, actor);
  CUSTODY_TRY(insert->Run());
  const std::pair<std::string_view, std::string> fields[] = {
      {"code", code},
      {"kind", location.kind},
      {"parent", parent ? parent->code : ""},
      {"capacity", std::to_string(location.capacity)},
      {"security", location.security}};
  for (const auto& [field, value] : fields) {
    CUSTODY_TRY(history.Write("locations", *id, field, std::nullopt, value,
                              actor, now.iso8601));
  }
  return FindLocation(db, code);
}

}  // namespace

Result<Location> Custody::AddLocation(const NewLocation& location,
                                      const std::string& actor) {
  const Database& db = *db_;
  auto tx = Transaction::Begin(db, "adding location " + location.code);
  if (!tx) return std::unexpected(tx.error());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  auto added = AddLocationRow(db, location, actor, CurrentUtc(), *history);
  if (!added) return added;
  CUSTODY_TRY(tx->Commit());
  return added;
}

Result<std::vector<Location>> Custody::AddCabinet(const CabinetSpec& spec,
                                                  const std::string& actor) {
  auto locations = custody::CabinetLocations(spec);
  if (!locations) return std::unexpected(locations.error());
  const Database& db = *db_;
  auto tx = Transaction::Begin(db, "adding cabinet " + spec.code);
  if (!tx) return std::unexpected(tx.error());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  const UtcNow now = CurrentUtc();
  std::vector<Location> created;
  for (const NewLocation& l : *locations) {
    auto r = AddLocationRow(db, l, actor, now, *history);
    if (!r) return std::unexpected(r.error());
    created.push_back(std::move(*r));
  }
  CUSTODY_TRY(tx->Commit());
  return created;
}

Result<Location> Custody::GetLocation(const std::string& code_or_barcode) {
  return FindLocation(*db_, code_or_barcode);
}

Result<std::vector<Location>> Custody::ListLocations(const std::string& under) {
  const Database& db = *db_;
  std::optional<std::vector<std::int64_t>> subtree;
  if (!NormalizeScan(under).empty()) {
    auto root = FindLocation(db, under);
    if (!root) return std::unexpected(root.error());
    auto ids = Subtree(db, root->id);
    if (!ids) return std::unexpected(ids.error());
    subtree = std::move(*ids);
  }
  auto stmt = db.Prepare(std::string(kLocationSelect) + "ORDER BY l.code",
                         "listing locations");
  if (!stmt) return std::unexpected(stmt.error());
  std::vector<Location> all;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    all.push_back(ReadLocation(*stmt));
  }
  custody::PutInTreeOrder(all);
  if (!subtree) return all;
  std::set<std::int64_t> keep(subtree->begin(), subtree->end());
  std::vector<Location> out;
  for (Location& l : all) {
    if (keep.contains(l.id)) out.push_back(std::move(l));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Originals

namespace {

struct ResolvedItem {
  std::int64_t document_id = 0;  // 0: customer folder
  std::int64_t customer_id = 0;
  std::string label;             // D000012 or the customer code
  int page_count = 0;
};

Result<ResolvedItem> ResolveItem(const Database& db, Catalog& catalog,
                                 const std::string& item) {
  const std::string key = NormalizeScan(item);
  if (key.starts_with("KH")) {
    auto code = CanonicalCustomerCode(key);
    if (!code) return std::unexpected(code.error());
    auto id = CustomerIdByCode(db, *code);
    if (!id) return std::unexpected(id.error());
    auto pages = db.Prepare(
        "SELECT COALESCE(SUM(page_count), 0) FROM documents"
        " WHERE customer_id = ?1",
        "counting the pages of customer " + *code);
    if (!pages) return std::unexpected(pages.error());
    pages->Bind(1, *id);
    auto row = pages->Step();
    if (!row) return std::unexpected(row.error());
    return ResolvedItem{0, *id, *code, pages->ColumnInt(0)};
  }
  // D000012, d12 or 12, as Catalog::GetDocument accepts.
  if (auto id = ParseDisplayId(key, "D")) {
    auto stmt = db.Prepare(
        "SELECT customer_id, page_count FROM documents WHERE id = ?1",
        "looking up document " + key);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->Bind(1, *id);
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (*row) {
      return ResolvedItem{*id, stmt->ColumnInt64(0), fmt::format("D{:06d}", *id),
                          stmt->ColumnInt(1)};
    }
  }
  auto doc = catalog.GetDocument(key);  // its error names the document
  if (!doc) return std::unexpected(doc.error());
  return MakeError(ErrorCode::kInternal, "document " + key + " lookup differs");
}

}  // namespace

Result<std::vector<std::string>> Custody::RegisterOriginals(
    const std::vector<RegisterRequest>& requests) {
  const Database& db = *db_;
  if (requests.empty()) return std::vector<std::string>{};
  auto tx = Transaction::Begin(db, "registering originals");
  if (!tx) return std::unexpected(tx.error());
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  auto next = NextId(db, "originals", "registering originals");
  if (!next) return std::unexpected(next.error());
  auto insert = db.Prepare(
      "INSERT INTO originals (id, barcode, document_id, customer_id,"
      " page_count, location_id, registered_at, registered_by)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      "registering originals");
  if (!insert) return std::unexpected(insert.error());
  // Two statements so each uses its index (by document; by customer for
  // folder originals).
  auto existing_doc = db.Prepare(
      "SELECT barcode FROM originals WHERE document_id = ?1 AND"
      " state <> 'destroyed'",
      "checking for an existing original");
  if (!existing_doc) return std::unexpected(existing_doc.error());
  auto existing_folder = db.Prepare(
      "SELECT barcode FROM originals WHERE customer_id = ?1 AND"
      " document_id IS NULL AND state <> 'destroyed'",
      "checking for an existing original");
  if (!existing_folder) return std::unexpected(existing_folder.error());
  auto event = db.Prepare(
      "INSERT INTO custody_events (original_id, event, to_location_id, actor,"
      " at, reason) VALUES (?1, 'register', ?2, ?3, ?4, 'registered')",
      "recording a custody event");
  if (!event) return std::unexpected(event.error());
  const UtcNow now = CurrentUtc();
  std::unordered_map<std::string, Location> locations;
  std::unordered_map<std::int64_t, int> added_at;
  std::vector<std::string> barcodes;
  std::int64_t id = *next;
  for (const RegisterRequest& r : requests) {
    if (NormalizeScan(r.actor).empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "registering " + r.item + " needs an actor");
    }
    auto item = ResolveItem(db, catalog_, r.item);
    if (!item) return std::unexpected(item.error());
    const std::string key = NormalizeScan(r.location);
    auto loc_it = locations.find(key);
    if (loc_it == locations.end()) {
      auto loc = FindLocation(db, key);
      if (!loc) return std::unexpected(loc.error());
      loc_it = locations.emplace(key, std::move(*loc)).first;
    }
    const Location& loc = loc_it->second;
    CUSTODY_TRY(custody::CheckRoomFor(loc, added_at[loc.id], item->label));
    Statement& existing =
        item->document_id != 0 ? *existing_doc : *existing_folder;
    existing.Reset();
    existing.Bind(1, item->document_id != 0 ? item->document_id
                                            : item->customer_id);
    auto row = existing.Step();
    if (!row) return std::unexpected(row.error());
    if (*row) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{} already has an original, {}",
                                   item->label, existing.ColumnText(0)));
    }
    existing.Reset();
    if (id >= 100'000'000) {
      return MakeError(ErrorCode::kConflict, "all original barcodes are used");
    }
    const int pages = r.page_count >= 0 ? r.page_count : item->page_count;
    const std::string barcode = OriginalBarcode(id);
    insert->Reset();
    insert->Bind(1, id).Bind(2, barcode);
    if (item->document_id != 0) {
      insert->Bind(3, item->document_id);
    } else {
      insert->BindNull(3);
    }
    insert->Bind(4, item->customer_id).Bind(5, pages).Bind(6, loc.id);
    insert->Bind(7, now.iso8601).Bind(8, r.actor);
    CUSTODY_TRY(insert->Run());
    const std::pair<std::string_view, std::string> fields[] = {
        {"barcode", barcode},
        {"item", item->label},
        {"page_count", std::to_string(pages)},
        {"location", loc.code}};
    for (const auto& [field, value] : fields) {
      CUSTODY_TRY(history->Write("originals", id, field, std::nullopt, value,
                                 r.actor, now.iso8601));
    }
    event->Reset();
    event->Bind(1, id).Bind(2, loc.id).Bind(3, r.actor).Bind(4, now.iso8601);
    CUSTODY_TRY(event->Run());
    // The barcode is searchable (catalog_index.cc).
    if (item->document_id != 0) {
      CUSTODY_TRY(ReindexDocumentMetadata(db, item->document_id));
    }
    ++added_at[loc.id];
    barcodes.push_back(barcode);
    ++id;
  }
  CUSTODY_TRY(tx->Commit());
  return barcodes;
}

Result<Original> Custody::RegisterOriginal(const RegisterRequest& request) {
  auto barcodes = RegisterOriginals({request});
  if (!barcodes) return std::unexpected(barcodes.error());
  return FindOriginal(*db_, barcodes->front());
}

Result<Original> Custody::GetOriginal(const std::string& barcode) {
  return FindOriginal(*db_, barcode);
}

Result<std::vector<Original>> Custody::OriginalsAt(
    const std::string& location, bool include_sublocations) {
  const Database& db = *db_;
  auto loc = FindLocation(db, location);
  if (!loc) return std::unexpected(loc.error());
  std::vector<std::int64_t> ids{loc->id};
  if (include_sublocations) {
    auto sub = Subtree(db, loc->id);
    if (!sub) return std::unexpected(sub.error());
    ids = std::move(*sub);
  }
  auto stmt = db.Prepare(std::string(kOriginalSelect) +
                             "WHERE o.location_id = ?1 AND o.state <> "
                             "'destroyed' ORDER BY o.barcode",
                         "listing originals at " + loc->code);
  if (!stmt) return std::unexpected(stmt.error());
  std::vector<Original> out;
  std::unordered_map<std::int64_t, std::string> paths;
  for (std::int64_t id : ids) {
    stmt->Reset();
    stmt->Bind(1, id);
    while (true) {
      auto row = stmt->Step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      out.push_back(ReadOriginal(*stmt));
    }
  }
  for (Original& o : out) {
    auto it = paths.find(o.location_id);
    if (it == paths.end()) {
      auto path = LocationPath(db, o.location_id);
      if (!path) return std::unexpected(path.error());
      it = paths.emplace(o.location_id, *path).first;
    }
    o.location_path = it->second;
  }
  return out;
}

std::vector<MoveProblem> Custody::CheckMove(const MoveRequest& request) {
  std::vector<MoveProblem> problems;
  auto tx = Transaction::Begin(*db_, "checking a move");
  if (!tx) return {{"", tx.error().message}};
  auto moved = MoveInTransaction(*db_, request, &problems);
  if (!moved && problems.empty()) problems.push_back({"", moved.error().message});
  return problems;  // the transaction rolls back: a check changes nothing
}

Result<MoveOutcome> Custody::MoveOriginals(const MoveRequest& request) {
  auto tx = Transaction::Begin(*db_, "moving originals");
  if (!tx) return std::unexpected(tx.error());
  std::vector<MoveProblem> problems;
  auto moved = MoveInTransaction(*db_, request, &problems);
  if (!moved) return moved;
  CUSTODY_TRY(tx->Commit());
  return moved;
}

Status Custody::CheckCanDestroy(const std::string& barcode) {
  auto o = FindOriginal(*db_, barcode);
  if (!o) return std::unexpected(o.error());
  return custody::CheckCanDestroy(*o);
}

Result<Original> Custody::RecordShredding(const std::string& barcode,
                                          const std::string& actor,
                                          const std::string& at,
                                          const std::string& note) {
  const Database& db = *db_;
  const std::string what = "recording the shredding of " + barcode;
  auto original = FindOriginal(db, barcode);
  if (!original) return std::unexpected(original.error());
  if (auto s = CheckCanDestroy(original->barcode); !s) {
    return std::unexpected(s.error());
  }
  auto up = db.Prepare("UPDATE originals SET state = 'destroyed' WHERE id = ?1",
                       what);
  if (!up) return std::unexpected(up.error());
  up->Bind(1, original->id);
  if (auto s = up->Run(); !s) {
    // The custody trigger refuses an original that is not in place.
    return MakeError(ErrorCode::kConflict, what + ": " + s.error().message);
  }
  auto history = HistoryWriter::Make(db);
  if (!history) return std::unexpected(history.error());
  CUSTODY_TRY(history->Write("originals", original->id, "state",
                             original->state, "destroyed", actor,
                             CurrentUtc().iso8601));
  CUSTODY_TRY(WriteCustodyEvent(db, original->id, "destroy",
                                original->location_id, std::nullopt,
                                std::nullopt, actor, at, note));
  return original;
}

Result<std::vector<Original>> Custody::Where(const std::string& what) {
  const Database& db = *db_;
  const std::string key = NormalizeScan(what);
  std::string where;
  std::int64_t param = 0;
  if (IsOriginalBarcode(key)) {
    auto o = FindOriginal(db, key);
    if (!o) return std::unexpected(o.error());
    where = "WHERE o.id = ?1";
    param = o->id;
  } else if (key.starts_with("KH")) {
    auto code = CanonicalCustomerCode(key);
    if (!code) return std::unexpected(code.error());
    auto id = CustomerIdByCode(db, *code);
    if (!id) return std::unexpected(id.error());
    where = "WHERE o.customer_id = ?1";
    param = *id;
  } else {
    auto doc = catalog_.GetDocument(key);
    if (!doc) return std::unexpected(doc.error());
    where = "WHERE o.document_id = ?1";
    param = doc->id;
  }
  auto stmt = db.Prepare(std::string(kOriginalSelect) + where +
                             " ORDER BY o.id",
                         "finding originals of " + key);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, param);
  std::vector<Original> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back(ReadOriginal(*stmt));
  }
  if (out.empty()) {
    return MakeError(ErrorCode::kNotFound, "no paper original registered for " + key);
  }
  auto events = db.Prepare(
      "SELECT e.event, COALESCE(e.from_location_id, 0),"
      " COALESCE(e.to_location_id, 0), e.actor, e.at, e.reason,"
      " COALESCE(e.loan_id, 0), COALESCE(n.recipient, '')"
      " FROM custody_events e LEFT JOIN loans n ON n.id = e.loan_id"
      " WHERE e.original_id = ?1 ORDER BY e.id",
      "reading the chain of custody");
  if (!events) return std::unexpected(events.error());
  std::unordered_map<std::int64_t, std::string> paths;
  auto path_of = [&](std::int64_t id) -> Result<std::string> {
    if (id == 0) return std::string();
    auto it = paths.find(id);
    if (it != paths.end()) return it->second;
    auto p = LocationPath(db, id);
    if (!p) return p;
    paths[id] = *p;
    return *p;
  };
  for (Original& o : out) {
    auto path = path_of(o.location_id);
    if (!path) return std::unexpected(path.error());
    o.location_path = *path;
    events->Reset();
    events->Bind(1, o.id);
    while (true) {
      auto row = events->Step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      CustodyEvent e;
      e.event = events->ColumnText(0);
      auto from = path_of(events->ColumnInt64(1));
      auto to = path_of(events->ColumnInt64(2));
      if (!from) return std::unexpected(from.error());
      if (!to) return std::unexpected(to.error());
      e.from = *from;
      e.to = *to;
      const std::int64_t loan = events->ColumnInt64(6);
      custody::DescribeLoanEvent(e, loan != 0 ? LoanId(loan) : "",
                                 events->ColumnText(7));
      e.actor = events->ColumnText(3);
      e.at = events->ColumnText(4);
      e.reason = events->ColumnText(5);
      o.history.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace dossier::storage
