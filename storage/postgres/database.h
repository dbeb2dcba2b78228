// Internal to storage/postgres: the connection pool, prepared statements
// and the one-transaction-per-use-case runner every PostgreSQL store uses.
// This header (and storage/postgres/*.cc) is the only place that includes
// libpqxx; the stores' public headers do not.
//
// Contract of Transact(what, fn):
//   - fn runs inside one SERIALIZABLE transaction on a pooled connection
//     and returns a Result<T> or a Status. An error from fn rolls the
//     transaction back: nothing of it is written. Success commits.
//   - A serialization failure or a deadlock (pqxx::serialization_failure,
//     pqxx::deadlock_detected), in fn or at commit, rolls back and runs fn
//     again after a growing, jittered pause, up to max_attempts times; only
//     when every attempt lost does the caller see kConflict ("the catalog
//     is busy"). fn must therefore have no effects outside the transaction.
//   - A lost connection is kCatalog naming the server (user@host:port/db,
//     never the password) and what was being done; the transaction was
//     not committed, so nothing is half-written. A connection lost during
//     COMMIT itself (pqxx::in_doubt_error) says so: the server may or may
//     not have applied it. A pooled connection found dead before any
//     statement ran is replaced once, silently.
//   - Other server errors: unique and foreign-key violations are kConflict,
//     everything else kCatalog, each naming the server and `what`.
//   - Transact(what, Isolation::kReadCommitted, fn) is the same at READ
//     COMMITTED, for a store whose every change first locks the rows it
//     decides on (SELECT ... FOR UPDATE [SKIP LOCKED]): the work queue,
//     whose workers claim different rows of one table at once. There,
//     SERIALIZABLE's predicate locks (by index page, or the whole table
//     when it is small) would make concurrent claims of different items
//     abort each other; row locks keep them apart without.
//
// Listen(channel): a connection of its own, outside the pool, that
// LISTENs on one channel, for a store's wake-ups (storage/postgres/
// work_queue.h). NOTIFY is sent inside the writer's transaction and
// delivered when it commits.
//
// Thread safety: a Database may be shared by threads; each Transact takes
// its own connection from the pool (at most pool_size are kept idle).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "core/result.h"
#include "storage/postgres/catalog.h"

namespace dossier::storage::postgres {

// A statement prepared on each connection on first use there. name must
// be unique to the text (a store's statements are file-level constants).
struct Sql {
  const char* name;
  const char* text;
};

enum class Isolation { kSerializable, kReadCommitted };

// One transaction of a use case: the pqxx transaction and its connection's
// prepared statements.
class Tx {
 public:
  template <typename... Args>
  pqxx::result Exec(const Sql& sql, Args&&... args) {
    Prepare(sql);
    return tx_.exec_prepared(sql.name, std::forward<Args>(args)...);
  }
  // A one-off statement (DDL, migrations).
  pqxx::result Run(const std::string& text) { return tx_.exec(text); }
  pqxx::transaction_base& raw() { return tx_; }

 private:
  friend class Database;
  Tx(pqxx::transaction_base& tx, pqxx::connection& conn,
     std::set<std::string>& prepared)
      : tx_(tx), conn_(conn), prepared_(prepared) {}
  void Prepare(const Sql& sql);
  pqxx::transaction_base& tx_;
  pqxx::connection& conn_;
  std::set<std::string>& prepared_;
};

// A connection LISTENing on one channel (Database::Listen). Not
// thread-safe. Once Wait has reported the connection lost, the Listener
// stays lost: make a new one.
class Listener {
 public:
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  // True as soon as a notification on the channel has arrived (those that
  // came since the previous Wait count; all pending are taken), false
  // after timeout. kCatalog naming the server if the connection is lost.
  Result<bool> Wait(std::chrono::milliseconds timeout);

 private:
  friend class Database;
  class Receiver;
  Listener(std::string server, std::unique_ptr<pqxx::connection> conn,
           const std::string& channel);
  const std::string server_;
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<Receiver> receiver_;
  bool lost_ = false;
};

class Database {
 public:
  // Opens the first connection (so a wrong URL fails here, naming the
  // server); kCatalog if the server cannot be reached or refuses.
  static Result<std::unique_ptr<Database>> Connect(const std::string& url,
                                                   const PoolOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // user@host:port/dbname: for messages, without the password.
  const std::string& server() const { return server_; }

  template <typename F>
  auto Transact(std::string_view what, F&& fn) -> std::invoke_result_t<F, Tx&> {
    return Transact(what, Isolation::kSerializable, std::forward<F>(fn));
  }
  template <typename F>
  auto Transact(std::string_view what, Isolation isolation, F&& fn)
      -> std::invoke_result_t<F, Tx&> {
    using R = std::invoke_result_t<F, Tx&>;
    std::optional<R> out;
    Status s = Run(what, isolation, [&](Tx& tx) -> Status {
      out.emplace(fn(tx));
      if (!*out) return std::unexpected(out->error());
      return Ok();
    });
    if (!s) return std::unexpected(s.error());
    return std::move(*out);
  }

  // A new connection (not from the pool) LISTENing on channel
  // ([a-z_]{1,63}, else kInvalidArgument); kCatalog naming the server if
  // it cannot be opened.
  Result<std::unique_ptr<Listener>> Listen(const std::string& channel);

  // Counters, for tests and the benchmark: transactions run again after a
  // serialization failure or deadlock, and connections opened (the
  // pool's and listeners').
  std::int64_t retries() const;
  std::int64_t connections_opened() const;

 private:
  struct Pooled {
    std::unique_ptr<pqxx::connection> conn;
    std::set<std::string> prepared;
  };
  Database(std::string url, std::string server, PoolOptions options);
  Result<std::unique_ptr<Pooled>> Acquire(bool* reused);
  void Release(std::unique_ptr<Pooled> c);
  Status Run(std::string_view what, Isolation isolation,
             const std::function<Status(Tx&)>& body);

  const std::string url_;
  const std::string server_;
  const PoolOptions options_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Pooled>> idle_;
  std::int64_t retries_ = 0;
  std::int64_t opened_ = 0;
};

// Column helpers: text ('' for NULL), integers, optional text.
inline std::string Text(const pqxx::field& f) {
  return f.is_null() ? std::string() : f.c_str();
}
inline std::int64_t Int(const pqxx::field& f) {
  return f.is_null() ? 0 : f.as<std::int64_t>();
}

}  // namespace dossier::storage::postgres
