#include "storage/postgres/catalog_dump.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "core/file_util.h"
#include "storage/postgres/catalog.h"
#include "storage/postgres/database.h"
#include "storage/records_codec.h"

extern char** environ;

namespace dossier::storage::postgres {
namespace {

namespace fs = std::filesystem;

std::string ToolPath(const std::string& tool) {
  for (const char* version : {"17", "16", "15"}) {
    const fs::path p = fs::path("/usr/lib/postgresql") / version / "bin" / tool;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return tool;  // from PATH
}

// An owner-only temporary file; removed when this goes.
class TempFile {
 public:
  explicit TempFile(const std::string& stem) {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / (stem + "-XXXXXX")).string();
    fd_ = ::mkstemp(pattern.data());
    if (fd_ >= 0) path_ = pattern;
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// A .pgpass line's field: backslash and colon escaped.
std::string PassField(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ':') out += '\\';
    out += c;
  }
  return out;
}

std::string LastLines(const std::string& text, int n) {
  std::vector<std::string> lines;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      if (!line.empty()) lines.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > static_cast<size_t>(n) ? lines.size() - n : 0;
       i < lines.size(); ++i) {
    if (!out.empty()) out += " | ";
    out += lines[i];
  }
  return out;
}

// Runs a client tool against the connection; args come after the tool's
// name, the connection is given with -d.
Status RunTool(const std::string& tool, std::vector<std::string> args,
               const std::string& url, const std::string& what) {
  const std::string server = ServerName(url);
  auto conn = ForTool(url);
  if (!conn) return std::unexpected(conn.error());
  TempFile errors("dossier-" + tool + "-err");
  if (!errors.ok()) {
    return MakeError(ErrorCode::kIo, fmt::format("{}: cannot make a temporary file: {}",
                                                 what, std::strerror(errno)));
  }
  std::optional<TempFile> passfile;
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "PGPASSWORD=", 11) == 0 || std::strncmp(*e, "PGPASSFILE=", 11) == 0) {
      if (!conn->password.empty()) continue;
    }
    env_text.emplace_back(*e);
  }
  if (!conn->password.empty()) {
    passfile.emplace("dossier-pgpass");
    const std::string line = "*:*:*:*:" + PassField(conn->password) + "\n";
    if (!passfile->ok() ||
        ::write(passfile->fd(), line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      return MakeError(ErrorCode::kIo, fmt::format("{}: cannot write a password file", what));
    }
    env_text.push_back("PGPASSFILE=" + passfile->path());
  }
  const std::string path = ToolPath(tool);
  std::vector<std::string> argv_text{path};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  argv_text.push_back("-d");
  argv_text.push_back(conn->conninfo);
  std::vector<char*> argv, envp;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, errors.fd(), 2);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, path.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    if (rc == ENOENT) {
      return MakeError(ErrorCode::kUnsupported,
                       fmt::format("{}: {} is not installed (apt-get install "
                                   "postgresql-client-15)",
                                   what, tool));
    }
    return MakeError(ErrorCode::kIo,
                     fmt::format("{}: cannot start {}: {}", what, tool, std::strerror(rc)));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Ok();
  auto text = ReadFile(errors.path());
  const std::string said = text ? LastLines(*text, 3) : "";
  const std::string how = WIFEXITED(status)
                              ? fmt::format("exited with status {}", WEXITSTATUS(status))
                              : fmt::format("was stopped by signal {}", WTERMSIG(status));
  return MakeError(ErrorCode::kCatalog,
                   fmt::format("PostgreSQL server {}: {}: {} {}{}{}", server, what, tool, how,
                               said.empty() ? "" : ": ", said));
}

}  // namespace

Result<CatalogDump> DumpCatalog(const std::string& url, const fs::path& file) {
  auto db = Database::Connect(url, PoolOptions{.pool_size = 1});
  if (!db) return std::unexpected(db.error());
  const std::string what = "dumping the catalog to " + file.string();
  // READ COMMITTED opens the transaction; it is made REPEATABLE READ
  // before its first query, so the exported snapshot is the one every
  // later statement here reads.
  return (*db)->Transact(what, Isolation::kReadCommitted, [&](Tx& tx) -> Result<CatalogDump> {
    tx.Run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const std::string snapshot = tx.Run("SELECT pg_export_snapshot()")[0][0].c_str();
    std::error_code ec;
    fs::remove(file, ec);
    if (auto s = RunTool("pg_dump",
                         {"--format=custom", "--no-owner", "--no-privileges",
                          "--snapshot=" + snapshot, "--file=" + file.string()},
                         url, what);
        !s) {
      return std::unexpected(s.error());
    }
    CatalogDump dump;
    dump.schema_version =
        tx.Run("SELECT coalesce(max(version), 0) FROM schema_version")[0][0].as<int>();
    for (const auto& row : tx.Run("SELECT id, status, pdf_sha256 FROM documents ORDER BY id")) {
      dump.documents.push_back(
          {DisplayId(row[0].as<std::int64_t>()), row[1].c_str(), row[2].c_str()});
    }
    return dump;
  });
}

Status RestoreCatalog(const fs::path& file, const std::string& url) {
  {
    // Refused before anything is written, as `dossier init --catalog` is.
    auto db = Database::Connect(url, PoolOptions{.pool_size = 1});
    if (!db) return std::unexpected(db.error());
    auto holds = (*db)->Transact("looking for a catalog", [](Tx& tx) -> Result<bool> {
      return tx.Run("SELECT to_regclass('schema_version') IS NOT NULL")[0][0].as<bool>();
    });
    if (!holds) return std::unexpected(holds.error());
    if (*holds) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("PostgreSQL server {}: the database holds a catalog "
                                   "already; restore into an empty database",
                                   ServerName(url)));
    }
  }
  return RunTool("pg_restore",
                 {"--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
                  file.string()},
                 url, "restoring the catalog from " + file.string());
}

Result<std::set<std::string>> NamedFiles(const std::string& url) {
  auto db = Database::Connect(url, PoolOptions{.pool_size = 1});
  if (!db) return std::unexpected(db.error());
  return (*db)->Transact("listing the files documents name",
                         [](Tx& tx) -> Result<std::set<std::string>> {
                           std::set<std::string> named;
                           for (const auto& row : tx.Run(
                                    "SELECT pdf_sha256 FROM documents WHERE status <> "
                                    "'destroyed' UNION SELECT f.sha256 FROM document_files f "
                                    "JOIN documents d ON d.id = f.document_id WHERE d.status "
                                    "<> 'destroyed'")) {
                             named.insert(row[0].c_str());
                           }
                           return named;
                         });
}

Result<ScratchDatabase> CreateScratchDatabase(const std::string& server_url) {
  std::random_device rd;
  ScratchDatabase scratch;
  scratch.server_url = server_url;
  scratch.name = fmt::format("dossier_check_{:08x}{:08x}", rd(), rd());
  auto url = WithDatabase(server_url, scratch.name);
  if (!url) return std::unexpected(url.error());
  scratch.url = *url;
  if (auto s = CreateDatabase(server_url, scratch.name); !s) return std::unexpected(s.error());
  return scratch;
}

Status DropScratchDatabase(const ScratchDatabase& scratch) {
  return DropDatabase(scratch.server_url, scratch.name);
}

}  // namespace dossier::storage::postgres
