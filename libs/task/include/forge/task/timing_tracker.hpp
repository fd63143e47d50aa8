// forge::timing_tracker: anchored timing of one run (docs/record-format.md §5).
#pragma once

#include <forge/task/clock.hpp>
#include <forge/types/timing_info.hpp>

#include <cstdint>

namespace forge {

// timing_tracker
//
// Reads the wall clock once (start) and the steady clock for every other instant, so every
// derived wall time is the anchor plus a monotonic offset: durations are never negative and a
// wall-clock jump during a run cannot distort its record. Not thread-safe by itself (the run
// context serialises access); no allocation; each call reads the clock at most once.
class timing_tracker {
public:
    explicit timing_tracker(const forge::clock& c) noexcept : clock_(&c) {}

    // start: reads the wall clock and the steady clock; every later offset is measured from here.
    void start() noexcept {
        anchor_wall_ns_ = clock_->wall_ns();
        anchor_steady_ns_ = clock_->steady_ns();
    }

    // offset_ns: steady ns elapsed since start (one steady read; 0 if the clock went backwards).
    std::int64_t offset_ns() const noexcept {
        std::int64_t d = clock_->steady_ns() - anchor_steady_ns_;
        return d < 0 ? 0 : d;
    }

    // wall_at: the wall time in ns of an instant given as an offset from start.
    std::int64_t wall_at(std::int64_t offset_ns) const noexcept {
        return anchor_wall_ns_ + offset_ns;
    }

    // span: timing of a window [begin_offset, end_offset] (offsets from start). With
    // with_offset the window is a boundary entry and carries offsetNs = begin - base_offset.
    timing_info span(std::int64_t begin_offset,
                     std::int64_t end_offset,
                     std::int64_t base_offset,
                     bool with_offset) const noexcept {
        std::int64_t dur = end_offset > begin_offset ? end_offset - begin_offset : 0;
        std::int64_t off = begin_offset > base_offset ? begin_offset - base_offset : 0;
        return make_timing(wall_at(begin_offset), dur,
                           with_offset ? std::optional<std::int64_t>(off) : std::nullopt);
    }

    const forge::clock& clock() const noexcept { return *clock_; }

private:
    const forge::clock* clock_;
    std::int64_t anchor_wall_ns_ = 0;
    std::int64_t anchor_steady_ns_ = 0;
};

}  // namespace forge
