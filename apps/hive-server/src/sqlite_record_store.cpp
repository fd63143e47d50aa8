#include <forge/hive_server/sqlite_record_store.hpp>

#include <fmt/format.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

namespace forge::hive_server {
namespace {

constexpr int schema_version = 1;
constexpr std::size_t reader_pool_size = 4;

const char* const schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS projects(
  uuid TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS tasks(
  project_uuid TEXT NOT NULL REFERENCES projects(uuid) ON DELETE CASCADE,
  uuid TEXT NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY(project_uuid, uuid)
);
CREATE TABLE IF NOT EXISTS records(
  id INTEGER PRIMARY KEY,
  project_uuid TEXT NOT NULL,
  task_uuid TEXT NOT NULL,
  uuid TEXT NOT NULL,
  task_name TEXT NOT NULL,
  type TEXT NOT NULL,
  run_time_ms INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  replay_from TEXT,
  record TEXT NOT NULL,
  UNIQUE(project_uuid, task_uuid, uuid)
);
CREATE INDEX IF NOT EXISTS records_by_task_uuid ON records(task_name, uuid);
CREATE INDEX IF NOT EXISTS records_by_task_run_time ON records(task_name, run_time_ms);
CREATE TABLE IF NOT EXISTS quality(
  record_id INTEGER PRIMARY KEY REFERENCES records(id),
  score REAL NOT NULL,
  reason TEXT,
  suggestions TEXT,
  updated_at_ms INTEGER NOT NULL
);
)sql";

[[noreturn]] void throw_sqlite(sqlite3* db, std::string_view what) {
    throw std::runtime_error(
        fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory"));
}

void exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        throw std::runtime_error(fmt::format("sqlite: {} (in: {:.60})", text, sql));
    }
}

// statement: an owned prepared statement, reset after each use.
class statement {
public:
    statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
            SQLITE_OK) {
            throw_sqlite(db, "sqlite prepare");
        }
    }
    ~statement() { sqlite3_finalize(stmt_); }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    statement& reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        return *this;
    }
    void bind(int i, std::string_view text) {
        check(
            sqlite3_bind_text64(stmt_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    void bind_optional(int i, const std::optional<std::string>& text) {
        if (text) {
            bind(i, std::string_view(*text));
        } else {
            check(sqlite3_bind_null(stmt_, i));
        }
    }
    void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(stmt_, i, v)); }
    void bind(int i, double v) { check(sqlite3_bind_double(stmt_, i, v)); }

    // step: true when a row is available, false when done; throws on error.
    bool step() {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw_sqlite(db_, "sqlite step");
    }
    void run() {
        step();
        sqlite3_reset(stmt_);
    }

    std::string text(int col) const {
        auto p = sqlite3_column_text(stmt_, col);
        auto n = sqlite3_column_bytes(stmt_, col);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
                 : std::string();
    }
    std::optional<std::string> optional_text(int col) const {
        if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
        return text(col);
    }
    bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
    double real(int col) const { return sqlite3_column_double(stmt_, col); }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) throw_sqlite(db_, "sqlite bind");
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

sqlite3* open_db(const std::filesystem::path& path, bool read_only) {
    sqlite3* db = nullptr;
    int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw std::runtime_error(
            fmt::format("cannot open database {}: {}", path.string(), message));
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_extended_result_codes(db, 1);
    return db;
}

struct db_handle {
    sqlite3* db = nullptr;
    explicit db_handle(sqlite3* d) : db(d) {}
    ~db_handle() { sqlite3_close_v2(db); }
    db_handle(const db_handle&) = delete;
    db_handle& operator=(const db_handle&) = delete;
};

// write_job: work for the writer thread. apply runs inside the group transaction (and may throw
// to roll back its own part); finish runs after the commit with an empty error, or with the error.
struct write_job {
    std::function<void(sqlite3*)> apply;
    std::function<void(const std::string& error)> finish;
};

