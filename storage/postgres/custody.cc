// PgCustody (storage/postgres/custody.h): locations, originals, moves,
// the destruction hooks and `where`. Loans are custody_loans.cc, audits
// custody_audits.cc.
#include "storage/postgres/custody.h"

#include <fmt/format.h>

#include <set>
#include <unordered_map>

#include "custody/placement.h"
#include "records/coding_rule.h"
#include "storage/postgres/common.h"
#include "storage/postgres/custody_internal.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records_internal.h"
#include "storage/records_codec.h"

namespace dossier::storage::postgres {

using namespace custody_pg;

namespace {

#define DOSSIER_PG_LOCATION_SELECT                                             \
  "SELECT l.id, l.code, l.barcode, l.kind, l.name, coalesce(l.parent_id, 0), " \
  "coalesce(p.code, ''), coalesce(l.capacity, 0), l.security, "                \
  "(SELECT count(*) FROM originals o WHERE o.location_id = l.id "              \
  "AND o.state <> 'destroyed') "                                               \
  "FROM locations l LEFT JOIN locations p ON p.id = l.parent_id "

const Sql kLocationByKey{"custody.location_by_key", DOSSIER_PG_LOCATION_SELECT
                         "WHERE l.code = $1 OR l.barcode = $1"};
const Sql kAllLocations{"custody.all_locations",
                        DOSSIER_PG_LOCATION_SELECT "ORDER BY l.code"};
#undef DOSSIER_PG_LOCATION_SELECT

#define DOSSIER_PG_ORIGINAL_SELECT                                          \
  "SELECT o.id, o.barcode, coalesce(o.document_id, 0), c.code, c.name, "    \
  "coalesce(d.title, ''), o.page_count, o.location_id, l.code, o.state, "   \
  "o.registered_at, o.registered_by, "                                      \
  "(SELECT max(n.id) FROM loans n WHERE n.original_id = o.id AND n.status " \
  "IN ('checked-out', 'renewal-requested', 'return-flagged')) "             \
  "FROM originals o JOIN customers c ON c.id = o.customer_id "              \
  "LEFT JOIN documents d ON d.id = o.document_id "                          \
  "JOIN locations l ON l.id = o.location_id "

const Sql kOriginalByBarcode{"custody.original_by_barcode",
                             DOSSIER_PG_ORIGINAL_SELECT "WHERE o.barcode = $1"};
const Sql kOriginalsAt{"custody.originals_at", DOSSIER_PG_ORIGINAL_SELECT
                       "WHERE o.location_id = $1 AND o.state <> 'destroyed' "
                       "ORDER BY o.barcode"};
const Sql kOriginalsById{"custody.originals_by_id", DOSSIER_PG_ORIGINAL_SELECT
                         "WHERE o.id = $1 ORDER BY o.id"};
const Sql kOriginalsOfCustomer{"custody.originals_of_customer",
                               DOSSIER_PG_ORIGINAL_SELECT
                               "WHERE o.customer_id = $1 ORDER BY o.id"};
const Sql kOriginalsOfDocument{"custody.originals_of_document",
                               DOSSIER_PG_ORIGINAL_SELECT
                               "WHERE o.document_id = $1 ORDER BY o.id"};
#undef DOSSIER_PG_ORIGINAL_SELECT

const Sql kNextNumber{"custody.next_number",
                      "UPDATE custody_counters SET last_value = last_value + 1 "
                      "WHERE name = $1 RETURNING last_value"};
const Sql kLocationPath{
    "custody.location_path",
    "WITH RECURSIVE up(id, parent_id, code, depth) AS ("
    " SELECT id, parent_id, code, 0 FROM locations WHERE id = $1"
    " UNION ALL SELECT l.id, l.parent_id, l.code, up.depth + 1"
    " FROM locations l JOIN up ON l.id = up.parent_id)"
    " SELECT code FROM up ORDER BY depth DESC"};
const Sql kSubtree{
    "custody.subtree",
    "WITH RECURSIVE sub(id) AS (SELECT $1::bigint UNION ALL"
    " SELECT l.id FROM locations l JOIN sub ON l.parent_id = sub.id)"
    " SELECT id FROM sub"};
const Sql kCustodyEvent{
    "custody.event",
    "INSERT INTO custody_events (original_id, event, from_location_id, "
    "to_location_id, loan_id, actor, at, reason) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
const Sql kMoveOriginal{"custody.move_original",
                        "UPDATE originals SET location_id = $1 WHERE id = $2 "
                        "AND state = 'in-place'"};
const Sql kLocationExists{"custody.location_exists",
                          "SELECT 1 FROM locations WHERE code = $1"};
const Sql kInsertLocation{
    "custody.insert_location",
    "INSERT INTO locations (id, code, barcode, kind, parent_id, name, "
    "capacity, "
    "security, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9, $10)"};
const Sql kCustomerPages{"custody.customer_pages",
                         "SELECT coalesce(sum(page_count), 0) FROM documents "
                         "WHERE customer_id = $1"};
const Sql kDocumentItem{
    "custody.document_item",
    "SELECT customer_id, page_count FROM documents WHERE id = $1"};
const Sql kExistingForDocument{
    "custody.existing_for_document",
    "SELECT barcode FROM originals WHERE document_id = $1 "
    "AND state <> 'destroyed'"};
const Sql kExistingFolder{
    "custody.existing_folder",
    "SELECT barcode FROM originals WHERE customer_id = $1 AND "
    "document_id IS NULL AND state <> 'destroyed'"};
const Sql kInsertOriginal{
    "custody.insert_original",
    "INSERT INTO originals (id, barcode, document_id, customer_id, page_count, "
    "location_id, registered_at, registered_by) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
const Sql kDestroyOriginal{
    "custody.destroy_original",
    "UPDATE originals SET state = 'destroyed' WHERE id = $1"};
const Sql kEvents{"custody.events",
                  "SELECT e.event, coalesce(e.from_location_id, 0), "
                  "coalesce(e.to_location_id, 0), e.actor, e.at, e.reason, "
                  "coalesce(e.loan_id, 0), coalesce(n.recipient, '') "
                  "FROM custody_events e LEFT JOIN loans n ON n.id = e.loan_id "
                  "WHERE e.original_id = $1 ORDER BY e.id"};

Location ReadLocation(const pqxx::row& row) {
  Location l;
  l.id = Int(row[0]);
  l.code = Text(row[1]);
  l.barcode = Text(row[2]);
  l.kind = Text(row[3]);
  l.name = Text(row[4]);
  l.parent_id = Int(row[5]);
  l.parent_code = Text(row[6]);
  l.capacity = static_cast<int>(Int(row[7]));
  l.security = Text(row[8]);
  l.original_count = static_cast<int>(Int(row[9]));
  return l;
}

Original ReadOriginal(const pqxx::row& row) {
  Original o;
  o.id = Int(row[0]);
  o.barcode = Text(row[1]);
  o.document_id = Int(row[2]);
  if (o.document_id != 0) o.document_display_id = DisplayId(o.document_id);
  o.customer_code = Text(row[3]);
  o.customer_name = Text(row[4]);
  o.title = o.document_id != 0 ? Text(row[5]) : "customer folder";
  o.page_count = static_cast<int>(Int(row[6]));
  o.location_id = Int(row[7]);
  o.location_code = Text(row[8]);
  o.state = Text(row[9]);
  o.registered_at = Text(row[10]);
  o.registered_by = Text(row[11]);
  if (!row[12].is_null()) o.loan_id = custody::LoanId(Int(row[12]));
  return o;
}

// The originals of a query, each with its location path.
std::vector<Original> ReadOriginals(
    Tx& tx, const pqxx::result& rows,
    std::unordered_map<std::int64_t, std::string>& paths) {
  std::vector<Original> out;
  for (const auto& row : rows) {
    Original o = ReadOriginal(row);
    auto it = paths.find(o.location_id);
    if (it == paths.end()) {
      it = paths.emplace(o.location_id, LocationPath(tx, o.location_id)).first;
    }
    o.location_path = it->second;
    out.push_back(std::move(o));
  }
  return out;
}

// Inserts one location inside the caller's transaction.
Result<Location> AddLocationRow(Tx& tx, const NewLocation& location,
                                const std::string& actor,
                                const std::string& now) {
  // The location's own values first, then its place under the parent.
  if (auto s = custody::CheckNewLocation(location, actor, nullptr); !s) {
    return std::unexpected(s.error());
  }
  std::optional<Location> parent;
  if (!NormalizeScan(location.parent).empty()) {
    auto p = FindLocation(tx, location.parent);
    if (!p) return std::unexpected(p.error());
    parent = *p;
  }
  auto checked =
      custody::CheckNewLocation(location, actor, parent ? &*parent : nullptr);
  if (!checked) return std::unexpected(checked.error());
  const std::string& code = *checked;
  if (!tx.Exec(kLocationExists, code).empty()) {
    return MakeError(ErrorCode::kConflict,
                     "location " + code + " already exists");
  }
  const std::int64_t id = NextNumber(tx, "locations");
  if (id >= 1'000'000) {
    return MakeError(ErrorCode::kConflict, "all location barcodes are used");
  }
  std::optional<std::int64_t> parent_id;
  if (parent) parent_id = parent->id;
  std::optional<int> capacity;
  if (location.capacity > 0) capacity = location.capacity;
  tx.Exec(kInsertLocation, id, code, LocationBarcode(id), location.kind,
          parent_id, location.name, capacity, location.security, now, actor);
  for (const auto& [field, value] :
       {std::pair<const char*, std::string>{"code", code},
        {"kind", location.kind},
        {"parent", parent ? parent->code : ""},
        {"capacity", std::to_string(location.capacity)},
        {"security", location.security}}) {
    WriteHistory(tx, "locations", id, field, std::nullopt, value, actor, now);
  }
  return FindLocation(tx, code);
}

struct ResolvedItem {
  std::int64_t document_id = 0;  // 0: customer folder
  std::int64_t customer_id = 0;
  std::string label;  // D000012 or the customer code
  int page_count = 0;
};

Result<ResolvedItem> ResolveItem(Tx& tx, const std::string& item) {
  const std::string key = NormalizeScan(item);
  if (key.starts_with("KH")) {
    auto code = CanonicalCustomerCode(key);
    if (!code) return std::unexpected(code.error());
    auto id = CustomerIdByCode(tx, *code);
    if (!id) return std::unexpected(id.error());
    const int pages = static_cast<int>(Int(tx.Exec(kCustomerPages, *id)[0][0]));
    return ResolvedItem{0, *id, *code, pages};
  }
  if (auto id = ParseDocumentId(key)) {
    auto rows = tx.Exec(kDocumentItem, *id);
    if (!rows.empty()) {
      return ResolvedItem{*id, Int(rows[0][0]), DisplayId(*id),
                          static_cast<int>(Int(rows[0][1]))};
    }
  }
  auto doc = DocumentByText(tx, key);  // its error names the document
  if (!doc) return std::unexpected(doc.error());
  return MakeError(ErrorCode::kInternal, "document " + key + " lookup differs");
}

}  // namespace

Result<std::vector<Original>> custody_pg::WhereIn(Tx& tx,
                                                  const std::string& what) {
  const std::string key = NormalizeScan(what);
  pqxx::result rows;
  if (IsOriginalBarcode(key)) {
    auto o = FindOriginal(tx, key);
    if (!o) return std::unexpected(o.error());
    rows = tx.Exec(kOriginalsById, o->id);
  } else if (key.starts_with("KH")) {
    auto code = CanonicalCustomerCode(key);
    if (!code) return std::unexpected(code.error());
    auto id = CustomerIdByCode(tx, *code);
    if (!id) return std::unexpected(id.error());
    rows = tx.Exec(kOriginalsOfCustomer, *id);
  } else {
    auto doc = DocumentByText(tx, key);
    if (!doc) return std::unexpected(doc.error());
    rows = tx.Exec(kOriginalsOfDocument, doc->id);
  }
  std::unordered_map<std::int64_t, std::string> paths;
  std::vector<Original> out = ReadOriginals(tx, rows, paths);
  if (out.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "no paper original registered for " + key);
  }
  auto path_of = [&](std::int64_t id) -> std::string {
    if (id == 0) return "";
    auto it = paths.find(id);
    if (it == paths.end()) it = paths.emplace(id, LocationPath(tx, id)).first;
    return it->second;
  };
  for (Original& o : out) {
    for (const auto& row : tx.Exec(kEvents, o.id)) {
      CustodyEvent e;
      e.event = Text(row[0]);
      e.from = path_of(Int(row[1]));
      e.to = path_of(Int(row[2]));
      const std::int64_t loan = Int(row[6]);
      custody::DescribeLoanEvent(e, loan != 0 ? custody::LoanId(loan) : "",
                                 Text(row[7]));
      e.actor = Text(row[3]);
      e.at = Text(row[4]);
      e.reason = Text(row[5]);
      o.history.push_back(std::move(e));
    }
  }
  return out;
}

// --- Helpers shared by custody*.cc
// --------------------------------------------

namespace custody_pg {

std::int64_t NextNumber(Tx& tx, const char* counter) {
  return Int(tx.Exec(kNextNumber, std::string(counter))[0][0]);
}

Result<Location> FindLocation(Tx& tx, const std::string& key) {
  const std::string k = NormalizeScan(key);
  if (k.empty())
    return MakeError(ErrorCode::kInvalidArgument, "no location given");
  auto rows = tx.Exec(kLocationByKey, k);
  if (rows.empty()) return MakeError(ErrorCode::kNotFound, "no location " + k);
  Location l = ReadLocation(rows[0]);
  l.path = LocationPath(tx, l.id);
  return l;
}

std::string LocationPath(Tx& tx, std::int64_t id) {
  std::string path;
  for (const auto& row : tx.Exec(kLocationPath, id)) {
    if (!path.empty()) path += " / ";
    path += Text(row[0]);
  }
  return path;
}

std::vector<std::int64_t> Subtree(Tx& tx, std::int64_t id) {
  std::vector<std::int64_t> ids;
  for (const auto& row : tx.Exec(kSubtree, id)) ids.push_back(Int(row[0]));
  return ids;
}

Result<Original> FindOriginal(Tx& tx, const std::string& barcode) {
  const std::string b = NormalizeScan(barcode);
  auto rows = tx.Exec(kOriginalByBarcode, b);
  if (rows.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     IsOriginalBarcode(b)
                         ? "no original with barcode " + b
                         : "'" + b + "' is not an original's barcode");
  }
  Original o = ReadOriginal(rows[0]);
  o.location_path = LocationPath(tx, o.location_id);
  return o;
}

void WriteCustodyEvent(Tx& tx, std::int64_t original_id,
                       const std::string& event,
                       std::optional<std::int64_t> from_location,
                       std::optional<std::int64_t> to_location,
                       std::optional<std::int64_t> loan_id,
                       const std::string& actor, const std::string& at,
                       const std::string& reason) {
  tx.Exec(kCustodyEvent, original_id, event, from_location, to_location,
          loan_id, actor, at, reason);
}

Result<MoveOutcome> MoveIn(Tx& tx, const MoveRequest& request,
                           std::vector<MoveProblem>* problems, bool apply) {
  if (auto s = custody::CheckMoveRequest(request); !s)
    return std::unexpected(s.error());
  auto target = FindLocation(tx, request.to);
  if (!target) return std::unexpected(target.error());
  // 1. Decide on every item; nothing is written until all may move.
  std::vector<custody::MoveItem> scanned;
  for (const std::string& barcode :
       custody::DistinctBarcodes(request.barcodes)) {
    auto original = FindOriginal(tx, barcode);
    if (!original && original.error().code != ErrorCode::kNotFound) {
      return std::unexpected(original.error());
    }
    scanned.push_back({barcode, original ? std::optional(std::move(*original))
                                         : std::nullopt});
  }
  auto items = custody::PlanMove(*target, scanned, problems);
  if (!items) return std::unexpected(items.error());
  // 2. Apply.
  MoveOutcome outcome;
  const std::string now = NowUtc();
  for (const Original& o : *items) {
    if (o.location_id == target->id) {
      ++outcome.already_there;
      continue;
    }
    if (!apply) continue;
    if (tx.Exec(kMoveOriginal, target->id, o.id).affected_rows() != 1) {
      return MakeError(ErrorCode::kConflict,
                       "original " + o.barcode + " changed during the move");
    }
    WriteHistory(tx, "originals", o.id, "location", o.location_code,
                 target->code, request.actor, now);
    WriteCustodyEvent(tx, o.id, "move", o.location_id, target->id, std::nullopt,
                      request.actor, now, request.reason);
    ++outcome.moved;
  }
  return outcome;
}

}  // namespace custody_pg

// --- Locations
// ------------------------------------------------------------------

Result<Location> PgCustody::AddLocation(const NewLocation& location,
                                        const std::string& actor) {
  return catalog_.db().Transact(
      "adding location " + location.code, [&](Tx& tx) -> Result<Location> {
        LockCounter(tx, "custody_counters");
        return AddLocationRow(tx, location, actor, NowUtc());
      });
}

Result<std::vector<Location>> PgCustody::AddCabinet(const CabinetSpec& spec,
                                                    const std::string& actor) {
  auto locations = custody::CabinetLocations(spec);
  if (!locations) return std::unexpected(locations.error());
  return catalog_.db().Transact("adding cabinet " + spec.code,
                                [&](Tx& tx) -> Result<std::vector<Location>> {
                                  LockCounter(tx, "custody_counters");
                                  const std::string now = NowUtc();
                                  std::vector<Location> created;
                                  for (const NewLocation& l : *locations) {
                                    auto r = AddLocationRow(tx, l, actor, now);
                                    if (!r) return std::unexpected(r.error());
                                    created.push_back(std::move(*r));
                                  }
                                  return created;
                                });
}

Result<Location> PgCustody::GetLocation(const std::string& code_or_barcode) {
  return catalog_.db().Transact(
      "looking up location " + code_or_barcode,
      [&](Tx& tx) { return FindLocation(tx, code_or_barcode); });
}

Result<std::vector<Location>> PgCustody::ListLocations(
    const std::string& under) {
  return catalog_.db().Transact(
      "listing locations", [&](Tx& tx) -> Result<std::vector<Location>> {
        std::optional<std::vector<std::int64_t>> subtree;
        if (!NormalizeScan(under).empty()) {
          auto root = FindLocation(tx, under);
          if (!root) return std::unexpected(root.error());
          subtree = Subtree(tx, root->id);
        }
        std::vector<Location> all;
        for (const auto& row : tx.Exec(kAllLocations))
          all.push_back(ReadLocation(row));
        custody::PutInTreeOrder(all);
        if (!subtree) return all;
        std::set<std::int64_t> keep(subtree->begin(), subtree->end());
        std::erase_if(all,
                      [&](const Location& l) { return !keep.contains(l.id); });
        return all;
      });
}

// --- Originals
// ------------------------------------------------------------------

namespace {

// RegisterOriginals in the caller's transaction. REQUIRES: the custody
// counters were locked first (LockCounter).
Result<std::vector<std::string>> RegisterIn(
    Tx& tx, const std::vector<RegisterRequest>& requests) {
  const std::string now = NowUtc();
  std::unordered_map<std::string, Location> locations;
  std::unordered_map<std::int64_t, int> added_at;
  std::vector<std::string> barcodes;
  for (const RegisterRequest& r : requests) {
    if (NormalizeScan(r.actor).empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "registering " + r.item + " needs an actor");
    }
    auto item = ResolveItem(tx, r.item);
    if (!item) return std::unexpected(item.error());
    const std::string key = NormalizeScan(r.location);
    auto loc_it = locations.find(key);
    if (loc_it == locations.end()) {
      auto loc = FindLocation(tx, key);
      if (!loc) return std::unexpected(loc.error());
      loc_it = locations.emplace(key, std::move(*loc)).first;
    }
    const Location& loc = loc_it->second;
    if (auto s = custody::CheckRoomFor(loc, added_at[loc.id], item->label);
        !s) {
      return std::unexpected(s.error());
    }
    auto existing = item->document_id != 0
                        ? tx.Exec(kExistingForDocument, item->document_id)
                        : tx.Exec(kExistingFolder, item->customer_id);
    if (!existing.empty()) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{} already has an original, {}",
                                   item->label, Text(existing[0][0])));
    }
    const std::int64_t id = NextNumber(tx, "originals");
    if (id >= 100'000'000) {
      return MakeError(ErrorCode::kConflict, "all original barcodes are used");
    }
    const int pages = r.page_count >= 0 ? r.page_count : item->page_count;
    const std::string barcode = OriginalBarcode(id);
    std::optional<std::int64_t> document_id;
    if (item->document_id != 0) document_id = item->document_id;
    tx.Exec(kInsertOriginal, id, barcode, document_id, item->customer_id, pages,
            loc.id, now, r.actor);
    for (const auto& [field, value] :
         {std::pair<const char*, std::string>{"barcode", barcode},
          {"item", item->label},
          {"page_count", std::to_string(pages)},
          {"location", loc.code}}) {
      WriteHistory(tx, "originals", id, field, std::nullopt, value, r.actor,
                   now);
    }
    WriteCustodyEvent(tx, id, "register", std::nullopt, loc.id, std::nullopt,
                      r.actor, now, "registered");
    // The barcode is searchable: it joins the document's metadata line.
    if (document_id) {
      if (auto s = ReindexDocument(tx, *document_id); !s) {
        return std::unexpected(s.error());
      }
    }
    ++added_at[loc.id];
    barcodes.push_back(barcode);
  }
  return barcodes;
}

}  // namespace

