#include "http_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <charconv>
#include <fstream>
#include <map>
#include <mutex>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <utility>

namespace forge::hive::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
namespace ssl = asio::ssl;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

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
           ec == http::error::partial_message || ec == ssl::error::stream_truncated;
}

// make_tls_context: a TLS 1.2+ client context trusting the system CAs plus ca_file (when not
// empty), verifying the peer. Throws boost::system::system_error when ca_file cannot be loaded.
std::shared_ptr<ssl::context> make_tls_context(const std::string& ca_file) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    ctx->set_default_verify_paths();
    if (!ca_file.empty()) ctx->load_verify_file(ca_file);
    ctx->set_verify_mode(ssl::verify_peer);
    return ctx;
}

// shared_tls_context: the process-wide context for ca_file, built on first use (loading the
// system CA bundle costs milliseconds, so it is done once per CA file, not per connection).
// Failures are not cached. The cache is deliberately never destroyed: OpenSSL's own exit
// handler may run before static destructors. Thread-safe.
std::shared_ptr<ssl::context> shared_tls_context(const std::string& ca_file) {
    static std::mutex m;
    static auto* cache = new std::map<std::string, std::shared_ptr<ssl::context>>();
    std::lock_guard lock(m);
    auto it = cache->find(ca_file);
    if (it != cache->end()) return it->second;
    auto ctx = make_tls_context(ca_file);
    cache->emplace(ca_file, ctx);
    return ctx;
}

}  // namespace

struct http_connection::state {
    base_url url;
    std::string authorization;
    http_timeouts timeouts;
    std::string host_header;
    std::string setup_error;
    asio::io_context ioc;
    tcp::resolver resolver{ioc};
    beast::tcp_stream stream{ioc};
    std::shared_ptr<ssl::context> tls_context;
    std::unique_ptr<tls_stream> tls;
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

    beast::tcp_stream& tcp_layer() { return tls ? beast::get_lowest_layer(*tls) : stream; }

    // on_stream: calls f with the TLS stream for https, the plain TCP stream for http.
    template <class F>
    void on_stream(F&& f) {
        if (tls) {
            f(*tls);
        } else {
            f(stream);
        }
    }

    void close() {
        beast::error_code ec;
        resolver.cancel();
        auto& sock = tcp_layer().socket();
        sock.shutdown(tcp::socket::shutdown_both, ec);
        sock.close(ec);
        buffer.clear();
        connected = false;
    }

    // start_tls: a fresh TLS stream with SNI (names only) and host name or IP verification.
    bool start_tls(std::string& error) {
        tls = std::make_unique<tls_stream>(ioc, *tls_context);
        SSL* handle = tls->native_handle();
        beast::error_code aec;
        asio::ip::make_address(url.host, aec);
        X509_VERIFY_PARAM* param = SSL_get0_param(handle);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        bool ok = aec ? (SSL_set_tlsext_host_name(handle, url.host.c_str()) == 1 &&
                         X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0) == 1)
                      : X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str()) == 1;
        if (!ok) error = "cannot set up TLS for " + where();
        return ok;
    }

    std::string handshake_error(const beast::error_code& ec) {
        std::string msg = "TLS handshake with " + where() + " failed: ";
        long verify = tls ? SSL_get_verify_result(tls->native_handle()) : X509_V_OK;
        if (ec == beast::error::timeout) {
            msg = "timed out in the TLS handshake with " + where();
        } else if (verify != X509_V_OK) {
            msg += "certificate verification failed: ";
            msg += X509_verify_cert_error_string(verify);
        } else {
            msg += ec.message();
        }
        return msg;
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
        if (tls_context && !start_tls(error)) return false;
        done = false;
        tcp_layer().expires_after(timeouts.connect);
        tcp_layer().async_connect(results, [&](beast::error_code ec, const tcp::endpoint&) {
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
        tcp_layer().socket().set_option(tcp::no_delay(true), ignored);
        if (tls) {
            done = false;
            tcp_layer().expires_after(timeouts.connect);
            tls->async_handshake(ssl::stream_base::client, [&](beast::error_code ec) {
                rec = ec;
                done = true;
            });
            if (!run_until(done)) {
                error = "aborted";
                return false;
            }
            if (rec) {
                error = handshake_error(rec);
                close();
                return false;
            }
        }
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
        tcp_layer().expires_after(timeouts.io);
        on_stream([&](auto& st) {
            http::async_write(st, req, [&](beast::error_code ec, std::size_t) {
                rec = ec;
                done = true;
            });
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
        on_stream([&](auto& st) {
            http::async_read(st, buffer, parser, [&](beast::error_code ec, std::size_t) {
                rec = ec;
                done = true;
            });
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

http_connection::http_connection(base_url url,
                                 std::string authorization,
                                 http_timeouts timeouts,
                                 const std::string& ca_file)
    : s_(std::make_unique<state>()) {
    s_->url = std::move(url);
    s_->authorization = std::move(authorization);
    s_->timeouts = timeouts;
    if (s_->url.scheme == "https") {
        try {
            s_->tls_context = shared_tls_context(ca_file);
        } catch (const boost::system::system_error& e) {
            if (ca_file.empty()) {
                s_->setup_error = "cannot set up TLS: " + std::string(e.what());
            } else {
                bool readable = std::ifstream(ca_file).is_open();
                s_->setup_error =
                    "cannot load the CA file " + ca_file + ": " +
                    (readable ? std::string(e.what()) : std::string("cannot open it"));
            }
        }
    }
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
    if (!s_->setup_error.empty()) return {std::nullopt, s_->setup_error};
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
                          std::string_view body,
                          const std::string& ca_file) {
    std::string error;
    auto url = parse_base_url(host, &error);
    if (!url) return {std::nullopt, std::move(error)};
    http_connection conn(std::move(*url), std::string(authorization),
                         http_timeouts{timeout, timeout}, ca_file);
    return conn.request(method, path, body);
}

}  // namespace forge::hive::detail
