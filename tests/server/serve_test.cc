// `dossier serve` as a process: it refuses an open station, serves on the
// port it names, logs its start, and on SIGTERM finishes and exits 0.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "core/file_util.h"
#include "tests/support/test_support.h"
#include "gtest/gtest.h"

namespace dossier::server::testing {
namespace {

using dossier::testing::DossierBinary;
using dossier::testing::RunCommand;
using dossier::testing::ShellQuote;
using dossier::testing::TempDir;

std::string Dossier(const std::filesystem::path& archive, const std::string& args) {
  auto r = RunCommand("DOSSIER_PASSWORD=serve-pass-1 DOSSIER_USER=root " +
                      ShellQuote(DossierBinary().string()) + " --archive " +
                      ShellQuote(archive.string()) + " " + args + " 2>&1");
  return r.out;
}

TEST(Serve, AnOpenStationIsRefusedWithTheReason) {
  TempDir tmp;
  const auto archive = tmp.path() / "archive";
  Dossier(archive, "init --open-station");
  auto r = RunCommand(ShellQuote(DossierBinary().string()) + " --archive " +
                      ShellQuote(archive.string()) + " serve --listen 127.0.0.1:0 2>&1");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("has no users"), std::string::npos) << r.out;
}

TEST(Serve, ABadListenAddressIsRefused) {
  TempDir tmp;
  const auto archive = tmp.path() / "archive";
  Dossier(archive, "init --admin root");
  auto r = RunCommand(ShellQuote(DossierBinary().string()) + " --archive " +
                      ShellQuote(archive.string()) + " serve --listen nowhere 2>&1");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("--listen nowhere"), std::string::npos) << r.out;
}

TEST(Serve, ServesThenStopsCleanlyOnSigterm) {
  TempDir tmp;
  const auto archive = tmp.path() / "archive";
  Dossier(archive, "init --admin root");
  const auto log = tmp.path() / "serve.log";
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string out = log.string();
    freopen(out.c_str(), "w", stdout);
    freopen(out.c_str(), "a", stderr);
    execl(DossierBinary().c_str(), "dossier", "--archive", archive.c_str(), "serve",
          "--listen", "127.0.0.1:0", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string text;
  std::smatch m;
  const std::regex address("http://127\\.0\\.0\\.1:([0-9]+)");
  for (int i = 0; i < 100; ++i) {
    auto t = ReadFile(log);
    if (t && std::regex_search(*t, m, address)) {
      text = *t;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(text.empty()) << "no address in the log";
  const std::string base = m[0];
  auto health = RunCommand("curl -s " + base + "/api/health");
  EXPECT_EQ(health.out, "{\"ok\":true}");
  auto login = RunCommand("curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "
                          "-d '{\"user\":\"root\",\"password\":\"serve-pass-1\"}' " +
                          base + "/api/login");
  EXPECT_EQ(login.out, "200");
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  auto after = ReadFile(log);
  EXPECT_NE(after->find("stopped"), std::string::npos) << *after;
  auto entries = Dossier(archive, "log show");
  EXPECT_NE(entries.find("server.start"), std::string::npos) << entries;
  EXPECT_NE(entries.find("session.login"), std::string::npos) << entries;
  auto refused = RunCommand("curl -s -m 2 " + base + "/api/health");
  EXPECT_NE(refused.exit_code, 0) << "still answering after SIGTERM";
}

}  // namespace
}  // namespace dossier::server::testing
