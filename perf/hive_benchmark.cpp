// Benchmarks of forge::hive: shipper throughput to the local hive server and the hand-over cost
// on the application thread. Figures: shipper_records_per_s, handover_ns. Also reported (not a
// figure): log_client_single_16c_records_per_s, 16 threads each sending one record per
// forge::hive::log_client::send (one connection per call, as log_client is documented), the
// connection-per-request counterpart of server_benchmark's ingest_single_16c_records_per_s.
//
// The server is the hive-server executable, started once per process on 127.0.0.1 port 0 with a
// fresh SQLite file: $FORGE_HIVE_SERVER_BIN, or ../apps/hive-server/hive-server next to this
// binary's folder. Without it both benchmarks are skipped with an error.
#include <forge/hive/log_client.hpp>
#include <forge/hive/shipper.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/uuid.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <signal.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using steady = std::chrono::steady_clock;

constexpr const char* project_uuid = "167aa373-cecc-42b5-90d1-a29454d76504";
constexpr const char* task_uuid = "a45aafe3-8b01-4b58-b15d-9a96274858ee";
constexpr const char* key = "bench-key";
constexpr const char* secret = "bench-secret";

// local_server: one hive-server child process for the whole benchmark run.
class local_server {
public:
    local_server() {
        fs::path bin = server_binary();
        if (bin.empty()) {
            error_ = "hive-server binary not found (set FORGE_HIVE_SERVER_BIN)";
            return;
        }
        char tmpl[] = "/tmp/forge-hive-bench-XXXXXX";
        if (!::mkdtemp(tmpl)) {
            error_ = "mkdtemp failed";
            return;
        }
        dir_ = tmpl;
        forge_json_ = dir_ / "forge.json";
        std::ofstream(forge_json_)
            << R"({"project":{"name":"Bench","uuid":")" << project_uuid
            << R"("},"tasks":{"bench:task":{"uuid":")" << task_uuid << R"("}}})";
        int fds[2];
        if (::pipe(fds) != 0) {
            error_ = "pipe failed";
            return;
        }
        std::string db = (dir_ / "hive.db").string();
        std::string fj = forge_json_.string();
        std::string b = bin.string();
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(fds[1], STDOUT_FILENO);
            ::close(fds[0]);
            ::close(fds[1]);
            ::execl(b.c_str(), b.c_str(), "--port", "0", "--db", db.c_str(), "--api-key", key,
                    "--api-secret", secret, "--forge-json", fj.c_str(),
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(fds[1]);
        std::string line;
        char c;
        while (::read(fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
        ::close(fds[0]);
        auto pos = line.rfind("http://");
        if (pos == std::string::npos) {
            error_ = "hive-server did not start: " + line;
            return;
        }
        url_ = line.substr(pos);
    }

    ~local_server() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
        std::error_code ec;
        if (!dir_.empty()) fs::remove_all(dir_, ec);
    }

    local_server(const local_server&) = delete;
    local_server& operator=(const local_server&) = delete;

    const std::string& error() const { return error_; }

    forge::hive::client_config config() const {
        forge::hive::client_config c;
        c.api_key = key;
        c.api_secret = secret;
        c.host = url_;
        c.project_uuid = project_uuid;
        c.forge_config_path = forge_json_.string();
        return c;
    }

private:
    static fs::path server_binary() {
        if (const char* env = std::getenv("FORGE_HIVE_SERVER_BIN"); env && *env) return env;
        std::error_code ec;
        fs::path self = fs::read_symlink("/proc/self/exe", ec);
        if (ec) return {};
        fs::path candidate = self.parent_path().parent_path() / "apps/hive-server/hive-server";
        return fs::exists(candidate, ec) ? candidate : fs::path();
    }

    fs::path dir_;
    fs::path forge_json_;
    std::string url_;
    std::string error_;
    pid_t pid_ = -1;
};

local_server& server() {
    static local_server s;
    return s;
}

// make_record: a typical small success record with a fresh uuid.
forge::execution_record make_record(std::int64_t ms, int i) {
    forge::execution_record r;
    r.input = forge::json::object({{"customerId", forge::json("c-" + std::to_string(i))}});
    r.task_name = "bench:task";
    r.metadata = forge::json_object{{"env", forge::json("bench")}};
    r.metrics = {};
    r.type = forge::record_type::success;
    r.output = forge::json::object({{"total", forge::json(74.52)}});
    r.timing = forge::timing_info{ms, ms + 3, 3, 3000000, std::nullopt};
    r.uuid = forge::make_uuid_v7(ms);
    return r;
}

