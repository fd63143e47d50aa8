// Internal: the ignore paths of tape matching (docs/replay.md §3.2).
#pragma once

#include <forge/types/json.hpp>

#include <string>
#include <vector>

namespace forge::detail {

// without_ignored: v with every ignore path removed: paths in json_path form ("0.timestamp"),
// "*" for every member or element; an object member is erased, an array element becomes null
// (positions still count). Paths that do not exist in v are skipped. Cost: linear in the paths'
// lengths plus the members scanned.
json without_ignored(json v, const std::vector<std::string>& ignore_paths);

}  // namespace forge::detail
