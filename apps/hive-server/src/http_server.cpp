#include "api.hpp"
#include "api_json.hpp"

#include <forge/hive_server/server.hpp>
#include <forge/hive_server/sqlite_record_store.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <fmt/format.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace forge::hive_server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
namespace ssl = asio::ssl;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::uint32_t header_limit_bytes = 16 * 1024;

// session_base: what stop() needs of a connection, plain or TLS.
class session_base {
public:
    virtual ~session_base() = default;
    virtual void begin_stop() = 0;
};

// session_registry: the live connections, so stop() can reach each one and wait for them all.
struct session_registry {
    std::mutex mutex;
    std::condition_variable empty;
    std::unordered_map<session_base*, std::weak_ptr<session_base>> live;
    std::atomic<bool> stopping{false};
};

// session: one HTTP/1.1 connection over Stream (beast::tcp_stream, or tls_stream which starts with
// the TLS handshake). All its handlers run on its own strand.
template <class Stream>
class session : public session_base, public std::enable_shared_from_this<session<Stream>> {
public:
    static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

    template <class... StreamArgs>
    session(detail::api& api,
            const server_config& config,
            session_registry& registry,
            StreamArgs&&... stream_args)
        : stream_(std::forward<StreamArgs>(stream_args)...),
          api_(api),
          config_(config),
          registry_(registry) {}

    ~session() {
        std::lock_guard lock(registry_.mutex);
        registry_.live.erase(this);
        if (registry_.live.empty()) registry_.empty.notify_all();
    }

    session(const session&) = delete;
    session& operator=(const session&) = delete;

    void start() {
        {
            std::lock_guard lock(registry_.mutex);
            registry_.live.emplace(this, this->weak_from_this());
        }
        asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
            if constexpr (is_tls) {
                self->handshake();
            } else {
                self->read_request();
            }
        });
    }

    // begin_stop: a connection waiting for a request closes now; one receiving or handling a
    // request closes after sending its response.
    void begin_stop() override {
        asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
            bool idle = self->handshaking_ ||
                        (self->reading_ && self->buffer_.size() == 0 && !self->parser_->got_some());
            if (idle) beast::get_lowest_layer(self->stream_).socket().cancel();
        });
    }

