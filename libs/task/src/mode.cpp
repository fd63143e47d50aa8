#include <forge/task/mode.hpp>

#include <array>
#include <string>
#include <utility>

namespace forge {

namespace {

constexpr std::array<std::pair<std::string_view, mode>, 6> mode_names{{
    {"proxy", mode::proxy},
    {"replay", mode::replay},
    {"proxy-pass", mode::proxy_pass},
    {"proxy-catch", mode::proxy_catch},
    {"record-once", mode::record_once},
    {"passthrough", mode::passthrough},
}};

constexpr std::array<std::pair<std::string_view, tape_policy>, 3> policy_names{{
    {"sequence", tape_policy::sequence},
    {"cache", tape_policy::cache},
    {"journal", tape_policy::journal},
}};

// name_in: the name table gives value (the first entry's name for a value it lacks).
template <class E, std::size_t N>
std::string_view name_in(const std::array<std::pair<std::string_view, E>, N>& table,
                         E value) noexcept {
    for (const auto& [name, v] : table) {
        if (v == value) return name;
    }
    return table.front().first;
}

}  // namespace

std::string_view to_string(mode m) noexcept { return name_in(mode_names, m); }

std::optional<mode> parse_mode(std::string_view text) noexcept {
    for (const auto& [name, value] : mode_names) {
        if (name.size() != text.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size() && same; ++i) {
            same = text[i] == name[i] || (name[i] == '-' && text[i] == '_');
        }
        if (same) return value;
    }
    return std::nullopt;
}

std::string_view to_string(tape_policy p) noexcept { return name_in(policy_names, p); }

std::optional<tape_policy> parse_tape_policy(std::string_view text) noexcept {
    for (const auto& [name, value] : policy_names) {
        if (name == text) return value;
    }
    return std::nullopt;
}

}  // namespace forge
