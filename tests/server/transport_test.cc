// The transport over real loopback sockets: hostile clients get a clear
// 4xx (or are cut off) and the server keeps serving everyone else.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "core/file_util.h"
#include "server/http_server.h"
#include "tests/server/server_fixture.h"

namespace dossier::server::testing {
namespace {

class TransportTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    TransportLimits limits;
    limits.header_limit = 8 * 1024;
    limits.body_limit = 64 * 1024;
    limits.upload_limit = 8 * 1024 * 1024;
    limits.header_timeout = std::chrono::milliseconds(1500);
    limits.body_idle_timeout = std::chrono::milliseconds(1500);
    limits.workers = 2;
    limits.stream_heartbeat = std::chrono::milliseconds(1000);
    Api* api = api_.get();
    Handler h;
    h.handle = [api](HttpRequest& r) { return api->Handle(r); };
    h.upload_file = [api](const HttpRequest& r) { return api->UploadFile(r); };
    h.error = [](int s, const std::string& c, const std::string& m) {
      return Api::Error(s, c, m);
    };
    ListenOptions listen;
    listen.port = 0;
    server_ = std::make_unique<Server>(listen, limits, h);
    ASSERT_TRUE(server_->Start());
    thread_ = std::thread([this] { server_->Run(false); });
  }
  void TearDown() override {
    if (server_) {
      server_->Stop();
      if (thread_.joinable()) thread_.join();
    }
    ApiTest::TearDown();
  }

  int Connect() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }
  static void SendAll(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may close early on a refusal
      sent += static_cast<std::size_t>(n);
    }
  }
  // Everything the server sends until it closes (or 10 s pass).
  static std::string ReadAll(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
  }
  // One raw exchange: connects, sends request and reads all of the answer.
  std::string Exchange(const std::string& request) {
    int fd = Connect();
    SendAll(fd, request);
    return ReadAll(fd);
  }
  // who's upload of png as `name`, streamed in one request on its own
  // connection; the raw answer.
  std::string StreamUpload(const Client& who, const std::string& name,
                           const std::string& png) {
    return Exchange("POST /api/uploads?customer=" + customer_ + "&name=" +
                    name + " HTTP/1.1\r\nHost: x\r\nCookie: " + who.cookie +
                    "\r\nX-CSRF-Token: " + who.csrf +
                    "\r\nConnection: close\r\nContent-Length: " +
                    std::to_string(png.size()) + "\r\n\r\n" + png);
  }
  // The body of a raw answer.
  static std::string RawBody(const std::string& response) {
    return response.substr(response.find("\r\n\r\n") + 4);
  }
  static int StatusOf(const std::string& response) {
    if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
    return std::stoi(response.substr(9, 3));
  }
  // A well-behaved request still gets its answer.
  void ExpectStillServing() {
    const auto r = Exchange(
        "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(StatusOf(r), 200) << r;
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(TransportTest, HugeHeadersAre431) {
  const auto r = Exchange("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " +
                          std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 431) << r.substr(0, 300);
  EXPECT_NE(r.find("header_too_large"), std::string::npos);
  ExpectStillServing();
}

TEST_F(TransportTest, HugeBodiesAre413WithoutBeingRead) {
  const auto r = Exchange(
      "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\n"
      "Content-Length: 10000000\r\n\r\n" +
      std::string(100000, '{'));
  EXPECT_EQ(StatusOf(r), 413) << r.substr(0, 300);
  EXPECT_NE(r.find("payload_too_large"), std::string::npos);
  ExpectStillServing();
}

TEST_F(TransportTest, BadJsonIs400AndGarbageIsRefused) {
  const std::string body = "{\"user\": ";
  const auto r = Exchange(
      "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\n"
      "Connection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(StatusOf(r), 400) << r;
  const auto garbage =
      Exchange(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) +
               "\r\n\r\n");
  EXPECT_EQ(StatusOf(garbage), 400) << garbage;
  ExpectStillServing();
}

TEST_F(TransportTest, ASlowlorisTrickleIsCutOffWhileOthersAreServed) {
  int slow = Connect();
  SendAll(slow, "GET /api/health HTTP/1.1\r\nHost: x\r\n");
  std::string got;
  bool closed = false;
  // One header byte every 200 ms: it never completes within the timeout.
  for (int i = 0; i < 20 && !closed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (::send(slow, "X", 1, MSG_NOSIGNAL) <= 0) closed = true;
    if (i == 2) ExpectStillServing();
  }
  got = ReadAll(slow);
  EXPECT_EQ(StatusOf(got), 408) << got;
  ExpectStillServing();
}

TEST_F(TransportTest, AStalledBodyIs408) {
  const auto r = Exchange(
      "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\n"
      "Content-Length: 100\r\n\r\n{\"us");
  EXPECT_EQ(StatusOf(r), 408) << r;
  ExpectStillServing();
}

TEST_F(TransportTest, AnUploadWithoutASessionIsNotStored) {
  const auto r = Exchange("POST /api/uploads?customer=" + customer_ +
                          "&name=a.png HTTP/1.1\r\nHost: x\r\n"
                          "Connection: close\r\nContent-Length: 1000\r\n\r\n" +
                          std::string(1000, 'x'));
  EXPECT_EQ(StatusOf(r), 401) << r;
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(station_->archive().dir() / "uploads")) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 0);
}

