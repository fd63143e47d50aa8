// Internal: the numbered "What to do" list of a replay_divergence.
#pragma once

#include <forge/task/replay_divergence.hpp>

#include <string>
#include <vector>

namespace forge::detail {

// add_suggestions: appends to d.suggestions what to do about d.code, naming d's task, boundary
// and tape; first_differences are the nearest candidate's differences (for the ignore-path hint).
void add_suggestions(divergence_details& d, const std::vector<std::string>& first_differences);

}  // namespace forge::detail
