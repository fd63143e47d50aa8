#include <forge/task/clock.hpp>

#include <chrono>
#include <cstdint>

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

namespace forge {

namespace {

#if defined(__x86_64__)

__extension__ using uint128 = unsigned __int128;

std::int64_t steady_clock_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// read_tsc: the time-stamp counter, ordered after earlier loads (as the kernel's rdtsc_ordered),
// so a read that follows another thread's read in program order never sees an earlier count.
std::uint64_t read_tsc() noexcept {
    _mm_lfence();
    return __rdtsc();
}

bool cpu_has_invariant_tsc() noexcept {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx) == 0) return false;
    return (edx & (1u << 8)) != 0;
}

// tsc_steady_pair: one steady_clock reading and the TSC count at the same instant (the midpoint
// of the tightest of a few bracketing TSC pairs).
struct tsc_steady_pair {
    std::int64_t steady_ns;
    std::uint64_t tsc;
};

tsc_steady_pair read_pair() noexcept {
    tsc_steady_pair best{0, 0};
    std::uint64_t best_width = ~std::uint64_t{0};
    for (int i = 0; i < 5; ++i) {
        std::uint64_t before = read_tsc();
        std::int64_t steady = steady_clock_ns();
        std::uint64_t after = read_tsc();
        if (after - before < best_width) {
            best_width = after - before;
            best = {steady, before + (after - before) / 2};
        }
    }
    return best;
}

constexpr int scale_shift = 32;
constexpr std::int64_t calibration_window_ns = 1'000'000;

class tsc_clock_source final : public clock {
public:
    tsc_clock_source() noexcept {
        tsc_steady_pair first = read_pair();
        while (steady_clock_ns() - first.steady_ns < calibration_window_ns) {
        }
        tsc_steady_pair second = read_pair();
        std::uint64_t ticks = second.tsc > first.tsc ? second.tsc - first.tsc : 1;
        auto elapsed = static_cast<uint128>(second.steady_ns - first.steady_ns);
        mult_ = static_cast<std::uint64_t>((elapsed << scale_shift) / ticks);
        origin_tsc_ = first.tsc;
        origin_ns_ = first.steady_ns;
    }

    std::int64_t wall_ns() const noexcept override {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    std::int64_t steady_ns() const noexcept override {
        std::uint64_t now = read_tsc();
        std::uint64_t ticks = now > origin_tsc_ ? now - origin_tsc_ : 0;
        auto scaled = (static_cast<uint128>(ticks) * mult_) >> scale_shift;
        return origin_ns_ + static_cast<std::int64_t>(scaled);
    }

private:
    std::uint64_t origin_tsc_ = 0;
    std::int64_t origin_ns_ = 0;
    std::uint64_t mult_ = 0;  // ns per tick, fixed point with scale_shift fraction bits
};

const clock& choose_tsc_clock() noexcept {
    if (!cpu_has_invariant_tsc()) return clock::system();
    static const tsc_clock_source instance;
    return instance;
}

#endif

}  // namespace

const clock& clock::tsc() noexcept {
#if defined(__x86_64__)
    static const clock& chosen = choose_tsc_clock();
    return chosen;
#else
    return system();
#endif
}

bool clock::is_tsc() const noexcept {
#if defined(__x86_64__)
    return dynamic_cast<const tsc_clock_source*>(this) != nullptr;
#else
    return false;
#endif
}

}  // namespace forge
