// forge::hive_server::server: the local hive server (docs/hive-api.md §5) in-process.
#pragma once

#include <forge/hive_server/storage.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace forge::hive_server {

// server_config: everything the server needs; the executable fills it from flags and environment.
struct server_config {
    std::string host = "127.0.0.1";
    // port: 0 picks a free port (read it back with server::port()).
    std::uint16_t port = 0;
    // database: the SQLite file, created when missing.
    std::filesystem::path database;
    // api_key / api_secret: the one credential of team "local". Empty key: every /api call is 401.
    std::string api_key;
    std::string api_secret;
    // max_body_bytes: larger bodies (declared or sent) get 413 before parsing.
    std::size_t max_body_bytes = 8 * 1024 * 1024;
    // request_timeout: the limit for reading one request and for writing one response; an idle
    // keep-alive connection is closed after it.
    std::chrono::milliseconds request_timeout{30000};
    // forge_json_files: projects and tasks to register at start (docs/forge-json.md §4).
    std::vector<std::filesystem::path> forge_json_files;
    // threads: I/O threads running the HTTP connections.
    unsigned threads = 2;
    // workers: threads that parse and validate request bodies and run the handlers of requests
    // with a body, so I/O threads (and /healthz) never wait behind a large body.
    unsigned workers = 2;
    // max_connections: open connections (plain, TLS, upgraded alike); 0 = derived from the soft
    // RLIMIT_NOFILE, leaving 64 descriptors for the database and logs. Past the cap the oldest
    // idle connection is closed; with none idle the new one is answered 503 with Retry-After.
    std::size_t max_connections = 0;
    // handshake_timeout: the limit for a TLS handshake.
    std::chrono::milliseconds handshake_timeout{10000};
    // body_budget_bytes: bytes of request bodies held at once, server-wide, charged from
    // Content-Length (max_body_bytes for a chunked body) before the body is read and released
    // when the response is sent; a request over it gets 503 with Retry-After. 0 = 4 x
    // max_body_bytes.
    std::size_t body_budget_bytes = 0;
    // drain_timeout: on stop(), how long partially received requests and requests being handled
    // get before their connections are closed.
    std::chrono::milliseconds drain_timeout{5000};
    // rate_limit_per_s / rate_limit_burst: token bucket per API key; 0 = off. A burst of 0 means
    // max(1, rate_limit_per_s).
    double rate_limit_per_s = 0;
    double rate_limit_burst = 0;
    // sync_commits: fsync every group commit (SQLite synchronous=FULL), so acknowledged records
    // also survive a power loss. Off: they survive a kill -9 of the server (WAL, NORMAL).
    bool sync_commits = false;
    // tls_cert_file / tls_key_file: PEM certificate chain and private key; both set = serve HTTPS
    // only (TLS 1.2+), both empty = plain HTTP.
    std::filesystem::path tls_cert_file;
    std::filesystem::path tls_key_file;
};

// invoke_result: what an invokable task returns. status 200 answers {"responsePayload": output};
// any other status answers {"error": error, "status": status}. A record, when present, is stored
// as if ingested (metadata.environment = "hive-invoke") before the response is sent.
struct invoke_result {
    int status = 200;
    forge::json output;
    std::string error;
    std::optional<forge::execution_record> record;
};

// invokable: a task hosted by the server for POST .../invoke; receives the request's payload.
// An exception it throws becomes a 500 with its message. Runs on a worker thread (or an I/O
// thread for a request without a body): keep it short.
using invokable = std::function<invoke_result(const forge::json& payload)>;

// server
//
// Listens in the constructor and serves until stop() or destruction: async Beast on a pool of
// config.threads I/O threads, request bodies handled on config.workers threads, records in a
// sqlite_record_store at config.database. The constructor throws std::runtime_error naming the
// problem when the database cannot be opened, a forge.json file cannot be loaded, the TLS
// certificate or key cannot be loaded (or only one is set), or the address cannot be bound.
// Thread-safe.
class server {
public:
    explicit server(server_config config);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // port: the bound TCP port.
    std::uint16_t port() const;

    // url: "http://<host>:<port>", or "https://<host>:<port>" when TLS is configured.
    std::string url() const;

    // register_project: adds or replaces a project and its tasks (stored, so it survives a
    // restart). Blocks until committed; throws std::runtime_error when storage fails.
    void register_project(const project_info& project);

    // register_invokable: hosts fn for POST /api/projects/{project_uuid}/tasks/{task_uuid}/invoke.
    // The task must be registered (forge.json or register_project) for invocations to reach it.
    void register_invokable(std::string project_uuid, std::string task_uuid, invokable fn);

    // stop: stops accepting, closes idle connections, lets requests already read finish (their
    // responses are sent) and gives partially received ones until drain_timeout; then closes
    // every connection left and commits pending writes. Returns within about drain_timeout plus
    // the time handlers already running take (a response still being written gets at most 1 s
    // more). Idempotent; the destructor calls it.
    void stop();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// load_forge_json: the project and tasks of a forge.json file, read by forge::read_forge_json
// (docs/forge-json.md): project.name, project.uuid, project.description and each task's uuid;
// other keys are ignored. Throws forge::forge_json_not_found for a missing file, and
// forge::forge_json_error (naming the file and the key path) for a malformed one or one without
// project.uuid; both are std::runtime_errors.
project_info load_forge_json(const std::filesystem::path& path);

}  // namespace forge::hive_server
