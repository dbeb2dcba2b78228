// The API in-process: sessions, CSRF, permissions by operation, masking and
// the access log, the same rules as the CLI because the same app calls.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <chrono>
#include <set>
#include <thread>

#include "app/queue.h"
#include "core/file_util.h"
#include "governance/policy.h"
#include "server/openapi.h"
#include "storage/records_store.h"
#include "tests/server/server_fixture.h"

namespace dossier::server::testing {
namespace {

using nlohmann::json;

// YYYY-MM-DD, days from today (UTC).
std::string InDays(int days) {
  const auto d = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                 std::chrono::days(days);
  const std::chrono::year_month_day ymd{d};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST_F(ApiTest, LoginSetsAStrictHttpOnlyCookieAndReturnsTheCsrfToken) {
  auto r = Send("POST", "/api/login", nullptr,
                json{{"user", "clerk"}, {"password", "clerk-pass-1"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = HeaderOf(r, "Set-Cookie");
  EXPECT_NE(cookie.find("dossier_session="), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "not behind TLS: " << cookie;
  auto body = Body(r);
  EXPECT_EQ(body["user"], "clerk");
  EXPECT_EQ(body["roles"], json::array({"clerk"}));
  EXPECT_EQ(body["csrf"].get<std::string>().size(), 64u);
  const auto perms = body["permissions"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(perms.begin(), perms.end(), "loan.request"), perms.end());
  EXPECT_EQ(std::find(perms.begin(), perms.end(), "retention.manage"), perms.end());
  EXPECT_EQ(LastLog(), "clerk ok session.login");

  auto me = Send("GET", "/api/me", new Client{Login("clerk")});
  EXPECT_EQ(me.status, 200) << me.body;
}

TEST_F(ApiTest, AWrongPasswordIs401AndLoggedUnderTheClaimedName) {
  auto r = Send("POST", "/api/login", nullptr,
                json{{"user", "clerk"}, {"password", "wrong-password"}}.dump());
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(Body(r)["error"]["code"], "unauthenticated");
  EXPECT_EQ(HeaderOf(r, "Set-Cookie"), "");
  EXPECT_EQ(LastLog().rfind("claimed:clerk", 0), 0u) << LastLog();
}

TEST_F(ApiTest, RepeatedFailuresLockTheNameWith429) {
  ASSERT_TRUE(station_->access().SetLoginThrottle({1, 2, 2}, "root"));
  for (int i = 0; i < 2; ++i) {
    auto r = Send("POST", "/api/login", nullptr,
                  json{{"user", "boss"}, {"password", "not-the-password"}}.dump());
    EXPECT_EQ(r.status, 401) << r.body;
  }
  auto locked = Send("POST", "/api/login", nullptr,
                     json{{"user", "boss"}, {"password", "boss-pass-1"}}.dump());
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(Body(locked)["error"]["code"], "too_many_requests");
  EXPECT_EQ(LastLog().rfind("claimed:boss", 0), 0u) << LastLog();
}

TEST_F(ApiTest, AnIdleSessionEnds) {
  api_.reset();
  ApiOptions options;
  options.archive = station_->archive().dir();
  options.web = dir_.path() / "web";
  options.idle_timeout = std::chrono::minutes(0);
  auto api = Api::Create(options);
  ASSERT_TRUE(api) << api.error().message;
  api_ = std::move(*api);
  Client clerk = Login("clerk");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto r = Send("GET", "/api/me", &clerk);
  EXPECT_EQ(r.status, 401) << r.body;
  auto log = Log();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back().command, "session.whoami");
  EXPECT_NE(log.back().outcome, "ok");
  // Ended, not just refused once.
  EXPECT_EQ(Send("GET", "/api/me", &clerk).status, 401);
}

TEST_F(ApiTest, EveryRouteNamesAKnownOperationAndRefusesAndLogsAStranger) {
  std::set<std::string> known;
  for (const auto& op : governance::Operations()) known.insert(std::string(op.name));
  int checked = 0;
  for (const auto& route : Api::Routes()) {
    if (route.operation.empty()) continue;  // health, the OpenAPI document
    EXPECT_TRUE(known.contains(route.operation))
        << route.method << " " << route.pattern << ": " << route.operation;
    if (route.operation == "session.login") continue;
    std::string target = route.pattern;
    for (std::size_t i; (i = target.find('{')) != std::string::npos;) {
      target.replace(i, target.find('}', i) - i + 1, "X1");
    }
    const auto before = Log().size();
    auto r = Send(route.method, target);
    EXPECT_EQ(r.status, 401) << route.method << " " << target << ": " << r.body;
    auto log = Log();
    ASSERT_EQ(log.size(), before + 1) << route.method << " " << target << " was not logged";
    EXPECT_EQ(log.back().command, route.operation) << target;
    EXPECT_NE(log.back().outcome, "ok") << target;
    ++checked;
  }
  EXPECT_GT(checked, 30);
}

TEST_F(ApiTest, AClerkIsRefusedADestructionApprovalAndTheRefusalIsLogged) {
  Client clerk = Login("clerk");
  auto r = Send("POST", "/api/destruction/DB000001/approve", &clerk, "{}");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Body(r)["error"]["code"], "permission_denied");
  EXPECT_EQ(LastLog(), "clerk denied destroy.approve");
  auto list = Send("GET", "/api/destruction", &clerk);
  EXPECT_EQ(list.status, 403) << list.body;
}

TEST_F(ApiTest, AStateChangeWithoutOrWithAForgedCsrfTokenIsRefusedAndLogged) {
  Client boss = Login("boss");
  Client forged = boss;
  forged.csrf = std::string(64, 'a');
  for (const Client* c : {&forged}) {
    auto r = Send("POST", "/api/logout", c, "");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(Body(r)["error"]["code"], "csrf");
    EXPECT_EQ(LastLog(), "boss denied session.logout");
  }
  auto none = Send("POST", "/api/logout", &boss, "", /*with_csrf=*/false);
  EXPECT_EQ(none.status, 403) << none.body;
  // The session still works: nothing was done.
  EXPECT_EQ(Send("GET", "/api/me", &boss).status, 200);
}

TEST_F(ApiTest, ASessionUsedAfterLogoutIsRefused) {
  Client clerk = Login("clerk");
  auto out = Send("POST", "/api/logout", &clerk);
  EXPECT_EQ(out.status, 204) << out.body;
  auto again = Send("GET", "/api/search?q=%E5%90%88%E5%90%8C", &clerk);
  EXPECT_EQ(again.status, 401) << again.body;
  EXPECT_EQ(Body(again)["error"]["code"], "unauthenticated");
}

TEST_F(ApiTest, ARequestFromAnotherOriginIsRefused) {
  Client clerk = Login("clerk");
  HttpRequest r;
  r.method = "POST";
  r.target = "/api/logout";
  ASSERT_TRUE(ParseTarget(r.target, r));
  r.headers = {{"host", "127.0.0.1:8080"},
               {"origin", "http://evil.example"},
               {"cookie", clerk.cookie},
               {"x-csrf-token", clerk.csrf}};
  auto resp = api_->Handle(r);
  EXPECT_EQ(resp.status, 403) << resp.body;
  EXPECT_EQ(Send("GET", "/api/me", &clerk).status, 200) << "still logged in";
}

TEST_F(ApiTest, BadBodiesAreClear4xxAndLogged) {
  Client clerk = Login("clerk");
  auto bad = Send("POST", "/api/loans", &clerk, "{not json");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(LastLog().rfind("clerk error:", 0), 0u) << LastLog();
  EXPECT_NE(LastLog().find("loan.request"), std::string::npos) << LastLog();
  auto array = Send("POST", "/api/loans", &clerk, "[1,2]");
  EXPECT_EQ(array.status, 400) << array.body;
  auto type = Send("POST", "/api/loans", &clerk, json{{"item", 5}}.dump());
  EXPECT_EQ(type.status, 422) << type.body;
  EXPECT_NE(Body(type)["error"]["message"].get<std::string>().find("item"), std::string::npos);
  auto missing = Send("POST", "/api/loans", &clerk, json{{"item", barcode_}}.dump());
  EXPECT_EQ(missing.status, 422) << missing.body;
  auto limit = Send("GET", "/api/search?q=x&limit=100000", &clerk);
  EXPECT_EQ(limit.status, 422) << limit.body;
}

TEST_F(ApiTest, PathTraversalNamesNoFile) {
  Client clerk = Login("clerk");
  for (const std::string target :
       {"/api/documents/..%2F..%2Fcatalog.db", "/api/documents/a%2Fb/pages/1/image",
        "/api/documents/D000001/pages/..%2F1/image", "/api/customers/%2Fetc%2Fpasswd"}) {
    auto r = Send("GET", target, &clerk);
    EXPECT_EQ(r.status, 404) << target << ": " << r.body;
  }
  for (const std::string target : {"/../catalog.db", "/..%2Fcatalog.db", "/%2e%2e/server.key",
                                   "/.hidden", "/index.html%00.png"}) {
    HttpRequest r;
    r.method = "GET";
    r.target = target;
    if (!ParseTarget(target, r)) continue;  // refused by the transport as 400
    auto resp = api_->Handle(r);
    EXPECT_EQ(resp.status, 404) << target << ": " << resp.body;
  }
  HttpRequest index;
  index.method = "GET";
  index.target = "/";
  ASSERT_TRUE(ParseTarget("/", index));
  EXPECT_EQ(api_->Handle(index).status, 200);
}

TEST_F(ApiTest, EveryResponseCarriesTheSecurityHeaders) {
  auto r = Send("GET", "/api/health");
  const std::string csp = HeaderOf(r, "Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
  auto e = Send("GET", "/api/nothing-here");
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(HeaderOf(e, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Body(e)["error"]["code"], "not_found");
}

TEST_F(ApiTest, TheOpenApiDocumentListsEveryRouteWithItsPermission) {
  auto r = Send("GET", "/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = Body(r);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  for (const auto& route : Api::Routes()) {
    std::string m = route.method;
    for (auto& c : m) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(doc["paths"].contains(route.pattern)) << route.pattern;
    ASSERT_TRUE(doc["paths"][route.pattern].contains(m)) << route.pattern << " " << m;
    if (!route.operation.empty() && route.operation != "session.login") {
      EXPECT_EQ(doc["paths"][route.pattern][m]["x-permission"],
                std::string(governance::PermissionForOperation(route.operation)));
    }
  }
}

TEST(ApiDocs, DocsApiYamlDescribesEveryRoute) {
  auto yaml = ReadFile(std::filesystem::path(DOSSIER_SOURCE_DIR) / "docs" / "api.yaml");
  ASSERT_TRUE(yaml) << yaml.error().message;
  for (const auto& route : Api::Routes()) {
    const auto at = yaml->find("\n  " + route.pattern + ":\n");
    ASSERT_NE(at, std::string::npos) << route.pattern << " is not in docs/api.yaml";
    std::string m = route.method;
    for (auto& c : m) c = static_cast<char>(std::tolower(c));
    const auto next = yaml->find("\n  /", at + 1);
    EXPECT_NE(yaml->substr(at, next - at).find("\n    " + m + ":"), std::string::npos)
        << route.method << " " << route.pattern;
  }
}

TEST_F(ApiTest, SearchMasksPhonesForARoleWithoutPii) {
  auto& catalog = station_->catalog();
  auto d = catalog.AddDocument(storage::testing::MakeDocument(
      customer_, "联系电话 13812345678 的合同", {"甲方 联系电话 13812345678"}));
  ASSERT_TRUE(d) << d.error().message;
  Client reader = Login("keeper");  // archivist: no customer.pii
  auto r = Send("GET", "/api/search?q=%E8%81%94%E7%B3%BB", &reader);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("13812345678"), std::string::npos) << r.body;
  EXPECT_FALSE(Body(r)["hits"].empty()) << r.body;
  Client clerk = Login("clerk");  // clerk holds customer.pii
  auto c = Send("GET", "/api/search?q=%E8%81%94%E7%B3%BB", &clerk);
  EXPECT_NE(c.body.find("13812345678"), std::string::npos) << c.body;
}

TEST_F(ApiTest, HitsLieOverTheWordsOfATwoCharacterChineseTerm) {
  auto doc = storage::testing::MakeDocument(customer_, "借款合同", {"甲方借款合同乙方"});
  auto& words = doc.pages[0].words;
  // One OCR word per character pair, as chi_sim often cuts them.
  words.push_back({"甲方", {100, 200, 80, 40}, 240, 90.f, 0});
  words.push_back({"借款", {190, 200, 80, 40}, 240, 90.f, 0});
  words.push_back({"合同乙", {280, 202, 120, 38}, 240, 90.f, 0});
  words.push_back({"方", {410, 200, 40, 40}, 240, 90.f, 0});
  words.push_back({"合同", {100, 400, 80, 40}, 440, 90.f, 1});
  auto d = station_->catalog().AddDocument(doc);
  ASSERT_TRUE(d) << d.error().message;
  Client clerk = Login("clerk");
  auto r = Send("GET", "/api/documents/" + d->display_id +
                           "/pages/1/hits?q=%E5%90%88%E5%90%8C%20-%E7%94%B2%E6%96%B9",
                &clerk);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(body["width"], 2480);
  ASSERT_EQ(body["boxes"].size(), 2u) << r.body;
  // 合同 is the first two of the three characters of "合同乙".
  EXPECT_EQ(body["boxes"][0]["x"], 280);
  EXPECT_EQ(body["boxes"][0]["w"], 80);
  EXPECT_EQ(body["boxes"][0]["y"], 202);
  EXPECT_EQ(body["boxes"][1]["x"], 100);
  EXPECT_EQ(body["boxes"][1]["y"], 400);
  // Across two words: 方借 spans 甲方 and 借款.
  auto across = Send("GET", "/api/documents/" + d->display_id +
                                "/pages/1/hits?q=%E6%96%B9%E5%80%9F", &clerk);
  auto a = Body(across);
  ASSERT_EQ(a["boxes"].size(), 1u) << across.body;
  EXPECT_EQ(a["boxes"][0]["x"], 140);
  EXPECT_EQ(a["boxes"][0]["w"], 90);
  EXPECT_EQ(LastLog(), "clerk ok document.hits");
  auto missing = Send("GET", "/api/documents/" + d->display_id + "/pages/9/hits?q=x", &clerk);
  EXPECT_EQ(missing.status, 404) << missing.body;
}

TEST_F(ApiTest, ALoanGoesFromRequestToReturnThroughTheApi) {
  Client clerk = Login("clerk");
  auto req = Send("POST", "/api/loans", &clerk,
                  json{{"item", barcode_}, {"purpose", "核对合同"},
                       {"due_date", InDays(7)}}.dump());
  ASSERT_EQ(req.status, 201) << req.body;
  const std::string loan = Body(req)["loan"].get<std::string>();
  // The requester cannot approve, and a clerk lacks the permission anyway.
  EXPECT_EQ(Send("POST", "/api/loans/" + loan + "/approve", &clerk, "{}").status, 403);
  Client boss = Login("boss");
  auto ok = Send("POST", "/api/loans/" + loan + "/approve", &boss, json{{"note", "同意"}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  Client keeper = Login("keeper");
  auto wrong = Send("POST", "/api/loans/" + loan + "/checkout", &keeper,
                    json{{"barcode", "OR99999999X"}}.dump());
  EXPECT_GE(wrong.status, 400) << wrong.body;
  EXPECT_LT(wrong.status, 500) << wrong.body;
  auto out = Send("POST", "/api/loans/" + loan + "/checkout", &keeper,
                  json{{"barcode", barcode_}}.dump());
  ASSERT_EQ(out.status, 200) << out.body;
  auto back = Send("POST", "/api/loans/" + loan + "/return", &keeper,
                   json{{"barcode", barcode_}, {"pages_counted", 1},
                        {"condition", "完好"}}.dump());
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(Body(back)["status"], "returned") << back.body;
  EXPECT_EQ(LastLog(), "keeper ok loan.return");
}

TEST_F(ApiTest, ACabinetAuditFindsTheScannedOriginal) {
  Client keeper = Login("keeper");
  auto start = Send("POST", "/api/audits", &keeper, json{{"location", "A-01"}}.dump());
  ASSERT_EQ(start.status, 201) << start.body;
  const std::string audit = Body(start)["audit"].get<std::string>();
  // Open: the reconciliation as it stands; first the original is missing.
  auto before = Body(Send("GET", "/api/audits/" + audit, &keeper));
  ASSERT_EQ(before["lines"].size(), 1u) << before.dump();
  EXPECT_EQ(before["lines"][0]["category"], "missing");
  EXPECT_EQ(before["lines"][0]["barcode"], barcode_);
  EXPECT_EQ(before["audit"]["missing"], 1);
  EXPECT_EQ(before["audit"]["status"], "open");
  auto scans = Send("POST", "/api/audits/" + audit + "/scans", &keeper,
                    json{{"barcodes", {barcode_, "OR99999999Z"}}}.dump());
  ASSERT_EQ(scans.status, 200) << scans.body;
  EXPECT_EQ(Body(scans)["total"]["items"], 2);
  auto live = Body(Send("GET", "/api/audits/" + audit, &keeper));
  EXPECT_EQ(live["audit"]["status"], "open");
  EXPECT_EQ(live["audit"]["found"], 1) << live.dump();
  EXPECT_EQ(live["audit"]["unknown"], 1) << live.dump();
  EXPECT_EQ(live["audit"]["missing"], 0) << live.dump();
  EXPECT_EQ(live["lines"].size(), 2u) << live.dump();
  auto closed = Send("POST", "/api/audits/" + audit + "/close", &keeper, "{}");
  ASSERT_EQ(closed.status, 200) << closed.body;
  auto lines = Body(closed)["lines"];
  EXPECT_EQ(lines, live["lines"]) << "closing finds what the live view showed";
  EXPECT_NE(closed.body.find(barcode_), std::string::npos);
  auto pdf = Send("GET", "/api/audits/" + audit + "/report.pdf", &keeper);
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
}

TEST_F(ApiTest, ACustomerFileOpenedThroughTheApiHasItsValuesNormalised) {
  Client keeper = Login("keeper");  // archivist: no customer.write
  const std::string body =
      json{{"name", "杭州远帆科技有限公司"}, {"values", {{"phone", "(0571) 8888-1234"}}}}.dump();
  EXPECT_EQ(Send("POST", "/api/customers", &keeper, body).status, 403);
  Client clerk = Login("clerk");
  auto r = Send("POST", "/api/customers", &clerk, body);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find("+8657188881234"), std::string::npos) << r.body;
  auto bad = Send("POST", "/api/customers", &clerk,
                  json{{"name", "某公司"}, {"values", {{"phone", "12"}}}}.dump());
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(LastLog().rfind("clerk error:", 0), 0u) << LastLog();
}

TEST_F(ApiTest, OriginalsMoveByScannedBarcodesAllOrNothing) {
  Client keeper = Login("keeper");
  auto bad = Send("POST", "/api/originals/move", &keeper,
                  json{{"barcodes", {barcode_, "OR99999999X"}}, {"to", "A-01-1-002"}}.dump());
  EXPECT_GE(bad.status, 400) << bad.body;
  EXPECT_LT(bad.status, 500) << bad.body;
  auto where = Send("GET", "/api/originals/" + barcode_, &keeper);
  ASSERT_EQ(where.status, 200) << where.body;
  EXPECT_NE(where.body.find("A-01-1-001"), std::string::npos) << "not moved: " << where.body;
  auto ok = Send("POST", "/api/originals/move", &keeper,
                 json{{"barcodes", {barcode_}}, {"to", "A-01-1-002"}, {"reason", "整理"}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok)["moved"], 1);
  auto labels = Send("POST", "/api/labels", &keeper, json{{"originals", {barcode_}}}.dump());
  ASSERT_EQ(labels.status, 200) << labels.body;
  ASSERT_TRUE(labels.file);
  EXPECT_EQ(ReadFile(*labels.file)->rfind("%PDF-", 0), 0u);
  std::filesystem::remove(*labels.file);
}

TEST_F(ApiTest, TheDashboardShowsOnlyWhatTheRoleMaySee) {
  Client scanner = Login("scanner");
  auto r = Send("GET", "/api/dashboard", &scanner);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_TRUE(body["pending_reviews"].is_number());
  EXPECT_TRUE(body["destructions_due"].is_null()) << r.body;
  EXPECT_TRUE(body["overdue_loans"].is_null()) << r.body;
  Client boss = Login("boss");
  EXPECT_TRUE(Body(Send("GET", "/api/dashboard", &boss))["destructions_due"].is_number());
}

}  // namespace
}  // namespace dossier::server::testing

namespace dossier::server::testing {
namespace {

TEST_F(ApiTest, TheWorkQueueIsShownToWhoScansAndRefusedToOthers) {
  const auto scan = dir_.path() / "scan.png";
  ASSERT_TRUE(WriteFileAtomic(scan, std::string("not really a png")));
  app::IngestInput in;
  in.capture.customer = customer_;
  in.capture.type = "contract";
  in.files = {scan};
  auto item = app::QueueIngest(*station_, As("scanner"), in);
  ASSERT_TRUE(item) << item.error().message;

  Client scanner = Login("scanner");
  auto list = Send("GET", "/api/work?state=queued", &scanner);
  ASSERT_EQ(list.status, 200) << list.body;
  const auto items = Body(list)["items"];
  ASSERT_EQ(items.size(), 1u) << list.body;
  EXPECT_EQ(items[0]["item"], item->display_id);
  EXPECT_EQ(items[0]["state"], "queued");
  EXPECT_EQ(items[0]["enqueued_by"], "scanner");
  EXPECT_EQ(items[0]["payload"]["capture"]["customer"], customer_);
  EXPECT_EQ(LastLog(), "scanner ok queue.list");
  auto one = Send("GET", "/api/work/" + item->display_id, &scanner);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Body(one)["item"], item->display_id);
  auto missing = Send("GET", "/api/work/W000999", &scanner);
  EXPECT_EQ(missing.status, 404) << missing.body;
  auto bad = Send("GET", "/api/work/..%2F..%2Fetc", &scanner);
  EXPECT_GE(bad.status, 400) << bad.body;
  EXPECT_LT(bad.status, 500) << bad.body;
  auto bad_state = Send("GET", "/api/work?state=sleeping", &scanner);
  EXPECT_EQ(bad_state.status, 422) << bad_state.body;

  // A clerk does not scan: refused, and the refusal is logged.
  Client clerk = Login("clerk");
  auto refused = Send("GET", "/api/work", &clerk);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(LastLog(), "clerk denied queue.list");
}

}  // namespace
}  // namespace dossier::server::testing
