// FaultEnv: an Env (core/env.h) for tests that passes every call to a real
// Env and fails a chosen one, as a full or failing disk would: the Nth
// create, write, fsync, rename or read fails with a chosen errno (ENOSPC,
// EIO, ...), once or from then on.
//
//   testing::FaultEnv env;
//   env.FailNth(testing::FaultEnv::Op::kWrite, 2, ENOSPC, /*sticky=*/true);
//   auto archive = storage::Archive::Open(dir, &env);
//
// What counts as a call of each Op:
//   kCreate  Env::NewWritableFile
//   kWrite   WritableFile::Append; a failing one first writes half of its
//            bytes, as a write that runs out of room does
//   kSync    WritableFile::Sync and Env::SyncDirectory (both are fsyncs; an
//            atomic write makes one of each, the file's first)
//   kRename  Env::RenameFile
//   kRead    Env::ReadFile
// RemoveFile, CreateDirectories, FileExists and FileSize always pass
// through, so a failed write can clean up after itself.
//
// Injected errors look like the real ones (PosixError: "<file>: write: No
// space left on device").
//
// Thread safety: safe for concurrent use, like any Env. REQUIRES: the base
// Env outlives the FaultEnv, and the FaultEnv outlives the files it made.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "core/env.h"
#include "core/result.h"

namespace dossier::testing {

class FaultEnv : public Env {
 public:
  enum class Op { kCreate, kWrite, kSync, kRename, kRead };

  explicit FaultEnv(Env* base = Env::Default()) : base_(base) {}

  // Fails the nth call of op from now (n = 1: the next one) with
  // error_number; with sticky, every later call of op fails too, as a disk
  // that stays full. Replaces an earlier fault set for op.
  void FailNth(Op op, int n, int error_number, bool sticky = false) {
    std::lock_guard lock(mutex_);
    Rule& rule = rules_[Index(op)];
    rule.fail_at = rule.calls + n;
    rule.error_number = error_number;
    rule.sticky = sticky;
  }

  // Clears every fault: the disk is healthy again.
  void Heal() {
    std::lock_guard lock(mutex_);
    for (Rule& rule : rules_) rule.fail_at.reset();
  }

  // Calls of op seen so far, failed or not.
  int calls(Op op) const {
    std::lock_guard lock(mutex_);
    return rules_[Index(op)].calls;
  }
  // Calls that were made to fail, over all ops.
  int injected() const {
    std::lock_guard lock(mutex_);
    return injected_;
  }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::filesystem::path& path) override {
    if (int err = Check(Op::kCreate)) {
      return std::unexpected(PosixError(path, "cannot create", err));
    }
    auto file = base_->NewWritableFile(path);
    if (!file) return std::unexpected(file.error());
    return std::make_unique<File>(this, path, std::move(*file));
  }

  Result<std::string> ReadFile(const std::filesystem::path& path) override {
    if (int err = Check(Op::kRead))
      return std::unexpected(PosixError(path, "read", err));
    return base_->ReadFile(path);
  }

  Status RenameFile(const std::filesystem::path& from,
                    const std::filesystem::path& to) override {
    if (int err = Check(Op::kRename)) {
      return std::unexpected(
          PosixError(from, "cannot rename to " + to.string(), err));
    }
    return base_->RenameFile(from, to);
  }

  Status SyncDirectory(const std::filesystem::path& dir) override {
    if (int err = Check(Op::kSync))
      return std::unexpected(PosixError(dir, "fsync", err));
    return base_->SyncDirectory(dir);
  }

  Status RemoveFile(const std::filesystem::path& path) override {
    return base_->RemoveFile(path);
  }
  Status CreateDirectories(const std::filesystem::path& dir) override {
    return base_->CreateDirectories(dir);
  }
  bool FileExists(const std::filesystem::path& path) override {
    return base_->FileExists(path);
  }
  Result<std::uint64_t> FileSize(const std::filesystem::path& path) override {
    return base_->FileSize(path);
  }

 private:
  struct Rule {
    int calls = 0;
    std::optional<int> fail_at;  // the call number that fails
    int error_number = 0;
    bool sticky = false;
  };

  class File final : public WritableFile {
   public:
    File(FaultEnv* env, std::filesystem::path path,
         std::unique_ptr<WritableFile> base)
        : env_(env), path_(std::move(path)), base_(std::move(base)) {}

    Status Append(std::span<const std::uint8_t> bytes) override {
      if (int err = env_->Check(Op::kWrite)) {
        // Half the bytes land before the error, so a test sees that a
        // partial temporary never shows under the final name.
        (void)base_->Append(bytes.first(bytes.size() / 2));
        return std::unexpected(PosixError(path_, "write", err));
      }
      return base_->Append(bytes);
    }
    Status Sync() override {
      if (int err = env_->Check(Op::kSync)) {
        return std::unexpected(PosixError(path_, "fsync", err));
      }
      return base_->Sync();
    }
    Status Close() override { return base_->Close(); }

   private:
    FaultEnv* env_;
    const std::filesystem::path path_;
    std::unique_ptr<WritableFile> base_;
  };

  static size_t Index(Op op) { return static_cast<size_t>(op); }

  // Counts a call of op; returns the errno to fail it with, or 0.
  int Check(Op op) {
    std::lock_guard lock(mutex_);
    Rule& rule = rules_[Index(op)];
    const int call = ++rule.calls;
    if (!rule.fail_at) return 0;
    if (call == *rule.fail_at || (rule.sticky && call > *rule.fail_at)) {
      ++injected_;
      return rule.error_number;
    }
    return 0;
  }

  Env* const base_;
  mutable std::mutex mutex_;
  std::array<Rule, 5> rules_{};
  int injected_ = 0;
};

}  // namespace dossier::testing
