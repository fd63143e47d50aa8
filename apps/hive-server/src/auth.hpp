// Bearer credential checking for the hive server (docs/hive-api.md §2.2).
#pragma once

#include <string_view>

namespace forge::hive_server::detail {

// constant_time_equal: a == b, taking time that depends only on the lengths, never on where the
// first difference is.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// bearer_matches: header is "Bearer <key>:<secret>" (scheme case-insensitive, one space, split at
// the first ':', key non-empty) and both parts equal the expected ones (compared in constant
// time). An empty expected key never matches.
bool bearer_matches(std::string_view header,
                    std::string_view api_key,
                    std::string_view api_secret) noexcept;

}  // namespace forge::hive_server::detail
