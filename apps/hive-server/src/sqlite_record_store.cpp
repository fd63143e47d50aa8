#include <forge/hive_server/sqlite_record_store.hpp>

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
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
// gather_window: how long the writer waits for a group to fill up to the size of the previous one
// (an estimate of how many requests are in flight) before committing what it has. A lone client
// (previous group of one job) never waits.
constexpr std::chrono::microseconds gather_window{1000};

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

// sqlite_error: a failed SQLite call with its extended result code.
struct sqlite_error : std::runtime_error {
    sqlite_error(int c, const std::string& what) : std::runtime_error(what), code(c) {}
    int code;
};

// can_pass: whether a failure with this result code may succeed when retried later.
bool can_pass(int code) {
    switch (code & 0xff) {
        case SQLITE_FULL:
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
            return true;
        default:
            return false;
    }
}

[[noreturn]] void throw_sqlite(sqlite3* db, std::string_view what) {
    if (!db) throw sqlite_error(SQLITE_NOMEM, fmt::format("{}: out of memory", what));
    throw sqlite_error(sqlite3_extended_errcode(db),
                       fmt::format("{}: {}", what, sqlite3_errmsg(db)));
}

void exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message); rc != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        throw sqlite_error(sqlite3_extended_errcode(db),
                           fmt::format("sqlite: {} (in: {:.60})", text, sql));
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

sqlite3* open_db(const std::filesystem::path& path,
                 bool read_only,
                 std::chrono::milliseconds busy_timeout) {
    sqlite3* db = nullptr;
    int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX;
    if (int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr); rc != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        int code = db ? sqlite3_extended_errcode(db) : rc;
        sqlite3_close(db);
        throw sqlite_error(code,
                           fmt::format("cannot open database {}: {}", path.string(), message));
    }
    sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
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

// write_failure: why a write job did not commit; empty error = committed.
struct write_failure {
    std::string error;
    bool retryable = false;
};

// write_job: work for the writer thread. apply runs inside the group transaction and returns how
// many records it created; it may throw to roll back its own part (a fault that can pass rolls
// back the whole group instead). finish runs after the commit or the rollback.
struct write_job {
    std::function<std::int64_t(sqlite3*)> apply;
    std::function<void(const write_failure&)> finish;
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
    bool sync_commits;
    std::chrono::milliseconds busy_timeout;
    std::chrono::milliseconds retry_interval;

    // Owned by the writer thread once it runs (by the constructor before).
    std::unique_ptr<db_handle> writer;
    std::unique_ptr<statement> insert_record, select_existing, find_ids, upsert_quality;
    std::unique_ptr<statement> savepoint, release_savepoint, rollback_savepoint;
    bool prepared = false;
    std::size_t last_group = 0;

    std::mutex mutex;
    std::condition_variable wake;
    std::deque<write_job> queue;
    bool closing = false;
    std::string fault;  // guarded by mutex; empty when writable
    std::thread thread;

    // Callbacks run on their own thread, so building responses overlaps the next group commit.
    std::mutex done_mutex;
    std::condition_variable done_wake;
    std::vector<std::pair<write_job, write_failure>> done_queue;
    bool writer_finished = false;
    std::thread finisher;

    std::mutex readers_mutex;
    std::vector<std::unique_ptr<db_handle>> readers;

    std::atomic<std::int64_t> count{0};

    impl(const std::filesystem::path& p,
         bool sync,
         std::chrono::milliseconds busy,
         std::chrono::milliseconds retry)
        : path(p), sync_commits(sync), busy_timeout(busy), retry_interval(retry) {
        writer = std::make_unique<db_handle>(open_db(path, false, busy_timeout));
        try {
            prepare();
        } catch (const sqlite_error& e) {
            if (!can_pass(e.code)) throw;
            drop_writer();
            set_fault(e.what());
            count_committed();
        }
        finisher = std::thread([this] { run_finisher(); });
        thread = std::thread([this] { run_writer(); });
    }