Result<std::vector<std::string>> PgCustody::RegisterOriginals(
    const std::vector<RegisterRequest>& requests) {
  if (requests.empty()) return std::vector<std::string>{};
  return catalog_.db().Transact(
      "registering originals", [&](Tx& tx) -> Result<std::vector<std::string>> {
        LockCounter(tx, "custody_counters");
        return RegisterIn(tx, requests);
      });
}

Result<Original> PgCustody::RegisterOriginal(const RegisterRequest& request) {
  return catalog_.db().Transact("registering an original of " + request.item,
                                [&](Tx& tx) -> Result<Original> {
                                  LockCounter(tx, "custody_counters");
                                  auto barcodes = RegisterIn(tx, {request});
                                  if (!barcodes)
                                    return std::unexpected(barcodes.error());
                                  return FindOriginal(tx, barcodes->front());
                                });
}

Result<Original> PgCustody::GetOriginal(const std::string& barcode) {
  return catalog_.db().Transact("looking up original " + barcode, [&](Tx& tx) {
    return FindOriginal(tx, barcode);
  });
}

Result<std::vector<Original>> PgCustody::OriginalsAt(
    const std::string& location, bool include_sublocations) {
  return catalog_.db().Transact(
      "listing originals at " + location,
      [&](Tx& tx) -> Result<std::vector<Original>> {
        auto loc = FindLocation(tx, location);
        if (!loc) return std::unexpected(loc.error());
        std::vector<std::int64_t> ids{loc->id};
        if (include_sublocations) ids = Subtree(tx, loc->id);
        std::unordered_map<std::int64_t, std::string> paths;
        std::vector<Original> out;
        for (std::int64_t id : ids) {
          for (Original& o :
               ReadOriginals(tx, tx.Exec(kOriginalsAt, id), paths)) {
            out.push_back(std::move(o));
          }
        }
        return out;
      });
}

