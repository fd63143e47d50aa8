#include "ignore_paths.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace forge::detail {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> steps;
    while (true) {
        const auto dot = path.find('.');
        steps.push_back(path.substr(0, dot));
        if (dot == std::string_view::npos) break;
        path.remove_prefix(dot + 1);
    }
    return steps;
}

bool parse_index(std::string_view step, std::size_t& out) {
    if (step.empty() || step.size() > 9) return false;
    out = 0;
    for (char c : step) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + static_cast<std::size_t>(c - '0');
    }
    return true;
}

// remove_path: drops the value at steps[i..] from v: an object member is erased, an array element
// becomes null (positions are kept); "*" is every member or element.
void remove_path(json& v, const std::vector<std::string_view>& steps, std::size_t i) {
    const std::string_view step = steps[i];
    const bool last = i + 1 == steps.size();
    if (v.is_object()) {
        auto& members = v.as_object();
        if (step == "*") {
            if (last) {
                members.clear();
                return;
            }
            for (auto& m : members) remove_path(m.second, steps, i + 1);
            return;
        }
        for (auto it = members.begin(); it != members.end(); ++it) {
            if (it->first != step) continue;
            if (last) {
                members.erase(it);
            } else {
                remove_path(it->second, steps, i + 1);
            }
            return;
        }
    } else if (v.is_array()) {
        auto& elements = v.as_array();
        std::size_t index = 0;
        if (step == "*") {
            for (auto& e : elements) {
                if (last) {
                    e = json();
                } else {
                    remove_path(e, steps, i + 1);
                }
            }
        } else if (parse_index(step, index) && index < elements.size()) {
            if (last) {
                elements[index] = json();
            } else {
                remove_path(elements[index], steps, i + 1);
            }
        }
    }
}

}  // namespace

json without_ignored(json v, const std::vector<std::string>& ignore_paths) {
    for (const auto& p : ignore_paths) remove_path(v, split_path(p), 0);
    return v;
}

}  // namespace forge::detail
