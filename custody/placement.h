// Where originals are kept (docs/custody.md): the rules of the location
// tree, a cabinet's shelves and boxes, capacities, bulk moves and what may
// be destroyed. Pure functions on the store's value types
// (storage/custody_store.h): each custody store loads the rows, asks these
// what is allowed, and writes. Safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/custody_store.h"

namespace dossier::custody {

// A new location's code (normalised) if the location may be added under
// `parent` (nullptr: top level): a code of letters, digits and '-' (up to
// 32) not starting with a barcode prefix (LC, OR); a known kind, nesting in
// the order room > cabinet > shelf > box > folder; no negative capacity;
// an actor. kInvalidArgument naming the location otherwise.
Result<std::string> CheckNewLocation(const storage::NewLocation& location,
                                     const std::string& actor,
                                     const storage::Location* parent);

// The locations a cabinet spec makes, parents first: the cabinet, then
// each shelf (A-03-1) followed by its boxes (A-03-1-001). kInvalidArgument
// for shelves outside 1..99, boxes outside 1..999 or a negative capacity.
Result<std::vector<storage::NewLocation>> CabinetLocations(
    const storage::CabinetSpec& spec);

// Fills each location's path ("A / A-03 / A-03-2") from the parent links
// and sorts them in tree order: each one directly before its subtree,
// siblings by code. `all` holds every location of the archive.
void PutInTreeOrder(std::vector<storage::Location>& all);

// Whether one more original fits `location` after `added` already put
// there in the same call; kConflict naming `label` (the item) otherwise.
Status CheckRoomFor(const storage::Location& location, int added,
                    const std::string& label);

// A move's request before anything is looked up: barcodes, a reason and
// an actor (kInvalidArgument otherwise).
Status CheckMoveRequest(const storage::MoveRequest& request);
// The scanned barcodes of a move, normalised, without blanks and repeats,
// in their order.
std::vector<std::string> DistinctBarcodes(
    const std::vector<std::string>& scans);

// One scanned item of a move and the original it names (nullopt: none).
struct MoveItem {
  std::string barcode;
  std::optional<storage::Original> original;
};
// Decides a bulk move to `target`: the originals to move (including those
// already there) when every item may move and the target has room, else
// the error listing every problem (also appended to *problems): kNotFound
// when every problem is an unknown item, kConflict otherwise. Nothing
// moves unless all may.
Result<std::vector<storage::Original>> PlanMove(
    const storage::Location& target, const std::vector<MoveItem>& items,
    std::vector<storage::MoveProblem>* problems);

// Ok only for an original in place; kConflict naming it and why otherwise.
Status CheckCanDestroy(const storage::Original& original);

// The chain-of-custody line of a loan event: a checkout goes to the loan,
// a return or resolution comes from it ("loan L000003 (法务部)").
void DescribeLoanEvent(storage::CustodyEvent& event,
                       const std::string& loan_display_id,
                       const std::string& recipient);

}  // namespace dossier::custody
