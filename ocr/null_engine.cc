#include "ocr/engine.h"

namespace dossier::ocr {

namespace {

class NullEngine final : public Engine {
 public:
  std::string Name() const override { return "null"; }
  std::string Languages() const override { return ""; }
  using Engine::Recognize;
  Result<OcrPage> Recognize(const GrayImageView& image, const std::string& languages) override {
    OcrPage page;
    page.languages = languages;
    page.width = image.width;
    page.height = image.height;
    page.dpi = image.dpi;
    return page;
  }
  Result<Orientation> DetectOrientation(const GrayImageView&) override {
    return Orientation{};
  }
};

}  // namespace

std::unique_ptr<Engine> MakeNullEngine() { return std::make_unique<NullEngine>(); }

}  // namespace dossier::ocr
