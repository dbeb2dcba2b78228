// What each step of a loan (custody/loan_states.h) records on the loan:
// the columns it sets, their old and new values, in the order the history
// shows them; and which original a paper request lends. Pure functions on
// the store's value types: a custody store asks the transition table and
// the lending rules (custody/lending.h) whether a step may happen, then
// writes these changes (each with its history row). Safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "custody/lending.h"
#include "custody/loan_states.h"
#include "storage/custody_store.h"
#include "storage/records_store.h"

namespace dossier::custody {

// One column of a loan row set by a step (nullopt: NULL).
struct LoanChange {
  std::string column;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
};

// The fields a new request records in history, as (field, value).
std::vector<std::pair<std::string, std::string>> NewLoanFields(
    const storage::LoanRequest& request, const std::string& item,
    LoanState status);

// An approver's decision (DecideLoan's step): the status, and for a
// renewal round the due date asked for (taken on approval, dropped on
// rejection). A partial approval changes no column.
std::vector<LoanChange> DecisionChanges(const storage::Loan& loan,
                                        const LoanDecisionStep& step);
// Handing out (checkout or export): status, when and by whom.
std::vector<LoanChange> CheckoutChanges(const storage::Loan& loan,
                                        LoanState next,
                                        const std::string& actor,
                                        const std::string& at);
// Asking for a renewal: the due date asked for, the next round, status.
std::vector<LoanChange> RenewalChanges(const storage::Loan& loan,
                                       LoanState next,
                                       const std::string& new_due);
// A return: pages counted, condition, when and by whom, status.
std::vector<LoanChange> ReturnChanges(const storage::Loan& loan, LoanState next,
                                      const storage::ReturnRequest& request,
                                      const std::string& at);
// Settling a flagged return: the resolution note, status.
std::vector<LoanChange> ResolveChanges(const storage::Loan& loan,
                                       LoanState next, const std::string& note);

// A paper request names an original barcode, or a document or customer
// whose originals (CustodyStore::Where) are given: the barcode of the one
// original to lend, not counting destroyed ones; kInvalidArgument when
// there is not exactly one.
Result<std::string> OriginalToLend(const std::string& item,
                                   std::vector<storage::Original> originals);
// An original may be lent when not destroyed and not already lent
// (kConflict naming it).
Status CheckLendable(const storage::Original& original);
// An electronic copy exists unless the document is destroyed (kConflict).
Status CheckCopyLendable(const storage::DocumentRecord& document,
                         const std::string& item);

}  // namespace dossier::custody
