#include "http_request.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace forge::test {
namespace {

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i];
        auto y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] - 'A' + 'a' : b[i];
        if (x != y) return false;
    }
    return true;
}

using clock_type = std::chrono::steady_clock;

// read_some: appends what arrives before the deadline; 0 on close, -1 on error, -2 on timeout.
long read_some(int fd, std::string& out, clock_type::time_point deadline) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
    if (left <= 0) return -2;
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready == 0) return -2;
    if (ready < 0) return errno == EINTR ? read_some(fd, out, deadline) : -1;
    char chunk[65536];
    auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0) return errno == EINTR ? read_some(fd, out, deadline) : -1;
    out.append(chunk, static_cast<std::size_t>(n));
    return n;
}

}  // namespace

std::string http_response::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (iequal(k, name)) return v;
    }
    return {};
}

http_connection::http_connection(std::uint16_t port, std::chrono::milliseconds timeout)
    : timeout_(timeout) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        auto message = std::string("connect to 127.0.0.1:") + std::to_string(port) + ": " +
                       std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error(message);
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

http_connection::~http_connection() {
    if (fd_ >= 0) ::close(fd_);
}

bool http_connection::send_raw(std::string_view bytes) {
    while (!bytes.empty()) {
        auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

http_response http_connection::request(std::string_view method,
                                       std::string_view target,
                                       std::string_view body,
                                       const http_header_list& headers) {
    std::string text;
    text.reserve(body.size() + 256);
    text.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (const auto& [k, v] : headers) text.append(k).append(": ").append(v).append("\r\n");
    text.append("Content-Type: application/json\r\nContent-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n\r\n")
        .append(body);
    if (!send_raw(text))
        throw std::runtime_error("http_connection: the server closed the connection");
    return read_response();
}

http_response http_connection::read_response() {
    auto deadline = clock_type::now() + timeout_;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (read_some(fd_, buffer_, deadline) <= 0) {
            throw std::runtime_error(
                "http_connection: no complete response header (closed or timed out)");
        }
    }
    http_response r;
    std::string_view head(buffer_.data(), end);
    auto line_end = head.find("\r\n");
    auto status_line = head.substr(0, line_end);
    auto space = status_line.find(' ');
    if (space == std::string_view::npos)
        throw std::runtime_error("http_connection: bad status line");
    r.status = std::stoi(std::string(status_line.substr(space + 1, 3)));
    std::size_t length = 0;
    while (line_end != std::string_view::npos) {
        auto start = line_end + 2;
        line_end = head.find("\r\n", start);
        auto line = head.substr(
            start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
        if (iequal(r.headers.back().first, "content-length"))
            length = std::stoul(std::string(value));
    }
    buffer_.erase(0, end + 4);
    while (buffer_.size() < length) {
        if (read_some(fd_, buffer_, deadline) <= 0) {
            throw std::runtime_error("http_connection: body cut short (closed or timed out)");
        }
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
}

bool http_connection::wait_closed(std::chrono::milliseconds timeout) {
    auto deadline = clock_type::now() + timeout;
    for (;;) {
        std::string sink;
        auto n = read_some(fd_, sink, deadline);
        if (n == 0 || n == -1) return true;
        if (n == -2) return false;
    }
}

http_response http_request(std::uint16_t port,
                           std::string_view method,
                           std::string_view target,
                           std::string_view body,
                           const http_header_list& headers) {
    http_connection c(port);
    return c.request(method, target, body, headers);
}

http_header_list bearer(std::string_view key, std::string_view secret) {
    return {{"Authorization", "Bearer " + std::string(key) + ":" + std::string(secret)}};
}

}  // namespace forge::test
