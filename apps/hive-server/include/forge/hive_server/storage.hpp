// forge::hive_server::record_store: the storage interface behind the local hive server.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace forge::hive_server {

// task_info: one registered task, identified by its forge.json uuid.
struct task_info {
    std::string uuid;
    std::string name;

    friend bool operator==(const task_info&, const task_info&) = default;
};

// project_info: one registered project and its tasks, in forge.json order.
struct project_info {
    std::string uuid;
    std::string name;
    std::string description;
    std::vector<task_info> tasks;

    friend bool operator==(const project_info&, const project_info&) = default;
};

// quality_info: the quality a caller set on a stored log (docs/hive-api.md §5.6).
struct quality_info {
    double score = 0;
    std::optional<std::string> reason;
    std::optional<std::string> suggestions;
    std::int64_t updated_at_ms = 0;

    friend bool operator==(const quality_info&, const quality_info&) = default;
};

// ingest_item: one validated record ready to store. `record_json` is the record text exactly as
// it will be stored; the other members are the indexed columns derived from it.
struct ingest_item {
    std::string project_uuid;
    std::string task_uuid;
    std::string uuid;
    std::string task_name;
    std::string type;
    std::optional<std::string> replay_from;
    std::int64_t run_time_ms = 0;
    std::int64_t created_at_ms = 0;
    std::string record_json;
};

// stored_log: a record as held by the store, with its quality once set.
struct stored_log {
    std::string project_uuid;
    std::string task_uuid;
    std::string uuid;
    std::string task_name;
    std::string type;
    std::optional<std::string> replay_from;
    std::int64_t created_at_ms = 0;
    std::string record_json;
    std::optional<quality_info> quality;
};

// ingest_outcome: what storing one item did: created a new log, or found the stored one (whose
// entry is returned unchanged).
struct ingest_outcome {
    bool created = false;
    stored_log log;
};

// ingest_result: the outcome of one ingest call. `error` is empty on success; otherwise nothing
// of the call was committed and `outcomes` is empty. `retryable` is true when the failure can pass
// (disk full, database busy or locked, I/O error, storage not writable yet): the same call may
// succeed later.
struct ingest_result {
    std::string error;
    std::vector<ingest_outcome> outcomes;
    bool retryable = false;
};

// quality_result: the outcome of set_quality. `error` is empty on success; `found` is false when
// no stored log matched; `retryable` as in ingest_result.
struct quality_result {
    std::string error;
    bool found = false;
    bool retryable = false;
};

// storage_health: whether the store can write now; `reason` says why not (empty when writable).
struct storage_health {
    bool writable = true;
    std::string reason;

    friend bool operator==(const storage_health&, const storage_health&) = default;
};

// storage_unavailable: thrown by a blocking write that failed for a reason that can pass (see
// ingest_result::retryable).
struct storage_unavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// record_store
//
// Durable storage for projects, tasks, records and qualities. Implementations are thread-safe:
// every member may be called from any thread concurrently. Writes are asynchronous: their
// callback runs (on an implementation thread) only after the write is committed durably, or
// failed; callbacks must not block. Reads are synchronous. Ingest is idempotent on
// (project_uuid, task_uuid, uuid): storing an existing key changes nothing and reports the
// stored entry. SQLite is the one implementation (sqlite_record_store); the interface is kept
// free of SQL so a server backend can implement it too.
class record_store {
public:
    using ingest_callback = std::function<void(ingest_result)>;
    using quality_callback = std::function<void(quality_result)>;

    record_store() = default;
    record_store(const record_store&) = delete;
    record_store& operator=(const record_store&) = delete;
    virtual ~record_store() = default;

    // register_project: inserts or replaces a project and its task list. Blocks until committed.
    // Throws storage_unavailable when the write failed for a reason that can pass, and
    // std::runtime_error for any other failure.
    virtual void register_project(const project_info& project) = 0;

    // load_projects: every registered project with its tasks. Throws storage_unavailable when the
    // database cannot be read for a reason that can pass (e.g. a full disk right after a crash,
    // when recovery must write), std::runtime_error for other failures.
    virtual std::vector<project_info> load_projects() = 0;

    // ingest_async: stores items in one transaction, then calls done with one outcome per item
    // (in order). Items repeating a key within the call are stored once.
    virtual void ingest_async(std::vector<ingest_item> items, ingest_callback done) = 0;

    // get_log: the first stored log (in ingest order) whose task name and uuid match, or nullopt.
    // Throws storage_unavailable when the storage cannot be read for a reason that can pass.
    virtual std::optional<stored_log> get_log(std::string_view task_name,
                                              std::string_view uuid) = 0;

    // set_quality_async: replaces the quality of every stored log matching task name and uuid.
    virtual void set_quality_async(std::string task_name,
                                   std::string uuid,
                                   quality_info quality,
                                   quality_callback done) = 0;

    // record_count: how many records are committed. Cheap (no scan).
    virtual std::int64_t record_count() = 0;

    // health: not writable once a write has failed for a reason that can pass (or the store could
    // not prepare its database) and none has succeeded since; the reason names the failure.
    // Cheap (no I/O); thread-safe.
    virtual storage_health health() = 0;

    // writable: health().writable.
    bool writable() { return health().writable; }

    // close: finishes pending writes (their callbacks run), then refuses new ones. Idempotent.
    virtual void close() = 0;

    // ingest: ingest_async, waiting for the result. Blocks until the commit.
    ingest_result ingest(std::vector<ingest_item> items);

    // set_quality: set_quality_async, waiting for the result.
    quality_result set_quality(std::string task_name, std::string uuid, quality_info quality);
};

}  // namespace forge::hive_server
