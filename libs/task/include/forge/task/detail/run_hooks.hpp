// Internal entry points that the inline boundary-call code of forge::run uses: the decision point.
#pragma once

#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace forge::detail {

class run_context;
struct call_slot;
class boundary_substitute;

// boundary_site: where one call of a boundary goes: the boundary's index in the running task's
// boundary list, the substitute installed on it (null: none), whether the call is recorded
// (recording on and the mode is not passthrough) and whether something other than the live
// function may answer it (a substitute, or the run's tape plan).
struct boundary_site {
    std::uint32_t index = 0;
    const boundary_substitute* substitute = nullptr;
    bool record = false;
    bool intercept = false;
};

// find_boundary: the site of the boundary with identity id in the running task: a scan of the
// task's boundary ids (integers), one acquire load of its substitute pointer and a look at the
// run's tape plan; no lock, no allocation. Throws std::logic_error naming the task and `name`
// when the task does not own the boundary.
boundary_site find_boundary(const run_context& ctx,
                            std::uint64_t id,
                            std::string_view name,
                            bool recording);

// typed_call: the typed half of one boundary call, type-erased for call_boundary.
//   live(live_self, slot): calls the boundary's function and keeps its result; slot is the entry
//     being recorded (null when recording is off), handed to composed tasks for childRecord.
//   encode(result_self, out): encodes the kept result into *out (value results only).
//   accept(result_self, value): decodes a substitute's answer (null: none) into the result the
//     call returns; false when the result type has no decoder (or is a reference); throws
//     decode_error when the answer does not decode.
struct typed_call {
    void* live_self = nullptr;
    void (*live)(void* self, call_slot* slot) = nullptr;
    void* result_self = nullptr;
    void (*encode)(void* self, json& out) = nullptr;
    bool (*accept)(void* self, const json* value) = nullptr;
    bool has_value = false;
};

// call_boundary: the decision point every recorded or intercepted boundary call goes through.
// Begins the call (when site.record: reserves the entry, seq and start time, and moves the n
// encoded args into it); asks the site's substitute (mocks, first) or else the run's tape plan
// (replay, proxy-pass) for an answer, else calls the live function, and in proxy-catch asks the
// tape when the live call fails (provenance tape-fallback, liveError recorded); ends the call
// with the result or the error and its provenance. An error (the live function's, the answer's,
// a result that does not encode or decode) is recorded and rethrown unchanged; an answered
// boundary whose result cannot be decoded gives std::logic_error naming the task and boundary.
void call_boundary(
    run_context& ctx, const boundary_site& site, json* args, std::size_t n, const typed_call& call);

// attach_child_record: stores r (as JSON, key "childRecord") in the entry of slot; no-op when
// slot is null (recording off, or a direct call).
void attach_child_record(call_slot* slot, const execution_record& r);

// takes_call_slot: F's call operator takes the call slot first (a task used as a boundary).
template <class F>
concept takes_call_slot = requires {
    requires F::forge_takes_call_slot;
};

}  // namespace forge::detail