const char* const select_log_columns =
    "SELECT r.project_uuid, r.task_uuid, r.uuid, r.task_name, r.type, r.replay_from, "
    "r.created_at_ms, r.record, q.score, q.reason, q.suggestions, q.updated_at_ms "
    "FROM records r LEFT JOIN quality q ON q.record_id = r.id ";

stored_log read_log_row(const statement& s) {
    stored_log log;
    log.project_uuid = s.text(0);
    log.task_uuid = s.text(1);
    log.uuid = s.text(2);
    log.task_name = s.text(3);
    log.type = s.text(4);
    log.replay_from = s.optional_text(5);
    log.created_at_ms = s.int64(6);
    log.record_json = s.text(7);
    if (!s.is_null(8)) {
        log.quality = quality_info{s.real(8), s.optional_text(9), s.optional_text(10), s.int64(11)};
    }
    return log;
}

}  // namespace

struct sqlite_record_store::impl {
    std::filesystem::path path;
    std::unique_ptr<db_handle> writer;
    std::unique_ptr<statement> insert_record, select_existing, find_ids, upsert_quality;

    std::mutex mutex;
    std::condition_variable wake;
    std::deque<write_job> queue;
    bool closing = false;
    std::thread thread;

    std::mutex readers_mutex;
    std::vector<std::unique_ptr<db_handle>> readers;

    std::atomic<std::int64_t> count{0};
    std::atomic<bool> healthy{true};

    impl(const std::filesystem::path& p, bool sync_commits) : path(p) {
        writer = std::make_unique<db_handle>(open_db(path, false));
        sqlite3* db = writer->db;
        exec(db, "PRAGMA journal_mode=WAL");
        exec(db, sync_commits ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        exec(db, "PRAGMA foreign_keys=ON");
        {
            statement version(db, "PRAGMA user_version");
            version.step();
            auto v = version.int64(0);
            if (v > schema_version) {
                throw std::runtime_error(
                    fmt::format("database {} has schema version {}, newer than this server's {}",
                                path.string(), v, schema_version));
            }
        }
        exec(db, "BEGIN IMMEDIATE");
        try {
            exec(db, schema_sql);
            exec(db, fmt::format("PRAGMA user_version={}", schema_version).c_str());
            exec(db, "COMMIT");
        } catch (...) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
        insert_record = std::make_unique<statement>(
            db,
            "INSERT INTO records(project_uuid, task_uuid, uuid, task_name, type, run_time_ms, "
            "created_at_ms, replay_from, record) VALUES(?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(project_uuid, task_uuid, uuid) DO NOTHING");
        select_existing = std::make_unique<statement>(
            db, fmt::format("{} WHERE r.project_uuid=? AND r.task_uuid=? AND r.uuid=?",
                            select_log_columns)
                    .c_str());
        find_ids =
            std::make_unique<statement>(db, "SELECT id FROM records WHERE task_name=? AND uuid=?");
        upsert_quality = std::make_unique<statement>(
            db,
            "INSERT INTO quality(record_id, score, reason, suggestions, updated_at_ms) "
            "VALUES(?,?,?,?,?) "
            "ON CONFLICT(record_id) DO UPDATE SET score=excluded.score, reason=excluded.reason, "
            "suggestions=excluded.suggestions, updated_at_ms=excluded.updated_at_ms");
        {
            statement c(db, "SELECT count(*) FROM records");
            c.step();
            count = c.int64(0);
        }
        thread = std::thread([this] { run_writer(); });
    }

    void submit(write_job job) {
        {
            std::lock_guard lock(mutex);
            if (!closing) {
                queue.push_back(std::move(job));
                wake.notify_one();
                return;
            }
        }
        job.finish("storage is closed");
    }

