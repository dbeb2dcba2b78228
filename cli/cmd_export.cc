#include <fmt/format.h>

#include "cli/command.h"
#include "core/file_util.h"
#include "storage/custody.h"

namespace dossier::cli {

void RegisterExport(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "export", "Write a document's archived PDF to a file (checksum verified)");
  auto id = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  auto text = std::make_shared<bool>(false);
  cmd->add_option("DOC", *id, "Document id, e.g. D000012")->required();
  cmd->add_option("--to", *to, "Destination file, e.g. contract.pdf")->required();
  cmd->add_flag("--force", *force, "Overwrite the destination if it exists");
  cmd->add_flag("--text", *text,
                "Write the OCR text (UTF-8, pages separated by form feeds) "
                "instead of the PDF");
  cmd->callback([&global, id, to, force, text, action] {
    *action = [&global, id, to, force, text]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      auto d = (*archive)->catalog().GetDocument(*id);
      if (!d) return std::unexpected(d.error());
      std::filesystem::path dest(*to);
      std::error_code ec;
      if (std::filesystem::is_directory(dest, ec)) {
        dest /= d->display_id + (*text ? ".txt" : ".pdf");
      }
      if (std::filesystem::exists(dest, ec) && !*force) {
        return MakeError(ErrorCode::kConflict,
                         dest.string() + ": exists (use --force to overwrite)");
      }
      // The content first, so a damaged file fails before an approval is
      // used up.
      std::string content;
      if (*text) {
        auto pages = (*archive)->catalog().GetPages(d->id, false);
        if (!pages) return std::unexpected(pages.error());
        for (const auto& p : *pages) {
          if (!content.empty()) content += "\f";
          content += p.text + "\n";
        }
      } else {
        auto bytes = (*archive)->files().Get(d->pdf_sha256);
        if (!bytes) return std::unexpected(bytes.error());
        content = std::move(*bytes);
      }
      // Where the archive's lending rules put electronic copies under
      // approval, an approved electronic loan must exist for this user.
      storage::Custody custody((*archive)->catalog());
      auto approval = custody.AuthorizeExport(d->display_id, CurrentUser());
      if (!approval) return std::unexpected(approval.error());
      if (auto s = WriteFileAtomic(dest, content); !s) {
        return std::unexpected(s.error());
      }
      fmt::print("Exported {}{} ({} pages) to {}\n", *text ? "the text of " : "",
                 d->display_id, d->page_count, dest.string());
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
