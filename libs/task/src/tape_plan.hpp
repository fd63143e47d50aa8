// Internal: a task's (or one replay's) modes and tapes compiled into per-boundary indexes, and
// the per-run consumption state.
#pragma once

#include "inline_scalar.hpp"

#include <forge/task/detail/boundary_substitute.hpp>
#include <forge/task/detail/run_scope.hpp>
#include <forge/task/mode.hpp>
#include <forge/task/replay_divergence.hpp>
#include <forge/task/tape.hpp>
#include <forge/task/tape_options.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace forge::detail {

class tape_run_state;

// index_slot: one slot of a boundary's open-addressing index, one cache line: the canonical hash
// of an input, its group + 1 (0: empty slot), the group's first eligible entry (what cache
// answers) and, when they are small scalars, the input's one argument and that entry's output, so
// a hit on a big tape is answered from this line alone.
struct alignas(64) index_slot {
    std::uint64_t hash = 0;
    std::uint32_t group_plus_one = 0;
    std::uint32_t first = 0;
    inline_scalar key{};
    inline_scalar output{};
};

// boundary_plan: how one boundary of the task is answered. `mode` is resolved (record_once
// becomes replay or proxy). For tape modes, entries are the tape's entries for the boundary
// (null: none) and the index groups equal inputs (after ignore paths) by canonical hash.
struct boundary_plan {
    forge::mode mode = forge::mode::proxy;
    forge::mode declared = forge::mode::proxy;
    tape_policy policy = tape_policy::sequence;
    forge::repeats repeats = forge::repeats::reuse_last;
    const boundary_calls* entries = nullptr;
    std::vector<std::string> ignore_paths;
    input_matcher matcher;
    std::vector<json> keys;                          // entries' inputs without ignored paths
    std::vector<std::uint8_t> eligible;              // per entry: the mode may answer with it
    std::vector<std::vector<std::uint32_t>> groups;  // eligible entries with one input, in order
    std::vector<index_slot> slots;                   // open-addressing index, power of two
    std::vector<std::uint32_t> overlap_first;        // journal: first entry of each entry's overlap
    std::vector<std::uint32_t> overlap_last;         //   group (entries that overlapped in time)
    bool tracks_use = false;                         // the run state keeps per-entry used flags

    // find: the slot of the inputs canonically equal to the call's (args, or the normalized key
    // when ignore paths apply), or null. One hash, a probe and one key comparison per candidate.
    const index_slot* find(const json* args, std::size_t n, const json* normalized) const;
};

// tape_plan
//
// Immutable once built; shared by every run that uses it. Owns (or points at) the tape.
class tape_plan {
public:
    std::vector<boundary_plan> boundaries;
    std::shared_ptr<const forge::tape> owned_tape;
    std::string origin;   // for messages: "source record <uuid>", a path, "code"
    bool strict = false;  // the run fails when entries are left unused

    // intercepted: whether boundary i's calls go through the plan (any mode but proxy).
    bool intercepted(std::size_t i) const noexcept {
        return boundaries[i].mode != forge::mode::proxy;
    }

    // before_live: the tape's answer to a call in replay or proxy_pass (null for other modes or
    // a proxy_pass miss). A replay miss is an answer holding a replay_divergence. In proxy_catch
    // under journal it reserves the call's position in *position (journal positions count every
    // call, answered live or not).
    std::optional<substitute_answer> before_live(const call_info& info,
                                                 tape_run_state& state,
                                                 std::optional<std::uint32_t>& position) const;

    // after_live_error: proxy_catch: the tape's answer to a call whose live function failed, or
    // nullopt when there is no eligible match (the live error then stands). position is what
    // before_live reserved.
    std::optional<substitute_answer> after_live_error(const call_info& info,
                                                      tape_run_state& state,
                                                      std::optional<std::uint32_t> position) const;

    // unused_entries: a strict plan's divergence when the run left entries unused, else null.
    std::exception_ptr unused_entries(const task_config& cfg, const tape_run_state& state) const;

private:
    // pick: the entry answering the call, consuming it per the policy; position is the call's
    // journal position when reserved earlier. On a miss emplaces the details in *miss (when
    // given; nothing is built on a hit). *hit is the
    // index slot a cache lookup went through (null otherwise).
    std::optional<std::uint32_t> pick(const call_info& info,
                                      tape_run_state& state,
                                      std::optional<divergence_details>* miss,
                                      const index_slot** hit,
                                      std::optional<std::uint32_t> position = std::nullopt) const;

    // answer: the answer of entry e of boundary bp, from the slot's inline output when it has
    // one.
    substitute_answer answer(const boundary_plan& bp,
                             std::uint32_t e,
                             const index_slot* hit,
                             provenance source) const;
};

// tape_run_state: one run's consumption of a plan: per boundary, the calls made, the cursor of
// each input group (sequence) and which entries were used (journal, matchers, strict). Reset at
// run start; reused across runs by the pooled run context. Thread-safe (one mutex per run).
class tape_run_state {
public:
    void reset(const tape_plan& plan);

    struct per_boundary {
        std::uint32_t calls = 0;
        std::unordered_map<std::uint32_t, std::uint32_t> cursor;
        std::vector<std::uint8_t> used;
    };

    std::mutex mutex;
    std::vector<per_boundary> boundaries;
};

// build_task_plan: the plan of a task's settings (its mode, per-boundary modes, tape, policies,
// matching, FORGE_MODE unless the task opts out, the FORGE_TAPE_DIR tape when locked into a tape
// mode without a tape from code), or null when every boundary is plain proxy. Throws
// std::invalid_argument for a tape mode on a boundary a tape cannot answer, tape_error for a bad
// tape file.
std::shared_ptr<const tape_plan> build_task_plan(const task_config& cfg);

// build_replay_plan: the plan of a replay of source under options (its entries are the tape;
// they must outlive the plan). Throws std::invalid_argument as build_task_plan.
std::shared_ptr<const tape_plan> build_replay_plan(const task_config& cfg,
                                                   const execution_record& source,
                                                   const replay_options& options);

// check_tape_mode: throws std::invalid_argument when mode m needs a tape answer for boundary i
// of cfg and its result type cannot be decoded (names the task, boundary, type and `how`, e.g.
// "FORGE_MODE=replay").
void check_tape_mode(const task_config& cfg, std::size_t i, forge::mode m, std::string_view how);

}  // namespace forge::detail
