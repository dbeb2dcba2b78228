// The connection pool and the transaction runner (storage/postgres/
// database.h).
//
// Design notes:
//   - Every use case is SERIALIZABLE: PostgreSQL then behaves as if the
//     transactions of all stations ran one after another, the promise the
//     SQLite catalog keeps with BEGIN IMMEDIATE. The price is that the
//     server may abort a transaction that lost a race; Run repeats it.
//   - The URL is turned into libpq key=value pairs once (PQconninfoParse),
//     so a database name can be replaced and connect_timeout added without
//     parsing URLs by hand, and the server's name for messages comes from
//     the same parse, without the password.
//   - Prepared statements are defined on a connection when a transaction
//     on it first executes them (Tx::Prepare), and stay for its lifetime.
#include "storage/postgres/database.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <random>
#include <thread>

namespace dossier::storage::postgres {
namespace {

// The libpq options of url, or an error naming what could not be parsed.
Result<std::vector<std::pair<std::string, std::string>>> Options(
    const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (opts == nullptr) {
    std::string message = err != nullptr ? err : "out of memory";
    if (err != nullptr) PQfreemem(err);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("PostgreSQL URL is not valid: {}", message));
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') out.emplace_back(o->keyword, o->val);
  }
  PQconninfoFree(opts);
  return out;
}

std::string Quote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string Conninfo(const std::vector<std::pair<std::string, std::string>>& opts) {
  std::string out;
  for (const auto& [k, v] : opts) {
    if (!out.empty()) out += ' ';
    out += k + "=" + Quote(v);
  }
  return out;
}

std::string Get(const std::vector<std::pair<std::string, std::string>>& opts,
                const std::string& key) {
  for (const auto& [k, v] : opts) {
    if (k == key) return v;
  }
  return "";
}

void Set(std::vector<std::pair<std::string, std::string>>& opts,
         const std::string& key, const std::string& value) {
  for (auto& [k, v] : opts) {
    if (k == key) {
      v = value;
      return;
    }
  }
  opts.emplace_back(key, value);
}

// A libpq message on one line; libpq never puts the password in one.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

bool ValidDatabaseName(const std::string& name) {
  return !name.empty() && name.size() <= 63 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

// Runs one statement outside a transaction (CREATE/DROP DATABASE).
Status Admin(const std::string& url, const std::string& statement,
             const std::string& what) {
  auto opts = Options(url);
  if (!opts) return std::unexpected(opts.error());
  if (Get(*opts, "connect_timeout").empty()) Set(*opts, "connect_timeout", "10");
  try {
    pqxx::connection conn(Conninfo(*opts));
    pqxx::nontransaction tx(conn);
    tx.exec(statement);
    return Ok();
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("PostgreSQL server {}: {}: {}", ServerName(url),
                                 what, OneLine(e.what())));
  }
}

}  // namespace

bool IsConnectionString(std::string_view text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://") ||
         text.find('=') != std::string_view::npos;
}

Result<ToolConnection> ForTool(const std::string& url) {
  auto opts = Options(url);
  if (!opts) return std::unexpected(opts.error());
  ToolConnection out;
  std::vector<std::pair<std::string, std::string>> kept;
  for (auto& [k, v] : *opts) {
    if (k == "password") {
      out.password = v;
    } else {
      kept.emplace_back(k, v);
    }
  }
  out.conninfo = Conninfo(kept);
  return out;
}

std::string ServerName(const std::string& url) {
  auto opts = Options(url);
  if (!opts) return "(unparsable URL)";
  std::string host = Get(*opts, "host");
  if (host.empty()) host = Get(*opts, "hostaddr");
  if (host.empty()) host = "localhost";
  std::string port = Get(*opts, "port");
  if (port.empty()) port = "5432";
  std::string user = Get(*opts, "user");
  std::string db = Get(*opts, "dbname");
  if (db.empty()) db = user;
  return fmt::format("{}{}{}:{}/{}", user, user.empty() ? "" : "@", host, port, db);
}

Result<std::string> WithDatabase(const std::string& url, const std::string& dbname) {
  if (!ValidDatabaseName(dbname)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("database name '{}' is not [a-z0-9_]{{1,63}}", dbname));
  }
  auto opts = Options(url);
  if (!opts) return std::unexpected(opts.error());
  Set(*opts, "dbname", dbname);
  return Conninfo(*opts);
}

Status CreateDatabase(const std::string& url, const std::string& name) {
  if (!ValidDatabaseName(name)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("database name '{}' is not [a-z0-9_]{{1,63}}", name));
  }
  return Admin(url,
               fmt::format("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                           "LC_COLLATE 'C' LC_CTYPE 'C'",
                           name),
               "creating database " + name);
}

