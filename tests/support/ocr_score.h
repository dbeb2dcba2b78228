// The character error rate of OCR output, from the shared scorer
// (shared/tools/ocr-score), so that a test normalises text exactly as
// ocr-score does. Header-only: the test binaries that score OCR link the
// core library (core/file_util.h) that test_support does not.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

#include "core/file_util.h"
#include "tests/support/test_support.h"

namespace dossier::testing {

// The CER of hypothesis (written to dir/hyp.txt) against the text in
// reference_file; 1.0, and a test failure, if ocr-score gives none.
inline double OcrCerAgainstFile(const std::filesystem::path& reference_file,
                                const std::string& hypothesis,
                                const std::filesystem::path& dir) {
  const std::filesystem::path hyp = dir / "hyp.txt";
  EXPECT_TRUE(WriteFileAtomic(hyp, hypothesis).has_value());
  auto r = RunCommand(ShellQuote((SharedDir() / "tools" / "ocr-score").string()) +
                      " " + ShellQuote(reference_file.string()) + " " +
                      ShellQuote(hyp.string()));
  std::smatch m;
  if (!std::regex_search(r.out, m, std::regex("cer\\t([0-9.]+)"))) {
    ADD_FAILURE() << "ocr-score said: " << r.out;
    return 1.0;
  }
  return std::stod(m[1]);
}

// The CER of hypothesis against reference, both written to files in dir
// (ref.txt, hyp.txt).
inline double OcrCer(const std::filesystem::path& dir, const std::string& reference,
                     const std::string& hypothesis) {
  const std::filesystem::path ref = dir / "ref.txt";
  EXPECT_TRUE(WriteFileAtomic(ref, reference).has_value());
  return OcrCerAgainstFile(ref, hypothesis, dir);
}

}  // namespace dossier::testing
