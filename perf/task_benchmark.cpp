// Overhead of forge::task: boundary calls, whole runs, allocations, and cost after many runs.
//
// Figures published for perf/run, as user counters named "figure:<name>": bare_call_ns,
// boundary_call_ns, boundary_overhead_ns (= boundary_overhead_steady_ns), boundary_call_tsc_ns,
// boundary_overhead_tsc_ns, bare_call_tsc_baseline_ns, boundary_call_off_ns,
// boundary_overhead_off_ns, bare_call_off_baseline_ns, direct_off_baseline_ns,
// allocations_per_boundary_call, allocations_in_boundary_call, boundary_call_in_function_ns,
// clock_read_ns, tsc_clock_read_ns, allocations_per_boundary_call_off, mocked_call_ns,
// replay_lookup_ns_T100, replay_lookup_ns_T10000, replay_lookup_ns_T1000000, direct_ns,
// safe_run_ns, overhead_per_run_ns, safe_run_off_ns, overhead_per_run_off_ns, allocations_per_run,
// safe_run_fresh_ns, safe_run_ns_after_1m_runs (ns), rss_growth_over_1m_runs_bytes. Each overhead
// figure is measured in the same benchmark as its baseline, interleaved, so both see the same
// machine state.
#include <forge/task/mock.hpp>
#include <forge/task/mode.hpp>
#include <forge/task/tape.hpp>
#include <forge/task/task.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <new>
#include <random>
#include <string>
#include <vector>

namespace {

std::atomic<std::uint64_t> allocation_count{0};

}  // namespace