    void run_writer() {
        std::deque<write_job> batch;
        for (;;) {
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [&] { return closing || !queue.empty(); });
                if (queue.empty()) return;
                batch.swap(queue);
            }
            commit_batch(batch);
            batch.clear();
        }
    }

    void commit_batch(std::deque<write_job>& batch) {
        sqlite3* db = writer->db;
        std::vector<std::string> errors(batch.size());
        std::string failure;
        try {
            exec(db, "BEGIN IMMEDIATE");
            for (std::size_t i = 0; i < batch.size(); ++i) {
                exec(db, "SAVEPOINT job");
                try {
                    batch[i].apply(db);
                    exec(db, "RELEASE job");
                } catch (const std::exception& e) {
                    errors[i] = e.what();
                    exec(db, "ROLLBACK TO job");
                    exec(db, "RELEASE job");
                }
            }
            exec(db, "COMMIT");
        } catch (const std::exception& e) {
            failure = e.what();
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        healthy = failure.empty();
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const std::string& error = failure.empty() ? errors[i] : failure;
            try {
                batch[i].finish(error);
            } catch (...) {
                // A callback that throws must not stop the writer; the contract forbids it.
            }
        }
    }

    std::unique_ptr<db_handle> take_reader() {
        {
            std::lock_guard lock(readers_mutex);
            if (!readers.empty()) {
                auto r = std::move(readers.back());
                readers.pop_back();
                return r;
            }
        }
        return std::make_unique<db_handle>(open_db(path, true));
    }

    void give_back(std::unique_ptr<db_handle> reader) {
        std::lock_guard lock(readers_mutex);
        if (readers.size() < reader_pool_size) readers.push_back(std::move(reader));
    }

    void close() {
        {
            std::lock_guard lock(mutex);
            if (closing) return;
            closing = true;
            wake.notify_one();
        }
        if (thread.joinable()) thread.join();
    }
};

sqlite_record_store::sqlite_record_store(const std::filesystem::path& path, bool sync_commits)
    : impl_(std::make_unique<impl>(path, sync_commits)) {}

sqlite_record_store::~sqlite_record_store() { close(); }

void sqlite_record_store::close() { impl_->close(); }

void sqlite_record_store::register_project(const project_info& project) {
    std::promise<std::string> done;
    auto result = done.get_future();
    impl_->submit(write_job{
        [&project](sqlite3* db) {
            statement p(
                db,
                "INSERT INTO projects(uuid, name, description) VALUES(?,?,?) ON CONFLICT(uuid) "
                "DO UPDATE SET name=excluded.name, description=excluded.description");
            p.bind(1, project.uuid);
            p.bind(2, project.name);
            p.bind(3, project.description);
            p.run();
            statement d(db, "DELETE FROM tasks WHERE project_uuid=?");
            d.bind(1, project.uuid);
            d.run();
            statement t(
                db,
                "INSERT OR REPLACE INTO tasks(project_uuid, uuid, name, position) VALUES(?,?,?,?)");
            std::int64_t position = 0;
            for (const auto& task : project.tasks) {
                t.reset();
                t.bind(1, project.uuid);
                t.bind(2, task.uuid);
                t.bind(3, task.name);
                t.bind(4, position++);
                t.run();
            }
        },
        [&done](const std::string& error) { done.set_value(error); }});
    auto error = result.get();
    if (!error.empty()) {
        throw std::runtime_error(
            fmt::format("cannot register project {}: {}", project.uuid, error));
    }
}

std::vector<project_info> sqlite_record_store::load_projects() {
    auto reader = impl_->take_reader();
    std::vector<project_info> projects;
    {
        statement p(reader->db, "SELECT uuid, name, description FROM projects ORDER BY rowid");
        while (p.step()) projects.push_back(project_info{p.text(0), p.text(1), p.text(2), {}});
        statement t(reader->db,
                    "SELECT uuid, name FROM tasks WHERE project_uuid=? ORDER BY position");
        for (auto& project : projects) {
            t.reset();
            t.bind(1, project.uuid);
            while (t.step()) project.tasks.push_back(task_info{t.text(0), t.text(1)});
        }
    }
    impl_->give_back(std::move(reader));
    return projects;
}

