// Loans (借阅) as use cases: the requester, approver or handler is always
// the caller's principal, never a name the face passes in. Permissions by
// operation: loan.request, loan.renew (loan.request), loan.approve,
// loan.reject and loan.resolve (loan.approve), loan.checkout and
// loan.return (loan.handle), loan.list and loan.overdue (loan.read). The
// rules of a loan's life (own loans, two approvers for 外部提供, renewal
// approval, return inspection) are custody's (storage/custody.h).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/station.h"
#include "storage/custody_store.h"

namespace dossier::app {

struct LoanInput {
  std::string item;       // original barcode, or document id
  bool electronic = false;
  std::string purpose;
  std::string recipient;  // '' = the requester
  bool external = false;  // 外部提供
  std::string due_date;   // YYYY-MM-DD in the archive's zone
};

Result<storage::Loan> RequestLoan(Station& station, const Caller& caller,
                                  const LoanInput& input);
Result<storage::Loan> ApproveLoan(Station& station, const Caller& caller,
                                  const std::string& loan,
                                  const std::string& note);
Result<storage::Loan> RejectLoan(Station& station, const Caller& caller,
                                 const std::string& loan,
                                 const std::string& note);
// Paper: barcode is the scanned original. Electronic: the document's PDF
// is written to `to` (required) once the loan is marked exported.
Result<storage::Loan> CheckoutLoan(Station& station, const Caller& caller,
                                   const std::string& loan,
                                   const std::string& barcode,
                                   const std::filesystem::path& to);
Result<storage::Loan> RenewLoan(Station& station, const Caller& caller,
                                const std::string& loan,
                                const std::string& new_due);
struct ReturnInput {
  std::string loan;
  std::string barcode;  // scanned from the returned original
  int pages_counted = -1;
  std::string condition;
};
Result<storage::Loan> ReturnLoan(Station& station, const Caller& caller,
                                 const ReturnInput& input);
Result<storage::Loan> ResolveReturn(Station& station, const Caller& caller,
                                    const std::string& loan,
                                    const std::string& note);
// status '' = all; "open" = not rejected, returned or exported.
Result<std::vector<storage::Loan>> ListLoans(Station& station,
                                             const Caller& caller,
                                             const std::string& status);
// today '' = today in the archive's zone.
Result<std::vector<storage::Loan>> OverdueLoans(Station& station,
                                                const Caller& caller,
                                                const std::string& today);

}  // namespace dossier::app
