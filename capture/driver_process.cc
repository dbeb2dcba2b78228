// Framing: each message is its length (8 bytes in host order: both ends
// are on one machine) followed by its bytes.
#include "capture/driver_process.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <opencv2/core.hpp>
#include <thread>

namespace dossier::capture::internal {

namespace {

bool SendAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool RecvAll(int fd, char* p, size_t n) {
  while (n > 0) {
    ssize_t r = ::recv(fd, p, n, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

// Messages larger than this are a broken peer, not a page (a 600 dpi A3
// colour scan is about 210 MB).
constexpr std::uint64_t kMaxMessage = 1ull << 30;

}  // namespace

Channel::~Channel() { Close(); }

void Channel::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool Channel::Send(const std::string& message) {
  if (fd_ < 0) return false;
  std::uint64_t n = message.size();
  return SendAll(fd_, reinterpret_cast<const char*>(&n), sizeof n) &&
         SendAll(fd_, message.data(), message.size());
}

std::optional<std::string> Channel::Receive() {
  if (fd_ < 0) return std::nullopt;
  std::uint64_t n = 0;
  if (!RecvAll(fd_, reinterpret_cast<char*>(&n), sizeof n) || n > kMaxMessage)
    return std::nullopt;
  std::string out(n, '\0');
  if (!RecvAll(fd_, out.data(), n)) return std::nullopt;
  return out;
}

MessageWriter& MessageWriter::U8(std::uint8_t v) {
  buf_.push_back(static_cast<char>(v));
  return *this;
}
MessageWriter& MessageWriter::I64(std::int64_t v) {
  buf_.append(reinterpret_cast<const char*>(&v), sizeof v);
  return *this;
}
MessageWriter& MessageWriter::F64(double v) {
  buf_.append(reinterpret_cast<const char*>(&v), sizeof v);
  return *this;
}
MessageWriter& MessageWriter::Str(const std::string& v) {
  return Bytes(v.data(), v.size());
}
MessageWriter& MessageWriter::Bytes(const void* data, size_t size) {
  I64(static_cast<std::int64_t>(size));
  buf_.append(static_cast<const char*>(data), size);
  return *this;
}

bool MessageReader::Take(void* out, size_t n) {
  if (!ok_ || buf_.size() - pos_ < n) {
    ok_ = false;
    std::memset(out, 0, n);
    return false;
  }
  std::memcpy(out, buf_.data() + pos_, n);
  pos_ += n;
  return true;
}
std::uint8_t MessageReader::U8() {
  std::uint8_t v;
  Take(&v, sizeof v);
  return v;
}
std::int64_t MessageReader::I64() {
  std::int64_t v;
  Take(&v, sizeof v);
  return v;
}
double MessageReader::F64() {
  double v;
  Take(&v, sizeof v);
  return v;
}
std::string MessageReader::Str() {
  std::int64_t n = I64();
  if (!ok_ || n < 0 || static_cast<std::uint64_t>(n) > buf_.size() - pos_) {
    ok_ = false;
    return {};
  }
  std::string out = buf_.substr(pos_, static_cast<size_t>(n));
  pos_ += static_cast<size_t>(n);
  return out;
}

Result<std::unique_ptr<DriverProcess>> DriverProcess::Start(
    std::string what, Body body, std::chrono::milliseconds grace) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("{}: cannot create the driver's socket: {}",
                                 what, std::strerror(errno)));
  }
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return MakeError(ErrorCode::kIo,
                     fmt::format("{}: cannot start the driver process: {}",
                                 what, std::strerror(err)));
  }
  if (pid == 0) {
    // Only the standard streams and this socket stay open: a copy of
    // another driver's socket kept here would hide that parent's leaving
    // from that driver, and the parent's files are none of the driver's
    // business.
    int fd = fds[1];
    if (fd != 3) {
      ::dup2(fd, 3);
      fd = 3;
    }
    ::close_range(4, ~0U, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    // The parent may ignore or block signals (a server); the child's
    // watchdogs (alarm) must be able to end it.
    ::signal(SIGALRM, SIG_DFL);
    ::signal(SIGPIPE, SIG_IGN);
    sigset_t all;
    sigemptyset(&all);
    ::sigprocmask(SIG_SETMASK, &all, nullptr);
    // OpenCV's worker threads were not copied by fork.
    cv::setNumThreads(0);
    {
      Channel channel(fd);
      body(channel);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  return std::unique_ptr<DriverProcess>(
      new DriverProcess(std::move(what), pid, fds[0], grace));
}

std::string DriverProcess::Reap(std::chrono::milliseconds limit) {
  if (!ended_.empty() || pid_ < 0) return ended_;
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) {
        ended_ = fmt::format("its process exited with status {}",
                             WEXITSTATUS(status));
      } else if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        ended_ = sig == SIGALRM
                     ? "it stopped answering and its watchdog ended it"
                     : fmt::format("its process was killed by signal {} ({})",
                                   sig, ::strsignal(sig));
      } else {
        ended_ = "its process ended";
      }
      return ended_;
    }
    if (r < 0 && errno != EINTR) {
      pid_ = -1;
      ended_ = "its process ended";
      return ended_;
    }
    if (std::chrono::steady_clock::now() >= until) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Result<std::string> DriverProcess::Receive() {
  if (auto m = channel_.Receive()) return std::move(*m);
  channel_.Close();
  std::string how = Reap(grace_);
  if (how.empty()) {
    ::kill(pid_, SIGKILL);
    how = Reap(std::chrono::seconds(5));
  }
  return MakeError(ErrorCode::kIo,
                   fmt::format("{}: the scanner driver stopped ({})", what_,
                               how.empty() ? "it could not be ended" : how));
}

DriverProcess::~DriverProcess() {
  channel_.Close();
  if (pid_ < 0) return;
  if (Reap(grace_).empty()) {
    ::kill(pid_, SIGKILL);
    Reap(std::chrono::seconds(5));
  }
}

}  // namespace dossier::capture::internal
