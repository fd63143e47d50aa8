// forge::metric: one custom metric of a run (docs/record-format.md §6).
#pragma once

#include <forge/types/json.hpp>
#include <forge/types/read_layout.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace forge {

// metric_key: the known keys of a metric object (ids of its read_layout).
enum class metric_key : std::uint8_t { type, name, value };

// metric_layout: how a decoded metric was written (read_layout.hpp).
using metric_layout = read_layout<metric_key, 3>;

// metric
//
// A named numeric measurement: type (e.g. "business"), name and value. `extra` keeps unknown
// keys read from JSON (e.g. "unit", "labels") so a decoded record re-encodes without loss.
// `layout` is how the decoder read it (empty when built in code); == ignores it. Copyable
// aggregate.
struct metric {
    std::string type;
    std::string name;
    double value = 0;
    json_object extra{};
    metric_layout layout{};

    friend bool operator==(const metric&, const metric&) = default;
};

// is_valid_metric: type and name non-empty and value finite (NaN and ±Infinity are invalid).
bool is_valid_metric(const metric& m) noexcept;

// invalid_metric_error: thrown when an invalid metric is added to a run. what() is exactly
// "Invalid metric provided: " followed by the metric as JSON (non-finite values show as null).
class invalid_metric_error : public std::invalid_argument {
public:
    explicit invalid_metric_error(const metric& m);
};

// validate_metric: throws invalid_metric_error unless is_valid_metric(m).
void validate_metric(const metric& m);

// make_metric: builds a valid metric or throws std::invalid_argument with
// `Invalid metric: type="<type>", name="<name>", value=<value>` (value in JavaScript number
// format: NaN, Infinity, -Infinity).
metric make_metric(std::string_view type, std::string_view name, double value);

}  // namespace forge
