// Internal: what a task was told about modes and tapes, before it is compiled into a plan.
#pragma once

#include <forge/task/mode.hpp>
#include <forge/task/tape.hpp>
#include <forge/task/tape_options.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace forge::detail {

// boundary_tape_settings: one boundary's own mode, policy and matching, when given.
struct boundary_tape_settings {
    std::optional<forge::mode> mode{};
    std::optional<tape_policy> policy{};
    std::optional<forge::repeats> repeats{};
    std::vector<std::string> ignore_paths{};
    input_matcher matcher{};
};

// tape_settings: a task's mode and tape configuration. env_mode is FORGE_MODE as read when the
// task was built (used unless follow_environment is false); env_tape_dir is FORGE_TAPE_DIR.
struct tape_settings {
    std::optional<forge::mode> task_mode{};
    bool follow_environment = true;
    std::optional<forge::mode> env_mode{};
    std::optional<std::string> env_tape_dir{};
    std::shared_ptr<const forge::tape> tape{};
    tape_policy policy = tape_policy::sequence;
    forge::repeats repeats = forge::repeats::reuse_last;
    std::vector<boundary_tape_settings> boundaries{};

    // effective_task_mode: FORGE_MODE when followed and set, else the code's, else proxy.
    forge::mode effective_task_mode() const noexcept {
        if (follow_environment && env_mode) return *env_mode;
        return task_mode.value_or(forge::mode::proxy);
    }
};

}  // namespace forge::detail
