#include "app/loans.h"

#include "app/operation.h"
#include "core/output_file.h"
#include "storage/archive.h"

namespace dossier::app {

Result<storage::Loan> RequestLoan(Station& station, const Caller& caller,
                                  const LoanInput& input) {
  Operation op(station, caller, "loan.request");
  op.Record(storage::NormalizeScan(input.item));
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  storage::LoanRequest request;
  request.item = storage::NormalizeScan(input.item);
  request.electronic = input.electronic;
  request.purpose = input.purpose;
  request.requester = op.user();
  request.recipient = input.recipient.empty() ? op.user() : input.recipient;
  request.external = input.external;
  request.due_date = input.due_date;
  auto loan = station.custody().RequestLoan(request);
  if (loan) op.Record(loan->display_id);
  return op.Finish(std::move(loan));
}

Result<storage::Loan> ApproveLoan(Station& station, const Caller& caller,
                                  const std::string& loan,
                                  const std::string& note) {
  Operation op(station, caller, "loan.approve");
  op.Record(loan);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().ApproveLoan(loan, op.user(), note));
}

Result<storage::Loan> RejectLoan(Station& station, const Caller& caller,
                                 const std::string& loan,
                                 const std::string& note) {
  Operation op(station, caller, "loan.reject");
  op.Record(loan);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().RejectLoan(loan, op.user(), note));
}

Result<storage::Loan> CheckoutLoan(Station& station, const Caller& caller,
                                   const std::string& loan,
                                   const std::string& barcode,
                                   const std::filesystem::path& to) {
  Operation op(station, caller, "loan.checkout");
  op.Record(loan);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::Loan> {
    auto current = station.custody().GetLoan(loan);
    if (!current) return current;
    if (current->kind != "electronic") {
      return station.custody().CheckoutLoan(loan, barcode, op.user());
    }
    if (to.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "loan " + current->display_id +
                           ": an electronic copy needs a file to write (--to)");
    }
    auto doc = station.records().GetDocument(current->document_display_id);
    if (!doc) return std::unexpected(doc.error());
    auto bytes = station.archive().files().Get(doc->pdf_sha256);
    if (!bytes) return std::unexpected(bytes.error());
    const OutputFileOptions file{/*replace=*/true, station.archive().dir(),
                                 /*has_force_flag=*/false};
    if (auto s = CheckOutputFile(to, file); !s) return std::unexpected(s.error());
    auto out = station.custody().CheckoutLoan(loan, "", op.user());
    if (!out) return out;
    if (auto s = WriteOutputFile(to, *bytes, file); !s) {
      return std::unexpected(s.error());
    }
    return out;
  };
  return op.Finish(run());
}

Result<storage::Loan> RenewLoan(Station& station, const Caller& caller,
                                const std::string& loan,
                                const std::string& new_due) {
  Operation op(station, caller, "loan.renew");
  op.Record(loan);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().RequestRenewal(loan, new_due, op.user()));
}

Result<storage::Loan> ReturnLoan(Station& station, const Caller& caller,
                                 const ReturnInput& input) {
  Operation op(station, caller, "loan.return");
  op.Record(input.loan);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().ReturnLoan(
      {input.loan, storage::NormalizeScan(input.barcode), input.pages_counted,
       input.condition, op.user()}));
}

Result<storage::Loan> ResolveReturn(Station& station, const Caller& caller,
                                    const std::string& loan,
                                    const std::string& note) {
  Operation op(station, caller, "loan.resolve");
  op.Record(loan);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().ResolveReturn(loan, op.user(), note));
}

Result<std::vector<storage::Loan>> ListLoans(Station& station,
                                             const Caller& caller,
                                             const std::string& status) {
  Operation op(station, caller, "loan.list");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().ListLoans(status));
}

Result<std::vector<storage::Loan>> OverdueLoans(Station& station,
                                                const Caller& caller,
                                                const std::string& today) {
  Operation op(station, caller, "loan.overdue");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().OverdueLoans(today));
}

}  // namespace dossier::app
