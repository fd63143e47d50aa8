// The hive server's routes and handlers, independent of the HTTP transport (docs/hive-api.md §5).
#pragma once

#include "body_budget.hpp"
#include "content_type.hpp"
#include "rate_limiter.hpp"
#include "route_table.hpp"

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
#include <utility>

namespace forge::hive_server::detail {

// api_request: the parts of an HTTP request the handlers read.
struct api_request {
    std::string method;
    std::string target;
    std::string authorization;
    std::string body;
};

// api_response: status, body and its content type; retry_after > 0 adds a Retry-After header
// (seconds).
struct api_response {
    int status = 200;
    std::string body;
    long retry_after = 0;
    content_type type = content_type::json;
};

// respond_fn: receives the response exactly once, on the calling thread or, for writes, on the
// storage writer thread after the commit. Must not block.
using respond_fn = std::function<void(api_response)>;

// api
//
// Routes a request through a table (method, path pattern, handler), checks auth and rate limit,
// validates, and answers through respond. Keeps the registered projects in memory (loaded from
// the store at construction). Thread-safe: every member may run on many threads at once.
class api {
public:
    using handler_fn = std::function<void(api&, const route_params&, api_request&, respond_fn&)>;

    // handler: a route's function, and whether its work is bounded by its body (parsing,
    // validation, a queued write), as opposed to running user code (invoke).
    struct handler {
        template <class F>
        handler(F fn, bool is_bounded = true) : run(std::move(fn)), bounded(is_bounded) {}
        handler_fn run;
        bool bounded;
    };

    // admission: what the request head decided: an early answer (400 bad target, 404 unknown
    // route, 401, 429), or the route to run once the body is read.
    struct admission {
        std::optional<api_response> answer;
        const route_table<handler>::route* route = nullptr;
        route_params params;
    };

    // budget: the server's body budget, also charged for parsed values (none when null).
    api(const server_config& config, record_store& store, body_budget* budget = nullptr);

    // admit: checks method, target and authorization of `head` (its body is not looked at), in
    // the order of docs/hive-api.md §3: target, /healthz, /api prefix, credentials, rate limit
    // (takes one token), route. Cheap: no I/O, no parsing of the body. Never throws.
    admission admit(const api_request& head);

    // dispatch: runs the admitted route on the full request (parsing and validating its body,
    // which costs time linear in its size), answering through respond exactly once. Never
    // throws; unexpected failures answer 500.
    void dispatch(const admission& admitted, api_request request, respond_fn respond);

    // runs_inline: whether a request admitted so, with a body of body_bytes, is cheap enough to
    // dispatch on the I/O thread (a bounded route and a body of at most inline_body_bytes);
    // anything else goes to the worker pool.
    static bool runs_inline(const admission& admitted, std::size_t body_bytes) noexcept;
    static constexpr std::size_t inline_body_bytes = 16 * 1024;

    // handle: admit, then dispatch (or the early answer).
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

    void add_routes();
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
    body_budget* budget_;
    rate_limiter limiter_;
    std::chrono::steady_clock::time_point started_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, project_entry> projects_;
    std::unordered_map<std::string, invokable> invokables_;
    route_table<handler> routes_;
};

}  // namespace forge::hive_server::detail
