// forge::boundary_record: one call of a boundary (docs/record-format.md §4).
#pragma once

#include <forge/types/error_category.hpp>
#include <forge/types/json.hpp>
#include <forge/types/read_layout.hpp>
#include <forge/types/timing_info.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace forge {

// provenance: where a boundary call's result came from.
enum class provenance : std::uint8_t { live, tape, tape_fallback, mock };

// to_string: "live", "tape", "tape-fallback", "mock".
std::string_view to_string(provenance p) noexcept;

// parse_provenance: the provenance named by text, or nullopt.
std::optional<provenance> parse_provenance(std::string_view text) noexcept;

// boundary_key: the known keys of a boundary entry (ids of its read_layout).
enum class boundary_key : std::uint8_t {
    input,
    output,
    error,
    timing,
    provenance,
    seq,
    live_error,
    error_category
};

// boundary_layout: how a decoded boundary entry was written (read_layout.hpp).
using boundary_layout = read_layout<boundary_key, 8>;

// boundary_record
//
// One boundary call: its arguments (always a JSON array), its output or its error, its timing and
// the extensions provenance, seq, liveError and errorCategory. An entry with neither output nor
// error is a success without a value (void). `extra` keeps unknown keys, among them the
// extensions `childRecord` (the inner record of a composed task, as JSON) and `attempt`, which
// the TS-compat writer drops by name. `layout` is how the decoder read the entry (empty when
// built in code); == ignores it. Copyable aggregate.
struct boundary_record {
    json input = json_array{};
    std::optional<json> output{};
    std::optional<std::string> error{};
    std::optional<timing_info> timing{};
    std::optional<forge::provenance> provenance{};
    std::optional<std::uint64_t> seq{};
    std::optional<std::string> live_error{};
    std::optional<forge::error_category> error_category{};
    json_object extra{};
    boundary_layout layout{};

    // is_error: the entry classification rule (docs/record-format.md §9): an error text is present.
    bool is_error() const noexcept { return error.has_value(); }

    friend bool operator==(const boundary_record&, const boundary_record&) = default;
};

}  // namespace forge
