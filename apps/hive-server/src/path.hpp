// Request-target parsing for the hive server: path segments, each percent-decoded once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace forge::hive_server::detail {

// parsed_target: the decoded path segments (empty segments from "//" or a trailing "/" are
// dropped) and the raw query text after '?'. `error` is non-empty when the target is not a
// usable origin-form path, naming the problem.
struct parsed_target {
    std::vector<std::string> segments;
    std::string query;
    std::string error;
};

// parse_target: splits at '/', then percent-decodes each segment once, so "%2F" inside a segment
// stays data and never creates a route level. Rejects a target not starting with '/', bad
// percent escapes, and segments that decode to a NUL byte or exceed max_segment_bytes.
parsed_target parse_target(std::string_view target);

// max_segment_bytes: the longest decoded path segment accepted.
inline constexpr std::size_t max_segment_bytes = 1024;

}  // namespace forge::hive_server::detail
