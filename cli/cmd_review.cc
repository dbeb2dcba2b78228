// `dossier review list|show|correct|approve|reject|replace`: the manual's 3.2
// review before filing, through app/records.h (which checks entered values,
// masks fields and logs).
#include <fmt/format.h>

#include "app/json.h"
#include "app/records.h"
#include "cli/command.h"

namespace dossier::cli {

void PrintRefile(const app::RefileResult& r);  // cmd_document.cc

namespace {

struct ReviewArgs {
  std::string id;
  std::string status = "pending";
  std::string field;
  std::string value;
  bool remove = false;
  std::string reason;
  std::string rescan;
  std::string customer;
  float threshold = 60.f;
  int max_words = 12;
  bool json = false;
};

Result<int> Show(app::Station& station, const ReviewArgs& args) {
  auto sheet = app::ShowReview(station, CurrentCaller(), args.id, args.threshold);
  if (!sheet) return std::unexpected(sheet.error());
  if (args.json) return PrintJson(json::ToJson(*sheet));
  const TimeZone zone = station.Zone();
  const auto& doc = sheet->document;
  Print("Document   {}  [{}] {}\n", doc.display_id, doc.type, doc.title);
  Print("Customer   {}  {}\n", doc.customer_code, doc.customer_name);
  Print("Status     {}{}\n", doc.status,
             doc.archive_number.empty() ? "" : "  " + doc.archive_number);
  if (!doc.review_reason.empty()) {
    Print("Reason     {} ({} {})\n", doc.review_reason, doc.reviewed_by,
               zone.DisplayUtc(doc.reviewed_at));
  }
  if (!doc.replaces.empty()) Print("Replaces   {}\n", doc.replaces);
  Print("Scanned    {} by {}\n", zone.DisplayUtc(doc.created_at),
             doc.created_by);
  Print("OCR        mean confidence {:.1f} over {} page(s)\n",
             doc.mean_confidence, doc.page_count);
  Print("Fields ({})\n", sheet->fields.size());
  for (const auto& f : sheet->fields) {
    Print("  {:<22} {:<30} {:>5.1f}  {}{}\n", f.name, f.value, f.confidence,
               f.page > 0 ? fmt::format("p{}", f.page) : f.source,
               f.problem.empty() ? "" : "  FLAGGED: " + f.problem);
  }
  for (const auto& m : sheet->matches) {
    Print("  proposed link: {} {} ({}){}\n", m.customer.code,
               m.customer.name, m.reason,
               m.customer.code == doc.customer_code
                   ? ", already filed there"
                   : "; apply with: dossier review link " + doc.display_id +
                         " --customer " + m.customer.code);
  }
  Print("Pages with words below confidence {:.0f}\n", args.threshold);
  for (const auto& p : sheet->pages) {
    std::string sample;
    for (size_t i = 0; i < p.doubtful.size() && static_cast<int>(i) < args.max_words;
         ++i) {
      sample += (i ? " " : "") + p.doubtful[i];
    }
    Print("  page {}: {} of {} words (page confidence {:.1f}): {}{}\n",
               p.number, p.doubtful.size(), p.words, p.confidence, sample,
               static_cast<int>(p.doubtful.size()) > args.max_words ? " …" : "");
  }
  if (sheet->pages.empty()) Print("  (none)\n");
  return kExitOk;
}

}  // namespace

void RegisterReview(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "review",
      "Review before filing (3.2): check fields and OCR, then approve (gives\n"
      "the archive number, status filed) or reject with a reason. The\n"
      "reviewer ($DOSSIER_USER) must not be the person who scanned it.");
  cmd->require_subcommand(1);
  auto args = std::make_shared<ReviewArgs>();
  auto run = [&global, action](CLI::App* sub,
                               std::function<Result<int>(app::Station&)> body) {
    sub->callback([&global, action, body] {
      *action = AppAction([&global, body]() -> Result<int> {
        auto station = OpenStation(global);
        if (!station) return std::unexpected(station.error());
        return body(**station);
      });
    });
  };

