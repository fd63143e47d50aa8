// forge::execution_record: one task execution, a run or a replay (docs/record-format.md §3).
#pragma once

#include <forge/types/boundary_record.hpp>
#include <forge/types/error_category.hpp>
#include <forge/types/json.hpp>
#include <forge/types/metric.hpp>
#include <forge/types/timing_info.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forge {

// record_type: success, error or pending.
enum class record_type : std::uint8_t { success, error, pending };

// to_string: "success", "error", "pending".
std::string_view to_string(record_type t) noexcept;

// parse_record_type: the type named by text, or nullopt.
std::optional<record_type> parse_record_type(std::string_view text) noexcept;

// boundary_calls: one boundary's entries, in call-start order.
using boundary_calls = std::vector<boundary_record>;

// boundary_log: boundary name -> its calls, in declaration (or first-seen) order.
using boundary_log = std::vector<std::pair<std::string, boundary_calls>>;

// execution_record
//
// Everything one execution produced. Optional members are absent keys on the wire. `input` and
// `output` distinguish absent (nullopt) from JSON null. `metadata` is an object whose values are
// strings when the SDK writes them (any JSON is accepted on read). `extra` keeps unknown keys, in
// order, after the known ones. Copyable aggregate with ==.
struct execution_record {
    std::optional<json> input{};
    boundary_log boundaries{};
    std::optional<std::string> task_name{};
    json_object metadata{};
    std::vector<metric> metrics{};
    std::optional<record_type> type{};
    std::optional<json> output{};
    std::optional<std::string> error{};
    std::optional<timing_info> timing{};
    std::optional<std::string> uuid{};
    std::optional<std::string> replay_from{};
    std::optional<forge::error_category> error_category{};
    json_object extra{};

    // effective_type: `type` when set, else the classification rule (§9): error present ->
    // error; output present and not null -> success; otherwise pending.
    record_type effective_type() const noexcept;

    // effective_error_category: error_category when set, else classify_error_message(error) for
    // error records, nullopt for others.
    std::optional<forge::error_category> effective_error_category() const noexcept;

    // find_boundary: the calls of the named boundary, or nullptr.
    const boundary_calls* find_boundary(std::string_view name) const noexcept;

    friend bool operator==(const execution_record&, const execution_record&) = default;
};

}  // namespace forge
