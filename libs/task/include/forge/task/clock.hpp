// forge::clock: the injectable time source of runs (wall-clock anchor plus monotonic offsets).
#pragma once

#include <atomic>
#include <cstdint>

namespace forge {

// clock
//
// Gives a wall-clock reading (Unix epoch ns, used once per run as the anchor) and a monotonic
// reading (ns from an arbitrary origin, used for every duration and offset). Implementations must
// be thread-safe: one clock serves every run of a task, on any thread. Cost: one virtual call plus
// the underlying read.
class clock {
public:
    clock() = default;
    clock(const clock&) = delete;
    clock& operator=(const clock&) = delete;
    virtual ~clock() = default;

    // wall_ns: Unix epoch time in ns. May jump; read once per run only.
    virtual std::int64_t wall_ns() const noexcept = 0;

    // steady_ns: monotonic time in ns; never decreases.
    virtual std::int64_t steady_ns() const noexcept = 0;

    // system: the default clock (std::chrono::system_clock for wall_ns, steady_clock for
    // steady_ns). A process-wide immutable object; thread-safe; each read costs ~20 ns (vDSO).
    static const clock& system() noexcept;

    // tsc: a clock whose steady reads skip the OS clock. wall_ns reads std::chrono::system_clock
    // (once per run); steady_ns reads the CPU's time-stamp counter (lfence + rdtsc) and scales it
    // to ns with one 64x64->128-bit multiply and a shift, offset so it starts at steady_clock's
    // value. It is calibrated once, on the first call, against steady_clock over about 1 ms (that
    // first call busy-waits for it). Used only on x86-64 when the CPU reports an invariant TSC
    // (cpuid 0x80000007 EDX bit 8: constant rate, synchronized across cores, running in every power
    // state); elsewhere, and on non-x86 builds, tsc() returns system() (ask with is_tsc()).
    // Cost per steady read: ~16 ns against system()'s ~17.5 ns on a 2.3 GHz Xeon VM, of which
    // the lfence that keeps reads ordered is ~6 ns (perf/RESULTS.md, "A TSC clock").
    // Monotonic per the clock contract (never decreases; reads before the calibration origin
    // are clamped to it); if a platform's TSC ever disagreed across cores, timing_tracker would
    // clamp the resulting negative offsets and durations to 0. Its rate is fixed at calibration:
    // it does not follow NTP's slewing of steady_clock, so over a long process it can drift from
    // steady_clock by the calibration error (about 1e-5) plus the slew (at most 5e-4).
    // A process-wide immutable object; thread-safe; never throws.
    static const clock& tsc() noexcept;

    // is_tsc: whether this clock is the TSC clock of tsc() (false for system(), manual_clock and
    // any other clock, and for tsc() itself where it fell back to system()). No clock read.
    bool is_tsc() const noexcept;
};

// manual_clock
//
// A clock that moves only when told to, for tests that assert exact timing:
//
//   forge::manual_clock c(1'717'000'000'000'000'000);   // wall anchor in ns
//   task.set_clock(c);
//   c.advance(40'000'000);                              // 40 ms pass on both readings
//
// Thread-safe (atomics); never blocks. The wall and steady readings advance together; set_wall
// models a wall-clock jump that runs must not see.
class manual_clock final : public clock {
public:
    explicit manual_clock(std::int64_t wall_ns = 0, std::int64_t steady_ns = 0) noexcept
        : wall_(wall_ns), steady_(steady_ns) {}

    std::int64_t wall_ns() const noexcept override { return wall_.load(std::memory_order_acquire); }
    std::int64_t steady_ns() const noexcept override {
        return steady_.load(std::memory_order_acquire);
    }

    // advance: moves both readings forward by ns (negative values are ignored).
    void advance(std::int64_t ns) noexcept {
        if (ns <= 0) return;
        steady_.fetch_add(ns, std::memory_order_acq_rel);
        wall_.fetch_add(ns, std::memory_order_acq_rel);
    }

    // set_wall: sets the wall reading only (a clock jump); the steady reading is unchanged.
    void set_wall(std::int64_t ns) noexcept { wall_.store(ns, std::memory_order_release); }

private:
    std::atomic<std::int64_t> wall_;
    std::atomic<std::int64_t> steady_;
};

}  // namespace forge
