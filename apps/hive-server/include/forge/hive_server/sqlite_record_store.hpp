// forge::hive_server::sqlite_record_store: the SQLite (WAL, one file) record_store.
#pragma once

#include <forge/hive_server/storage.hpp>

#include <filesystem>
#include <memory>

namespace forge::hive_server {

// sqlite_record_store
//
// record_store over one SQLite file in WAL mode. A commit is acknowledged once it is in the WAL
// file: with sync_commits = false (synchronous=NORMAL) it survives a kill -9 of the process but
// not a power loss or kernel crash; with sync_commits = true (synchronous=FULL) each group commit
// also waits for fsync, surviving those too at a few ms per commit. One writer thread owns the
// write connection and commits everything pending in one transaction (group commit), then runs the
// callbacks; reads use a small pool of read-only connections. The constructor creates the file and
// schema when missing and throws std::runtime_error naming the path when the database cannot be
// opened. The destructor calls close().
class sqlite_record_store final : public record_store {
public:
    explicit sqlite_record_store(const std::filesystem::path& path, bool sync_commits = false);
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
    bool writable() override;
    void close() override;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace forge::hive_server
