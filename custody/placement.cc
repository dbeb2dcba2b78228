// The rules of where originals are kept (custody/placement.h).
#include "custody/placement.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <unordered_map>

namespace dossier::custody {
namespace {

constexpr std::string_view kOriginalPrefix = "OR";
constexpr std::string_view kLocationPrefix = "LC";

int KindRank(std::string_view kind) {
  static constexpr std::string_view kKinds[] = {"room", "cabinet", "shelf",
                                                "box", "folder"};
  for (int i = 0; i < 5; ++i) {
    if (kKinds[i] == kind) return i;
  }
  return -1;
}

bool ValidLocationCode(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

}  // namespace

Result<std::string> CheckNewLocation(const storage::NewLocation& location,
                                     const std::string& actor,
                                     const storage::Location* parent) {
  const std::string code = NormalizeScan(location.code);
  if (!ValidLocationCode(code)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "location code '" + location.code +
                         "': use letters, digits and '-' (up to 32)");
  }
  if (code.starts_with(kLocationPrefix) || code.starts_with(kOriginalPrefix)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "location code '" + code +
                         "' may not start with LC or OR (barcode prefixes)");
  }
  const int rank = KindRank(location.kind);
  if (rank < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "location " + code + ": kind '" + location.kind +
                         "' must be room, cabinet, shelf, box or folder");
  }
  if (location.capacity < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "location " + code + ": capacity must not be negative");
  }
  if (NormalizeScan(actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "adding location " + code + " needs an actor");
  }
  if (parent != nullptr && KindRank(parent->kind) >= rank) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("location {}: a {} cannot be inside {} {}", code,
                    location.kind, parent->kind, parent->code));
  }
  return code;
}

Result<std::vector<storage::NewLocation>> CabinetLocations(
    const storage::CabinetSpec& spec) {
  if (spec.shelves < 1 || spec.shelves > 99 || spec.boxes_per_shelf < 1 ||
      spec.boxes_per_shelf > 999 || spec.box_capacity < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cabinet " + spec.code +
                         ": shelves must be 1..99, boxes per shelf 1..999");
  }
  const std::string cabinet = NormalizeScan(spec.code);
  std::vector<storage::NewLocation> out;
  out.push_back({cabinet, "cabinet", spec.parent, "", 0, spec.security});
  for (int shelf = 1; shelf <= spec.shelves; ++shelf) {
    const std::string shelf_code = fmt::format("{}-{}", cabinet, shelf);
    out.push_back({shelf_code, "shelf", cabinet, "", 0, spec.security});
    for (int box = 1; box <= spec.boxes_per_shelf; ++box) {
      out.push_back({fmt::format("{}-{:03d}", shelf_code, box), "box",
                     shelf_code, "", spec.box_capacity, spec.security});
    }
  }
  return out;
}

void PutInTreeOrder(std::vector<storage::Location>& all) {
  std::unordered_map<std::int64_t, size_t> index;
  for (size_t i = 0; i < all.size(); ++i) index[all[i].id] = i;
  // Paths from the parent links in memory: one query for the whole tree.
  std::vector<std::vector<std::string>> paths(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    storage::Location& l = all[i];
    std::vector<std::string> parts{l.code};
    std::int64_t p = l.parent_id;
    for (int guard = 0; p != 0 && guard < 16; ++guard) {
      auto it = index.find(p);
      if (it == index.end()) break;
      parts.push_back(all[it->second].code);
      p = all[it->second].parent_id;
    }
    l.path.clear();
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      if (!l.path.empty()) l.path += " / ";
      l.path += *it;
    }
    paths[i].assign(parts.rbegin(), parts.rend());
  }
  // Tree order: each location directly before its subtree, siblings by
  // code, whatever the codes of rooms and cabinets sort as.
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&paths](size_t a, size_t b) { return paths[a] < paths[b]; });
  std::vector<storage::Location> sorted;
  sorted.reserve(all.size());
  for (size_t i : order) sorted.push_back(std::move(all[i]));
  all = std::move(sorted);
}

