#include "api.hpp"
#include "api_json.hpp"
#include "body_budget.hpp"
#include "descriptor_limit.hpp"

#include <forge/hive_server/server.hpp>
#include <forge/hive_server/sqlite_record_store.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <fmt/format.h>

#include <algorithm>
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
using steady = std::chrono::steady_clock;

constexpr std::uint32_t header_limit_bytes = 16 * 1024;
// linger_time / linger_extra_bytes: how long, and how many bytes beyond a whole body, a lingering
// close discards before closing.
constexpr std::chrono::seconds linger_time{2};
constexpr std::size_t linger_extra_bytes = 64 * 1024;
// retry_after_s: the Retry-After of a 503 for the connection cap or the body budget.
constexpr long retry_after_s = 1;
// max_refusing: connections past the cap being answered 503 at once; beyond it, new connections
// past the cap are closed at once.
constexpr std::size_t max_refusing = 16;
// stop_write_grace: how long a response still being written at the drain deadline may take.
constexpr std::chrono::seconds stop_write_grace{1};

// session_base: what the server needs of a connection, plain or TLS. The atomics are written on
// the connection's strand and read by the acceptor to find the oldest idle connection.
// Deliberately without virtual functions: UBSan's vptr check probes memory through a pipe, which
// fails when descriptors run out (exactly when close_oldest_idle runs) and then reports a false
// "invalid vptr". The derived session supplies its operations as a table of function pointers.
class session_base {
public:
    struct operations {
        // begin_stop: closes the connection now when idle; otherwise it closes after its response.
        void (*begin_stop)(session_base&, steady::time_point drain_deadline);
        // end_stop: at the drain deadline: closes the connection unless a request is being
        // handled.
        void (*end_stop)(session_base&);
        // close_if_idle: closes the connection if it is still waiting for a request.
        void (*close_if_idle)(session_base&);
    };

    explicit session_base(const operations& ops) noexcept : ops_(&ops) {}

    void begin_stop(steady::time_point drain_deadline) { ops_->begin_stop(*this, drain_deadline); }
    void end_stop() { ops_->end_stop(*this); }
    void close_if_idle() { ops_->close_if_idle(*this); }

    std::atomic<bool> idle_{false};
    std::atomic<steady::rep> idle_since_{0};

private:
    const operations* ops_;
};

// session_registry: the live connections, so the acceptor can cap them and stop() can reach each
// one and wait for them all.
struct session_registry {
    std::mutex mutex;
    std::condition_variable empty;
    std::unordered_map<session_base*, std::weak_ptr<session_base>> live;
    std::size_t refusing = 0;
    std::atomic<bool> stopping{false};

    std::size_t size() {
        std::lock_guard lock(mutex);
        return live.size();
    }

    // close_oldest_idle: asks the connection idle the longest to close (claiming it, so the next
    // call picks another). False when none is idle. One pass over the live connections.
    bool close_oldest_idle() {
        std::shared_ptr<session_base> oldest;
        {
            std::lock_guard lock(mutex);
            steady::rep best = 0;
            for (auto& [ptr, weak] : live) {
                if (!ptr->idle_.load()) continue;
                auto since = ptr->idle_since_.load();
                if (oldest && since >= best) continue;
                if (auto s = weak.lock()) {
                    oldest = std::move(s);
                    best = since;
                }
            }
            if (oldest && !oldest->idle_.exchange(false)) oldest.reset();
        }
        if (!oldest) return false;
        oldest->close_if_idle();
        return true;
    }

    std::vector<std::shared_ptr<session_base>> snapshot() {
        std::vector<std::shared_ptr<session_base>> out;
        std::lock_guard lock(mutex);
        for (auto& [ptr, weak] : live) {
            if (auto s = weak.lock()) out.push_back(std::move(s));
        }
        return out;
    }
};

// server_state: what every connection shares.
struct server_state {
    detail::api& api;
    const server_config& config;
    session_registry& registry;
    detail::body_budget& budget;
    asio::thread_pool& workers;
};

// session: one HTTP/1.1 connection over Stream (beast::tcp_stream, or tls_stream which starts with
// the TLS handshake). All its handlers run on its own strand. A refusing session answers 503 at
// once (after the TLS handshake) and closes.
template <class Stream>
class session : public session_base, public std::enable_shared_from_this<session<Stream>> {
public:
    static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

    template <class... StreamArgs>
    session(server_state& state, bool refusing, StreamArgs&&... stream_args)
        : session_base(ops),
          stream_(std::forward<StreamArgs>(stream_args)...),
          state_(state),
          refusing_(refusing) {}

