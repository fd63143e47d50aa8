// forge::execution_record: one task execution, a run or a replay (docs/record-format.md §3).
#pragma once

#include <forge/types/boundary_record.hpp>
#include <forge/types/error_category.hpp>
#include <forge/types/json.hpp>
#include <forge/types/metric.hpp>
#include <forge/types/read_layout.hpp>
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

// record_key: the known keys of a record (ids of its read_layout).
enum class record_key : std::uint8_t {
    input,
    boundaries,
    task_name,
    metadata,
    metrics,
    type,
    output,
    error,
    timing,
    uuid,
    replay_from,
    error_category
};

// record_layout: how a decoded record was written (read_layout.hpp).
using record_layout = read_layout<record_key, 12>;

// execution_record
//
// Everything one execution produced. Optional members are absent keys on the wire. `input` and
// `output` distinguish absent (nullopt) from JSON null. `metadata` is an object whose values are
// strings when the SDK writes them (any JSON is accepted on read). `extra` keeps unknown keys, in
// order. `layout` is how the decoder read the record: a record that was read is written back
// with its keys in the order and form read (docs/record-format.md §11.3); one built in code has
// an empty layout and is written in the canonical order of §7. Copyable aggregate with ==, which
// ignores `layout` at every level.
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
    record_layout layout{};

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