    // prepare: (re)opens the write connection when needed, sets it up, creates the schema and
    // the statements and reads the committed count. Throws sqlite_error, or std::runtime_error
    // for a schema newer than this code.
    void prepare() {
        if (!writer) writer = std::make_unique<db_handle>(open_db(path, false, busy_timeout));
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
        savepoint = std::make_unique<statement>(db, "SAVEPOINT job");
        release_savepoint = std::make_unique<statement>(db, "RELEASE job");
        rollback_savepoint = std::make_unique<statement>(db, "ROLLBACK TO job");
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
        prepared = true;
        set_fault({});
    }

    // count_committed: reads the committed record count on a read connection, so /healthz is
    // right while the writer cannot prepare; leaves the count unchanged when reading fails too.
    void count_committed() {
        try {
            auto reader = take_reader();
            statement c(reader->db, "SELECT count(*) FROM records");
            if (c.step()) count = c.int64(0);
        } catch (const std::exception&) {
            // Not even readable (no schema yet, or no access): the count stays 0 until prepared.
        }
    }

    // drop_writer: forgets the write connection after a fault, so the next attempt reopens it
    // (a file made writable again is only seen by a new connection).
    void drop_writer() {
        prepared = false;
        insert_record.reset();
        select_existing.reset();
        find_ids.reset();
        upsert_quality.reset();
        savepoint.reset();
        release_savepoint.reset();
        rollback_savepoint.reset();
        writer.reset();
    }

    void set_fault(std::string reason) {
        std::lock_guard lock(mutex);
        fault = std::move(reason);
    }

    storage_health health() {
        std::lock_guard lock(mutex);
        return storage_health{fault.empty(), fault};
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
        job.finish(write_failure{"storage is closed", true});
    }

    void run_writer() {
        std::deque<write_job> batch;
        for (;;) {
            {
                std::unique_lock lock(mutex);
                auto ready = [&] { return closing || !queue.empty(); };
                if (fault.empty()) {
                    wake.wait(lock, ready);
                } else {
                    wake.wait_for(lock, retry_interval, ready);
                }
                if (closing && queue.empty()) return;
                if (fault.empty() && last_group > 1 && queue.size() < last_group) {
                    wake.wait_for(lock, gather_window,
                                  [&] { return closing || queue.size() >= last_group; });
                }
                batch.swap(queue);
                last_group = batch.size();
            }
            if (!prepared && !recover()) {
                fail_all(batch, write_failure{health().reason, true});
            } else if (batch.empty()) {
                probe();
            } else {
                commit_batch(batch);
            }
            batch.clear();
        }
    }

    // recover: prepares the write connection again; false (fault kept) when it cannot yet.
    bool recover() {
        try {
            prepare();
            return true;
        } catch (const std::exception& e) {
            drop_writer();
            set_fault(e.what());
            return false;
        }
    }

    // probe: one real page write (the schema version, rewritten), proving that commits work.
    void probe() {
        sqlite3* db = writer->db;
        try {
            exec(db, "BEGIN IMMEDIATE");
            exec(db, fmt::format("PRAGMA user_version={}", schema_version).c_str());
            exec(db, "COMMIT");
            set_fault({});
        } catch (const std::exception& e) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            drop_writer();
            set_fault(e.what());
        }
    }

    void fail_all(std::deque<write_job>& batch, const write_failure& failure) {
        std::vector<write_failure> failures(batch.size(), failure);
        hand_over(batch, failures);
    }

    // hand_over: queues the callbacks of a finished group for the finisher thread, in order.
    void hand_over(std::deque<write_job>& batch, std::vector<write_failure>& failures) {
        std::lock_guard lock(done_mutex);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            done_queue.emplace_back(std::move(batch[i]), std::move(failures[i]));
        }
        done_wake.notify_one();
    }

    void run_finisher() {
        std::vector<std::pair<write_job, write_failure>> ready;
        for (;;) {
            {
                std::unique_lock lock(done_mutex);
                done_wake.wait(lock, [&] { return writer_finished || !done_queue.empty(); });
                if (done_queue.empty()) return;
                ready.swap(done_queue);
            }
            for (auto& [job, failure] : ready) {
                try {
                    job.finish(failure);
                } catch (...) {
                    // A callback that throws must not stop the finisher; the contract forbids it.
                }
            }
            ready.clear();
        }
    }

    void commit_batch(std::deque<write_job>& batch) {
        sqlite3* db = writer->db;
        std::vector<write_failure> failures(batch.size());
        std::int64_t created = 0;
        write_failure group;
        try {
            exec(db, "BEGIN IMMEDIATE");
            for (std::size_t i = 0; i < batch.size(); ++i) {
                savepoint->run();
                try {
                    created += batch[i].apply(db);
                    release_savepoint->run();
                } catch (const sqlite_error& e) {
                    if (can_pass(e.code)) throw;
                    failures[i].error = e.what();
                    rollback_savepoint->run();
                    release_savepoint->run();
                } catch (const std::exception& e) {
                    failures[i].error = e.what();
                    rollback_savepoint->run();
                    release_savepoint->run();
                }
            }
            exec(db, "COMMIT");
        } catch (const sqlite_error& e) {
            group = write_failure{e.what(), can_pass(e.code)};
        } catch (const std::exception& e) {
            group = write_failure{e.what(), false};
        }
        if (group.error.empty()) {
            count += created;
            set_fault({});
        } else {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            if (group.retryable) {
                drop_writer();
                set_fault(group.error);
            }
        }
        if (!group.error.empty()) std::fill(failures.begin(), failures.end(), group);
        hand_over(batch, failures);
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
        return std::make_unique<db_handle>(open_db(path, true, busy_timeout));
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
        {
            std::lock_guard lock(done_mutex);
            writer_finished = true;
            done_wake.notify_one();
        }
        if (finisher.joinable()) finisher.join();
    }
};

