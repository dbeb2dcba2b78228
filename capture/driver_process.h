// Internal to capture/: a child process that runs a device driver the
// station cannot trust to behave (a SANE backend), spoken to by messages
// over a socket.
//
// Why: a scanner backend is C code loaded into our process. SANE's `test`
// backend, for one, cancels its reader thread asynchronously after a jam;
// a thread cancelled inside the allocator or the dynamic loader leaves that
// lock held, and the process hangs in the next dlclose or at exit. Run in
// a child, such a driver can hang or crash only the child: the parent sees
// the socket close, reports which device stopped and why, and kills a
// child that does not leave when told.
//
// Contract:
// - Start forks a child that runs `body` with its end of the socket and
//   then _exit(0)s (never returning into the parent's code, never running
//   its atexit handlers or flushing its stdio). Only the forking thread
//   exists in the child: `body` must not rely on other threads or on
//   OpenCV's thread pool (it is switched off in the child). The child dies
//   with the parent (PR_SET_PDEATHSIG).
// - Messages are byte strings of any length; Receive returns nullopt when
//   the other end is gone.
// - ~DriverProcess closes the socket (the child's Receive then returns
//   nullopt), waits up to `grace` for the child to end, then kills it.
//
// Thread safety: one thread at a time per DriverProcess.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"

namespace dossier::capture::internal {

// One end of the socket.
class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;
  ~Channel();
  bool Send(const std::string& message);
  std::optional<std::string> Receive();
  void Close();

 private:
  int fd_ = -1;
};

// Fields of a message, written and read in the same order.
class MessageWriter {
 public:
  MessageWriter& U8(std::uint8_t v);
  MessageWriter& I64(std::int64_t v);
  MessageWriter& F64(double v);
  MessageWriter& Str(const std::string& v);
  MessageWriter& Bytes(const void* data, size_t size);
  const std::string& str() const { return buf_; }

 private:
  std::string buf_;
};

// A read past the end, or a length that does not fit, makes ok() false and
// every later read return zero values.
class MessageReader {
 public:
  explicit MessageReader(const std::string& buf) : buf_(buf) {}
  std::uint8_t U8();
  std::int64_t I64();
  double F64();
  std::string Str();
  bool ok() const { return ok_; }

 private:
  bool Take(void* out, size_t n);
  const std::string& buf_;
  size_t pos_ = 0;
  bool ok_ = true;
};

class DriverProcess {
 public:
  using Body = std::function<void(Channel&)>;
  // `what` names the driver in messages, e.g. "scanner test:0".
  static Result<std::unique_ptr<DriverProcess>> Start(
      std::string what, Body body,
      std::chrono::milliseconds grace = std::chrono::seconds(20));
  DriverProcess(const DriverProcess&) = delete;
  DriverProcess& operator=(const DriverProcess&) = delete;
  ~DriverProcess();

  bool Send(const std::string& message) { return channel_.Send(message); }
  // The next message; at EOF a kIo error naming the driver and how its
  // process ended (exit status or signal).
  Result<std::string> Receive();

 private:
  DriverProcess(std::string what, pid_t pid, int fd,
                std::chrono::milliseconds grace)
      : what_(std::move(what)), pid_(pid), channel_(fd), grace_(grace) {}
  // Waits up to `limit` for the child; returns how it ended, "" if it has
  // not.
  std::string Reap(std::chrono::milliseconds limit);

  std::string what_;
  pid_t pid_ = -1;
  Channel channel_;
  std::chrono::milliseconds grace_;
  std::string ended_;  // how the child ended, once reaped
};

}  // namespace dossier::capture::internal
