#include <forge/task/detail/run_scope.hpp>

#include <stdexcept>

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
    for (const auto& e : entries) {
        boundary_names.push_back(e.name);
        boundary_ids.push_back(e.id);
    }
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

}  // namespace forge::detail
