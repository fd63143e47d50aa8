#include "fake_http_server.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace forge::hive::test {

namespace {

std::string reason(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 404:
            return "Not Found";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Status";
    }
}

bool send_all(int fd, const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
        ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

fake_http_server::fake_http_server(handler h) : handler_(std::move(h)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("fake_http_server: socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 64) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("fake_http_server: bind/listen failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

fake_http_server::~fake_http_server() {
    stop_.store(true);
    acceptor_.join();
    {
        std::lock_guard lk(m_);
        for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : threads_) t.join();
    for (int fd : fds_) ::close(fd);
    ::close(listen_fd_);
}

std::string fake_http_server::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<fake_request> fake_http_server::requests() const {
    std::lock_guard lk(m_);
    return requests_;
}

void fake_http_server::accept_loop() {
    while (!stop_.load()) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        std::lock_guard lk(m_);
        fds_.push_back(fd);
        threads_.emplace_back([this, fd] { serve(fd); });
    }
}

void fake_http_server::serve(int fd) {
    std::string buf;
    char chunk[65536];
    auto fill = [&]() {
        while (!stop_.load()) {
            pollfd p{fd, POLLIN, 0};
            int r = ::poll(&p, 1, 20);
            if (r < 0) return false;
            if (r == 0) continue;
            ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) return false;
            buf.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        return false;
    };
    for (;;) {
        std::size_t header_end;
        while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) return;
        }
        std::string head = buf.substr(0, header_end);
        fake_request req;
        auto sp1 = head.find(' ');
        auto sp2 = head.find(' ', sp1 + 1);
        req.method = head.substr(0, sp1);
        req.target = head.substr(sp1 + 1, sp2 - sp1 - 1);
        std::size_t content_length = 0;
        for (std::size_t pos = head.find("\r\n"); pos != std::string::npos;
             pos = head.find("\r\n", pos + 2)) {
            std::string line = head.substr(pos + 2, head.find("\r\n", pos + 2) - pos - 2);
            if (line.size() > 15 && strncasecmp(line.c_str(), "content-length:", 15) == 0) {
                content_length = std::stoul(line.substr(15));
            }
        }
        std::size_t total = header_end + 4 + content_length;
        while (buf.size() < total) {
            if (!fill()) return;
        }
        req.body = buf.substr(header_end + 4, content_length);
        buf.erase(0, total);
        fake_response res = handler_(req);
        {
            std::lock_guard lk(m_);
            requests_.push_back(req);
        }
        if (res.never_answer) {
            while (fill()) {
            }
            return;
        }
        std::string out = "HTTP/1.1 " + std::to_string(res.status) + " " + reason(res.status) +
                          "\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(res.body.size()) + "\r\n" + res.extra_headers +
                          "Connection: keep-alive\r\n\r\n" + res.body;
        if (!send_all(fd, out)) return;
    }
}

}  // namespace forge::hive::test
