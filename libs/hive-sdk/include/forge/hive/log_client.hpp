// forge::hive::log_client: sends execution records to Hive and reads them back
// (docs/hive-api.md §5, §9).
#pragma once

#include <forge/hive/config.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge::hive {

// silent_client_error: the error text of get_log and set_quality on a silent client.
inline constexpr std::string_view silent_client_error =
    "Missing Hive API credentials or host, get them at https://www.forgehive.cloud";

// send_status: sent (2xx), silent (no credentials, nothing done) or error.
enum class send_status { sent, silent, error };

// send_result
//
// The outcome of log_client::send. `uuid` is the record's uuid (generated when the record had
// none), empty when the call stopped before choosing one. `http_status` is 0 when no response was
// received. `error` holds the server's `error` text or the local reason. `response` is the
// server's JSON answer (null when there was none or it was not JSON).
struct send_result {
    send_status status = send_status::error;
    std::string uuid{};
    int http_status = 0;
    std::string error{};
    json response{};
};

// get_log_status: found (200), not_found (404), unauthorized (401), or error (anything else,
// including transport failures and a silent client).
enum class get_log_status { found, not_found, unauthorized, error };

// get_log_result: the docs/hive-api.md §5.5 body in `log`, with `logItem` always an object (a
// string form is parsed); `error` and `http_status` describe failures.
struct get_log_result {
    get_log_status status = get_log_status::error;
    int http_status = 0;
    std::string error{};
    json log{};
};

// quality: the quality assessment set on a log (docs/hive-api.md §5.6).
struct quality {
    double score = 0;
    std::optional<std::string> reason{};
    std::optional<std::string> suggestions{};
};

// set_quality_result: ok on 2xx; otherwise the status and the server's or the local error text.
struct set_quality_result {
    bool ok = false;
    int http_status = 0;
    std::string error{};
};

// tasks_verified: the comparison of forge.json task uuids with the server's project tasks.
struct tasks_verified {
    int total = 0;
    int found = 0;
    std::vector<std::string> missing{};
};

// test_config_result: mirrors the TS testConfig result (docs/hive-api.md §9.5). Optional members
// are absent keys in the TS object.
struct test_config_result {
    bool success = false;
    std::string error{};
    std::optional<std::string> team_name{};
    std::optional<std::string> team_uuid{};
    std::optional<std::string> user_name{};
    std::optional<std::string> project_name{};
    std::optional<bool> project_exists{};
    std::optional<forge::hive::tasks_verified> tasks_verified{};
};

// record_listener: the callable shape tasks accept as listeners.
using record_listener = std::function<void(const execution_record&)>;

// log_client
//
// A synchronous Hive client for one project (TS: HiveLogClient). Construction reads forge.json
// once (load_forge_config) and does no network I/O; it throws std::invalid_argument for an
// unparsable explicit host and forge::forge_json_error for a malformed forge.json. Without api_key
// or api_secret the client is silent: it never does I/O and says so in its results. Each call opens
// one HTTP/1.1 connection, with `timeout` bounding connect, write and read separately; network
// failures never throw. https hosts use TLS 1.2+ with the certificate chain (system CAs plus
// client_config::ca_file) and host name verified; a failure is an error result naming TLS and the
// certificate problem. All calls are thread-safe (no shared mutable state). Move-only.
class log_client {
public:
    // log_client: from explicit settings (call client_config::from_env() to add the environment).
    explicit log_client(client_config config,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

    log_client(log_client&&) noexcept = default;
    log_client& operator=(log_client&&) noexcept = default;
    log_client(const log_client&) = delete;
    log_client& operator=(const log_client&) = delete;
    ~log_client() = default;

    // is_active: true when credentials are set (the client is not silent).
    bool is_active() const noexcept { return active_; }

    // get_conf: {projectName, projectUuid, host, apiKey, apiSecret, isInitialized, baseMetadata,
    // forgeConfig} with key and secret masked; host is null when silent.
    json get_conf() const;

    // send
    //
    // Ships one record per docs/hive-api.md §9.4: task uuid from forge.json, metadata merged
    // (base < record < `metadata`), a v7 uuid generated when missing (returned in the result;
    // `record` is not modified), then POST /api/log-ingest. Blocks for up to three timeouts. Never
    // throws except std::bad_alloc.
    send_result send(const execution_record& record, const string_map& metadata = {}) const;

    // get_log: GET /api/tasks/{taskName}/logs/{uuid}. Never throws except std::bad_alloc.
    get_log_result get_log(std::string_view task_name, std::string_view uuid) const;

    // set_quality: POST .../set-quality with the assessment. Never throws except std::bad_alloc.
    set_quality_result set_quality(std::string_view task_name,
                                   std::string_view uuid,
                                   const quality& q) const;

    // test_config: verifies credentials and the project (docs/hive-api.md §9.5). Never throws
    // except std::bad_alloc.
    test_config_result test_config() const;

    // as_listener: a listener that sends each record synchronously and ignores the result. It
    // refers to this client, which must outlive it. For non-blocking delivery use a shipper.
    record_listener as_listener() const;

    // forge_json: the forge.json content read at construction.
    const forge_config& forge_json() const noexcept { return forge_; }

private:
    client_config config_;
    forge_config forge_;
    std::string host_;
    bool active_ = false;
    std::chrono::milliseconds timeout_;
};

// to_string: "sent", "silent", "error".
std::string_view to_string(send_status s) noexcept;

// to_json: the test_config result as the TS object (absent optionals are absent keys).
json to_json(const test_config_result& r);

}  // namespace forge::hive