TEST_F(TransportTest, AnOversizedUploadIs413AndLeavesNoPartialFile) {
  Client clerk = Login("clerk");
  Client scanner = Login("scanner");
  const auto r = Exchange("POST /api/uploads?customer=" + customer_ +
                          "&name=a.png HTTP/1.1\r\nHost: x\r\n"
                          "Cookie: " +
                          scanner.cookie + "\r\nX-CSRF-Token: " + scanner.csrf +
                          "\r\nContent-Length: 20000000\r\n\r\n" +
                          std::string(300000, 'x'));
  EXPECT_EQ(StatusOf(r), 413) << r.substr(0, 300);
  for (const auto& e : std::filesystem::directory_iterator(station_->archive().dir() / "uploads")) {
    ADD_FAILURE() << "left behind: " << e.path();
  }
  ExpectStillServing();
}

TEST_F(TransportTest, AStreamedUploadIsKeptAsAJob) {
  Client scanner = Login("scanner");
  auto png = ReadFile(dossier::testing::SamplesDir() / "en-agreement.png");
  ASSERT_TRUE(png);
  const auto r = StreamUpload(scanner, "scan.png", *png);
  ASSERT_EQ(StatusOf(r), 202) << r;
  const auto job = nlohmann::json::parse(RawBody(r))["job"].get<std::string>();
  // Kept whole under its job's name until the ingest has it.
  const auto kept = station_->archive().dir() / "uploads" / (job + ".png");
  const auto record = station_->archive().dir() / "uploads" / (job + ".json");
  EXPECT_TRUE(std::filesystem::exists(record));
  if (std::filesystem::exists(kept)) {
    EXPECT_LE(std::filesystem::file_size(kept), png->size());
  }
  api_->Drain();
  auto state = Send("GET", "/api/jobs/" + job, &scanner);
  EXPECT_EQ(Body(state)["state"], "done") << state.body;
}

