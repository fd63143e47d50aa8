// Durable ingest of the local hive server over real HTTP on 127.0.0.1 (SQLite WAL, group
// commit). The second argument of each benchmark is sync_commits: 0 is the default (an
// acknowledged record survives a kill -9), 1 adds an fsync per group commit (survives power
// loss); the figures come from the default, the fsync variant reports fsync_* counters.
//
// Figures published for perf/run (as user counters named "figure:<name>"):
//   ingest_records_per_s  records acknowledged (committed) per second, 4 keep-alive clients
//                         sending batches of 100 (the shipper's route); budget >= 20,000.
//   ingest_p99_ms         p99 of send-to-acknowledgement (which follows the commit) for single
//                         POST /api/log-ingest requests offered open-loop at 1,000 records/s by
//                         8 clients, measured from each request's scheduled send time; budget
//                         <= 50 ms.
//   ingest_single_16c_records_per_s
//                         records acknowledged per second when 16 keep-alive clients each send
//                         one record per POST /api/log-ingest request, closed loop (group commit
//                         at work); budget >= 0.5 x ingest_records_per_s of the same run.
//   healthz_p99_under_large_bodies_ms
//                         p99 of GET /healthz (one keep-alive client, a request every 2 ms) while
//                         two clients loop authenticated bodies of just under 8 MiB made of small
//                         numbers (parsed in full, then refused with 400); budget <= 50 ms.
#include <forge/hive_server/server.hpp>
#include <forge/types/uuid.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using steady = std::chrono::steady_clock;

constexpr std::string_view project_uuid = "167aa373-cecc-42b5-90d1-a29454d76504";
constexpr std::string_view task_uuid = "a45aafe3-8b01-4b58-b15d-9a96274858ee";
constexpr std::string_view record_uuid = "018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17";

// The spec's success record (docs/record-format.md §13), about 1 KB.
constexpr std::string_view success_record =
    R"json({"input":{"customerId":"c-1042","currency":"EUR"},"boundaries":{"loadInvoiceLines":[{"input":["c-1042"],"output":[{"sku":"A-7","qty":2,"unitPrice":19.5},{"sku":"B-3","qty":1,"unitPrice":42}],"timing":{"startTime":1717000000010,"endTime":1717000000050,"duration":40,"durationNs":40115800,"offsetNs":310200},"provenance":"live","seq":0}],"convertCurrency":[{"input":[81,"USD","EUR"],"output":74.52,"timing":{"startTime":1717000000051,"endTime":1717000000071,"duration":20,"durationNs":20384100,"offsetNs":40902000},"provenance":"live","seq":1}]},"taskName":"invoice:total","metadata":{"customerId":"c-1042","currency":"EUR"},"metrics":[{"type":"business","name":"line_items","value":2},{"type":"performance","name":"fx_lookups","value":1}],"type":"success","output":{"customerId":"c-1042","currency":"EUR","total":74.52},"timing":{"startTime":1717000000010,"endTime":1717000000072,"duration":62,"durationNs":61840500},"uuid":"018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17"})json";

std::string escape_json(std::string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 4);
    for (char c : s) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

// ingest_body: one request body (docs/hive-api.md §5.3) with the success record, fresh uuid.
std::string ingest_body() {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    std::string record(success_record);
    record.replace(record.find(record_uuid), record_uuid.size(), forge::make_uuid_v7(now));
    std::string body = R"({"projectUuid":")";
    body.append(project_uuid)
        .append(R"(","taskUuid":")")
        .append(task_uuid)
        .append(R"(","logItem":")");
    body.append(escape_json(record)).append("\"}");
    return body;
}

// client: a blocking keep-alive HTTP/1.1 connection to 127.0.0.1.
class client {
public:
    explicit client(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            throw std::runtime_error("connect failed");
        }
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~client() { ::close(fd_); }
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    // post: sends one POST request and returns the response status.
    int post(std::string_view target, std::string_view body) {
        return request("POST", target, body);
    }

    // request: sends one request and returns the response status.
    int request(std::string_view method, std::string_view target, std::string_view body) {
        std::string text = std::string(method) + " " + std::string(target) +
                           " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer bench:secret\r\n"
                           "Content-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n";
        text.append(body);
        for (std::string_view left = text; !left.empty();) {
            auto n = ::send(fd_, left.data(), left.size(), MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send failed");
            left.remove_prefix(static_cast<std::size_t>(n));
        }
        std::size_t end;
        while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) fill();
        int status = std::stoi(buffer_.substr(9, 3));
        auto cl = buffer_.find("Content-Length: ");
        if (cl == std::string::npos || cl > end) cl = buffer_.find("content-length: ");
        std::size_t length = std::stoul(buffer_.substr(cl + 16));
        while (buffer_.size() < end + 4 + length) fill();
        buffer_.erase(0, end + 4 + length);
        return status;
    }

private:
    void fill() {
        char chunk[65536];
        auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) throw std::runtime_error("connection closed");
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    int fd_ = -1;
    std::string buffer_;
};