std::vector<MoveProblem> PgCustody::CheckMove(const MoveRequest& request) {
  std::vector<MoveProblem> problems;
  auto checked = catalog_.db().Transact(
      "checking a move", [&](Tx& tx) -> Result<MoveOutcome> {
        problems.clear();  // a run again starts over
        return MoveIn(tx, request, &problems, /*apply=*/false);
      });
  if (!checked && problems.empty())
    problems.push_back({"", checked.error().message});
  return problems;
}

Result<MoveOutcome> PgCustody::MoveOriginals(const MoveRequest& request) {
  return catalog_.db().Transact("moving originals", [&](Tx& tx) {
    std::vector<MoveProblem> problems;
    return MoveIn(tx, request, &problems, /*apply=*/true);
  });
}

Status PgCustody::CheckCanDestroy(const std::string& barcode) {
  return catalog_.db().Transact("checking original " + barcode,
                                [&](Tx& tx) -> Status {
                                  auto o = FindOriginal(tx, barcode);
                                  if (!o) return std::unexpected(o.error());
                                  return custody::CheckCanDestroy(*o);
                                });
}

Result<Original> custody_pg::RecordShreddingIn(Tx& tx,
                                               const std::string& barcode,
                                               const std::string& actor,
                                               const std::string& at,
                                               const std::string& note) {
  auto original = FindOriginal(tx, barcode);
  if (!original) return std::unexpected(original.error());
  if (auto s = custody::CheckCanDestroy(*original); !s) {
    return std::unexpected(s.error());
  }
  tx.Exec(kDestroyOriginal, original->id);
  WriteHistory(tx, "originals", original->id, "state", original->state,
               "destroyed", actor, NowUtc());
  WriteCustodyEvent(tx, original->id, "destroy", original->location_id,
                    std::nullopt, std::nullopt, actor, at, note);
  return original;
}

Result<Original> PgCustody::RecordShredding(const std::string& barcode,
                                            const std::string& actor,
                                            const std::string& at,
                                            const std::string& note) {
  return catalog_.db().Transact(
      "recording the shredding of " + barcode,
      [&](Tx& tx) { return RecordShreddingIn(tx, barcode, actor, at, note); });
}

Result<std::vector<Original>> PgCustody::Where(const std::string& what) {
  return catalog_.db().Transact("finding the originals of " + what,
                                [&](Tx& tx) { return WhereIn(tx, what); });
}

}  // namespace dossier::storage::postgres
