#include <fmt/format.h>

#include <iostream>

#include "app/json.h"
#include "app/loans.h"
#include "app/sheets.h"
#include "cli/custody_commands.h"
#include "core/file_util.h"

namespace dossier::cli {
namespace {

void PrintLoan(const storage::Loan& l) {
  Print("{}  {:<17} {:<10} {:<12} due {}{}  {} -> {}{}  {}\n",
             l.display_id, l.status, l.kind,
             l.barcode.empty() ? l.document_display_id : l.barcode,
             l.due_date,
             l.requested_due.empty() ? "" : " (asks " + l.requested_due + ")",
             l.requester, l.recipient, l.external ? " [外部提供]" : "",
             l.purpose);
}

// Runs fn(station) and prints the loan it returns.
template <typename Fn>
Action LoanAction(const GlobalOptions& global, Fn fn) {
  return AppAction([&global, fn]() -> Result<int> {
    auto station = OpenStation(global);
    if (!station) return std::unexpected(station.error());
    auto loan = fn(**station);
    if (!loan) return std::unexpected(loan.error());
    PrintLoan(*loan);
    const TimeZone zone = (*station)->Zone();
    for (const auto& a : loan->approvals) {
      Print("    round {}: {} {} at {} {}\n", a.round, a.approver,
                 a.decision, zone.DisplayUtc(a.at), a.note);
    }
    if (loan->status == "requested" || loan->status == "renewal-requested") {
      Print("    needs {} approval(s) this round\n", loan->approvals_needed);
    }
    if (loan->status == "return-flagged") {
      Print("    flagged: {} page(s) counted, but original {} has {}; condition: "
            "{}\n"
            "    The original is back on its shelf, marked returned-flagged, "
            "and the loan stays open.\n"
            "    Next: recount or find the missing pages, then an approver "
            "other than {} closes it:\n"
            "      dossier loan resolve {} --note \"what was found\"\n",
            loan->return_pages, loan->barcode, loan->original_pages,
            loan->return_note, loan->requester, loan->display_id);
    }
    return kExitOk;
  });
}

std::string FirstScan(const std::string& given) {
  if (!given.empty() && given != "-") return given;
  auto lines = ReadScanLines(std::cin);
  return lines.empty() ? "" : lines.front();
}

}  // namespace

void RegisterLoanCommand(CLI::App& app, const GlobalOptions& global,
                         Action* action) {
  auto* cmd = app.add_subcommand("loan", "Loans (借阅) of originals and copies");
  cmd->require_subcommand(1);

  auto* request = cmd->add_subcommand("request", "Ask to borrow an original "
                                                 "(or an electronic copy)");
  auto req = std::make_shared<app::LoanInput>();
  request->add_option("ITEM", req->item,
                      "Original barcode, or document id")->required();
  request->add_option("--purpose", req->purpose, "Why")->required();
  request->add_option("--due", req->due_date, "Due date YYYY-MM-DD")->required();
  request->add_option("--recipient", req->recipient,
                      "Who receives it (default: you)");
  request->add_flag("--external", req->external,
                    "Lent to an outside party (外部提供): two approvals");
  request->add_flag("--electronic", req->electronic,
                    "An electronic copy of the document, not the paper");
  request->callback([&global, req, action] {
    *action = LoanAction(global, [req](app::Station& st) {
      return app::RequestLoan(st, CurrentCaller(), *req);
    });
  });

  auto note = std::make_shared<std::string>();
  auto loan_id = std::make_shared<std::string>();
  auto* approve = cmd->add_subcommand("approve", "Approve a loan or renewal");
  approve->add_option("LOAN", *loan_id, "Loan id, e.g. L000003")->required();
  approve->add_option("--note", *note, "Comment");
  approve->callback([&global, loan_id, note, action] {
    *action = LoanAction(global, [loan_id, note](app::Station& st) {
      return app::ApproveLoan(st, CurrentCaller(), *loan_id, *note);
    });
  });
  auto* reject = cmd->add_subcommand("reject", "Reject a loan or renewal");
  reject->add_option("LOAN", *loan_id, "Loan id")->required();
  reject->add_option("--note", *note, "Why")->required();
  reject->callback([&global, loan_id, note, action] {
    *action = LoanAction(global, [loan_id, note](app::Station& st) {
      return app::RejectLoan(st, CurrentCaller(), *loan_id, *note);
    });
  });

  auto* checkout = cmd->add_subcommand(
      "checkout", "Hand out an approved loan: scan the original's barcode "
                  "(or, for an electronic copy, write it with --to)");
  auto barcode = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  checkout->add_option("LOAN", *loan_id, "Loan id")->required();
  checkout->add_option("--barcode", *barcode,
                       "Scanned barcode (default: read from stdin)");
  checkout->add_option("--to", *to, "Electronic copy: the PDF file to write");
  checkout->callback([&global, loan_id, barcode, to, action] {
    *action = LoanAction(global, [loan_id, barcode, to](app::Station& st) {
      // A paper loan's barcode is scanned; an electronic copy has none.
      const std::string scanned = to->empty() ? FirstScan(*barcode) : *barcode;
      return app::CheckoutLoan(st, CurrentCaller(), *loan_id, scanned, *to);
    });
  });

  auto* renew = cmd->add_subcommand("renew", "Ask for a later due date "
                                             "(needs approval again)");
  auto due = std::make_shared<std::string>();
  renew->add_option("LOAN", *loan_id, "Loan id")->required();
  renew->add_option("--due", *due, "New due date YYYY-MM-DD")->required();
  renew->callback([&global, loan_id, due, action] {
    *action = LoanAction(global, [loan_id, due](app::Station& st) {
      return app::RenewLoan(st, CurrentCaller(), *loan_id, *due);
    });
  });

  auto* ret = cmd->add_subcommand(
      "return", "Take an original back: scan it, count the pages, note its "
                "condition; a page mismatch is flagged and stays open");
  auto pages = std::make_shared<int>(-1);
  auto condition = std::make_shared<std::string>();
  ret->add_option("LOAN", *loan_id, "Loan id")->required();
  ret->add_option("--barcode", *barcode, "Scanned barcode (default: stdin)");
  ret->add_option("--pages", *pages, "Pages counted")->required();
  ret->add_option("--condition", *condition, "Condition note")->required();
  ret->callback([&global, loan_id, barcode, pages, condition, action] {
    *action = LoanAction(global, [=](app::Station& st) {
      return app::ReturnLoan(st, CurrentCaller(),
                             {*loan_id, FirstScan(*barcode), *pages, *condition});
    });
  });

  auto* resolve = cmd->add_subcommand("resolve",
                                      "Close a flagged return (approver)");
  resolve->add_option("LOAN", *loan_id, "Loan id")->required();
  resolve->add_option("--note", *note, "What was found")->required();
  resolve->callback([&global, loan_id, note, action] {
    *action = LoanAction(global, [loan_id, note](app::Station& st) {
      return app::ResolveReturn(st, CurrentCaller(), *loan_id, *note);
    });
  });

  auto* list = cmd->add_subcommand("list", "List loans");
  auto status = std::make_shared<std::string>();
  list->add_option("--status", *status,
                   "open, requested, approved, checked-out, return-flagged, ...");
  auto* overdue = cmd->add_subcommand("overdue", "Loans past their due date");
  auto today = std::make_shared<std::string>();
  overdue->add_option("--today", *today, "Date to compare with (default: today)");
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "Print the loans as JSON");
  overdue->add_flag("--json", *json, "Print the loans as JSON");
  auto print_all = [&global, json](auto fetch, std::string empty) -> Action {
    return AppAction([&global, fetch, json, empty]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto loans = fetch(**station);
      if (!loans) return std::unexpected(loans.error());
      if (*json) return PrintJson(json::ToJson(*loans));
      for (const auto& l : *loans) PrintLoan(l);
      if (loans->empty()) Print("{}\n", empty);
      return kExitOk;
    });
  };
  list->callback([status, action, print_all] {
    *action = print_all([status](app::Station& st) {
      return app::ListLoans(st, CurrentCaller(), *status);
    }, "No loans" + (status->empty() ? std::string() : " with status " + *status) + ".");
  });
  auto sheet = std::make_shared<app::SheetOutput>();
  overdue->add_option("--sheet", sheet->to,
                      "Write the overdue list as a PDF sheet to this file");
  overdue->add_flag("--force", sheet->force, "Replace an existing sheet file");
  overdue->add_option("--font", sheet->font, "CJK TrueType font file");
  overdue->callback([&global, today, sheet, action, print_all] {
    if (!sheet->to.empty()) {
      *action = AppAction([&global, today, sheet]() -> Result<int> {
        auto station = OpenStation(global);
        if (!station) return std::unexpected(station.error());
        auto done =
            app::PrintOverdueSheet(**station, CurrentCaller(), *today, *sheet);
        if (!done) return std::unexpected(done.error());
        Print("Wrote the overdue list of {} ({} loans) to {}\n", done->subject,
              done->rows, done->written.string());
        return kExitOk;
      });
      return;
    }
    *action = print_all([today](app::Station& st) {
      return app::OverdueLoans(st, CurrentCaller(), *today);
    }, "Nothing is overdue" + (today->empty() ? std::string() : " on " + *today) + ".");
  });
}

}  // namespace dossier::cli