private:
    // handshake: the server side of the TLS handshake, bounded by request_timeout; a client that
    // fails it (plain HTTP, an untrusted certificate) is disconnected.
    void handshake() {
        if constexpr (is_tls) {
            handshaking_ = true;
            beast::get_lowest_layer(stream_).expires_after(config_.request_timeout);
            stream_.async_handshake(ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        self->handshaking_ = false;
                                        if (ec) return self->close();
                                        self->read_request();
                                    });
        }
    }

    void read_request() {
        if (registry_.stopping) return close();
        parser_.emplace();
        parser_->header_limit(header_limit_bytes);
        parser_->body_limit(config_.max_body_bytes);
        reading_ = true;
        beast::get_lowest_layer(stream_).expires_after(config_.request_timeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = this->shared_from_this()](
                                    beast::error_code ec, std::size_t) { self->on_header(ec); });
    }

    void on_header(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        if (auto length = parser_->content_length(); length && *length > config_.max_body_bytes) {
            reading_ = false;
            return send_error(413, "Payload too large");
        }
        const auto& req = parser_->get();
        if (beast::iequals(req[http::field::expect], "100-continue")) {
            auto cont =
                std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
            return http::async_write(
                stream_, *cont,
                [self = this->shared_from_this(), cont](beast::error_code wec, std::size_t) {
                    if (wec) return self->close();
                    self->read_body();
                });
        }
        read_body();
    }

    void read_body() {
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             self->on_body(ec);
                         });
    }

    // on_read_error: limits and malformed requests are answered (then the connection closes);
    // a peer that went away, a timeout or a stop just closes.
    void on_read_error(beast::error_code ec) {
        reading_ = false;
        if (ec == http::error::body_limit) return send_error(413, "Payload too large");
        if (ec == http::error::header_limit)
            return send_error(431, "Request header fields too large");
        bool parse_error =
            ec.category() == http::make_error_code(http::error::bad_target).category();
        if (parse_error && ec != http::error::end_of_stream && ec != http::error::partial_message) {
            return send_error(400, fmt::format("Malformed HTTP request: {}", ec.message()));
        }
        close();
    }

    void on_body(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        reading_ = false;
        auto req = parser_->release();
        keep_alive_ = req.keep_alive();
        version_ = req.version();
        detail::api_request request{std::string(req.method_string()), std::string(req.target()),
                                    std::string(req[http::field::authorization]),
                                    std::move(req.body())};
        auto self = this->shared_from_this();
        api_.handle(std::move(request), [self](detail::api_response response) {
            asio::post(self->stream_.get_executor(),
                       [self, response = std::move(response)]() mutable {
                           self->write(std::move(response));
                       });
        });
    }

    void send_error(int status, std::string_view message) {
        keep_alive_ = false;
        linger_ = true;
        write(detail::api_response{status, detail::error_body(message, status), 0});
    }

    void write(detail::api_response response) {
        auto res = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(response.status), version_ == 10 ? 10 : 11);
        res->set(http::field::server, "forge-hive-server");
        res->set(http::field::content_type, "application/json; charset=utf-8");
        if (response.retry_after > 0)
            res->set(http::field::retry_after, std::to_string(response.retry_after));
        res->body() = std::move(response.body);
        res->keep_alive(keep_alive_ && !registry_.stopping);
        res->prepare_payload();
        beast::get_lowest_layer(stream_).expires_after(config_.request_timeout);
        http::async_write(
            stream_, *res,
            [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
                if (!ec && self->linger_) return self->linger();
                if (ec || !res->keep_alive()) return self->close();
                self->read_request();
            });
    }

    // linger: after an error answered before the request was read in full, stop sending and
    // drain what the client still sends for a short while, so closing with unread data does not
    // reset the connection before the client has read the error response.
    void linger() {
        beast::error_code ignored;
        beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
        linger_deadline_ = std::chrono::steady_clock::now() + linger_time;
        drain();
    }

    void drain() {
        auto left = linger_deadline_ - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) return close();
        beast::get_lowest_layer(stream_).expires_after(left);
        stream_.async_read_some(asio::buffer(discard_), [self = this->shared_from_this()](
                                                            beast::error_code ec, std::size_t) {
            if (ec) return self->close();
            self->drain();
        });
    }

    void close() {
        beast::error_code ignored;
        auto& socket = beast::get_lowest_layer(stream_).socket();
        socket.shutdown(tcp::socket::shutdown_send, ignored);
        socket.close(ignored);
    }

    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    detail::api& api_;
    const server_config& config_;
    session_registry& registry_;
    static constexpr std::chrono::seconds linger_time{2};
    std::chrono::steady_clock::time_point linger_deadline_{};
    std::array<char, 16 * 1024> discard_{};
    bool linger_ = false;
    bool handshaking_ = false;
    bool reading_ = false;
    bool keep_alive_ = true;
    unsigned version_ = 11;
};

}  // namespace

struct server::impl {
    server_config config;
    session_registry registry;
    std::unique_ptr<sqlite_record_store> store;
    std::unique_ptr<detail::api> api;
    std::optional<ssl::context> tls;
    asio::io_context ioc;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    tcp::acceptor acceptor;
    std::vector<std::thread> threads;
    std::uint16_t port = 0;
    std::mutex stop_mutex;
    bool stopped = false;

