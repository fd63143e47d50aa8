// forge::timing_info: when something ran (docs/record-format.md §5).
#pragma once

#include <forge/types/json.hpp>
#include <forge/types/read_layout.hpp>

#include <cstdint>
#include <optional>

namespace forge {

// timing_key: the known keys of a timing object (ids of its read_layout).
enum class timing_key : std::uint8_t { start_time, end_time, duration, duration_ns, offset_ns };

// timing_layout: how a decoded timing object was written (read_layout.hpp).
using timing_layout = read_layout<timing_key, 5>;

// timing_info
//
// Wall-clock window in Unix epoch milliseconds (start_time, end_time, duration = end - start),
// plus the extensions duration_ns (steady-clock elapsed time) and offset_ns (boundary entries:
// steady-clock ns from the start of the task function to the start of the call). `extra` keeps
// unknown keys. `layout` is how the decoder read it (empty when built in code); == ignores it.
// Copyable aggregate.
struct timing_info {
    std::int64_t start_time = 0;
    std::int64_t end_time = 0;
    std::int64_t duration = 0;
    std::optional<std::int64_t> duration_ns{};
    std::optional<std::int64_t> offset_ns{};
    json_object extra{};
    timing_layout layout{};

    friend bool operator==(const timing_info&, const timing_info&) = default;
};

// make_timing: derives a timing_info from a wall-clock anchor and steady-clock durations:
// start_time = floor(start_wall_ns / 1e6), end_time = floor((start_wall_ns + duration_ns) / 1e6),
// duration = end_time - start_time. offset_ns is set only when given. No allocation.
timing_info make_timing(std::int64_t start_wall_ns,
                        std::int64_t duration_ns,
                        std::optional<std::int64_t> offset_ns = std::nullopt) noexcept;

}  // namespace forge