    ~session() {
        std::lock_guard lock(state_.registry.mutex);
        state_.registry.live.erase(this);
        if (refusing_) --state_.registry.refusing;
        if (state_.registry.live.empty()) state_.registry.empty.notify_all();
    }

    session(const session&) = delete;
    session& operator=(const session&) = delete;

    // start: registers the connection (the caller has counted it against the cap).
    void start() {
        {
            std::lock_guard lock(state_.registry.mutex);
            state_.registry.live.emplace(this, this->weak_from_this());
            if (refusing_) ++state_.registry.refusing;
        }
        asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
            if constexpr (is_tls) {
                self->handshake();
            } else {
                self->after_handshake();
            }
        });
    }

    static constexpr operations ops{
        [](session_base& b, steady::time_point d) { static_cast<session&>(b).begin_stop_on(d); },
        [](session_base& b) { static_cast<session&>(b).end_stop_on(); },
        [](session_base& b) { static_cast<session&>(b).close_if_idle_on(); }};

    void begin_stop_on(steady::time_point drain_deadline) {
        asio::dispatch(stream_.get_executor(), [self = this->shared_from_this(), drain_deadline] {
            self->drain_deadline_ = drain_deadline;
            if (self->waiting_for_request()) self->close();
        });
    }

    void end_stop_on() {
        asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
            if (!self->handling_) self->close();
        });
    }

    void close_if_idle_on() {
        asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
            if (self->waiting_for_request()) self->close();
        });
    }