Status CheckRoomFor(const storage::Location& location, int added,
                    const std::string& label) {
  if (location.capacity > 0 &&
      location.original_count + added + 1 > location.capacity) {
    return MakeError(
        ErrorCode::kConflict,
        fmt::format("cannot register {} at {}: full ({} of {})", label,
                    location.code, location.original_count + added,
                    location.capacity));
  }
  return Ok();
}

Status CheckMoveRequest(const storage::MoveRequest& request) {
  if (request.barcodes.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no barcodes to move");
  }
  if (NormalizeScan(request.reason).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a move needs a reason (why), for the chain of custody");
  }
  if (NormalizeScan(request.actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a move needs an actor");
  }
  return Ok();
}

std::vector<std::string> DistinctBarcodes(
    const std::vector<std::string>& scans) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& raw : scans) {
    std::string barcode = NormalizeScan(raw);
    if (barcode.empty() || !seen.insert(barcode).second) continue;
    out.push_back(std::move(barcode));
  }
  return out;
}

Result<std::vector<storage::Original>> PlanMove(
    const storage::Location& target, const std::vector<MoveItem>& items,
    std::vector<storage::MoveProblem>* problems) {
  const size_t first_problem = problems->size();
  std::vector<storage::Original> moving;
  bool all_unknown = true;
  for (const MoveItem& item : items) {
    if (!item.original) {
      problems->push_back({item.barcode, "unknown barcode"});
      continue;
    }
    all_unknown = false;
    const storage::Original& o = *item.original;
    if (o.state == "on-loan") {
      problems->push_back(
          {item.barcode,
           "on loan (" + o.loan_id + "); only its return brings it back"});
    } else if (o.state == "returned-flagged") {
      problems->push_back(
          {item.barcode,
           "its return inspection is unresolved (" + o.loan_id + ")"});
    } else if (o.state == "destroyed") {
      problems->push_back({item.barcode, "destroyed"});
    } else {
      moving.push_back(o);
    }
  }
  int incoming = 0;
  for (const storage::Original& o : moving) {
    if (o.location_id != target.id) ++incoming;
  }
  if (target.capacity > 0 &&
      target.original_count + incoming > target.capacity) {
    all_unknown = false;
    problems->push_back(
        {"",
         fmt::format("target {} is full: holds {} of {}, {} more would not fit",
                     target.code, target.original_count, target.capacity,
                     incoming)});
  }
  const size_t count = problems->size() - first_problem;
  if (count == 0) return moving;
  std::string message = fmt::format(
      "move to {} refused, nothing was changed ({} problem{}):", target.code,
      count, count == 1 ? "" : "s");
  for (size_t i = first_problem; i < problems->size(); ++i) {
    const storage::MoveProblem& p = (*problems)[i];
    message += "\n  " + (p.barcode.empty() ? "" : p.barcode + ": ") + p.problem;
  }
  return MakeError(all_unknown ? ErrorCode::kNotFound : ErrorCode::kConflict,
                   message);
}

Status CheckCanDestroy(const storage::Original& o) {
  if (o.state == "in-place") return Ok();
  return MakeError(
      ErrorCode::kConflict,
      "original " + o.barcode + " cannot be destroyed: " +
          (o.state == "destroyed"
               ? std::string("already destroyed")
               : "not in place (" + o.state + " " + o.loan_id + ")"));
}

void DescribeLoanEvent(storage::CustodyEvent& event,
                       const std::string& loan_display_id,
                       const std::string& recipient) {
  const std::string loan_text =
      loan_display_id.empty()
          ? ""
          : "loan " + loan_display_id + " (" + recipient + ")";
  if (event.event == "checkout") event.to = loan_text;
  if (event.event == "return" || event.event == "resolve")
    event.from = loan_text;
}

}  // namespace dossier::custody
