// forge::hive_server::sqlite_record_store: the SQLite (WAL, one file) record_store.
#pragma once

#include <forge/hive_server/storage.hpp>

#include <chrono>
#include <filesystem>
#include <memory>

namespace forge::hive_server {

// sqlite_record_store
//
// record_store over one SQLite file in WAL mode. A commit is acknowledged once it is in the WAL
// file: with sync_commits = false (synchronous=NORMAL) it survives a kill -9 of the process but
// not a power loss or kernel crash; with sync_commits = true (synchronous=FULL) each group commit
// also waits for fsync, surviving those too at a few ms per commit. One writer thread owns the
// write connection and commits everything pending in one transaction (group commit); when the
// previous group held several jobs it first waits up to 1 ms for as many to queue (a lone client
// never waits). Callbacks run in order on one finisher thread, so building responses overlaps the
// next commit. Reads use a small pool of read-only connections. Threads: writer and finisher.
//
// Faults that can pass (SQLITE_FULL, SQLITE_BUSY/LOCKED after busy_timeout, SQLITE_IOERR,
// SQLITE_READONLY, SQLITE_CANTOPEN) fail the whole group transaction as retryable and mark the
// store not writable; the writer then reopens its connection and probes with a one-page write
// every retry_interval (and before the next write) until one commits. Only committed records
// are counted.
//
// The constructor creates the file and schema when missing. It throws std::runtime_error naming
// the path when the file cannot be opened at all, or when its schema is newer than this code; when
// the file opens but cannot be written (locked, full, read-only), it returns a store that is not
// writable and keeps retrying as above. The destructor calls close().
class sqlite_record_store final : public record_store {
public:
    // busy_timeout: how long a write or a read waits for a lock held by another connection before
    // failing as retryable (SQLite's busy handler sleeps meanwhile, blocking the calling thread);
    // a read that fails so throws storage_unavailable.
    // retry_interval: how often the writer probes while the store is not writable.
    explicit sqlite_record_store(
        const std::filesystem::path& path,
        bool sync_commits = false,
        std::chrono::milliseconds busy_timeout = std::chrono::seconds(1),
        std::chrono::milliseconds retry_interval = std::chrono::seconds(1));
    ~sqlite_record_store() override;

    void register_project(const project_info& project) override;
    std::vector<project_info> load_projects() override;
    void ingest_async(std::vector<ingest_item> items, ingest_callback done) override;
    std::optional<stored_log> get_log(std::string_view task_name, std::string_view uuid) override;
    void set_quality_async(std::string task_name,
                           std::string uuid,
                           quality_info quality,
                           quality_callback done) override;
    std::int64_t record_count() override;
    storage_health health() override;
    void close() override;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace forge::hive_server
