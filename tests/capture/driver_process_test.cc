// The driver process that SANE backends run in (capture/driver_process.h):
// messages both ways, and a driver that crashes, hangs or ignores being
// told to leave is reported or ended, never waited for forever.
#include "capture/driver_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace dossier::capture::internal {
namespace {

using namespace std::chrono_literals;

TEST(MessageFields, ReadBackInOrderAndATruncatedMessageIsNotOk) {
  MessageWriter w;
  w.U8(7).I64(-42).F64(2.5).Str("扫描仪 test:0").Str("");
  MessageReader r(w.str());
  EXPECT_EQ(r.U8(), 7);
  EXPECT_EQ(r.I64(), -42);
  EXPECT_EQ(r.F64(), 2.5);
  EXPECT_EQ(r.Str(), "扫描仪 test:0");
  EXPECT_EQ(r.Str(), "");
  EXPECT_TRUE(r.ok());

  const std::string cut = w.str().substr(0, w.str().size() - 12);
  MessageReader short_read(cut);
  short_read.U8();
  short_read.I64();
  short_read.F64();
  EXPECT_EQ(short_read.Str(), "");
  EXPECT_FALSE(short_read.ok());
  EXPECT_EQ(short_read.I64(), 0);  // and stays so
}

TEST(DriverProcess, AnswersRequestsUntilTheParentLeaves) {
  auto driver = DriverProcess::Start("echo", [](Channel& channel) {
    while (auto m = channel.Receive()) {
      if (!channel.Send("pid " + std::to_string(getpid()) + ": " + *m)) return;
    }
  });
  ASSERT_TRUE(driver) << driver.error().message;
  const std::string big(3 << 20, 'x');  // larger than a socket buffer
  for (const std::string& m : {std::string("one"), big}) {
    ASSERT_TRUE((*driver)->Send(m));
    auto reply = (*driver)->Receive();
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_TRUE(reply->ends_with(": " + m));
    EXPECT_FALSE(reply->starts_with("pid " + std::to_string(getpid()) + ":"))
        << "the body ran in this process";
  }
  const auto start = std::chrono::steady_clock::now();
  driver->reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(DriverProcess, ACrashIsReportedWithTheSignalAndTheDriversName) {
  auto driver = DriverProcess::Start("scanner fake:0", [](Channel&) {
    std::abort();
  });
  ASSERT_TRUE(driver) << driver.error().message;
  auto reply = (*driver)->Receive();
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kIo);
  EXPECT_NE(reply.error().message.find("scanner fake:0"), std::string::npos)
      << reply.error().message;
  EXPECT_NE(reply.error().message.find("signal 6"), std::string::npos)
      << reply.error().message;
}

TEST(DriverProcess, ADriverThatWillNotLeaveIsKilledAfterItsGrace) {
  auto driver = DriverProcess::Start(
      "scanner stuck:0",
      [](Channel& channel) {
        channel.Send("ready");
        // Like a backend stuck on a lock its cancelled thread kept: it
        // never looks at the socket again.
        for (;;) std::this_thread::sleep_for(1s);
      },
      300ms);
  ASSERT_TRUE(driver) << driver.error().message;
  ASSERT_TRUE((*driver)->Receive());
  const auto start = std::chrono::steady_clock::now();
  driver->reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(DriverProcess, AHungDriverEndsAReceiveOnceItsSocketCloses) {
  // The child closes its end and then hangs: Receive sees EOF, waits the
  // grace, kills it, and says so.
  auto driver = DriverProcess::Start(
      "scanner stuck:1",
      [](Channel& channel) {
        channel.Close();
        for (;;) std::this_thread::sleep_for(1s);
      },
      300ms);
  ASSERT_TRUE(driver) << driver.error().message;
  auto reply = (*driver)->Receive();
  ASSERT_FALSE(reply);
  EXPECT_NE(reply.error().message.find("signal 9"), std::string::npos)
      << reply.error().message;
}

}  // namespace
}  // namespace dossier::capture::internal
