// Result and Status: expected failures as values.
//
// Every fallible library call returns Result<T> (a value or an Error) or Status
// (nothing or an Error). An Error carries a code, which the CLI maps to an exit
// code, and a message that names the file, page or record it is about.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace dossier {

enum class ErrorCode {
  kInvalidArgument,  // bad user input: option, query, code format
  kNotFound,         // a named record or file does not exist
  kCorruptInput,     // an input file exists but cannot be decoded
  kUnsupported,      // an input file of a kind we do not read
  kIo,               // reading or writing the filesystem failed
  kOcr,              // the OCR engine failed to start or run
  kPdf,              // the PDF writer failed
  kCatalog,          // the SQLite catalog reported an error
  kConflict,         // the change conflicts with existing state
  kInternal,         // a bug
  kPermissionDenied, // not logged in, or the user's roles lack a permission
};

// Short stable name of a code, e.g. "not-found", for logs and JSON output.
const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

template <typename T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

inline std::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

inline Status Ok() { return {}; }

}  // namespace dossier
