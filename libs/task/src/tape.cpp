// forge::tape: recorded boundary entries by boundary name (docs/record-format.md §10.2).
#include <forge/task/tape.hpp>
#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>

#include <string>
#include <utility>

namespace forge {
namespace {

// entries_of: the entries of one boundary of log, added with no entries when the name is new.
boundary_calls& entries_of(boundary_log& log, std::string_view boundary) {
    for (auto& [name, calls] : log) {
        if (name == boundary) return calls;
    }
    return log.emplace_back(std::string(boundary), boundary_calls{}).second;
}

// entry_path: "<boundary>.<index>", the path of one entry of a boundary-data map.
std::string entry_path(std::string_view boundary, std::size_t index) {
    std::string path(boundary);
    path.push_back('.');
    path.append(std::to_string(index));
    return path;
}

}  // namespace

tape tape::from_record(const execution_record& r) {
    tape t;
    t.append(r.boundaries);
    return t;
}

tape tape::from_records(std::span<const execution_record> records) {
    tape t;
    for (const auto& r : records) t.append(r.boundaries);
    return t;
}

tape tape::from_boundary_map(const json& map) {
    if (!map.is_object()) {
        throw decode_error("", "expected object, got " + std::string(kind_name(map.kind())));
    }
    tape t;
    for (const auto& [name, value] : map.as_object()) {
        auto& calls = entries_of(t.log_, name);
        if (value.is_object()) {
            calls.push_back(boundary_record_from_json(value, name));
        } else if (value.is_array()) {
            const auto& entries = value.as_array();
            calls.reserve(calls.size() + entries.size());
            for (std::size_t i = 0; i < entries.size(); ++i) {
                calls.push_back(boundary_record_from_json(entries[i], entry_path(name, i)));
            }
        } else if (!value.is_null()) {
            throw decode_error(name, "expected array, got " + std::string(kind_name(value.kind())));
        }
    }
    return t;
}

tape& tape::add(std::string_view boundary, boundary_record entry) {
    entries_of(log_, boundary).push_back(std::move(entry));
    return *this;
}

tape& tape::append(const tape& other) {
    if (&other == this) {
        const boundary_log copy = other.log_;
        return append(copy);
    }
    return append(other.log_);
}

tape& tape::append(const boundary_log& boundaries) {
    for (const auto& [name, calls] : boundaries) {
        auto& mine = entries_of(log_, name);
        mine.insert(mine.end(), calls.begin(), calls.end());
    }
    return *this;
}

const boundary_calls* tape::find(std::string_view boundary) const noexcept {
    for (const auto& [name, calls] : log_) {
        if (name == boundary) return &calls;
    }
    return nullptr;
}

std::size_t tape::size() const noexcept {
    std::size_t n = 0;
    for (const auto& entry : log_) n += entry.second.size();
    return n;
}

json tape::to_json(const encode_options& opts) const {
    std::string text;
    encode_boundary_log(text, log_, opts);
    parse_options unlimited;
    unlimited.max_depth = static_cast<std::size_t>(-1);
    return parse_json(text, unlimited);
}

}  // namespace forge