  auto* list = cmd->add_subcommand("list", "Documents waiting for review");
  list->add_option("--status", args->status,
                   "pending (default), filed, rejected or replaced")
      ->check(CLI::IsMember({"pending", "filed", "rejected", "replaced"}));
  list->add_flag("--json", args->json, "Print the documents as JSON");
  run(list, [args](app::Station& st) -> Result<int> {
    auto docs = app::ReviewQueue(st, CurrentCaller(), args->status);
    if (!docs) return std::unexpected(docs.error());
    if (args->json) return PrintJson(json::ToJson(*docs));
    for (const auto& d : *docs) {
      Print("{}  {}  {:<14} {:>3} p  conf {:>5.1f}  by {:<10} {}{}\n",
                 d.display_id, d.customer_code, d.type, d.page_count,
                 d.mean_confidence, d.created_by, d.title,
                 d.review_reason.empty() ? "" : "  (" + d.review_reason + ")");
    }
    Print("{} {} document(s)\n", docs->size(), args->status);
    return kExitOk;
  });

  auto* show = cmd->add_subcommand(
      "show", "Fields, OCR confidence and the pages with doubtful words");
  show->add_option("DOC", args->id, "Document, e.g. D000012")->required();
  show->add_option("--threshold", args->threshold,
                   "Word confidence below which a word is doubtful (default 60)")
      ->check(CLI::Range(0.f, 100.f));
  show->add_flag("--json", args->json, "Print the review sheet as JSON");
  run(show, [args](app::Station& st) { return Show(st, *args); });

  auto* correct = cmd->add_subcommand(
      "correct", "Set a field to a checked value, or --remove it");
  correct->add_option("DOC", args->id, "Document")->required();
  correct->add_option("FIELD", args->field, "Field name, e.g. signing_date")
      ->required();
  correct->add_option("VALUE", args->value, "New value (normalised and checked)");
  correct->add_flag("--remove", args->remove, "Remove the field");
  run(correct, [args](app::Station& st) -> Result<int> {
    std::optional<std::string> entered;
    if (!args->remove) entered = args->value;
    auto value = app::CorrectField(st, CurrentCaller(), args->id, args->field,
                                   entered);
    if (!value) return std::unexpected(value.error());
    Print("{} {} = {}\n", args->id, args->field,
               *value ? **value : "(removed)");
    return kExitOk;
  });

  auto* approve = cmd->add_subcommand(
      "approve", "File the document: archive number and status filed");
  approve->add_option("DOC", args->id, "Document")->required();
  run(approve, [args](app::Station& st) -> Result<int> {
    auto doc = app::ApproveDocument(st, CurrentCaller(), args->id);
    if (!doc) return std::unexpected(doc.error());
    Print("{}\tfiled\t{}\n", doc->display_id, doc->archive_number);
    return kExitOk;
  });

  auto* reject = cmd->add_subcommand(
      "reject", "Reject with a reason; the document is kept");
  reject->add_option("DOC", args->id, "Document")->required();
  reject->add_option("--reason", args->reason, "Why (shown to the scanner)")
      ->required();
  run(reject, [args](app::Station& st) -> Result<int> {
    auto doc = app::RejectDocument(st, CurrentCaller(), args->id, args->reason);
    if (!doc) return std::unexpected(doc.error());
    Print("{}\trejected\t{}\n", doc->display_id, doc->review_reason);
    return kExitOk;
  });

  auto* link = cmd->add_subcommand(
      "link",
      "Refile the document to the customer `review show` proposes (a USCC\n"
      "or party name among its fields); --customer picks one of several");
  link->add_option("DOC", args->id, "Document")->required();
  link->add_option("--customer", args->customer, "The proposed customer to use");
  run(link, [args](app::Station& st) -> Result<int> {
    auto done = app::LinkProposedCustomer(st, CurrentCaller(), args->id,
                                          args->customer);
    if (!done) return std::unexpected(done.error());
    PrintRefile(*done);
    return kExitOk;
  });

  auto* replace = cmd->add_subcommand(
      "replace", "A pending rescan replaces a rejected document");
  replace->add_option("REJECTED", args->id, "The rejected document")->required();
  replace->add_option("RESCAN", args->rescan, "The new, pending document")
      ->required();
  run(replace, [args](app::Station& st) -> Result<int> {
    auto doc = app::ReplaceDocument(st, CurrentCaller(), args->id, args->rescan);
    if (!doc) return std::unexpected(doc.error());
    Print("{}\treplaces\t{}\n", doc->display_id, doc->replaces);
    return kExitOk;
  });
}

}  // namespace dossier::cli