// bench_server: an in-process server on a fresh database in the temp directory.
struct bench_server {
    std::filesystem::path dir;
    std::unique_ptr<forge::hive_server::server> server;

    explicit bench_server(bool sync_commits) {
        std::random_device rd;
        dir =
            std::filesystem::temp_directory_path() / ("forge-server-bench-" + std::to_string(rd()));
        std::filesystem::create_directories(dir);
        forge::hive_server::server_config config;
        config.database = dir / "hive.db";
        config.api_key = "bench";
        config.api_secret = "secret";
        config.sync_commits = sync_commits;
        server = std::make_unique<forge::hive_server::server>(config);
        server->register_project({std::string(project_uuid),
                                  "Billing",
                                  "",
                                  {{std::string(task_uuid), "invoice:total"}}});
    }
    ~bench_server() {
        server.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    bench_server(const bench_server&) = delete;
    bench_server& operator=(const bench_server&) = delete;
};

void bm_server_durable_ingest(benchmark::State& state) {
    constexpr int clients = 4;
    constexpr int batch_size = 100;
    const int batches_per_client = static_cast<int>(state.range(0)) / (clients * batch_size);
    const bool sync = state.range(1) != 0;
    bench_server s(sync);
    std::int64_t records = 0;
    for (auto _ : state) {
        state.PauseTiming();
        std::vector<std::vector<std::string>> bodies(clients);
        for (auto& list : bodies) {
            for (int b = 0; b < batches_per_client; ++b) {
                std::string body = "{\"items\":[";
                for (int i = 0; i < batch_size; ++i) {
                    if (i) body.push_back(',');
                    body.append(ingest_body());
                }
                body.append("]}");
                list.push_back(std::move(body));
            }
        }
        std::atomic<int> failures{0};
        state.ResumeTiming();
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c) {
            threads.emplace_back([&, c] {
                client conn(s.server->port());
                for (const auto& body : bodies[static_cast<std::size_t>(c)]) {
                    if (conn.post("/api/log-ingest/batch", body) != 200) ++failures;
                }
            });
        }
        for (auto& t : threads) t.join();
        if (failures) state.SkipWithError("a batch request failed");
        records += static_cast<std::int64_t>(clients) * batches_per_client * batch_size;
    }
    state.counters[sync ? "fsync_records_per_s" : "figure:ingest_records_per_s"] =
        benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}
BENCHMARK(bm_server_durable_ingest)
    ->Args({20000, 0})
    ->Args({20000, 1})
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void bm_server_ingest_latency(benchmark::State& state) {
    constexpr int clients = 8;
    const double rate = static_cast<double>(state.range(0));
    const bool sync = state.range(1) != 0;
    const auto seconds = 3;
    const int per_client = static_cast<int>(rate) * seconds / clients;
    const auto interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 * clients / rate));
    bench_server s(sync);
    std::vector<double> latencies_ms;
    for (auto _ : state) {
        std::vector<std::vector<std::string>> bodies(clients);
        for (auto& list : bodies) {
            for (int i = 0; i < per_client; ++i) list.push_back(ingest_body());
        }
        std::vector<std::vector<double>> samples(clients);
        std::atomic<int> failures{0};
        auto start = steady::now() + std::chrono::milliseconds(50);
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c) {
            threads.emplace_back([&, c] {
                client conn(s.server->port());
                auto offset = interval * c / clients;
                for (int i = 0; i < per_client; ++i) {
                    auto scheduled = start + offset + interval * i;
                    std::this_thread::sleep_until(scheduled);
                    if (conn.post(
                            "/api/log-ingest",
                            bodies[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)]) !=
                        201)
                        ++failures;
                    samples[static_cast<std::size_t>(c)].push_back(
                        std::chrono::duration<double, std::milli>(steady::now() - scheduled)
                            .count());
                }
            });
        }
        for (auto& t : threads) t.join();
        if (failures) state.SkipWithError("an ingest request failed");
        for (auto& list : samples)
            latencies_ms.insert(latencies_ms.end(), list.begin(), list.end());
    }
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto rank = [&](double q) {
        if (latencies_ms.empty()) return 0.0;
        auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(latencies_ms.size())));
        return latencies_ms[std::clamp<std::size_t>(i, 1, latencies_ms.size()) - 1];
    };
    state.counters[sync ? "fsync_p99_ms" : "figure:ingest_p99_ms"] = rank(0.99);
    state.counters["p50_ms"] = rank(0.50);
    state.counters["max_ms"] = latencies_ms.empty() ? 0.0 : latencies_ms.back();
}
BENCHMARK(bm_server_ingest_latency)
    ->Args({1000, 0})
    ->Args({1000, 1})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// percentile: the q-quantile (nearest rank) of sorted samples, 0 when empty.
