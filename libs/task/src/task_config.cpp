#include "tape_plan.hpp"

#include <forge/task/detail/run_scope.hpp>

#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace forge::detail {

void task_config::set_boundaries(const boundary_list& list) {
    const auto& entries = list.entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (entries[j].name == entries[i].name) {
                throw std::invalid_argument("forge::task \"" + name +
                                            "\": two boundaries are named \"" + entries[i].name +
                                            "\"");
            }
        }
    }
    boundary_names.clear();
    boundary_ids.clear();
    tape_answerable.clear();
    result_types.clear();
    for (const auto& e : entries) {
        boundary_names.push_back(e.name);
        boundary_ids.push_back(e.id);
        tape_answerable.push_back(e.tape_answerable ? 1 : 0);
        result_types.push_back(e.result_type);
    }
    tapes.boundaries.assign(entries.size(), boundary_tape_settings{});
    substitutes = std::make_unique<std::atomic<const boundary_substitute*>[]>(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        substitutes[i].store(nullptr, std::memory_order_relaxed);
    }
}

std::ptrdiff_t task_config::index_of(std::uint64_t id) const noexcept {
    const std::size_t n = boundary_ids.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (boundary_ids[i] == id) return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
}

void task_config::set_substitute(std::uint64_t id,
                                 std::string_view boundary_name,
                                 const boundary_substitute* s) {
    const std::ptrdiff_t i = index_of(id);
    if (i < 0) {
        throw std::invalid_argument("forge::task \"" + name + "\": boundary \"" +
                                    std::string(boundary_name) +
                                    "\" is not one of its boundaries, so it cannot be substituted");
    }
    substitutes[static_cast<std::size_t>(i)].store(s, std::memory_order_release);
}

std::size_t task_config::index_or_throw(std::uint64_t id,
                                        std::string_view boundary_name,
                                        std::string_view what) const {
    const std::ptrdiff_t i = index_of(id);
    if (i < 0) {
        throw std::invalid_argument(
            "forge::task \"" + name + "\": boundary \"" + std::string(boundary_name) +
            "\" is not one of its boundaries, so it cannot " + std::string(what));
    }
    return static_cast<std::size_t>(i);
}

void task_config::read_environment() {
    if (const char* m = std::getenv("FORGE_MODE"); m != nullptr && *m != '\0') {
        const auto parsed = parse_mode(m);
        if (!parsed) {
            throw std::invalid_argument(
                "FORGE_MODE=\"" + std::string(m) +
                "\" is not a mode: use proxy, replay, proxy-pass, proxy-catch, record-once or "
                "passthrough");
        }
        tapes.env_mode = parsed;
        plan_stale.store(true, std::memory_order_release);
    }
    if (const char* dir = std::getenv("FORGE_TAPE_DIR"); dir != nullptr) {
        tapes.env_tape_dir = std::string(dir);
    }
}

void task_config::set_task_mode(forge::mode m) {
    for (std::size_t i = 0; i < boundary_names.size(); ++i) {
        if (!tapes.boundaries[i].mode) check_tape_mode(*this, i, m, "set_mode");
    }
    tapes.task_mode = m;
    plan_stale.store(true, std::memory_order_release);
}

void task_config::set_boundary_mode(std::size_t i, forge::mode m) {
    check_tape_mode(*this, i, m, "set_mode");
    tapes.boundaries[i].mode = m;
    plan_stale.store(true, std::memory_order_release);
}

void task_config::set_tape(std::shared_ptr<const forge::tape> t, tape_policy p, forge::repeats r) {
    tapes.tape = std::move(t);
    tapes.policy = p;
    tapes.repeats = r;
    plan_stale.store(true, std::memory_order_release);
}

void task_config::set_boundary_policy(std::size_t i,
                                      tape_policy p,
                                      std::optional<forge::repeats> r) {
    tapes.boundaries[i].policy = p;
    if (r) tapes.boundaries[i].repeats = r;
    plan_stale.store(true, std::memory_order_release);
}

void task_config::set_ignore_paths(std::size_t i, std::vector<std::string> paths) {
    tapes.boundaries[i].ignore_paths = std::move(paths);
    plan_stale.store(true, std::memory_order_release);
}

void task_config::set_matcher(std::size_t i, input_matcher m) {
    tapes.boundaries[i].matcher = std::move(m);
    plan_stale.store(true, std::memory_order_release);
}

void task_config::set_follow_environment(bool on) {
    tapes.follow_environment = on;
    plan_stale.store(true, std::memory_order_release);
}

std::shared_ptr<const tape_plan> task_config::current_plan() const {
    if (!plan_stale.load(std::memory_order_acquire)) return plan;
    std::lock_guard guard(plan_mutex);
    if (plan_stale.load(std::memory_order_relaxed)) {
        plan = build_task_plan(*this);
        plan_stale.store(false, std::memory_order_release);
    }
    return plan;
}

}  // namespace forge::detail
