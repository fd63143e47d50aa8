// Internal entry points that the inline boundary-call code of forge::run uses.
#pragma once

#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>

namespace forge::detail {

class run_context;
struct call_slot;

// begin_call: reserves the next entry (seq) of the run for boundary `name`, reads the steady
// clock and moves the n encoded arguments into it. Takes the run's short spin lock once. The
// returned slot keeps its address for the whole run.
call_slot* begin_call(run_context& ctx, std::string_view name, json* args, std::size_t n);

// now_offset: steady ns since the run started (one clock read, no lock).
std::int64_t now_offset(const run_context& ctx) noexcept;

// end_call_value / end_call_void / end_call_error: fill the entry reserved by begin_call (no
// lock: the entry belongs to the calling thread until the task function returns).
void end_call_value(call_slot* slot, std::int64_t end_offset, json&& output) noexcept;
void end_call_void(call_slot* slot, std::int64_t end_offset) noexcept;
void end_call_error(const run_context& ctx, call_slot* slot, const std::exception_ptr& e) noexcept;

// current_call: the boundary call in progress on this thread (for composition).
struct current_call {
    call_slot* slot = nullptr;
};

inline thread_local current_call tls_current_call{};

// call_marker: makes slot the current call for its lifetime. Neither copyable nor movable.
class call_marker {
public:
    explicit call_marker(call_slot* slot) noexcept : saved_(tls_current_call) {
        tls_current_call = current_call{slot};
    }
    ~call_marker() { tls_current_call = saved_; }
    call_marker(const call_marker&) = delete;
    call_marker& operator=(const call_marker&) = delete;

private:
    current_call saved_;
};

// attach_child_record: stores r (as JSON, key "childRecord") in the boundary entry that is
// currently running on this thread; no-op outside a recorded boundary call.
void attach_child_record(const execution_record& r);

}  // namespace forge::detail