sqlite_record_store::sqlite_record_store(const std::filesystem::path& path,
                                         bool sync_commits,
                                         std::chrono::milliseconds busy_timeout,
                                         std::chrono::milliseconds retry_interval)
    : impl_(std::make_unique<impl>(path, sync_commits, busy_timeout, retry_interval)) {}

sqlite_record_store::~sqlite_record_store() { close(); }

void sqlite_record_store::close() { impl_->close(); }

void sqlite_record_store::register_project(const project_info& project) {
    std::promise<write_failure> done;
    auto result = done.get_future();
    impl_->submit(write_job{
        [&project](sqlite3* db) -> std::int64_t {
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
            return 0;
        },
        [&done](const write_failure& failure) { done.set_value(failure); }});
    auto failure = result.get();
    if (failure.error.empty()) return;
    auto message = fmt::format("cannot register project {}: {}", project.uuid, failure.error);
    if (failure.retryable) throw storage_unavailable(message);
    throw std::runtime_error(message);
}

std::vector<project_info> sqlite_record_store::load_projects() try {
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
} catch (const sqlite_error& e) {
    if (can_pass(e.code)) throw storage_unavailable(e.what());
    throw;
}

void sqlite_record_store::ingest_async(std::vector<ingest_item> items, ingest_callback done) {
    auto state = std::make_shared<std::pair<std::vector<ingest_item>, std::vector<ingest_outcome>>>(
        std::move(items), std::vector<ingest_outcome>{});
    impl* self = impl_.get();
    impl_->submit(write_job{
        [self, state](sqlite3* db) -> std::int64_t {
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
            return created;
        },
        [state, done = std::move(done)](const write_failure& failure) {
            if (!failure.error.empty()) {
                done(ingest_result{failure.error, {}, failure.retryable});
            } else {
                done(ingest_result{{}, std::move(state->second), false});
            }
        }});
}

std::optional<stored_log> sqlite_record_store::get_log(std::string_view task_name,
                                                       std::string_view uuid) try {
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
} catch (const sqlite_error& e) {
    if (can_pass(e.code)) throw storage_unavailable(e.what());
    throw;
}

void sqlite_record_store::set_quality_async(std::string task_name,
                                            std::string uuid,
                                            quality_info quality,
                                            quality_callback done) {
    auto found = std::make_shared<bool>(false);
    impl* self = impl_.get();
    impl_->submit(write_job{
        [self, found, task_name = std::move(task_name), uuid = std::move(uuid),
         quality = std::move(quality)](sqlite3*) -> std::int64_t {
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
            return 0;
        },
        [found, done = std::move(done)](const write_failure& failure) {
            done(quality_result{failure.error, failure.error.empty() && *found, failure.retryable});
        }});
}

std::int64_t sqlite_record_store::record_count() { return impl_->count.load(); }

storage_health sqlite_record_store::health() { return impl_->health(); }

}  // namespace forge::hive_server