    explicit impl(server_config c)
        : config(std::move(c)),
          ioc(static_cast<int>(config.threads ? config.threads : 1)),
          acceptor(asio::make_strand(ioc)) {
        if (config.database.empty()) throw std::runtime_error("server_config.database is empty");
        load_tls();
        store = std::make_unique<sqlite_record_store>(config.database, config.sync_commits);
        api = std::make_unique<detail::api>(config, *store);
        beast::error_code ec;
        auto address = asio::ip::make_address(config.host, ec);
        if (ec)
            throw std::runtime_error(fmt::format("invalid host {}: {}", config.host, ec.message()));
        tcp::endpoint endpoint(address, config.port);
        acceptor.open(endpoint.protocol(), ec);
        if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor.bind(endpoint, ec);
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            store->close();
            throw std::runtime_error(
                fmt::format("cannot listen on {}:{}: {}", config.host, config.port, ec.message()));
        }
        port = acceptor.local_endpoint().port();
        work.emplace(ioc.get_executor());
        accept();
        unsigned n = config.threads ? config.threads : 1;
        for (unsigned i = 0; i < n; ++i) threads.emplace_back([this] { ioc.run(); });
    }

    // load_tls: the server certificate chain and key when configured; both or neither.
    void load_tls() {
        if (config.tls_cert_file.empty() && config.tls_key_file.empty()) return;
        if (config.tls_cert_file.empty() || config.tls_key_file.empty()) {
            throw std::runtime_error("TLS needs both a certificate file and a key file");
        }
        tls.emplace(ssl::context::tls_server);
        tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        auto fail = [](std::string_view what, const std::filesystem::path& path,
                       const beast::error_code& ec) {
            bool readable = std::ifstream(path).is_open();
            return std::runtime_error(
                fmt::format("cannot load the TLS {} {}: {}", what, path.string(),
                            readable ? ec.message() : std::string("cannot open the file")));
        };
        beast::error_code ec;
        tls->use_certificate_chain_file(config.tls_cert_file.string(), ec);
        if (ec) throw fail("certificate", config.tls_cert_file, ec);
        tls->use_private_key_file(config.tls_key_file.string(), ssl::context::pem, ec);
        if (ec) throw fail("key", config.tls_key_file, ec);
    }

    void accept() {
        acceptor.async_accept(asio::make_strand(ioc),
                              [this](beast::error_code ec, tcp::socket socket) {
                                  if (ec == asio::error::operation_aborted || !acceptor.is_open())
                                      return;
                                  if (!ec && !registry.stopping) {
                                      beast::error_code ignored;
                                      socket.set_option(tcp::no_delay(true), ignored);
                                      if (tls) {
                                          std::make_shared<session<tls_stream>>(
                                              *api, config, registry, std::move(socket), *tls)
                                              ->start();
                                      } else {
                                          std::make_shared<session<beast::tcp_stream>>(
                                              *api, config, registry, std::move(socket))
                                              ->start();
                                      }
                                  }
                                  accept();
                              });
    }

    void stop() {
        std::lock_guard guard(stop_mutex);
        if (stopped) return;
        stopped = true;
        registry.stopping = true;
        asio::post(acceptor.get_executor(), [this] {
            beast::error_code ignored;
            acceptor.close(ignored);
        });
        std::vector<std::shared_ptr<session_base>> live;
        {
            std::lock_guard lock(registry.mutex);
            for (auto& [ptr, weak] : registry.live) {
                if (auto s = weak.lock()) live.push_back(std::move(s));
            }
        }
        for (auto& s : live) s->begin_stop();
        live.clear();
        {
            std::unique_lock lock(registry.mutex);
            registry.empty.wait_for(lock, config.request_timeout + std::chrono::seconds(5),
                                    [this] { return registry.live.empty(); });
        }
        work.reset();
        ioc.stop();
        for (auto& t : threads) t.join();
        store->close();
    }
};

server::server(server_config config) : impl_(std::make_unique<impl>(std::move(config))) {}

server::~server() { stop(); }

std::uint16_t server::port() const { return impl_->port; }

std::string server::url() const {
    return fmt::format("{}://{}:{}", impl_->tls ? "https" : "http", impl_->config.host,
                       impl_->port);
}

void server::register_project(const project_info& project) {
    impl_->api->register_project(project);
}

void server::register_invokable(std::string project_uuid, std::string task_uuid, invokable fn) {
    impl_->api->register_invokable(std::move(project_uuid), std::move(task_uuid), std::move(fn));
}

void server::stop() { impl_->stop(); }

}  // namespace forge::hive_server