Status DropDatabase(const std::string& url, const std::string& name) {
  if (!ValidDatabaseName(name)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("database name '{}' is not [a-z0-9_]{{1,63}}", name));
  }
  return Admin(url, fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name),
               "dropping database " + name);
}

void Tx::Prepare(const Sql& sql) {
  if (prepared_.insert(sql.name).second) conn_.prepare(sql.name, sql.text);
}

Database::Database(std::string url, std::string server, PoolOptions options)
    : url_(std::move(url)), server_(std::move(server)), options_(options) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Connect(const std::string& url,
                                                    const PoolOptions& options) {
  auto opts = Options(url);
  if (!opts) return std::unexpected(opts.error());
  if (Get(*opts, "connect_timeout").empty()) {
    Set(*opts, "connect_timeout", std::to_string(options.connect_timeout_s));
  }
  std::unique_ptr<Database> db(
      new Database(Conninfo(*opts), ServerName(url), options));
  bool reused = false;
  auto first = db->Acquire(&reused);
  if (!first) return std::unexpected(first.error());
  db->Release(std::move(*first));
  return db;
}

Result<std::unique_ptr<Database::Pooled>> Database::Acquire(bool* reused) {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      *reused = true;
      return c;
    }
  }
  *reused = false;
  try {
    auto c = std::make_unique<Pooled>();
    c->conn = std::make_unique<pqxx::connection>(url_);
    std::lock_guard lock(mu_);
    ++opened_;
    return c;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("cannot connect to PostgreSQL server {}: {}",
                                 server_, OneLine(e.what())));
  }
}

void Database::Release(std::unique_ptr<Pooled> c) {
  if (!c || !c->conn || !c->conn->is_open()) return;
  std::lock_guard lock(mu_);
  if (static_cast<int>(idle_.size()) < options_.pool_size) idle_.push_back(std::move(c));
}

// Counts the notifications of the Listener's channel; Wait reads them.
class Listener::Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel)
      : pqxx::notification_receiver(conn, channel) {}
  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override {
    ++count;
  }
  std::int64_t count = 0;
};

Listener::Listener(std::string server, std::unique_ptr<pqxx::connection> conn,
                   const std::string& channel)
    : server_(std::move(server)), conn_(std::move(conn)),
      receiver_(std::make_unique<Receiver>(*conn_, channel)) {}

Listener::~Listener() {
  // Closing the connection ends the LISTEN. Closed first, the receiver
  // does not send UNLISTEN, which on a lost connection would make libpqxx
  // connect again only to say it.
  conn_->disconnect();
  receiver_.reset();
}

Result<bool> Listener::Wait(std::chrono::milliseconds timeout) {
  auto lost = [&](const std::string& why) -> Result<bool> {
    lost_ = true;
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("lost the connection to PostgreSQL server {} "
                                 "that waits for notifications: {}",
                                 server_, why));
  };
  // libpqxx would open a closed connection again, LISTEN included, without
  // a word, and the notifications meanwhile would be missed unseen: a lost
  // connection is reported instead, and the caller opens a new Listener.
  if (lost_ || !conn_->is_open()) return lost("the connection is closed");
  const std::int64_t before = receiver_->count;
  const auto until = std::chrono::steady_clock::now() + timeout;
  try {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
          until - std::chrono::steady_clock::now());
      const std::int64_t us = std::max<std::int64_t>(0, left.count());
      // Takes the notifications pending; else waits for the socket (or the
      // time) and takes what came.
      conn_->await_notification(static_cast<long>(us / 1000000),
                                static_cast<long>(us % 1000000));
      if (receiver_->count != before) return true;
      // The socket can wake for other messages than a notification.
      if (!conn_->is_open()) return lost("the server closed it");
      if (us == 0 || std::chrono::steady_clock::now() >= until) return false;
    }
  } catch (const pqxx::broken_connection& e) {
    return lost(OneLine(e.what()));
  } catch (const std::exception& e) {
    return lost(OneLine(e.what()));
  }
}

