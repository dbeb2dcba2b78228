#include "cli/operations.h"

namespace dossier::cli {
namespace {

// Subcommand path -> app operation. Naming only: what each operation needs
// is governance's (governance/policy.h).
constexpr std::pair<std::string_view, std::string_view> kCommands[] = {
    {"init", "archive.init"},
    {"login", "session.login"},
    {"serve", "server.start"},
    {"logout", "session.logout"},
    {"whoami", "session.whoami"},
    {"user add", "user.add"},
    {"user list", "user.list"},
    {"user grant", "user.grant"},
    {"user revoke", "user.revoke"},
    {"user enable", "user.enable"},
    {"user disable", "user.disable"},
    {"user unlock", "user.unlock"},
    {"user passwd", "user.passwd"},
    {"log show", "log.show"},
    {"log verify", "log.verify"},
    {"log export", "log.export"},
    {"ingest", "document.ingest"},
    {"scan", "capture.scan"},
    {"watch", "capture.watch"},
    {"cover", "capture.cover"},
    {"worker", "queue.work"},
    {"jobs", "queue.list"},
    {"profile list", "profile.list"},
    {"profile add", "profile.add"},
    {"profile remove", "profile.remove"},
    {"search", "document.search"},
    {"show", "document.show"},
    {"export", "document.export"},
    {"export csv", "document.export-csv"},  // the list's own operation in app
    {"export package", "package.export"},
    {"import package", "package.import"},
    {"verify", "document.verify"},
    {"customer add", "customer.add"},
    {"customer update", "customer.update"},
    {"customer link", "customer.link"},
    {"customer contact add", "customer.contact.add"},
    {"customer show", "customer.show"},
    {"customer list", "customer.list"},
    {"customer index", "customer.index"},
    {"history", "record.history"},
    {"review list", "review.list"},
    {"review show", "review.show"},
    {"review correct", "review.correct"},
    {"review approve", "review.approve"},
    {"review reject", "review.reject"},
    {"review replace", "review.replace"},
    {"review link", "review.link"},
    {"document refile", "document.refile"},
    {"location add", "location.add"},
    {"location add-cabinet", "location.add-cabinet"},
    {"location list", "location.list"},
    {"location tree", "location.tree"},
    {"location show", "location.show"},
    {"location sheet", "location.sheet"},
    {"where", "original.where"},
    {"original show", "original.show"},
    {"original register", "original.register"},
    {"original move", "original.move"},
    {"label print", "label.print"},
    {"loan request", "loan.request"},
    {"loan renew", "loan.renew"},
    {"loan approve", "loan.approve"},
    {"loan reject", "loan.reject"},
    {"loan resolve", "loan.resolve"},
    {"loan checkout", "loan.checkout"},
    {"loan return", "loan.return"},
    {"loan list", "loan.list"},
    {"loan overdue", "loan.overdue"},
    {"audit start", "audit.start"},
    {"audit scan", "audit.scan"},
    {"audit close", "audit.close"},
    {"audit report", "audit.report"},
    {"audit history", "audit.history"},
    {"audit apply-moves", "audit.apply-moves"},
    {"retention rule set", "retention.rule.set"},
    {"retention rule list", "retention.rule.list"},
    {"retention relationship-end", "retention.relationship-end"},
    {"retention due", "retention.due"},
    {"hold add", "hold.add"},
    {"hold release", "hold.release"},
    {"hold list", "hold.list"},
    {"destroy propose", "destroy.propose"},
    {"destroy approve", "destroy.approve"},
    {"destroy cancel", "destroy.cancel"},
    {"destroy record-shredding", "destroy.record-shredding"},
    {"destroy show", "destroy.show"},
    {"destroy certificate", "destroy.certificate"},
    {"backup", "backup.create"},
    {"migrate", "archive.migrate"},
    {"backup verify", "backup.verify"},
    {"backup sweep", "backup.sweep"},
    {"restore", "backup.restore"},
    {"settings timezone", "archive.settings"},
    {"settings login-throttle", "archive.settings"},
};

}  // namespace

std::string OperationForCommand(std::string_view command_path) {
  for (const auto& [path, operation] : kCommands) {
    if (path == command_path) return std::string(operation);
  }
  return "";
}

std::span<const std::pair<std::string_view, std::string_view>> CommandOperations() {
  return kCommands;
}

}  // namespace dossier::cli
