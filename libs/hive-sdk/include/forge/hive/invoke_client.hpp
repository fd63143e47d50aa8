// forge::hive::invoke_client: runs a task hosted by Hive (docs/hive-api.md §5.8, §9.6).
#pragma once

#include <forge/hive/config.hpp>
#include <forge/types/json.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace forge::hive {

// missing_invoke_credentials_error: the text invoke_client's constructor throws without
// credentials.
inline constexpr std::string_view missing_invoke_credentials_error =
    "Missing Hive API credentials. Please provide apiKey and apiSecret, or set HIVE_API_KEY and "
    "HIVE_API_SECRET environment variables. Get them at https://forgehive.dev";

// invoke_result: the response body ({"responsePayload": ...} or {"error": ...}) and its HTTP
// status; http_status is 0 and body {"error": <message>} after a transport failure.
struct invoke_result {
    int http_status = 0;
    json body{};

    // ok: a 2xx answer.
    bool ok() const noexcept { return http_status >= 200 && http_status < 300; }
};

// invoke_client
//
// Calls POST /api/projects/{projectUuid}/tasks/{taskUuid}/invoke. Has no silent mode: the
// constructor throws std::invalid_argument with missing_invoke_credentials_error when the key or
// secret is unset, and for an unparsable host. The host defaults to default_invoke_host. One
// connection per call; `timeout` bounds connect, write and read separately. Thread-safe, move-only.
class invoke_client {
public:
    explicit invoke_client(client_config config,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30));

    invoke_client(invoke_client&&) noexcept = default;
    invoke_client& operator=(invoke_client&&) noexcept = default;
    invoke_client(const invoke_client&) = delete;
    invoke_client& operator=(const invoke_client&) = delete;
    ~invoke_client() = default;

    // invoke: sends {"payload": payload}; returns the body and status, never throws for network
    // or server errors (std::bad_alloc aside). Blocks until the answer or a timeout.
    invoke_result invoke(std::string_view project_uuid,
                         std::string_view task_uuid,
                         const json& payload) const;

private:
    client_config config_;
    std::string host_;
    std::chrono::milliseconds timeout_;
};

}  // namespace forge::hive