std::vector<forge::execution_record> make_records(std::size_t n) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    std::vector<forge::execution_record> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.push_back(make_record(ms, static_cast<int>(i)));
    return out;
}

// BM_shipper_throughput: records per second from enqueue to acknowledged by the server, batched
// over one keep-alive connection (flush included in the timed region).
void BM_shipper_throughput(benchmark::State& state) {
    if (!server().error().empty()) {
        state.SkipWithError(server().error().c_str());
        return;
    }
    const auto n = static_cast<std::size_t>(state.range(0));
    forge::hive::shipper_options o;
    o.capacity = n;
    o.batch_max_items = 1000;
    forge::hive::shipper s(server().config(), o);
    std::uint64_t sent_before = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto records = make_records(n);
        state.ResumeTiming();
        for (auto& r : records) s.enqueue(std::move(r));
        auto report = s.flush(steady::now() + std::chrono::seconds(120));
        if (!report.drained || report.sent - sent_before != n) {
            state.SkipWithError("not every record was acknowledged");
            break;
        }
        sent_before = report.sent;
    }
    state.SetItemsProcessed(
        static_cast<std::int64_t>(static_cast<std::size_t>(state.iterations()) * n));
    state.counters["figure:shipper_records_per_s"] =
        benchmark::Counter(static_cast<double>(static_cast<std::size_t>(state.iterations()) * n),
                           benchmark::Counter::kIsRate);
}
BENCHMARK(BM_shipper_throughput)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();

// BM_log_client_single_16c: records acknowledged per second when 16 threads each send one record
// per log_client::send call (closed loop).
void BM_log_client_single_16c(benchmark::State& state) {
    if (!server().error().empty()) {
        state.SkipWithError(server().error().c_str());
        return;
    }
    constexpr std::size_t threads = 16;
    const auto per_thread = static_cast<std::size_t>(state.range(0)) / threads;
    forge::hive::log_client client(server().config());
    std::uint64_t records = 0;
    for (auto _ : state) {
        state.PauseTiming();
        std::vector<std::vector<forge::execution_record>> work;
        for (std::size_t t = 0; t < threads; ++t) work.push_back(make_records(per_thread));
        std::atomic<int> failures{0};
        state.ResumeTiming();
        std::vector<std::thread> pool;
        for (std::size_t t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                for (const auto& r : work[t]) {
                    if (client.send(r).status != forge::hive::send_status::sent) ++failures;
                }
            });
        }
        for (auto& p : pool) p.join();
        if (failures) state.SkipWithError("a send failed");
        records += threads * per_thread;
    }
    state.counters["log_client_single_16c_records_per_s"] =
        benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_log_client_single_16c)
    ->Arg(8000)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// BM_handover: the application thread's cost of enqueue(std::move(record)) while the worker ships
// to the server; timed manually around the enqueue loop only (records are built beforehand).
void BM_handover(benchmark::State& state) {
    if (!server().error().empty()) {
        state.SkipWithError(server().error().c_str());
        return;
    }
    constexpr std::size_t chunk = 2000;
    forge::hive::shipper_options o;
    o.capacity = 1 << 16;
    o.batch_max_items = 1000;
    forge::hive::shipper s(server().config(), o);
    std::uint64_t handed = 0;
    double seconds = 0;
    for (auto _ : state) {
        auto records = make_records(chunk);
        auto t0 = steady::now();
        for (auto& r : records) {
            if (!s.enqueue(std::move(r))) state.SkipWithError("queue full");
        }
        auto t1 = steady::now();
        double dt = std::chrono::duration<double>(t1 - t0).count();
        seconds += dt;
        handed += chunk;
        state.SetIterationTime(dt);
        if (s.counters().queue_depth > (1u << 15))
            s.flush(steady::now() + std::chrono::seconds(60));
    }
    s.flush(steady::now() + std::chrono::seconds(60));
    state.SetItemsProcessed(static_cast<std::int64_t>(handed));
    state.counters["figure:handover_ns"] =
        handed ? seconds * 1e9 / static_cast<double>(handed) : 0.0;
}
BENCHMARK(BM_handover)->UseManualTime()->Iterations(100)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
