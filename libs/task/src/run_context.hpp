// Internal: the per-run state behind forge::run, pooled per thread and reused across runs.
#pragma once

#include "tape_plan.hpp"

#include <forge/task/detail/run_scope.hpp>
#include <forge/task/timing_tracker.hpp>
#include <forge/types/error_category.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>
#include <forge/types/metric.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace forge::detail {

// spin_lock: a tiny test-and-test-and-set lock for the few-instruction critical sections of a
// run (seq assignment, metadata, metrics). Uncontended cost: one atomic exchange and one store.
class spin_lock {
public:
    void lock() noexcept {
        while (flag_.exchange(true, std::memory_order_acquire)) {
            while (flag_.load(std::memory_order_relaxed)) std::this_thread::yield();
        }
    }
    void unlock() noexcept { flag_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> flag_{false};
};

// call_slot: one boundary call in flight or done. Slots live in fixed chunks so their address
// never changes while other threads reserve new ones; their buffers keep capacity across runs.
struct call_slot {
    enum class state : std::uint8_t { open, value, no_value, failed };
    std::uint32_t boundary = 0;
    state st = state::open;
    error_category category = error_category::other;
    forge::provenance source = forge::provenance::live;
    std::int64_t begin = 0;
    std::int64_t end = 0;
    json_array args;
    json output;
    std::string error;
    std::string live_error;
    json_object extra;
};

class run_context {
public:
    static constexpr std::uint32_t chunk_bits = 6;
    static constexpr std::uint32_t chunk_size = 1u << chunk_bits;

    run_context() : timing_(forge::clock::system()) {}

    // start: prepares for a run of cfg (reads the wall and steady clocks, assigns the uuid from
    // cfg's uuid source).
    void start(const task_config& cfg);
    // clear: drops per-run data, keeping capacity.
    void clear() noexcept;

    call_slot& slot(std::uint32_t idx) noexcept {
        return chunks_[idx >> chunk_bits][idx & (chunk_size - 1)];
    }

    // begin_call: reserves the next entry (seq) for boundary `index` under the spin lock, reads
    // the steady clock and moves the n encoded args into it. The slot keeps its address for the
    // whole run.
    call_slot* begin_call(std::uint32_t index, json* args, std::size_t n);
    std::int64_t now() const noexcept { return timing_.offset_ns(); }

    // end_value / end_void / end_error: fill the entry reserved by begin_call (no lock: the entry
    // belongs to the calling thread until the task function returns).
    void end_value(call_slot& s,
                   std::int64_t end,
                   forge::provenance source,
                   json&& output) noexcept;
    void end_void(call_slot& s, forge::provenance source) noexcept;
    void end_error(call_slot& s, forge::provenance source, const std::exception_ptr& e) noexcept;

    void add_metric(const metric& m);
    void set_metadata(std::string_view key, std::string_view value);

    execution_record build_record();

    const task_config* cfg_ = nullptr;
    timing_tracker timing_;
    std::string uuid_;
    json input_;
    spin_lock lock_;
    std::vector<std::unique_ptr<call_slot[]>> chunks_;
    std::uint32_t n_calls_ = 0;
    std::vector<std::uint32_t> counts_;
    json_object metadata_;
    std::vector<metric> metrics_;
    bool fn_started_ = false;
    bool fn_ended_ = false;
    std::int64_t fn_begin_ = 0;
    std::int64_t fn_end_ = 0;
    bool failed_ = false;
    std::optional<json> output_;
    std::string error_;
    error_category error_category_ = error_category::other;
    std::optional<std::string> replay_from_;
    std::shared_ptr<const tape_plan> plan_;
    tape_run_state tape_state_;
};

}  // namespace forge::detail
