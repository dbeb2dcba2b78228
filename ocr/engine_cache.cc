#include "ocr/engine_cache.h"

namespace dossier::ocr {

Result<std::unique_ptr<Engine>> EngineCache::Take(const TesseractOptions& options) {
  {
    std::lock_guard lock(mu_);
    for (auto it = kept_.begin(); it != kept_.end(); ++it) {
      if (it->first == options) {
        std::unique_ptr<Engine> engine = std::move(it->second);
        kept_.erase(it);
        return engine;
      }
    }
  }
  return MakeTesseractEngine(options);
}

void EngineCache::Give(const TesseractOptions& options, std::unique_ptr<Engine> engine) {
  if (!engine) return;
  std::lock_guard lock(mu_);
  kept_.emplace_back(options, std::move(engine));
}

int EngineCache::kept() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(kept_.size());
}

}  // namespace dossier::ocr