Result<std::unique_ptr<Listener>> Database::Listen(const std::string& channel) {
  if (channel.empty() || channel.size() > 63 ||
      !std::all_of(channel.begin(), channel.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a channel name ([a-z_]{{1,63}})", channel));
  }
  try {
    auto conn = std::make_unique<pqxx::connection>(url_);
    {
      std::lock_guard lock(mu_);
      ++opened_;
    }
    std::unique_ptr<Listener> listener(new Listener(server_, std::move(conn), channel));
    // libpqxx issues LISTEN when the receiver registers and ignores a
    // connection lost meanwhile: make sure it holds.
    if (!listener->conn_->is_open()) {
      return MakeError(ErrorCode::kCatalog,
                       fmt::format("lost the connection to PostgreSQL server {} "
                                   "while starting to listen on {}",
                                   server_, channel));
    }
    return listener;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("cannot listen on {} at PostgreSQL server {}: {}",
                                 channel, server_, OneLine(e.what())));
  }
}

std::int64_t Database::retries() const {
  std::lock_guard lock(mu_);
  return retries_;
}

std::int64_t Database::connections_opened() const {
  std::lock_guard lock(mu_);
  return opened_;
}

Status Database::Run(std::string_view what, Isolation isolation,
                     const std::function<Status(Tx&)>& body) {
  thread_local std::minstd_rand jitter(std::random_device{}());
  bool replaced_stale = false;
  for (int attempt = 1;; ++attempt) {
    bool reused = false;
    auto c = Acquire(&reused);
    if (!c) return std::unexpected(c.error());
    bool started = false;
    try {
      std::unique_ptr<pqxx::dbtransaction> work;
      if (isolation == Isolation::kSerializable) {
        work = std::make_unique<pqxx::transaction<pqxx::serializable>>(*(*c)->conn);
      } else {
        work = std::make_unique<pqxx::transaction<pqxx::read_committed>>(*(*c)->conn);
      }
      started = true;
      Tx tx(*work, *(*c)->conn, (*c)->prepared);
      Status s = body(tx);
      if (!s) {
        work->abort();
        work.reset();
        Release(std::move(*c));
        return s;
      }
      work->commit();
      work.reset();
      Release(std::move(*c));
      return Ok();
    } catch (const pqxx::in_doubt_error& e) {
      return MakeError(ErrorCode::kCatalog,
                       fmt::format("PostgreSQL server {}: the connection was lost "
                                   "while committing {}; the server may or may "
                                   "not have applied it: {}",
                                   server_, what, OneLine(e.what())));
    } catch (const pqxx::broken_connection& e) {
      // The server rolls back a transaction whose connection is gone.
      if (reused && !started && !replaced_stale) {
        // An idle pooled connection that died (a server restart) fails at
        // BEGIN, before the use case ran: retry once on a new one. A
        // connection lost mid-transaction is reported, not run again.
        replaced_stale = true;
        --attempt;
        continue;
      }
      return MakeError(ErrorCode::kCatalog,
                       fmt::format("lost the connection to PostgreSQL server {} "
                                   "while {}; nothing of it was written: {}",
                                   server_, what, OneLine(e.what())));
    } catch (const pqxx::transaction_rollback& e) {
      // serialization_failure, deadlock_detected (and the other 40xxx
      // states): the server rolled the transaction back; run it again.
      const bool retryable =
          dynamic_cast<const pqxx::serialization_failure*>(&e) != nullptr ||
          dynamic_cast<const pqxx::deadlock_detected*>(&e) != nullptr;
      Release(std::move(*c));
      if (!retryable || attempt >= options_.max_attempts) {
        return MakeError(ErrorCode::kConflict,
                         fmt::format("PostgreSQL server {}: {} lost to concurrent "
                                     "changes {} times; the catalog is busy, try "
                                     "again",
                                     server_, what, attempt));
      }
      {
        std::lock_guard lock(mu_);
        ++retries_;
      }
      auto pause = std::min<std::int64_t>(
          options_.max_backoff.count() * 1000,
          options_.first_backoff.count() * 1000 * (std::int64_t{1} << std::min(attempt - 1, 20)));
      std::uniform_int_distribution<std::int64_t> spread(pause / 2, pause + pause / 2);
      std::this_thread::sleep_for(std::chrono::microseconds(spread(jitter)));
    } catch (const pqxx::integrity_constraint_violation& e) {
      Release(std::move(*c));
      return MakeError(ErrorCode::kConflict,
                       fmt::format("PostgreSQL server {}: {}: {}", server_, what,
                                   OneLine(e.what())));
    } catch (const std::exception& e) {
      // A connection still open goes back to the pool; Release drops a
      // closed one.
      Release(std::move(*c));
      return MakeError(ErrorCode::kCatalog,
                       fmt::format("PostgreSQL server {}: {}: {}", server_, what,
                                   OneLine(e.what())));
    }
  }
}

}  // namespace dossier::storage::postgres
