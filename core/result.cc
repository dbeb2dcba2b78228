#include "core/result.h"

namespace dossier {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid-argument";
    case ErrorCode::kNotFound: return "not-found";
    case ErrorCode::kCorruptInput: return "corrupt-input";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kOcr: return "ocr";
    case ErrorCode::kPdf: return "pdf";
    case ErrorCode::kCatalog: return "catalog";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kInternal: return "internal";
    case ErrorCode::kPermissionDenied: return "permission-denied";
  }
  return "internal";
}

}  // namespace dossier