void sqlite_record_store::ingest_async(std::vector<ingest_item> items, ingest_callback done) {
    auto state = std::make_shared<std::pair<std::vector<ingest_item>, std::vector<ingest_outcome>>>(
        std::move(items), std::vector<ingest_outcome>{});
    impl* self = impl_.get();
    impl_->submit(write_job{
        [self, state](sqlite3* db) {
            auto& [pending, outcomes] = *state;
            outcomes.clear();
            outcomes.reserve(pending.size());
            std::int64_t created = 0;
            for (auto& item : pending) {
                auto& ins = self->insert_record->reset();
                ins.bind(1, item.project_uuid);
                ins.bind(2, item.task_uuid);
                ins.bind(3, item.uuid);
                ins.bind(4, item.task_name);
                ins.bind(5, item.type);
                ins.bind(6, item.run_time_ms);
                ins.bind(7, item.created_at_ms);
                ins.bind_optional(8, item.replay_from);
                ins.bind(9, item.record_json);
                ins.run();
                if (sqlite3_changes(db) == 1) {
                    ++created;
                    outcomes.push_back(ingest_outcome{
                        true,
                        stored_log{std::move(item.project_uuid), std::move(item.task_uuid),
                                   std::move(item.uuid), std::move(item.task_name),
                                   std::move(item.type), std::move(item.replay_from),
                                   item.created_at_ms, std::move(item.record_json), std::nullopt}});
                    continue;
                }
                auto& sel = self->select_existing->reset();
                sel.bind(1, item.project_uuid);
                sel.bind(2, item.task_uuid);
                sel.bind(3, item.uuid);
                if (!sel.step()) throw std::runtime_error("record vanished during ingest");
                outcomes.push_back(ingest_outcome{false, read_log_row(sel)});
                sel.reset();
            }
            state->first.clear();
            self->count += created;
        },
        [state, done = std::move(done)](const std::string& error) {
            if (!error.empty()) {
                done(ingest_result{error, {}});
            } else {
                done(ingest_result{{}, std::move(state->second)});
            }
        }});
}

std::optional<stored_log> sqlite_record_store::get_log(std::string_view task_name,
                                                       std::string_view uuid) {
    auto reader = impl_->take_reader();
    std::optional<stored_log> found;
    {
        statement s(reader->db,
                    fmt::format("{} WHERE r.task_name=? AND r.uuid=? ORDER BY r.id LIMIT 1",
                                select_log_columns)
                        .c_str());
        s.bind(1, task_name);
        s.bind(2, uuid);
        if (s.step()) found = read_log_row(s);
    }
    impl_->give_back(std::move(reader));
    return found;
}

void sqlite_record_store::set_quality_async(std::string task_name,
                                            std::string uuid,
                                            quality_info quality,
                                            quality_callback done) {
    auto found = std::make_shared<bool>(false);
    impl* self = impl_.get();
    impl_->submit(write_job{[self, found, task_name = std::move(task_name), uuid = std::move(uuid),
                             quality = std::move(quality)](sqlite3*) {
                                std::vector<std::int64_t> ids;
                                auto& f = self->find_ids->reset();
                                f.bind(1, task_name);
                                f.bind(2, uuid);
                                while (f.step()) ids.push_back(f.int64(0));
                                f.reset();
                                *found = !ids.empty();
                                for (auto id : ids) {
                                    auto& q = self->upsert_quality->reset();
                                    q.bind(1, id);
                                    q.bind(2, quality.score);
                                    q.bind_optional(3, quality.reason);
                                    q.bind_optional(4, quality.suggestions);
                                    q.bind(5, quality.updated_at_ms);
                                    q.run();
                                }
                            },
                            [found, done = std::move(done)](const std::string& error) {
                                done(quality_result{error, error.empty() && *found});
                            }});
}

std::int64_t sqlite_record_store::record_count() { return impl_->count.load(); }

bool sqlite_record_store::writable() { return impl_->healthy.load(); }

}  // namespace forge::hive_server
