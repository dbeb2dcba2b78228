#include <fmt/format.h>

#include "archive/labels.h"
#include "cli/custody_commands.h"
#include "core/file_util.h"

namespace dossier::cli {
namespace {

struct LabelArgs {
  std::vector<std::string> originals;
  std::string at;
  std::vector<std::string> locations;
  std::string stock = "a4-3x8";
  bool qr = false;
  int skip = 0;
  std::string out;
  std::string font;
};

Result<std::vector<archive::Label>> Collect(storage::Custody& custody,
                                            const LabelArgs& args) {
  std::vector<archive::Label> labels;
  auto add_original = [&](const storage::Original& o) {
    labels.push_back({o.barcode, "",
                      o.customer_name + "  " + o.customer_code,
                      (o.document_display_id.empty()
                           ? ""
                           : o.document_display_id + " ") + o.title});
  };
  for (const auto& b : args.originals) {
    auto o = custody.GetOriginal(b);
    if (!o) return std::unexpected(o.error());
    add_original(*o);
  }
  if (!args.at.empty()) {
    auto here = custody.OriginalsAt(args.at, true);
    if (!here) return std::unexpected(here.error());
    for (const auto& o : *here) add_original(o);
  }
  for (const auto& key : args.locations) {
    auto all = custody.ListLocations(key);
    if (!all) return std::unexpected(all.error());
    for (const auto& l : *all) {
      labels.push_back({l.barcode, l.code, l.path,
                        l.kind + (l.security.empty() ? "" : ", " + l.security)});
    }
  }
  return labels;
}

}  // namespace

void RegisterLabelCommand(CLI::App& app, const GlobalOptions& global,
                          Action* action) {
  auto* cmd = app.add_subcommand("label", "Barcode labels");
  cmd->require_subcommand(1);
  auto* print = cmd->add_subcommand(
      "print", "Write a PDF label sheet for originals and/or locations");
  auto args = std::make_shared<LabelArgs>();
  print->add_option("--original", args->originals, "Original barcodes");
  print->add_option("--at", args->at,
                    "All originals in this location and below it");
  print->add_option("--location", args->locations,
                    "Location labels for this location and everything below it");
  std::vector<std::string> stocks;
  for (const auto& s : archive::LabelStocks()) stocks.push_back(s.name);
  print->add_option("--stock", args->stock, "Label stock")
      ->check(CLI::IsMember(stocks));
  print->add_flag("--qr", args->qr, "QR codes instead of Code 128");
  print->add_option("--skip", args->skip,
                    "Labels already used on the first sheet");
  print->add_option("--out", args->out, "PDF file to write")->required();
  print->add_option("--font", args->font, "CJK TrueType font file");
  print->callback([&global, args, action] {
    *action = [&global, args]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Custody custody((*archive)->catalog());
      auto labels = Collect(custody, *args);
      if (!labels) return std::unexpected(labels.error());
      if (labels->empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "no labels: give --original, --at or --location");
      }
      auto stock = archive::FindLabelStock(args->stock);
      if (!stock) return std::unexpected(stock.error());
      archive::LabelSheetOptions options;
      options.stock = *stock;
      options.symbology =
          args->qr ? archive::Symbology::kQrCode : archive::Symbology::kCode128;
      options.skip = args->skip;
      options.font_path = args->font;
      auto pdf = archive::WriteLabelSheet(*labels, options);
      if (!pdf) return std::unexpected(pdf.error());
      if (auto s = WriteFileAtomic(args->out, *pdf); !s) {
        return std::unexpected(s.error());
      }
      fmt::print("Wrote {} labels ({}) to {}\n", labels->size(), stock->name,
                 args->out);
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
