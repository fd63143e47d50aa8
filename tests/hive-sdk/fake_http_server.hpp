// A scripted HTTP/1.1 server on 127.0.0.1 for faults the real hive server cannot produce (5xx
// answers, never answering, a host without the batch route).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace forge::hive::test {

// fake_request: method, target and body of one received request.
struct fake_request {
    std::string method{};
    std::string target{};
    std::string body{};
};

// fake_response: the answer; never_answer keeps the connection open without replying.
struct fake_response {
    int status = 200;
    std::string body = "{}";
    std::string extra_headers{};
    bool never_answer = false;
};

// fake_http_server: listens on 127.0.0.1 port 0; each connection runs on its own thread and
// calls the handler per request (keep-alive). The destructor closes everything and joins.
class fake_http_server {
public:
    using handler = std::function<fake_response(const fake_request&)>;

    explicit fake_http_server(handler h);
    ~fake_http_server();
    fake_http_server(const fake_http_server&) = delete;
    fake_http_server& operator=(const fake_http_server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    std::string url() const;

    // requests: a copy of every request received so far.
    std::vector<fake_request> requests() const;

private:
    void accept_loop();
    void serve(int fd);

    handler handler_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex m_;
    std::vector<fake_request> requests_;
    std::vector<int> fds_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

}  // namespace forge::hive::test
