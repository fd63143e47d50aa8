// The hive server's routes and handlers, independent of the HTTP transport (docs/hive-api.md §5).
#pragma once

#include "rate_limiter.hpp"

#include <forge/hive_server/server.hpp>
#include <forge/hive_server/storage.hpp>
#include <forge/types/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace forge::hive_server::detail {

// api_request: the parts of an HTTP request the handlers read.
struct api_request {
    std::string method;
    std::string target;
    std::string authorization;
    std::string body;
};

// api_response: status and JSON body; retry_after > 0 adds a Retry-After header (seconds).
struct api_response {
    int status = 200;
    std::string body;
    long retry_after = 0;
};

// respond_fn: receives the response exactly once, on the calling thread or, for writes, on the
// storage writer thread after the commit. Must not block.
using respond_fn = std::function<void(api_response)>;

// api
//
// Routes a request, checks auth and rate limit, validates, and answers through respond. Keeps the
// registered projects in memory (loaded from the store at construction). Thread-safe: handle()
// may run on many threads at once. Never throws from handle(); unexpected failures answer 500.
class api {
public:
    api(const server_config& config, record_store& store);

    void handle(api_request request, respond_fn respond);

    // register_project: stores the project (blocking) and makes it visible to requests.
    void register_project(const project_info& project);

    void register_invokable(std::string project_uuid, std::string task_uuid, invokable fn);

private:
    struct project_entry {
        project_info info;
        std::unordered_map<std::string, std::string> task_names;
    };

    // prepared_item: one validated ingest request, or the status and error it fails with.
    struct prepared_item {
        int status = 0;
        std::string error;
        std::optional<std::string> uuid;
        ingest_item item;
    };

    void route(api_request& request, respond_fn& respond);
    prepared_item prepare_item(const json& body, std::int64_t now_ms) const;
    std::string project_name(const std::string& project_uuid) const;

    void me(respond_fn& respond);
    void ingest(const std::string& body, respond_fn& respond);
    void ingest_batch(const std::string& body, respond_fn& respond);
    void get_log(const std::string& task_name, const std::string& uuid, respond_fn& respond);
    void set_quality(const std::string& task_name,
                     const std::string& uuid,
                     const std::string& body,
                     respond_fn& respond);
    void get_project(const std::string& project_uuid, respond_fn& respond);
    void invoke(const std::string& project_uuid,
                const std::string& task_uuid,
                const std::string& body,
                respond_fn& respond);
    void healthz(respond_fn& respond);

    server_config config_;
    record_store& store_;
    rate_limiter limiter_;
    std::chrono::steady_clock::time_point started_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, project_entry> projects_;
    std::unordered_map<std::string, invokable> invokables_;
};

}  // namespace forge::hive_server::detail