double percentile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0.0;
    auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(i, 1, sorted.size()) - 1];
}

void bm_server_single_ingest(benchmark::State& state) {
    constexpr int clients = 16;
    const int per_client = static_cast<int>(state.range(0)) / clients;
    bench_server s(false);
    std::int64_t records = 0;
    for (auto _ : state) {
        state.PauseTiming();
        std::vector<std::vector<std::string>> bodies(clients);
        for (auto& list : bodies) {
            for (int i = 0; i < per_client; ++i) list.push_back(ingest_body());
        }
        std::atomic<int> failures{0};
        state.ResumeTiming();
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c) {
            threads.emplace_back([&, c] {
                client conn(s.server->port());
                for (const auto& body : bodies[static_cast<std::size_t>(c)]) {
                    if (conn.post("/api/log-ingest", body) != 201) ++failures;
                }
            });
        }
        for (auto& t : threads) t.join();
        if (failures) state.SkipWithError("a single ingest request failed");
        records += static_cast<std::int64_t>(clients) * per_client;
    }
    state.counters["figure:ingest_single_16c_records_per_s"] =
        benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}
BENCHMARK(bm_server_single_ingest)
    ->Arg(16000)
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// small_values_body: an ingest body of just under 8 MiB whose extra member holds small numbers,
// the costliest valid JSON to parse per byte; the server parses it, then answers 400.
std::string small_values_body() {
    constexpr std::size_t target_size = 8 * 1024 * 1024 - 1024;
    std::string body = "{\"pad\":[0";
    body.reserve(target_size + 16);
    while (body.size() < target_size) body.append(",0");
    body.append("]}");
    return body;
}

void bm_server_healthz_under_large_bodies(benchmark::State& state) {
    constexpr int loaders = 2;
    const int samples_wanted = static_cast<int>(state.range(0));
    bench_server s(false);
    const std::string big = small_values_body();
    std::vector<double> latencies_ms;
    std::int64_t bodies_sent = 0;
    for (auto _ : state) {
        std::atomic<bool> done{false};
        std::atomic<std::int64_t> sent{0};
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int c = 0; c < loaders; ++c) {
            threads.emplace_back([&] {
                while (!done.load()) {
                    try {
                        client conn(s.server->port());
                        while (!done.load()) {
                            int status = conn.post("/api/log-ingest", big);
                            if (status != 400 && status != 503) ++failures;
                            ++sent;
                        }
                    } catch (const std::runtime_error&) {
                        ++sent;  // the server closed the connection after its answer
                    }
                }
            });
        }
        while (sent.load() < loaders) std::this_thread::yield();
        {
            client probe(s.server->port());
            auto next = steady::now();
            for (int i = 0; i < samples_wanted; ++i) {
                next += std::chrono::milliseconds(2);
                std::this_thread::sleep_until(next);
                auto begin = steady::now();
                if (probe.request("GET", "/healthz", {}) != 200) ++failures;
                latencies_ms.push_back(
                    std::chrono::duration<double, std::milli>(steady::now() - begin).count());
            }
        }
        done = true;
        for (auto& t : threads) t.join();
        bodies_sent += sent.load();
        if (failures) state.SkipWithError("a request failed");
    }
    std::sort(latencies_ms.begin(), latencies_ms.end());
    state.counters["figure:healthz_p99_under_large_bodies_ms"] = percentile(latencies_ms, 0.99);
    state.counters["healthz_p50_ms"] = percentile(latencies_ms, 0.50);
    state.counters["healthz_max_ms"] = latencies_ms.empty() ? 0.0 : latencies_ms.back();
    state.counters["large_bodies"] = static_cast<double>(bodies_sent);
}
BENCHMARK(bm_server_healthz_under_large_bodies)
    ->Arg(1500)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
