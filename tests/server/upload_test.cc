// An upload from a browser to a stored, searchable document: the body is
// streamed to a file, ingested as a job, and the page is then shown as a
// preview, found with its hit boxes on the words, and downloaded as PDF.
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <thread>
#include <vector>

#include "app/queue.h"
#include "core/file_util.h"
#include "tests/server/server_fixture.h"

namespace dossier::server::testing {
namespace {

using nlohmann::json;

class UploadTest : public ApiTest {
 protected:
  // Sends the file as the transport would: its body streamed to the path
  // UploadFile gives.
  HttpResponse Upload(const Client& who, const std::filesystem::path& file,
                      const std::string& name) {
    HttpRequest r;
    r.method = "POST";
    r.target = "/api/uploads?customer=" + customer_ + "&type=contract&name=" + name;
    EXPECT_TRUE(ParseTarget(r.target, r));
    r.headers = {{"host", "127.0.0.1:8080"}, {"cookie", who.cookie},
                 {"x-csrf-token", who.csrf}};
    const auto to = api_->UploadFile(r);
    if (!to.empty()) {
      std::filesystem::copy_file(file, to);
      r.body_file = to;
    }
    return api_->Handle(r);
  }
};

TEST_F(UploadTest, AnUploadedScanIsIngestedPreviewedFoundAndDownloaded) {
  const auto page = dossier::testing::SamplesDir() / "zh-contract-1.png";
  ASSERT_TRUE(std::filesystem::exists(page)) << page;
  Client clerk = Login("clerk");
  // A clerk may not ingest: refused, nothing kept.
  auto refused = Upload(clerk, page, "contract.png");
  EXPECT_EQ(refused.status, 403) << refused.body;
  Client scanner = Login("scanner");
  auto accepted = Upload(scanner, page, "contract.png");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string job = Body(accepted)["job"];
  api_->Drain();
  auto state = Send("GET", "/api/jobs/" + job, &scanner);
  ASSERT_EQ(state.status, 200) << state.body;
  auto s = Body(state);
  ASSERT_EQ(s["state"], "done") << state.body;
  const std::string doc = s["report"]["documents"][0]["document"];
  EXPECT_GE(s["pages"].get<int>(), 1);
  // Another user does not see the job.
  EXPECT_EQ(Send("GET", "/api/jobs/" + job, &clerk).status, 404);
  // The input is gone from uploads/ once stored; the job's record stays.
  for (const auto& e : std::filesystem::directory_iterator(station_->archive().dir() / "uploads")) {
    EXPECT_EQ(e.path().extension(), ".json") << e.path();
  }

  auto preview = Send("GET", "/api/documents/" + doc + "/pages/1/image?width=600", &clerk);
  ASSERT_EQ(preview.status, 200) << preview.body;
  ASSERT_TRUE(preview.file);
  cv::Mat img = cv::imread(preview.file->string(), cv::IMREAD_COLOR);
  ASSERT_FALSE(img.empty());
  EXPECT_EQ(img.cols, 600);
  EXPECT_GT(img.rows, 700);  // an A4 page, portrait
  auto again = Send("GET", "/api/documents/" + doc + "/pages/1/image?width=600", &clerk);
  EXPECT_EQ(*again.file, *preview.file) << "rendered once, then cached";
  EXPECT_EQ(Send("GET", "/api/documents/" + doc + "/pages/1/image?width=5", &clerk).status, 422);
  EXPECT_EQ(Send("GET", "/api/documents/" + doc + "/pages/2/image", &clerk).status, 404);

  // 合同 is on the page: its boxes are in the page, and the preview is
  // dark (ink) under them.
  auto hits = Send("GET", "/api/documents/" + doc + "/pages/1/hits?q=%E5%90%88%E5%90%8C", &clerk);
  ASSERT_EQ(hits.status, 200) << hits.body;
  auto h = Body(hits);
  ASSERT_FALSE(h["boxes"].empty()) << hits.body;
  const double scale = 600.0 / h["width"].get<double>();
  cv::Mat gray;
  cv::cvtColor(img, gray, cv::COLOR_BGR2GRAY);
  for (const auto& b : h["boxes"]) {
    cv::Rect r(static_cast<int>(b["x"].get<int>() * scale), static_cast<int>(b["y"].get<int>() * scale),
               std::max(1, static_cast<int>(b["w"].get<int>() * scale)),
               std::max(1, static_cast<int>(b["h"].get<int>() * scale)));
    r &= cv::Rect(0, 0, gray.cols, gray.rows);
    ASSERT_GT(r.area(), 0) << b.dump();
    double minv = 0;
    cv::minMaxLoc(gray(r), &minv);
    EXPECT_LT(minv, 128) << "no ink under " << b.dump();
    EXPECT_NE(b["text"].get<std::string>().find("合"), std::string::npos) << b.dump();
  }

  auto pdf = Send("GET", "/api/documents/" + doc + "/pdf", &clerk);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  ASSERT_TRUE(pdf.file);
  EXPECT_TRUE(pdf.delete_file_after);
  auto bytes = ReadFile(*pdf.file);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->rfind("%PDF-", 0), 0u);
  EXPECT_EQ(LastLog(), "clerk ok document.export");
  std::filesystem::remove(*pdf.file);
}

// Many viewers open the same page before it was ever rendered: they share
// one render (app/pages.h), every one of them gets the whole image, and
// every request is logged with its outcome.
TEST_F(UploadTest, ConcurrentViewersOfAnUnrenderedPageAllGetItAndAreAllLogged) {
  const auto page = dossier::testing::SamplesDir() / "en-agreement.png";
  Client scanner = Login("scanner");
  auto accepted = Upload(scanner, page, "agreement.png");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  api_->Drain();
  auto state = Body(Send("GET", "/api/jobs/" + Body(accepted)["job"].get<std::string>(), &scanner));
  ASSERT_EQ(state["state"], "done") << state.dump();
  const std::string doc = state["report"]["documents"][0]["document"];
  Client clerk = Login("clerk");
  const std::string target = "/api/documents/" + doc + "/pages/1/image?width=333";
  const auto before = Log().size();

  constexpr int kViewers = 6;
  std::vector<HttpResponse> responses(kViewers);
  std::vector<std::thread> viewers;
  for (int i = 0; i < kViewers; ++i) {
    viewers.emplace_back([&, i] { responses[i] = Send("GET", target, &clerk); });
  }
  for (auto& t : viewers) t.join();
  for (const auto& r : responses) {
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(r.file);
    EXPECT_EQ(*r.file, *responses[0].file);
    cv::Mat img = cv::imread(r.file->string(), cv::IMREAD_COLOR);
    ASSERT_FALSE(img.empty());
    EXPECT_EQ(img.cols, 333);
  }
  auto log = Log();
  ASSERT_EQ(log.size(), before + kViewers);
  for (std::size_t i = before; i < log.size(); ++i) {
    EXPECT_EQ(log[i].actor + " " + log[i].outcome + " " + log[i].command,
              "clerk ok document.preview");
  }
}

TEST_F(UploadTest, AnUploadWithAnUnknownKindOfFileIsRefused) {
  Client scanner = Login("scanner");
  const auto page = dossier::testing::SamplesDir() / "zh-contract-1.txt";
  auto r = Upload(scanner, page, "notes.txt");
  EXPECT_EQ(r.status, 422) << r.body;
}

TEST_F(UploadTest, AQueuedUploadIsIngestedAfterARestart) {
  const auto page = dossier::testing::SamplesDir() / "zh-contract-2.png";
  Client scanner = Login("scanner");
  // A job left queued by a server that stopped before ingesting it.
  const auto uploads = station_->archive().dir() / "uploads";
  std::filesystem::copy_file(page, uploads / "J0000000000000001.png");
  json meta{{"job", "J0000000000000001"}, {"user", "scanner"}, {"roles", {"scanner"}},
            {"customer", customer_}, {"type", "contract"}, {"name", "late.png"},
            {"file", "J0000000000000001.png"}, {"state", "running"}, {"pages", 0}};
  std::ofstream(uploads / "J0000000000000001.json") << meta.dump();
  api_.reset();
  ApiOptions options;
  options.archive = station_->archive().dir();
  options.web = dir_.path() / "web";
  auto api = Api::Create(options);
  ASSERT_TRUE(api) << api.error().message;
  api_ = std::move(*api);
  api_->Drain();
  auto state = Send("GET", "/api/jobs/J0000000000000001", &scanner);
  ASSERT_EQ(state.status, 200) << state.body;
  EXPECT_EQ(Body(state)["state"], "done") << state.body;
  EXPECT_FALSE(std::filesystem::exists(uploads / "J0000000000000001.png"));
}

// A server of several stations (--queue-uploads): an upload becomes a
// work item that `dossier worker` processes take; the job follows it to
// the filed document, and the server itself OCRs nothing.
TEST_F(UploadTest, AQueuedUploadIsFiledByAWorkerAndItsJobFollowsIt) {
  api_.reset();
  ApiOptions options;
  options.archive = station_->archive().dir();
  options.web = dir_.path() / "web";
  options.queue_uploads = true;
  auto api = Api::Create(options);
  ASSERT_TRUE(api) << api.error().message;
  api_ = std::move(*api);

  const auto page = dossier::testing::SamplesDir() / "zh-contract-1.png";
  Client scanner = Login("scanner");
  auto accepted = Upload(scanner, page, "contract.png");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string job = Body(accepted)["job"];
  api_->Drain();
  auto queued = Body(Send("GET", "/api/jobs/" + job, &scanner));
  EXPECT_EQ(queued["state"], "queued") << queued.dump();
  ASSERT_TRUE(queued["work_item"].is_string()) << queued.dump();
  const std::string item = queued["work_item"];
  auto listed = station_->queue().List("queued", 10);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].display_id, item);
  EXPECT_EQ((*listed)[0].enqueued_by, "scanner") << "the scanner's, for the review rule";
  // Nothing was filed by the server, and the upload itself is gone: the
  // queue's spool holds the copy.
  auto docs = station_->catalog().ListDocuments(customer_);
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->size(), 1u) << "only the fixture's document";
  for (const auto& e : std::filesystem::directory_iterator(station_->archive().dir() / "uploads")) {
    EXPECT_EQ(e.path().extension(), ".json") << e.path();
  }

  // A worker (here in this process; any station in practice) files it.
  app::WorkerOptions worker;
  worker.name = "station-b";
  worker.once = true;
  auto ran = app::RunWorker(*station_, As("scanner"), worker, {});
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->done, 1);

  // The server notices within a few of its 1-second looks.
  nlohmann::json done;
  for (int i = 0; i < 200; ++i) {
    done = Body(Send("GET", "/api/jobs/" + job, &scanner));
    if (done["state"] != "queued" && done["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(done["state"], "done") << done.dump();
  ASSERT_EQ(done["report"]["documents"].size(), 1u) << done.dump();
  const nlohmann::json& filed = done["report"]["documents"][0];
  EXPECT_TRUE(filed["stored"].get<bool>()) << done.dump();
  const std::string doc = filed["document"];
  EXPECT_GE(done["pages"].get<int>(), 1);
  auto shown = Send("GET", "/api/documents/" + doc, &scanner);
  EXPECT_EQ(shown.status, 200) << shown.body;

  // After a restart the job is followed again, never queued twice.
  api_.reset();
  auto again = Api::Create(options);
  ASSERT_TRUE(again) << again.error().message;
  api_ = std::move(*again);
  api_->Drain();
  auto after = Body(Send("GET", "/api/jobs/" + job, &scanner));
  EXPECT_EQ(after["state"], "done") << after.dump();
  auto all = station_->queue().List("", 10);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

// A job a server left on the work queue when it stopped is followed by
// the next server, not queued again.
TEST_F(UploadTest, AQueuedUploadLeftByAStoppedServerIsFollowedNotRequeued) {
  const auto page = dossier::testing::SamplesDir() / "zh-contract-2.png";
  app::IngestInput in;
  in.capture.customer = customer_;
  in.capture.type = "contract";
  in.files = {page};
  in.shown_names = {"late.png"};
  auto item = app::QueueIngest(*station_, As("scanner"), in);
  ASSERT_TRUE(item) << item.error().message;
  const auto uploads = station_->archive().dir() / "uploads";
  json meta{{"job", "J0000000000000002"}, {"user", "scanner"}, {"roles", {"scanner"}},
            {"customer", customer_}, {"type", "contract"}, {"name", "late.png"},
            {"file", "J0000000000000002.png"}, {"state", "queued"}, {"pages", 0},
            {"work_item", item->display_id}};
  std::ofstream(uploads / "J0000000000000002.json") << meta.dump();
  api_.reset();
  ApiOptions options;
  options.archive = station_->archive().dir();
  options.web = dir_.path() / "web";
  options.queue_uploads = true;
  auto api = Api::Create(options);
  ASSERT_TRUE(api) << api.error().message;
  api_ = std::move(*api);
  Client scanner = Login("scanner");
  api_->Drain();
  auto state = Body(Send("GET", "/api/jobs/J0000000000000002", &scanner));
  EXPECT_EQ(state["state"], "queued") << state.dump();
  EXPECT_EQ(state["work_item"], item->display_id);
  auto all = station_->queue().List("", 10);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u) << "not queued twice";
}

}  // namespace
}  // namespace dossier::server::testing
