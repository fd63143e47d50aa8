#include <forge/task/clock.hpp>
#include <forge/task/task.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace {

std::int64_t steady_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// reads_never_decrease: reads c n times on this thread; whether no read is below the one before.
bool reads_never_decrease(const forge::clock& c, int n) {
    std::int64_t last = c.steady_ns();
    bool ok = true;
    for (int i = 0; i < n; ++i) {
        std::int64_t now = c.steady_ns();
        ok = ok && now >= last;
        last = now;
    }
    return ok;
}

}  // namespace

TEST_CASE("manual_clock moves only when told to", "[clock][timing]") {
    forge::manual_clock c(1'000, 50);
    CHECK(c.wall_ns() == 1'000);
    CHECK(c.steady_ns() == 50);
    c.advance(25);
    CHECK(c.wall_ns() == 1'025);
    CHECK(c.steady_ns() == 75);
    c.advance(-5);
    CHECK(c.steady_ns() == 75);
    c.set_wall(0);
    CHECK(c.wall_ns() == 0);
    CHECK(c.steady_ns() == 75);
}

TEST_CASE("the system clock reads system_clock for wall time and steady_clock for offsets",
          "[clock][timing]") {
    using namespace std::chrono;
    const forge::clock& c = forge::clock::system();
    const auto ns = [](auto tp) {
        return duration_cast<nanoseconds>(tp.time_since_epoch()).count();
    };
    const std::int64_t wall_before = ns(system_clock::now());
    const std::int64_t wall = c.wall_ns();
    const std::int64_t wall_after = ns(system_clock::now());
    CHECK(wall_before <= wall);
    CHECK(wall <= wall_after);
    const std::int64_t steady_before = ns(steady_clock::now());
    const std::int64_t steady = c.steady_ns();
    const std::int64_t steady_after = ns(steady_clock::now());
    CHECK(steady_before <= steady);
    CHECK(steady <= steady_after);
}

TEST_CASE("clock::tsc is one process-wide object, the TSC clock exactly where the TSC is invariant",
          "[clock][timing][tsc]") {
    const forge::clock& c = forge::clock::tsc();
    CHECK(&c == &forge::clock::tsc());
    CHECK_FALSE(forge::clock::system().is_tsc());
    CHECK_FALSE(forge::manual_clock().is_tsc());
#if defined(__x86_64__)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    bool invariant = __get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx) != 0 && (edx & (1u << 8));
    CHECK(c.is_tsc() == invariant);
    CHECK((&c == &forge::clock::system()) == !invariant);
#else
    CHECK_FALSE(c.is_tsc());
    CHECK(&c == &forge::clock::system());
#endif
}

TEST_CASE("clock::tsc never decreases, on one thread or several", "[clock][timing][tsc]") {
    const forge::clock& c = forge::clock::tsc();
    CHECK(reads_never_decrease(c, 1'000'000));

    std::atomic<int> decreasing{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            if (!reads_never_decrease(c, 200'000)) decreasing.fetch_add(1);
        });
    }
    for (auto& t : threads) t.join();
    CHECK(decreasing.load() == 0);
}

TEST_CASE("clock::tsc never goes back across a hand-over between threads", "[clock][timing][tsc]") {
    const forge::clock& c = forge::clock::tsc();
    constexpr int rounds = 20'000;
    std::atomic<std::int64_t> baton{-1};
    std::atomic<int> backwards{0};
    std::thread other([&] {
        for (int i = 0; i < rounds; ++i) {
            std::int64_t seen;
            while ((seen = baton.load(std::memory_order_acquire)) < 0) {
            }
            if (c.steady_ns() < seen) backwards.fetch_add(1);
            baton.store(-1, std::memory_order_release);
        }
    });
    for (int i = 0; i < rounds; ++i) {
        while (baton.load(std::memory_order_acquire) >= 0) {
        }
        baton.store(c.steady_ns(), std::memory_order_release);
    }
    other.join();
    CHECK(backwards.load() == 0);
}

TEST_CASE("clock::tsc agrees with steady_clock", "[clock][timing][tsc]") {
    const forge::clock& c = forge::clock::tsc();
    // Each reading of c is bracketed by two steady_clock readings; a preemption only widens the
    // bracket. Tolerances are generous: 1% of the elapsed time plus 1 ms, and 10 ms absolute.
    const std::int64_t tolerance_abs = 10'000'000;
    std::int64_t s0 = steady_now_ns();
    std::int64_t t0 = c.steady_ns();
    std::int64_t s1 = steady_now_ns();
    CHECK(t0 >= s0 - tolerance_abs);
    CHECK(t0 <= s1 + tolerance_abs);

    std::int64_t sum = 0;
    for (int i = 0; i < 2'000'000; ++i) sum += c.steady_ns() & 1;
    CHECK(sum >= 0);

    std::int64_t s2 = steady_now_ns();
    std::int64_t t1 = c.steady_ns();
    std::int64_t s3 = steady_now_ns();
    const std::int64_t tsc_elapsed = t1 - t0;
    const std::int64_t slack = (s3 - s0) / 100 + 1'000'000;
    CHECK(tsc_elapsed >= (s2 - s1) - slack);
    CHECK(tsc_elapsed <= (s3 - s0) + slack);
    CHECK(t1 >= s2 - tolerance_abs);
    CHECK(t1 <= s3 + tolerance_abs);
}

TEST_CASE("a task timed by clock::tsc records non-negative durations and offsets",
          "[clock][timing][tsc]") {
    auto inc = forge::boundary("inc", [](int x) { return x + 1; });
    forge::task t("t", forge::boundaries(inc), [&](const int& n, forge::run& run) {
        int acc = 0;
        for (int i = 0; i < n; ++i) acc = run(inc, acc);
        return acc;
    });
    t.set_clock(forge::clock::tsc());
    auto r = t.safe_run(50);
    REQUIRE(r.record.timing.has_value());
    REQUIRE(r.record.timing->duration_ns.has_value());
    const std::int64_t task_ns = *r.record.timing->duration_ns;
    CHECK(task_ns >= 0);
    CHECK(r.record.timing->duration >= 0);
    REQUIRE(r.record.boundaries.size() == 1);
    const auto& entries = r.record.boundaries.at(0).second;
    REQUIRE(entries.size() == 50);
    std::int64_t last_offset = 0;
    for (const auto& e : entries) {
        REQUIRE(e.timing.has_value());
        REQUIRE(e.timing->duration_ns.has_value());
        REQUIRE(e.timing->offset_ns.has_value());
        CHECK(*e.timing->duration_ns >= 0);
        CHECK(*e.timing->offset_ns >= last_offset);
        CHECK(*e.timing->offset_ns + *e.timing->duration_ns <= task_ns);
        CHECK(e.timing->start_time >= r.record.timing->start_time);
        last_offset = *e.timing->offset_ns;
    }
}
