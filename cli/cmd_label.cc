#include <fmt/format.h>

#include "archive/labels.h"
#include "app/custody.h"
#include "cli/custody_commands.h"

namespace dossier::cli {

void RegisterLabelCommand(CLI::App& app, const GlobalOptions& global,
                          Action* action) {
  auto* cmd = app.add_subcommand("label", "Barcode labels");
  cmd->require_subcommand(1);
  auto* print = cmd->add_subcommand(
      "print", "Write a PDF label sheet for originals and/or locations");
  auto args = std::make_shared<app::LabelInput>();
  auto out = std::make_shared<std::string>();
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
  print->add_option("--out", *out, "PDF file to write")->required();
  print->add_option("--font", args->font, "CJK TrueType font file");
  print->callback([&global, args, out, action] {
    *action = AppAction([&global, args, out]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::LabelInput input = *args;
      input.out = *out;
      auto done = app::PrintLabels(**station, CurrentCaller(), input);
      if (!done) return std::unexpected(done.error());
      Print("Wrote {} labels ({}) to {}\n", done->labels, done->stock,
                 done->written.string());
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
