// Metric validity and construction (docs/record-format.md §6).
#include <forge/types/json_text.hpp>
#include <forge/types/metric.hpp>

#include <cmath>

namespace forge {
namespace {

std::string invalid_metric_text(const metric& m) {
    std::string out = "Invalid metric provided: {\"type\":";
    write_json_string(out, m.type);
    out.append(",\"name\":");
    write_json_string(out, m.name);
    out.append(",\"value\":");
    write_json_number(out, m.value);
    out.push_back('}');
    return out;
}

}  // namespace

bool is_valid_metric(const metric& m) noexcept {
    return !m.type.empty() && !m.name.empty() && std::isfinite(m.value);
}

invalid_metric_error::invalid_metric_error(const metric& m)
    : std::invalid_argument(invalid_metric_text(m)) {}

void validate_metric(const metric& m) {
    if (!is_valid_metric(m)) throw invalid_metric_error(m);
}

metric make_metric(std::string_view type, std::string_view name, double value) {
    metric m{std::string(type), std::string(name), value, {}};
    if (!is_valid_metric(m)) {
        throw std::invalid_argument("Invalid metric: type=\"" + m.type + "\", name=\"" + m.name +
                                    "\", value=" + format_js_number(value));
    }
    return m;
}

}  // namespace forge
