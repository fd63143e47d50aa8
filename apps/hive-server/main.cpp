// hive-server: the local hive server executable (flags, environment, signals).
#include "src/huge_page_heap.hpp"

#include <forge/hive_server/server.hpp>

#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <optional>
#include <pthread.h>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

constexpr const char* usage_text = R"(usage: hive-server [options]

Serves the hive API (log ingest, logs, quality, projects, invoke) over HTTP or HTTPS, storing
records in one SQLite file. Prints "hive-server listening on http[s]://<host>:<port>" first, then
serves until SIGINT or SIGTERM: then it stops accepting, finishes the requests it has read and
gives partially received ones until --drain-timeout-ms before closing them.

options (environment fallback in parentheses):
  --host ADDR               address to bind (default 127.0.0.1)
  --port N                  TCP port, 0 picks a free one (HIVE_SERVER_PORT; default 0)
  --db PATH                 SQLite database file (HIVE_SERVER_DB; default ./hive.db)
  --api-key KEY             the accepted API key (HIVE_API_KEY; required)
  --api-secret SECRET       the accepted API secret (HIVE_API_SECRET; required)
  --forge-json PATH         register the project and tasks of a forge.json (repeatable)
  --max-body-bytes N        request body limit (default 8388608)
  --request-timeout-ms N    per-request read/write timeout (default 30000)
  --threads N               I/O threads (default 2)
  --workers N               threads parsing and handling request bodies (default 2)
  --max-connections N       open connections; past it the oldest idle one is closed, or 503
                            (default 0: the descriptor limit minus 64)
  --handshake-timeout-ms N  TLS handshake timeout (default 10000)
  --body-budget-bytes N     request body bytes held at once, server-wide; over it 503
                            (default 0: 4 x --max-body-bytes)
  --drain-timeout-ms N      on SIGTERM, time left to requests in progress (default 5000)
  --rate-limit N            requests per second per API key, 0 = off (default 0)
  --rate-limit-burst N      token bucket size (default: the rate)
  --sync-commits            fsync every commit, surviving power loss too (default: off,
                            acknowledged records survive a crash of the server process)
  --tls-cert PATH           PEM certificate chain: serve HTTPS only (needs --tls-key)
  --tls-key PATH            PEM private key of --tls-cert
  --help                    print this help
)";

struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

unsigned long long parse_unsigned(std::string_view flag,
                                  const std::string& text,
                                  unsigned long long max) {
    std::size_t used = 0;
    unsigned long long value = 0;
    try {
        if (text.empty() || text[0] == '-' || text[0] == '+') throw std::invalid_argument(text);
        value = std::stoull(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || value > max) {
        throw usage_error(
            fmt::format("{}: expected an integer from 0 to {}, got \"{}\"", flag, max, text));
    }
    return value;
}

double parse_rate(std::string_view flag, const std::string& text) {
    std::size_t used = 0;
    double value = -1;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || !(value >= 0) || value > 1e9) {
        throw usage_error(
            fmt::format("{}: expected a non-negative number, got \"{}\"", flag, text));
    }
    return value;
}

std::string env_or(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}

