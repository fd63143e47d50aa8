#include "http_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <charconv>
#include <utility>

namespace forge::hive::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint64_t max_response_body = 64u << 20;

std::optional<std::chrono::seconds> parse_retry_after(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    long long secs = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), secs);
    if (v.empty() || ec != std::errc() || p != v.data() + v.size() || secs < 0) return std::nullopt;
    return std::chrono::seconds(secs);
}

bool is_stale_connection_error(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == http::error::partial_message;
}

}  // namespace

struct http_connection::state {
    base_url url;
    std::string authorization;
    http_timeouts timeouts;
    std::string host_header;
    asio::io_context ioc;
    tcp::resolver resolver{ioc};
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
    bool connected = false;
    std::atomic<bool> aborted{false};

    // run_until: runs handlers until `done` or until abort() stopped the context. On abort the
    // socket is closed and the pending handler drained, so no handler outlives its frame.
    bool run_until(const bool& done) {
        ioc.restart();
        if (aborted.load()) {
            close();
            while (!done && ioc.run_one() > 0) {
            }
            return false;
        }
        while (!done) {
            if (ioc.run_one() == 0) break;
        }
        if (done) return true;
        close();
        ioc.restart();
        while (!done && ioc.run_one() > 0) {
        }
        return false;
    }

    void close() {
        beast::error_code ec;
        resolver.cancel();
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream.socket().close(ec);
        buffer.clear();
        connected = false;
    }

    std::string where() const { return url.host + ":" + std::to_string(url.port); }

    bool connect(std::string& error) {
        beast::error_code rec;
        tcp::resolver::results_type results;
        bool done = false;
        resolver.async_resolve(url.host, std::to_string(url.port),
                               [&](beast::error_code ec, tcp::resolver::results_type r) {
                                   rec = ec;
                                   results = std::move(r);
                                   done = true;
                               });
        if (!run_until(done)) {
            error = "aborted";
            return false;
        }
        if (rec) {
            error = "cannot resolve " + url.host + ": " + rec.message();
            return false;
        }
        done = false;
        stream.expires_after(timeouts.connect);
        stream.async_connect(results, [&](beast::error_code ec, const tcp::endpoint&) {
            rec = ec;
            done = true;
        });
        if (!run_until(done)) {
            error = "aborted";
            return false;
        }
        if (rec) {
            error = (rec == beast::error::timeout ? std::string("timed out connecting to ")
                                                  : std::string("cannot connect to ")) +
                    where() + (rec == beast::error::timeout ? "" : ": " + rec.message());
            close();
            return false;
        }
        beast::error_code ignored;
        stream.socket().set_option(tcp::no_delay(true), ignored);
        connected = true;
        return true;
    }

    // exchange: one request on the open connection; `stale` reports a failure that a reused
    // keep-alive connection produces when the server had already closed it.
    http_outcome exchange(http::request<http::string_body>& req, bool& stale) {
        http_outcome out;
        stale = false;
        beast::error_code rec;
        bool done = false;
        stream.expires_after(timeouts.io);
        http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
            rec = ec;
            done = true;
        });
        if (!run_until(done)) {
            out.error = "aborted";
            return out;
        }
        if (rec) {
            stale = is_stale_connection_error(rec);
            out.error = rec == beast::error::timeout
                            ? "timed out sending the request to " + where()
                            : "connection to " + where() + " lost while sending: " + rec.message();
            close();
            return out;
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(max_response_body);
        done = false;
        http::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
            rec = ec;
            done = true;
        });
        if (!run_until(done)) {
            out.error = "aborted";
            return out;
        }
        if (rec) {
            stale = is_stale_connection_error(rec) && !parser.got_some();
            out.error = rec == beast::error::timeout
                            ? "timed out waiting for the response from " + where()
                            : "connection to " + where() + " lost while reading: " + rec.message();
            close();
            return out;
        }
        auto res = parser.release();
        http_response r;
        r.status = static_cast<int>(res.result_int());
        if (auto it = res.find(http::field::retry_after); it != res.end()) {
            r.retry_after = parse_retry_after(it->value());
        }
        bool keep = res.keep_alive();
        r.body = std::move(res.body());
        out.response = std::move(r);
        if (!keep) close();
        return out;
    }
};

http_connection::http_connection(base_url url, std::string authorization, http_timeouts timeouts)
    : s_(std::make_unique<state>()) {
    s_->url = std::move(url);
    s_->authorization = std::move(authorization);
    s_->timeouts = timeouts;
    bool default_port = (s_->url.scheme == "http" && s_->url.port == 80) ||
                        (s_->url.scheme == "https" && s_->url.port == 443);
    bool v6 = s_->url.host.find(':') != std::string::npos;
    s_->host_header = v6 ? "[" + s_->url.host + "]" : s_->url.host;
    if (!default_port) s_->host_header += ":" + std::to_string(s_->url.port);
}

http_connection::~http_connection() = default;

void http_connection::abort() noexcept {
    if (!s_->aborted.exchange(true)) s_->ioc.stop();
}

http_outcome http_connection::request(std::string_view method,
                                      std::string_view path,
                                      std::string_view body) {
    if (s_->url.scheme != "http") {
        return {std::nullopt, "https is not supported by this build (no TLS); cannot reach " +
                                  s_->url.scheme + "://" + s_->host_header};
    }
    if (s_->aborted.load()) return {std::nullopt, "aborted"};
    http::request<http::string_body> req;
    req.method_string(beast::string_view(method.data(), method.size()));
    req.target(s_->url.prefix + std::string(path));
    req.version(11);
    req.set(http::field::host, s_->host_header);
    req.set(http::field::authorization, s_->authorization);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::user_agent, "forge-hive-cpp/0.1");
    req.keep_alive(true);
    req.body() = std::string(body);
    req.prepare_payload();
    for (int attempt = 0; attempt < 2; ++attempt) {
        bool reused = s_->connected;
        if (!s_->connected) {
            std::string error;
            if (!s_->connect(error)) return {std::nullopt, std::move(error)};
        }
        bool stale = false;
        http_outcome out = s_->exchange(req, stale);
        if (out.response || !(reused && stale)) return out;
    }
    return {std::nullopt, "connection to " + s_->where() + " closed repeatedly"};
}

std::string bearer(std::string_view api_key, std::string_view api_secret) {
    std::string out = "Bearer ";
    out.append(api_key);
    out.push_back(':');
    out.append(api_secret);
    return out;
}

http_outcome request_once(std::string_view host,
                          std::string_view authorization,
                          std::chrono::milliseconds timeout,
                          std::string_view method,
                          std::string_view path,
                          std::string_view body) {
    std::string error;
    auto url = parse_base_url(host, &error);
    if (!url) return {std::nullopt, std::move(error)};
    http_connection conn(std::move(*url), std::string(authorization),
                         http_timeouts{timeout, timeout});
    return conn.request(method, path, body);
}

}  // namespace forge::hive::detail
