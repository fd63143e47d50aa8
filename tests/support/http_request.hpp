// forge::test::http_connection: a tiny blocking HTTP/1.1 client over POSIX sockets, for tests that
// need exact control of the bytes sent (hostile input included).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forge::test {

// http_header_list: header name/value pairs in order.
using http_header_list = std::vector<std::pair<std::string, std::string>>;

// http_response: a parsed response. status is 0 when none could be read.
struct http_response {
    int status = 0;
    http_header_list headers;
    std::string body;

    // header: the first value of the named header (case-insensitive), or "".
    std::string header(std::string_view name) const;
};

// http_connection
//
// One TCP connection to 127.0.0.1:port, kept alive across requests. Every call blocks at most
// `timeout`. Throws std::runtime_error when connecting fails; request() throws when the server
// closes or times out before a full response (Content-Length framed) arrives. Not thread-safe:
// use one per thread.
class http_connection {
public:
    explicit http_connection(std::uint16_t port,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~http_connection();
    http_connection(const http_connection&) = delete;
    http_connection& operator=(const http_connection&) = delete;

    // request: sends one request (adding Host and Content-Length) and reads its response.
    http_response request(std::string_view method,
                          std::string_view target,
                          std::string_view body = {},
                          const http_header_list& headers = {});

    // send_raw: writes bytes as they are. Returns false when the peer has closed.
    bool send_raw(std::string_view bytes);

    // read_response: reads one response to what was sent.
    http_response read_response();

    // wait_closed: true when the server closes the connection within the timeout (reading and
    // discarding anything it sends first).
    bool wait_closed(std::chrono::milliseconds timeout);

private:
    int fd_ = -1;
    std::chrono::milliseconds timeout_;
    std::string buffer_;
};

// http_request: one request over a fresh connection.
http_response http_request(std::uint16_t port,
                           std::string_view method,
                           std::string_view target,
                           std::string_view body = {},
                           const http_header_list& headers = {});

// bearer: the header list {"Authorization", "Bearer <key>:<secret>"}.
http_header_list bearer(std::string_view key, std::string_view secret);

}  // namespace forge::test