TEST_F(TransportTest, AFileResponseIsSentWholeAndItsTemporaryRemoved) {
  // Temporaries of this test only (ctest runs other tests beside it).
  const auto tmp = dir_.path() / "tmp";
  std::filesystem::create_directories(tmp);
  ASSERT_EQ(setenv("TMPDIR", tmp.c_str(), 1), 0);
  Client keeper = Login("keeper");
  const std::string body = nlohmann::json{{"originals", {barcode_}}}.dump();
  const auto r = Exchange(
      "POST /api/labels HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\n"
      "Cookie: " +
      keeper.cookie + "\r\nX-CSRF-Token: " + keeper.csrf +
      "\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_EQ(StatusOf(r), 200) << r.substr(0, 400);
  const auto pdf = RawBody(r);
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
  // Removed once the last byte is written, which the client may see first.
  for (int i = 0; i < 100 && !std::filesystem::is_empty(tmp); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (const auto& e : std::filesystem::directory_iterator(tmp)) {
    ADD_FAILURE() << "left behind: " << e.path();
  }
  unsetenv("TMPDIR");
}

TEST_F(TransportTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  const auto r = Exchange(
      "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("\"openapi\""), std::string::npos) << r.substr(0, 400);
}

// Server-Sent Events of an upload job over real sockets. The job is held
// queued (start_jobs false) until the test starts it, so the streams are
// certainly open while the rest is checked.
class JobEventsTest : public TransportTest {
 protected:
  JobEventsTest() { start_jobs_ = false; }

  // Reads into got until it holds needle; false if the server closed or
  // went silent (10 s) first.
  static bool ReadUntil(int fd, std::string& got, const std::string& needle) {
    char buf[4096];
    while (got.find(needle) == std::string::npos) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  bool WaitForOpenStreams(int n) {
    for (int i = 0; i < 400 && api_->OpenStreams() != n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return api_->OpenStreams() == n;
  }
};

TEST_F(JobEventsTest, EventsFollowAJobWithoutHoldingWorkersAndClientsThatLeaveAreDropped) {
  Client scanner = Login("scanner");
  Client clerk = Login("clerk");
  auto png = ReadFile(dossier::testing::SamplesDir() / "en-agreement.png");
  ASSERT_TRUE(png);
  const auto accepted = StreamUpload(scanner, "scan.png", *png);
  ASSERT_EQ(StatusOf(accepted), 202) << accepted;
  const auto job =
      nlohmann::json::parse(RawBody(accepted))["job"].get<std::string>();
  const std::string path = "/api/jobs/" + job + "/events";

  // Without a session, and for another user's job: refused, not streamed.
  EXPECT_EQ(
      StatusOf(Exchange("GET " + path +
                        " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
      401);
  EXPECT_EQ(
      StatusOf(Exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\nCookie: " +
                        clerk.cookie + "\r\nConnection: close\r\n\r\n")),
      404);
  EXPECT_EQ(api_->OpenStreams(), 0);

  // Six listeners, three times the server's two workers.
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                              "Cookie: " + scanner.cookie + "\r\n\r\n";
  constexpr int kStreams = 6;
  std::vector<int> fds;
  std::vector<std::string> got(kStreams);
  for (int i = 0; i < kStreams; ++i) {
    fds.push_back(Connect());
    SendAll(fds.back(), request);
    ASSERT_TRUE(ReadUntil(fds.back(), got[i], "}\n\n")) << got[i];
    EXPECT_EQ(StatusOf(got[i]), 200) << got[i];
    EXPECT_NE(got[i].find("Content-Type: text/event-stream"), std::string::npos) << got[i];
    EXPECT_NE(got[i].find("Transfer-Encoding: chunked"), std::string::npos) << got[i];
    EXPECT_NE(got[i].find("event: progress\nid: 0\ndata: {"), std::string::npos) << got[i];
    EXPECT_NE(got[i].find("\"state\":\"queued\""), std::string::npos) << got[i];
  }
  EXPECT_EQ(api_->OpenStreams(), kStreams);
  // Nothing happens to the job: a heartbeat comes instead.
  ASSERT_TRUE(ReadUntil(fds[0], got[0], ": keep-alive\n\n")) << got[0];
  // Every worker would be taken if a stream held one; others are served.
  ExpectStillServing();
  const auto polled =
      Exchange("GET /api/jobs/" + job + " HTTP/1.1\r\nHost: x\r\nCookie: " +
               scanner.cookie + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(polled), 200) << polled;
  EXPECT_NE(polled.find("\"state\":\"queued\""), std::string::npos) << polled;

  // Half of the listeners leave; their streams are dropped.
  for (int i = 0; i < kStreams / 2; ++i) ::close(fds[i]);
  EXPECT_TRUE(WaitForOpenStreams(kStreams / 2)) << api_->OpenStreams();

  // The job runs: the others see it start, and end with the report.
  api_->StartJobs();
  for (int i = kStreams / 2; i < kStreams; ++i) {
    std::string all = got[i] + ReadAll(fds[i]);
    const auto running = all.find("\"state\":\"running\"");
    const auto end = all.find("event: end\n");
    ASSERT_NE(running, std::string::npos) << all;
    ASSERT_NE(end, std::string::npos) << all;
    EXPECT_LT(running, end);
    const auto data = all.find("data: ", end) + 6;
    auto last = nlohmann::json::parse(all.substr(data, all.find('\n', data) - data), nullptr, false);
    EXPECT_EQ(last["state"], "done") << all;
    EXPECT_EQ(last["report"]["documents"].size(), 1u) << all;
    EXPECT_GE(last["pages"].get<int>(), 1);
    // The chunked body is ended properly before the server closes.
    EXPECT_TRUE(all.ends_with("\r\n0\r\n\r\n")) << all.substr(all.size() - std::min<std::size_t>(all.size(), 80));
  }
  EXPECT_TRUE(WaitForOpenStreams(0)) << api_->OpenStreams();
  ExpectStillServing();
}

}  // namespace
}  // namespace dossier::server::testing
