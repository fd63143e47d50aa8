// Internal: field-level differences between two JSON values, for divergence messages.
#pragma once

#include <forge/types/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace forge::detail {

// json_differences: compares recorded with actual under canonical equality (key order ignored)
// and returns how many leaf differences there are, counting at most `count_limit`. The first
// `keep` are appended to *out (when out is not null) as "<path>: recorded <json>, actual <json>"
// ("(root)" for the root path; "missing"/"absent" for a key on one side only). Cost: linear in
// the smaller of the two values and count_limit.
std::size_t json_differences(const json& recorded,
                             const json& actual,
                             std::vector<std::string>* out,
                             std::size_t keep,
                             std::size_t count_limit);

}  // namespace forge::detail
