// Timing derivation from one wall-clock anchor and steady-clock durations
// (docs/record-format.md §5).
#include <forge/types/timing_info.hpp>

namespace forge {
namespace {

constexpr std::int64_t ns_per_ms = 1'000'000;

std::int64_t floor_div_ms(std::int64_t ns) noexcept {
    std::int64_t q = ns / ns_per_ms;
    if (ns % ns_per_ms < 0) --q;
    return q;
}

}  // namespace

timing_info make_timing(std::int64_t start_wall_ns,
                        std::int64_t duration_ns,
                        std::optional<std::int64_t> offset_ns) noexcept {
    timing_info t;
    t.start_time = floor_div_ms(start_wall_ns);
    t.end_time = floor_div_ms(start_wall_ns + duration_ns);
    t.duration = t.end_time - t.start_time;
    t.duration_ns = duration_ns;
    t.offset_ns = offset_ns;
    return t;
}

}  // namespace forge
