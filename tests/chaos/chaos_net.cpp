#include "chaos_net.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <cerrno>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace forge::chaos {

std::string exchange_result::describe() const {
    if (status > 0) return fmt::format("HTTP {}", status);
    if (timed_out) return "silent until the deadline";
    return "closed without an answer";
}

raw_socket::raw_socket(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error(fmt::format("connect to port {} failed", port));
    }
}

raw_socket::~raw_socket() {
    if (fd_ >= 0) ::close(fd_);
}

raw_socket::raw_socket(raw_socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

void raw_socket::send_some(std::string_view bytes) {
    while (!bytes.empty()) {
        auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

exchange_result raw_socket::read_status(std::chrono::milliseconds deadline) {
    exchange_result out;
    std::string head;
    auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        if (auto end = head.find("\r\n\r\n"); end != std::string::npos || head.size() > 65536) {
            if (head.size() >= 12 && head.compare(0, 5, "HTTP/") == 0) {
                out.status = std::atoi(head.c_str() + 9);
            }
            if (out.status == 0) out.closed = true;
            return out;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            out.timed_out = true;
            return out;
        }
        pollfd p{fd_, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) continue;
        char buf[16384];
        auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (head.size() >= 12 && head.compare(0, 5, "HTTP/") == 0) {
                out.status = std::atoi(head.c_str() + 9);
            } else {
                out.closed = true;
            }
            return out;
        }
        head.append(buf, static_cast<std::size_t>(n));
    }
}

bool raw_socket::closed_by_peer() {
    char buf[16384];
    for (;;) {
        auto n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) continue;
        if (n == 0) return true;
        if (errno == EINTR) continue;
        return errno != EAGAIN && errno != EWOULDBLOCK;
    }
}

exchange_result raw_exchange(std::uint16_t port,
                             std::string_view bytes,
                             std::chrono::milliseconds deadline) {
    raw_socket s(port);
    s.send_some(bytes);
    return s.read_status(deadline);
}

namespace {

// expand: replaces the corpus tokens of text (all but @@LEN@@).
std::string expand(std::string_view text, const std::string& auth) {
    std::string out;
    for (;;) {
        auto at = text.find("@@");
        if (at == std::string_view::npos) break;
        auto end = text.find("@@", at + 2);
        if (end == std::string_view::npos) break;
        out.append(text.substr(0, at));
        auto token = text.substr(at + 2, end - at - 2);
        if (token == "AUTH") {
            out += auth;
        } else if (token == "LEN") {
            out += "@@LEN@@";
        } else if (token.substr(0, 7) == "REPEAT ") {
            auto rest = token.substr(7);
            auto space = rest.find(' ');
            auto count = std::stoul(std::string(rest.substr(0, space)));
            auto what = rest.substr(space + 1);
            for (std::size_t i = 0; i < count; ++i) out.append(what);
        } else if (token.substr(0, 5) == "KEYS ") {
            auto count = std::stoul(std::string(token.substr(5)));
            for (std::size_t i = 0; i < count; ++i) {
                if (i) out += ',';
                out += fmt::format("\"k{:07}\":0", i);
            }
        } else {
            throw std::runtime_error(fmt::format("unknown corpus token @@{}@@", token));
        }
        text.remove_prefix(end + 2);
    }
    out.append(text);
    return out;
}

std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        if (c == '\n') out.push_back('\r');
        out.push_back(c);
    }
    return out;
}

}  // namespace

bool corpus_entry::accepts(const exchange_result& r) const {
    if (r.timed_out) return false;
    if (r.status == 0) return close_ok;
    for (int s : statuses) {
        if (s == r.status) return true;
    }
    return false;
}

corpus_entry load_corpus_entry(const std::filesystem::path& file, const std::string& auth) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto eol = text.find('\n');
    if (text.compare(0, 7, "expect:") != 0 || eol == std::string::npos) {
        throw std::runtime_error(file.string() + ": the first line must be \"expect: ...\"");
    }
    corpus_entry entry;
    entry.expect_text = text.substr(8, eol - 8);
    std::istringstream words(entry.expect_text);
    for (std::string w; words >> w;) {
        if (w == "close") {
            entry.close_ok = true;
        } else {
            entry.statuses.push_back(std::stoi(w));
        }
    }
    std::string_view request(text);
    request.remove_prefix(eol + 1);
    auto split = request.find("\n\n");
    if (split == std::string_view::npos) {
        entry.bytes = crlf(expand(request, auth));
        return entry;
    }
    auto body = expand(request.substr(split + 2), auth);
    auto head = crlf(expand(request.substr(0, split), auth));
    if (auto len = head.find("@@LEN@@"); len != std::string::npos) {
        head.replace(len, 7, std::to_string(body.size()));
    }
    entry.bytes = head + "\r\n\r\n" + body;
    return entry;
}

}  // namespace forge::chaos