private:
    // waiting_for_request: reading the next request and not one byte of it has arrived.
    bool waiting_for_request() const {
        return reading_ && parser_ && buffer_.size() == 0 && !parser_->got_some();
    }

    // handshake: the server side of the TLS handshake, bounded by handshake_timeout; a client that
    // fails it (plain HTTP, an untrusted certificate) is disconnected.
    void handshake() {
        if constexpr (is_tls) {
            beast::get_lowest_layer(stream_).expires_after(state_.config.handshake_timeout);
            stream_.async_handshake(ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        if (ec) return self->close();
                                        self->after_handshake();
                                    });
        }
    }

    void after_handshake() {
        if (refusing_) {
            return send_early(detail::api_response{
                503, detail::error_body("Too many connections", 503), retry_after_s});
        }
        read_request();
    }

    // arm: the stream's timeout for the next operation: timeout, cut to the drain deadline (plus
    // the write grace) once the server is stopping.
    void arm(std::chrono::milliseconds timeout, bool writing = false) {
        auto at = steady::now() + timeout;
        if (drain_deadline_) {
            auto limit = *drain_deadline_ +
                         (writing ? steady::duration(stop_write_grace) : steady::duration::zero());
            at = std::min(at, limit);
        }
        beast::get_lowest_layer(stream_).expires_at(at);
    }

    void read_request() {
        if (state_.registry.stopping) return close();
        parser_.emplace();
        parser_->header_limit(header_limit_bytes);
        parser_->body_limit(state_.config.max_body_bytes);
        reading_ = true;
        if (buffer_.size() == 0) {
            idle_since_.store(steady::now().time_since_epoch().count());
            idle_.store(true);
        }
        arm(state_.config.request_timeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = this->shared_from_this()](
                                    beast::error_code ec, std::size_t) { self->on_header(ec); });
    }

    // on_header: everything decided from the head, before any body byte is read: the route,
    // credentials and rate limit (api::admit), the body limit and the body budget.
    void on_header(beast::error_code ec) {
        idle_.store(false);
        if (ec) return on_read_error(ec);
        const auto& req = parser_->get();
        detail::api_request head{std::string(req.method_string()),
                                 std::string(req.target()),
                                 std::string(req[http::field::authorization]),
                                 {}};
        version_ = req.version();
        admitted_ = state_.api.admit(head);
        if (admitted_.answer) {
            // An unauthenticated client keeps no connection; other early answers to a request
            // without a body leave it open.
            if (parser_->is_done() && admitted_.answer->status != 401) {
                reading_ = false;
                keep_alive_ = req.keep_alive();
                return write(std::move(*admitted_.answer));
            }
            return send_early(std::move(*admitted_.answer));
        }
        auto length = parser_->content_length();
        if (length && *length > state_.config.max_body_bytes) {
            return send_early(
                detail::api_response{413, detail::error_body("Payload too large", 413), 0});
        }
        std::size_t charge = length ? static_cast<std::size_t>(*length)
                                    : (parser_->is_done() ? 0 : state_.config.max_body_bytes);
        if (charge > 0) {
            if (!state_.budget.try_charge(charge)) {
                return send_early(detail::api_response{
                    503, detail::error_body("Server busy: request bodies over budget", 503),
                    retry_after_s});
            }
            charge_ = detail::budget_charge(state_.budget, charge);
        }
        if (beast::iequals(req[http::field::expect], "100-continue")) {
            auto cont = std::make_shared<http::response<http::empty_body>>(
                http::status::continue_, version_ == 10 ? 10 : 11);
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
        if (ec == http::error::body_limit) {
            return send_early(
                detail::api_response{413, detail::error_body("Payload too large", 413), 0});
        }
        if (ec == http::error::header_limit) {
            return send_early(detail::api_response{
                431, detail::error_body("Request header fields too large", 431), 0});
        }
        bool parse_error =
            ec.category() == http::make_error_code(http::error::bad_target).category();
        if (parse_error && ec != http::error::end_of_stream && ec != http::error::partial_message) {
            auto message = fmt::format("Malformed HTTP request: {}", ec.message());
            return send_early(detail::api_response{400, detail::error_body(message, 400), 0});
        }
        close();
    }

    // on_body: the request is complete. One with a small body for a bounded route (a single
    // record, a set-quality) is handled here, on the I/O thread; any other is parsed and handled
    // on the worker pool.
    void on_body(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        reading_ = false;
        handling_ = true;
        auto req = parser_->release();
        keep_alive_ = req.keep_alive();
        detail::api_request request{std::string(req.method_string()), std::string(req.target()),
                                    std::string(req[http::field::authorization]),
                                    std::move(req.body())};
        auto self = this->shared_from_this();
        auto respond = [self](detail::api_response response) {
            asio::post(self->stream_.get_executor(),
                       [self, response = std::move(response)]() mutable {
                           self->handling_ = false;
                           self->write(std::move(response));
                       });
        };
        if (detail::api::runs_inline(admitted_, request.body.size())) {
            return state_.api.dispatch(admitted_, std::move(request), std::move(respond));
        }
        asio::post(state_.workers, [self, request = std::move(request),
                                    respond = std::move(respond)]() mutable {
            self->state_.api.dispatch(self->admitted_, std::move(request), std::move(respond));
        });
    }

    // send_early: answers before the request was read in full (401, 413, 431, 400, 503), then
    // closes with a lingering close.
    void send_early(detail::api_response response) {
        reading_ = false;
        keep_alive_ = false;
        linger_ = true;
        write(std::move(response));
    }

    void write(detail::api_response response) {
        auto res = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(response.status), version_ == 10 ? 10 : 11);
        res->set(http::field::server, "forge-hive-server");
        res->set(http::field::content_type, detail::content_type_header(response.type));
        if (response.retry_after > 0)
            res->set(http::field::retry_after, std::to_string(response.retry_after));
        res->body() = std::move(response.body);
        res->keep_alive(keep_alive_ && !state_.registry.stopping);
        res->prepare_payload();
        arm(state_.config.request_timeout, true);
        http::async_write(
            stream_, *res,
            [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
                self->charge_.reset();
                if (!ec && self->linger_) return self->linger();
                if (ec || !res->keep_alive()) return self->close();
                self->read_request();
            });
    }

    // linger: after an answer sent before the request was read in full, stop sending and discard
    // what the client still sends, for at most linger_time and max_body_bytes +
    // linger_extra_bytes, so closing with unread data does not reset the connection before the
    // client has read the answer.
    void linger() {
        beast::error_code ignored;
        beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
        linger_deadline_ = steady::now() + linger_time;
        linger_left_ = state_.config.max_body_bytes + linger_extra_bytes;
        drain();
    }

    void drain() {
        auto left = linger_deadline_ - steady::now();
        if (left <= steady::duration::zero() || linger_left_ == 0) return close();
        auto& socket = beast::get_lowest_layer(stream_);
        socket.expires_after(left);
        socket.async_read_some(asio::buffer(discard_), [self = this->shared_from_this()](
                                                           beast::error_code ec, std::size_t n) {
            if (ec) return self->close();
            self->linger_left_ -= std::min(n, self->linger_left_);
            self->drain();
        });
    }

    void close() {
        reading_ = false;
        idle_.store(false);
        beast::error_code ignored;
        auto& socket = beast::get_lowest_layer(stream_).socket();
        socket.shutdown(tcp::socket::shutdown_send, ignored);
        socket.close(ignored);
    }

    Stream stream_;
    server_state& state_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    detail::api::admission admitted_;
    detail::budget_charge charge_;
    std::optional<steady::time_point> drain_deadline_;
    steady::time_point linger_deadline_{};
    std::size_t linger_left_ = 0;
    std::array<char, 16 * 1024> discard_{};
    bool refusing_ = false;
    bool linger_ = false;
    bool reading_ = false;
    bool handling_ = false;
    bool keep_alive_ = true;
    unsigned version_ = 11;
};

