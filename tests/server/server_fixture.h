// The server's API in-process over a real secured archive (the app tests'
// fixture: users of every role, a customer, a document, a cabinet), with
// requests built as the transport would build them.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <string>

#include "server/api.h"
#include "tests/app/app_fixture.h"

namespace dossier::server::testing {

struct Client {
  std::string cookie;  // "dossier_session=…"
  std::string csrf;
};

class ApiTest : public app::testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    ApiOptions options;
    options.archive = station_->archive().dir();
    options.web = dir_.path() / "web";
    std::filesystem::create_directories(options.web);
    std::ofstream(options.web / "index.html") << "<!doctype html><title>Dossier</title>";
    options.start_jobs = start_jobs_;
    auto api = Api::Create(options);
    ASSERT_TRUE(api) << api.error().message;
    api_ = std::move(*api);
  }

  HttpResponse Send(const std::string& method, const std::string& target,
                    const Client* as = nullptr, const std::string& body = "",
                    bool with_csrf = true) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    EXPECT_TRUE(ParseTarget(target, r)) << target;
    r.headers["host"] = "127.0.0.1:8080";
    if (!body.empty()) {
      r.body = body;
      r.headers["content-type"] = "application/json";
    }
    if (as) {
      r.headers["cookie"] = as->cookie;
      if (with_csrf) r.headers["x-csrf-token"] = as->csrf;
    }
    r.peer = "127.0.0.1:1";
    return api_->Handle(r);
  }

  static nlohmann::json Body(const HttpResponse& r) {
    return nlohmann::json::parse(r.body, nullptr, false);
  }

  Client Login(const std::string& user) {
    auto r = Send("POST", "/api/login", nullptr,
                  nlohmann::json{{"user", user}, {"password", user + "-pass-1"}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    Client c;
    for (const auto& [name, value] : r.headers) {
      if (name == "Set-Cookie") c.cookie = value.substr(0, value.find(';'));
    }
    c.csrf = Body(r).value("csrf", "");
    return c;
  }

  // The last access-log entry, as "user outcome operation".
  std::string LastLog() {
    auto log = Log();
    if (log.empty()) return "";
    const auto& e = log.back();
    return e.actor + " " + e.outcome + " " + e.command;
  }

  std::unique_ptr<Api> api_;
  bool start_jobs_ = true;  // set false in a fixture's constructor to hold jobs
};

}  // namespace dossier::server::testing