forge::hive_server::server_config parse_args(int argc, char** argv, bool& help) {
    forge::hive_server::server_config config;
    std::optional<std::string> port, db, key, secret;
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        if (flag == "--help" || flag == "-h") {
            help = true;
            return config;
        }
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw usage_error(fmt::format("{}: missing value", flag));
            return argv[++i];
        };
        if (flag == "--host") {
            config.host = value();
        } else if (flag == "--port") {
            port = value();
        } else if (flag == "--db") {
            db = value();
        } else if (flag == "--api-key") {
            key = value();
        } else if (flag == "--api-secret") {
            secret = value();
        } else if (flag == "--forge-json") {
            config.forge_json_files.emplace_back(value());
        } else if (flag == "--max-body-bytes") {
            config.max_body_bytes = static_cast<std::size_t>(
                parse_unsigned(flag, value(), std::numeric_limits<std::uint32_t>::max()));
            if (config.max_body_bytes == 0)
                throw usage_error("--max-body-bytes: must be at least 1");
        } else if (flag == "--request-timeout-ms") {
            auto ms = parse_unsigned(flag, value(), 24ULL * 3600 * 1000);
            if (ms == 0) throw usage_error("--request-timeout-ms: must be at least 1");
            config.request_timeout = std::chrono::milliseconds(ms);
        } else if (flag == "--threads") {
            config.threads = static_cast<unsigned>(parse_unsigned(flag, value(), 256));
            if (config.threads == 0) throw usage_error("--threads: must be at least 1");
        } else if (flag == "--workers") {
            config.workers = static_cast<unsigned>(parse_unsigned(flag, value(), 256));
            if (config.workers == 0) throw usage_error("--workers: must be at least 1");
        } else if (flag == "--max-connections") {
            config.max_connections =
                static_cast<std::size_t>(parse_unsigned(flag, value(), 1'000'000));
        } else if (flag == "--handshake-timeout-ms") {
            auto ms = parse_unsigned(flag, value(), 24ULL * 3600 * 1000);
            if (ms == 0) throw usage_error("--handshake-timeout-ms: must be at least 1");
            config.handshake_timeout = std::chrono::milliseconds(ms);
        } else if (flag == "--body-budget-bytes") {
            config.body_budget_bytes = static_cast<std::size_t>(
                parse_unsigned(flag, value(), std::numeric_limits<std::uint32_t>::max() * 16ULL));
        } else if (flag == "--drain-timeout-ms") {
            config.drain_timeout =
                std::chrono::milliseconds(parse_unsigned(flag, value(), 24ULL * 3600 * 1000));
        } else if (flag == "--sync-commits") {
            config.sync_commits = true;
        } else if (flag == "--rate-limit") {
            config.rate_limit_per_s = parse_rate(flag, value());
        } else if (flag == "--rate-limit-burst") {
            config.rate_limit_burst = parse_rate(flag, value());
        } else if (flag == "--tls-cert") {
            config.tls_cert_file = value();
        } else if (flag == "--tls-key") {
            config.tls_key_file = value();
        } else {
            throw usage_error(fmt::format("{}: unknown option (see --help)", flag));
        }
    }
    std::string port_text = port ? *port : env_or("HIVE_SERVER_PORT", "0");
    config.port = static_cast<std::uint16_t>(
        parse_unsigned(port ? "--port" : "HIVE_SERVER_PORT", port_text, 65535));
    config.database = db ? *db : env_or("HIVE_SERVER_DB", "./hive.db");
    config.api_key = key ? *key : env_or("HIVE_API_KEY", "");
    config.api_secret = secret ? *secret : env_or("HIVE_API_SECRET", "");
    if (config.api_key.empty()) throw usage_error("--api-key: required (or set HIVE_API_KEY)");
    if (config.api_secret.empty())
        throw usage_error("--api-secret: required (or set HIVE_API_SECRET)");
    if (config.database.empty()) throw usage_error("--db: must not be empty");
    if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
        throw usage_error("--tls-cert and --tls-key: give both or neither");
    }
    return config;
}

}  // namespace

int main(int argc, char** argv) {
    forge::hive_server::detail::reexec_with_huge_page_heap(argv);
    std::signal(SIGPIPE, SIG_IGN);
    // A file-size limit then fails the write (a 503 that can pass) instead of killing the server.
    std::signal(SIGXFSZ, SIG_IGN);
    bool help = false;
    forge::hive_server::server_config config;
    try {
        config = parse_args(argc, argv, help);
    } catch (const usage_error& e) {
        std::fprintf(stderr, "hive-server: %s\n", e.what());
        return 2;
    }
    if (help) {
        std::fputs(usage_text, stdout);
        return 0;
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    try {
        forge::hive_server::server server(std::move(config));
        std::printf("hive-server listening on %s\n", server.url().c_str());
        std::fflush(stdout);
        int received = 0;
        sigwait(&signals, &received);
        std::fprintf(stderr, "hive-server: %s received, stopping\n",
                     received == SIGINT ? "SIGINT" : "SIGTERM");
        server.stop();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hive-server: %s\n", e.what());
        return 1;
    }
    return 0;
}