// Counting allocator: every heap allocation of the process goes through here. Kept out of line
// so g++ does not pair an inlined free() with operator new (-Wmismatched-new-delete).
[[gnu::noinline]] void* operator new(std::size_t n) {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

// The manual timings below use this thread's CPU time, so that other processes competing for the
// (shared, 2-core) machine do not inflate them; each reading brackets a batch of work.
struct cpu_clock {
    using time_point = std::int64_t;
    static time_point now() noexcept {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    }
};
using steady = cpu_clock;

double ns_between(steady::time_point a, steady::time_point b) { return static_cast<double>(b - a); }

[[gnu::noinline]] int bare_function(int x) {
    benchmark::DoNotOptimize(x);
    return x + 1;
}

constexpr int calls_per_run = 1000;

// --- boundary call overhead -------------------------------------------------------------------

void measure_boundary(benchmark::State& state,
                      bool recording,
                      const char* bare_figure,
                      const char* call_figure,
                      const char* overhead_figure,
                      const char* alloc_figure,
                      const forge::clock& clock = forge::clock::system()) {
    auto b = forge::boundary("inc", &bare_function);
    forge::task t("calls", forge::boundaries(b), [&](const int& n, forge::run& run) {
        int acc = 0;
        for (int i = 0; i < n; ++i) acc += run(b, i);
        return acc;
    });
    t.set_recording(recording);
    t.set_clock(clock);
    (void)t.safe_run(calls_per_run);  // warm the per-thread run context
    double bare_ns = 0, call_ns = 0;
    std::uint64_t allocs_k = 0, allocs_0 = 0;
    std::uint64_t runs = 0;
    for (auto _ : state) {
        auto t0 = steady::now();
        int acc = 0;
        for (int i = 0; i < calls_per_run; ++i) acc += bare_function(i);
        benchmark::DoNotOptimize(acc);
        auto t1 = steady::now();
        auto a0 = allocation_count.load(std::memory_order_relaxed);
        auto r = t.safe_run(calls_per_run);
        auto a1 = allocation_count.load(std::memory_order_relaxed);
        benchmark::DoNotOptimize(r);
        auto t2 = steady::now();
        auto empty = t.safe_run(0);
        auto a2 = allocation_count.load(std::memory_order_relaxed);
        benchmark::DoNotOptimize(empty);
        bare_ns += ns_between(t0, t1);
        call_ns += ns_between(t1, t2);
        allocs_k += a1 - a0;
        allocs_0 += a2 - a1;
        ++runs;
    }
    // A whole run includes its fixed per-run cost; subtracting a 0-call run isolates the calls.
    double calls = static_cast<double>(runs) * calls_per_run;
    state.counters[std::string("figure:") + bare_figure] = bare_ns / calls;
    state.counters[std::string("figure:") + call_figure] = call_ns / calls;
    state.counters[std::string("figure:") + overhead_figure] = (call_ns - bare_ns) / calls;
    if (alloc_figure != nullptr) {
        state.counters[std::string("figure:") + alloc_figure] =
            (static_cast<double>(allocs_k) - static_cast<double>(allocs_0)) / calls;
    }
}

// The default clock (forge::clock::system(), steady_clock): boundary_overhead_ns, also published
// as boundary_overhead_steady_ns to compare with the TSC clock below.
void bm_boundary_call(benchmark::State& state) {
    measure_boundary(state, true, "bare_call_ns", "boundary_call_ns", "boundary_overhead_ns",
                     "allocations_per_boundary_call");
    state.counters["figure:boundary_overhead_steady_ns"] =
        state.counters["figure:boundary_overhead_ns"].value;
}
BENCHMARK(bm_boundary_call)->Iterations(2000);

// The same with the task on forge::clock::tsc() (steady_clock where the TSC is not invariant).
void bm_boundary_call_tsc(benchmark::State& state) {
    measure_boundary(state, true, "bare_call_tsc_baseline_ns", "boundary_call_tsc_ns",
                     "boundary_overhead_tsc_ns", nullptr, forge::clock::tsc());
    state.SetLabel(forge::clock::tsc().is_tsc() ? "tsc" : "steady_clock fallback");
}
BENCHMARK(bm_boundary_call_tsc)->Iterations(2000);

void bm_boundary_call_off(benchmark::State& state) {
    measure_boundary(state, false, "bare_call_off_baseline_ns", "boundary_call_off_ns",
                     "boundary_overhead_off_ns", "allocations_per_boundary_call_off");
}
BENCHMARK(bm_boundary_call_off)->Iterations(2000);

// Allocations made inside the boundary calls themselves (not by assembling the record).
void bm_allocations_in_boundary_call(benchmark::State& state) {
    auto b = forge::boundary("inc", &bare_function);
    std::uint64_t inside = 0, calls = 0;
    double inside_ns = 0;
    forge::task t("calls", forge::boundaries(b), [&](const int& n, forge::run& run) {
        int acc = 0;
        auto a0 = allocation_count.load(std::memory_order_relaxed);
        auto t0 = steady::now();
        for (int i = 0; i < n; ++i) acc += run(b, i);
        inside_ns += ns_between(t0, steady::now());
        inside += allocation_count.load(std::memory_order_relaxed) - a0;
        calls += static_cast<std::uint64_t>(n);
        return acc;
    });
    (void)t.safe_run(calls_per_run);
    inside = calls = 0;
    inside_ns = 0;
    for (auto _ : state) {
        auto r = t.safe_run(calls_per_run);
        benchmark::DoNotOptimize(r);
    }
    state.counters["figure:allocations_in_boundary_call"] =
        static_cast<double>(inside) / static_cast<double>(calls);
    state.counters["figure:boundary_call_in_function_ns"] = inside_ns / static_cast<double>(calls);
}
BENCHMARK(bm_allocations_in_boundary_call)->Iterations(2000);

// A whole mocked boundary call (forge::mock_boundary, one eq matcher), recorded with provenance
// "mock": a run of calls_per_run calls minus a run of none, per call.
// publish_per_call_ns: per iteration, times a run of t with calls_per_run calls and a run with
// none; publishes the difference per call as `figure` (what one call costs inside a run).
template <class Task>
void publish_per_call_ns(benchmark::State& state, const Task& t, const std::string& figure) {
    double call_ns = 0;
    std::uint64_t runs = 0;
    for (auto _ : state) {
        auto t0 = steady::now();
        auto r = t.safe_run(calls_per_run);
        benchmark::DoNotOptimize(r);
        auto t1 = steady::now();
        auto empty = t.safe_run(0);
        benchmark::DoNotOptimize(empty);
        auto t2 = steady::now();
        call_ns += ns_between(t0, t1) - ns_between(t1, t2);
        ++runs;
    }
    state.counters[figure] = call_ns / (static_cast<double>(runs) * calls_per_run);
}

void bm_mocked_call(benchmark::State& state) {
    auto b = forge::boundary("inc", &bare_function);
    forge::task t("calls", forge::boundaries(b), [&](const int& n, forge::run& run) {
        int acc = 0;
        for (int i = 0; i < n; ++i) acc += run(b, 7);
        return acc;
    });
    auto m = forge::mock_boundary(t, b);
    m.expect(forge::mock::eq(7)).at_least(1).returns(8);
    (void)t.safe_run(calls_per_run);
    publish_per_call_ns(state, t, "figure:mocked_call_ns");
}
BENCHMARK(bm_mocked_call)->Iterations(2000);

// price_of_key: the live function of boundary "price"; replay never calls it.
[[gnu::noinline]] double price_of_key(const std::string& key) {
    benchmark::DoNotOptimize(key.data());
    return 0;
}

// key_name: "k<i>" (appended, not "k" + std::string: g++ 12 warns -Wrestrict on that).
std::string key_name(std::size_t i) {
    std::string name = "k";
    name.append(std::to_string(i));
    return name;
}

// A whole replay-mode call of boundary "price" (std::string key -> double) answered from a cache
// tape (tape_policy::cache) of state.range(0) entries "k<i>": lookup, result decoded, entry
// recorded with provenance "tape". Keys are drawn uniformly from the tape (fixed seed) before
// timing; a run of calls_per_run calls minus a run of none, per call. The tape and the task are
// built once; the warm-up run builds the index. FORGE_MODE is ignored (follow_environment).
void bm_replay_lookup(benchmark::State& state) {
    const auto entries = static_cast<std::size_t>(state.range(0));
    auto b = forge::boundary("price", &price_of_key);
    forge::tape tape;
    for (std::size_t i = 0; i < entries; ++i) {
        forge::boundary_record entry;
        entry.input = forge::json_array{forge::json(key_name(i))};
        entry.output = forge::json(100.0 + static_cast<double>(i) / 100);
        tape.add("price", std::move(entry));
    }
    constexpr std::size_t key_count = std::size_t{1} << 20;
    std::vector<std::string> keys;
    keys.reserve(key_count);
    std::mt19937_64 random(20261202);
    std::uniform_int_distribution<std::size_t> pick(0, entries - 1);
    for (std::size_t i = 0; i < key_count; ++i) keys.push_back(key_name(pick(random)));
    std::size_t next = 0;
    forge::task t("prices", forge::boundaries(b), [&](const int& n, forge::run& run) {
        double sum = 0;
        for (int i = 0; i < n; ++i) {
            sum += run(b, keys[next]);
            next = (next + 1) & (key_count - 1);
        }
        return sum;
    });
    t.follow_environment(false);
    t.set_mode(forge::mode::replay);
    t.set_tape(std::move(tape), forge::tape_policy::cache);
    auto warm = t.safe_run(calls_per_run);
    if (!warm.ok()) state.SkipWithError("replay run failed");
    publish_per_call_ns(state, t, "figure:replay_lookup_ns_T" + std::to_string(entries));
}
BENCHMARK(bm_replay_lookup)->Arg(100)->Arg(10'000)->Arg(1'000'000)->Iterations(2000);

// measure_clock_read: one steady read of c per iteration, published as `figure` (ns per read).
void measure_clock_read(benchmark::State& state, const forge::clock& c, const char* figure) {
    std::int64_t sum = 0;
    for (auto _ : state) {
        sum += c.steady_ns();
    }
    benchmark::DoNotOptimize(sum);
    state.counters[figure] = benchmark::Counter(
        1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// One steady-clock read through forge::clock::system(): a boundary call takes two.
void bm_clock_read(benchmark::State& state) {
    measure_clock_read(state, forge::clock::system(), "figure:clock_read_ns");
}
BENCHMARK(bm_clock_read);

// One steady read through forge::clock::tsc() (calibrated before the loop).
void bm_tsc_clock_read(benchmark::State& state) {
    const forge::clock& c = forge::clock::tsc();
    measure_clock_read(state, c, "figure:tsc_clock_read_ns");
    state.SetLabel(c.is_tsc() ? "tsc" : "steady_clock fallback");
}
BENCHMARK(bm_tsc_clock_read);

// --- reference workload -------------------------------------------------------------------------

struct holding {
    std::string ticker;
    int qty = 0;
};
FORGE_FIELDS(holding, ticker, qty);

struct input {
    std::string user;
};
FORGE_FIELDS(input, user);

struct output {
    double total = 0;
};
FORGE_FIELDS(output, total);

[[gnu::noinline]] std::vector<holding> holdings_of(const std::string& user) {
    benchmark::DoNotOptimize(user.data());
    return {{"AAPL", 3}, {"MSFT", 2}};
}

[[gnu::noinline]] double price_of(const std::string& ticker) {
    return 100.0 + static_cast<double>(ticker.size());
}

struct reference_workload {
    forge::boundary<std::vector<holding> (*)(const std::string&)> fetch_holdings{"fetchHoldings",
                                                                                 &holdings_of};
    forge::boundary<double (*)(const std::string&)> fetch_price{"fetchPrice", &price_of};
    forge::task<input, output> task{"getPortfolio", forge::boundaries(fetch_holdings, fetch_price),
                                    [this](const input& in, forge::run& run) {
                                        double total = 0;
                                        for (const holding& h : run(fetch_holdings, in.user)) {
                                            total += h.qty * run(fetch_price, h.ticker);
                                        }
                                        run.set_metrics({"business", "portfolio_value", total});
                                        run.set_metadata("user", in.user);
                                        return output{total};
                                    }};
};

[[gnu::noinline]] output direct(const input& in) {
    double total = 0;
    for (const holding& h : holdings_of(in.user)) total += h.qty * price_of(h.ticker);
    return output{total};
}

void measure_run(benchmark::State& state,
                 bool recording,
                 const char* direct_figure,
                 const char* run_figure,
                 const char* overhead_figure) {
    constexpr int batch = 64;
    reference_workload w;
    w.task.set_recording(recording);
    const input in{"ada"};
    (void)w.task.safe_run(in);
    double direct_ns = 0, run_ns = 0;
    std::uint64_t runs = 0, allocs = 0;
    for (auto _ : state) {
        auto t0 = steady::now();
        for (int i = 0; i < batch; ++i) {
            auto d = direct(in);
            benchmark::DoNotOptimize(d);
        }
        auto t1 = steady::now();
        auto a0 = allocation_count.load(std::memory_order_relaxed);
        for (int i = 0; i < batch; ++i) {
            auto r = w.task.safe_run(in);
            benchmark::DoNotOptimize(r);
        }
        auto t2 = steady::now();
        allocs += allocation_count.load(std::memory_order_relaxed) - a0;
        direct_ns += ns_between(t0, t1);
        run_ns += ns_between(t1, t2);
        runs += batch;
    }
    double n = static_cast<double>(runs);
    state.counters[std::string("figure:") + direct_figure] = direct_ns / n;
    state.counters[std::string("figure:") + run_figure] = run_ns / n;
    state.counters[std::string("figure:") + overhead_figure] = (run_ns - direct_ns) / n;
    if (recording) state.counters["figure:allocations_per_run"] = static_cast<double>(allocs) / n;
}

void bm_safe_run(benchmark::State& state) {
    measure_run(state, true, "direct_ns", "safe_run_ns", "overhead_per_run_ns");
}
BENCHMARK(bm_safe_run)->Iterations(3000);

void bm_safe_run_off(benchmark::State& state) {
    measure_run(state, false, "direct_off_baseline_ns", "safe_run_off_ns",
                "overhead_per_run_off_ns");
}
BENCHMARK(bm_safe_run_off)->Iterations(3000);

// --- flat in the number of runs -----------------------------------------------------------------

long resident_kb() {
    long pages = 0, resident = 0;
    if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return resident * 4;
}

double time_runs(reference_workload& w, int n) {
    const input in{"ada"};
    auto t0 = steady::now();
    for (int i = 0; i < n; ++i) {
        auto r = w.task.safe_run(in);
        benchmark::DoNotOptimize(r);
    }
    return ns_between(t0, steady::now()) / n;
}

void bm_after_one_million_runs(benchmark::State& state) {
    for (auto _ : state) {
        reference_workload w;
        (void)time_runs(w, 1000);
        double fresh = time_runs(w, 100000);
        long rss0 = resident_kb();
        (void)time_runs(w, 1'000'000);
        long rss1 = resident_kb();
        double after = time_runs(w, 100000);
        state.counters["figure:safe_run_fresh_ns"] = fresh;
        state.counters["figure:safe_run_ns_after_1m_runs"] = after;
        state.counters["figure:rss_growth_over_1m_runs_bytes"] =
            static_cast<double>(rss1 - rss0) * 1024;
    }
}
BENCHMARK(bm_after_one_million_runs)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