std::size_t budget_limit(const server_config& config) {
    return config.body_budget_bytes ? config.body_budget_bytes : 4 * config.max_body_bytes;
}

}  // namespace

struct server::impl {
    server_config config;
    session_registry registry;
    detail::body_budget budget;
    std::size_t max_connections;
    std::unique_ptr<sqlite_record_store> store;
    std::unique_ptr<detail::api> api;
    std::optional<ssl::context> tls;
    asio::thread_pool workers;
    asio::io_context ioc;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    tcp::acceptor acceptor;
    asio::steady_timer accept_backoff;
    std::chrono::milliseconds backoff{0};
    std::optional<server_state> state;
    std::vector<std::thread> threads;
    std::uint16_t port = 0;
    std::mutex stop_mutex;
    bool stopped = false;

    explicit impl(server_config c)
        : config(std::move(c)),
          budget(budget_limit(config)),
          max_connections(config.max_connections ? config.max_connections
                                                 : detail::default_max_connections()),
          workers(config.workers ? config.workers : 1),
          ioc(static_cast<int>(config.threads ? config.threads : 1)),
          acceptor(asio::make_strand(ioc)),
          accept_backoff(acceptor.get_executor()) {
        if (config.database.empty()) throw std::runtime_error("server_config.database is empty");
        load_tls();
        store = std::make_unique<sqlite_record_store>(config.database, config.sync_commits);
        api = std::make_unique<detail::api>(config, *store, &budget);
        state.emplace(server_state{*api, config, registry, budget, workers});
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

    impl(const impl&) = delete;
    impl& operator=(const impl&) = delete;

    ~impl() {
        workers.join();
        ioc.stop();
        for (auto& t : threads) {
            if (t.joinable()) t.join();
        }
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
                                  if (ec) return back_off(ec);
                                  backoff = std::chrono::milliseconds(0);
                                  if (!registry.stopping) admit(std::move(socket));
                                  accept();
                              });
    }

    // back_off: after a failed accept (EMFILE, ENFILE, ENOBUFS...), waits before accepting again,
    // 10 ms doubling to 1 s, instead of spinning; running out of descriptors also closes the
    // oldest idle connection so the next accept can succeed.
    void back_off(const beast::error_code& ec) {
        if (ec == asio::error::no_descriptors || ec.value() == ENFILE) {
            registry.close_oldest_idle();
        }
        backoff =
            std::clamp(backoff * 2, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
        accept_backoff.expires_after(backoff);
        accept_backoff.async_wait([this](beast::error_code wec) {
            if (wec || !acceptor.is_open()) return;
            accept();
        });
    }

    // admit: starts a session for socket. At the cap, the oldest idle connection is closed to make
    // room; with none idle the new connection is answered 503 (or, with max_refusing already
    // being answered, closed at once).
    void admit(tcp::socket socket) {
        bool refusing = false;
        if (registry.size() >= max_connections && !registry.close_oldest_idle()) {
            std::lock_guard lock(registry.mutex);
            if (registry.refusing >= max_refusing) return;
            refusing = true;
        }
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        if (tls) {
            std::make_shared<session<tls_stream>>(*state, refusing, std::move(socket), *tls)
                ->start();
        } else {
            std::make_shared<session<beast::tcp_stream>>(*state, refusing, std::move(socket))
                ->start();
        }
    }

    void stop() {
        std::lock_guard guard(stop_mutex);
        if (stopped) return;
        stopped = true;
        registry.stopping = true;
        auto deadline = steady::now() + config.drain_timeout;
        asio::post(acceptor.get_executor(), [this] {
            beast::error_code ignored;
            acceptor.close(ignored);
            accept_backoff.cancel();
        });
        for (auto& s : registry.snapshot()) s->begin_stop(deadline);
        {
            std::unique_lock lock(registry.mutex);
            registry.empty.wait_until(lock, deadline, [this] { return registry.live.empty(); });
        }
        for (auto& s : registry.snapshot()) s->end_stop();
        {
            std::unique_lock lock(registry.mutex);
            registry.empty.wait_until(lock, steady::now() + config.request_timeout,
                                      [this] { return registry.live.empty(); });
        }
        workers.join();
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
