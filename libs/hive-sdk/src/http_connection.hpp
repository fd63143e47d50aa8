// A blocking HTTP/1.1 client connection with a timeout on every step (private to forge::hive).
#pragma once

#include <forge/hive/url.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace forge::hive::detail {

// http_response: status, body and the Retry-After header in seconds (when present and numeric).
struct http_response {
    int status = 0;
    std::string body{};
    std::optional<std::chrono::seconds> retry_after{};
};

// http_outcome: a response, or `error` describing why none was received.
struct http_outcome {
    std::optional<http_response> response{};
    std::string error{};
};

// http_timeouts: bound on connecting (resolve included) and on one request's write plus read.
struct http_timeouts {
    std::chrono::milliseconds connect{10000};
    std::chrono::milliseconds io{10000};
};

// http_connection
//
// One keep-alive connection to a base URL, opened lazily and reopened after the server closes it
// or after any failure. request() blocks the calling thread, running its own io_context, for at
// most connect + io timeouts. abort() may be called from any thread: the current and every later
// request fail at once with "aborted". https URLs use TLS 1.2+ and verify the server's certificate
// chain (system CAs plus `ca_file` when not empty) and its host name or IP address; an unreadable
// CA file or a failed verification fails every request with an error naming it. The CAs are
// loaded once per process and CA file. Not thread-safe apart from abort().
class http_connection {
public:
    http_connection(base_url url,
                    std::string authorization,
                    http_timeouts timeouts,
                    const std::string& ca_file = {});
    ~http_connection();
    http_connection(const http_connection&) = delete;
    http_connection& operator=(const http_connection&) = delete;

    // request: sends method + prefix + path with a JSON body (may be empty) and reads the answer.
    http_outcome request(std::string_view method, std::string_view path, std::string_view body);

    // abort: cancels the request in progress and fails all later ones. Thread-safe.
    void abort() noexcept;

private:
    struct state;
    std::unique_ptr<state> s_;
};

// bearer: the Authorization header value for a key and secret.
std::string bearer(std::string_view api_key, std::string_view api_secret);

// request_once: opens a connection to host (a base URL string), sends one request and closes.
// An unparsable host gives an outcome with its error. ca_file: extra trusted CAs for https.
http_outcome request_once(std::string_view host,
                          std::string_view authorization,
                          std::chrono::milliseconds timeout,
                          std::string_view method,
                          std::string_view path,
                          std::string_view body,
                          const std::string& ca_file);

}  // namespace forge::hive::detail
