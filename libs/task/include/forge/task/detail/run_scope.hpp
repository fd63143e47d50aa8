// Internal: the non-template engine behind forge::task (one run, start to record).
#pragma once

#include <forge/task/boundary_list.hpp>
#include <forge/task/clock.hpp>
#include <forge/task/detail/boundary_substitute.hpp>
#include <forge/task/detail/tape_settings.hpp>
#include <forge/task/listener_registry.hpp>
#include <forge/task/run.hpp>
#include <forge/task/schema.hpp>
#include <forge/task/uuid_source.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge::detail {

class tape_plan;

// task_config: what a task knows besides its function. Fixed once runs start, except
// `recording` (atomic), the substitutes (atomic pointers) and the listener registry (thread-safe).
// The tape settings are compiled into `plan` lazily, by the first run after they changed.
struct task_config {
    std::string name;
    std::string description;
    std::optional<schema> input_schema;
    std::vector<std::string> boundary_names;
    std::vector<std::uint64_t> boundary_ids;
    std::vector<std::uint8_t> tape_answerable;
    std::vector<std::string> result_types;
    tape_settings tapes;
    mutable std::shared_ptr<const tape_plan> plan;
    mutable std::atomic<bool> plan_stale{false};
    mutable std::mutex plan_mutex;
    std::unique_ptr<std::atomic<const boundary_substitute*>[]> substitutes;
    const forge::clock* clk = &forge::clock::system();
    const forge::uuid_source* uuids = &forge::uuid_source::v7();
    std::atomic<bool> recording{true};
    listener_registry listeners;

    // set_boundaries: makes list the task's boundaries, in order, with no substitutes. Throws
    // std::invalid_argument naming the name and the task when two boundaries share a name.
    void set_boundaries(const boundary_list& list);

    // index_of: the index of the boundary with identity id, or -1 when the task does not own it.
    std::ptrdiff_t index_of(std::uint64_t id) const noexcept;

    // set_substitute: installs s (null: none) on the boundary with identity id (release store).
    // Throws std::invalid_argument naming the task and `boundary_name` when it is not owned.
    void set_substitute(std::uint64_t id,
                        std::string_view boundary_name,
                        const boundary_substitute* s);

    // index_or_throw: index_of, or std::invalid_argument naming the task, `boundary_name` and
    // `what` ("have a mode") when the task does not own the boundary.
    std::size_t index_or_throw(std::uint64_t id,
                               std::string_view boundary_name,
                               std::string_view what) const;

    // read_environment: FORGE_MODE and FORGE_TAPE_DIR, as the task is built. Throws
    // std::invalid_argument naming the variable for a FORGE_MODE that is not a mode.
    void read_environment();

    // Tape settings (task.hpp documents them). A tape mode on a boundary whose result cannot be
    // decoded throws std::invalid_argument naming the boundary and its type. Each marks the plan
    // stale; none may run concurrently with runs of the task.
    void set_task_mode(forge::mode m);
    void set_boundary_mode(std::size_t i, forge::mode m);
    void set_tape(std::shared_ptr<const forge::tape> t, tape_policy p, forge::repeats r);
    void set_boundary_policy(std::size_t i, tape_policy p, std::optional<forge::repeats> r);
    void set_ignore_paths(std::size_t i, std::vector<std::string> paths);
    void set_matcher(std::size_t i, input_matcher m);
    void set_follow_environment(bool on);

    // current_plan: the compiled tape plan (null when every boundary is plain proxy), rebuilt
    // first when the settings changed. Thread-safe. Throws what building the plan throws.
    std::shared_ptr<const tape_plan> current_plan() const;
};

// run_scope: one run. Takes a context from the per-thread pool (reused across runs, so the
// steady state does not allocate per call), reads the wall clock once, assigns the uuid (from the
// task's uuid source); the destructor returns the context to the pool. Neither copyable nor
// movable.
class run_scope {
public:
    explicit run_scope(const task_config& cfg);
    ~run_scope();
    run_scope(const run_scope&) = delete;
    run_scope& operator=(const run_scope&) = delete;

    forge::run& context() noexcept { return run_; }

    void set_input(json input);
    const json& input() const noexcept;

    // validate: runs the schema on the input; on failure records the validation error and
    // returns it (a forge::validation_error), else returns null.
    std::exception_ptr validate();

    // prepare: the run uses the task's tape plan (built now when stale). Returns the error when
    // the plan cannot be built (the run then fails early).
    std::exception_ptr prepare() noexcept;

    // start_replay: the run replays source: its metadata starts as a copy of the source's and
    // the record gets replayFrom (the source's uuid).
    void start_replay(const execution_record& source);

    // prepare_replay: the run answers from source's entries under options. Returns the error when
    // the source has no boundaries object or the plan cannot be built.
    std::exception_ptr prepare_replay(const execution_record& source,
                                      const replay_options& options) noexcept;

    // unused_entries: a strict replay's error when it left recorded entries unused, else null.
    std::exception_ptr unused_entries() const;

    // fail_early: the run failed before the task function started (no timing).
    void fail_early(const std::exception_ptr& e) noexcept;

    // begin_function / end_function: the task function's window (end_function is idempotent).
    void begin_function() noexcept;
    void end_function() noexcept;

    // succeed: the function returned; output is nullopt for void tasks.
    void succeed(std::optional<json> output) noexcept;

    // fail: the function (or encoding its output) threw e.
    void fail(const std::exception_ptr& e) noexcept;

    // finish: assembles the record, gives it to the task's listeners and then the global ones,
    // and returns it. Call once.
    execution_record finish();

private:
    const task_config* cfg_;
    run_context* ctx_;
    forge::run run_;
};

}  // namespace forge::detail
