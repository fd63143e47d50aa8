// Response bodies of the hive server: error shape, log entries, timestamps
// (docs/hive-api.md §2.5, §5).
#pragma once

#include <forge/hive_server/storage.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace forge::hive_server::detail {

// iso8601_utc: epoch ms as "2024-05-29T16:26:40.123Z".
std::string iso8601_utc(std::int64_t unix_ms);

// error_body: {"error": message, "status": status}.
std::string error_body(std::string_view message, int status);

// log_entry_body: the docs/hive-api.md §5.3 / §5.5 entry: uuid, taskName, projectName, logItem (the
// stored record text embedded as an object), createdAt, then replayFrom and quality when present.
std::string log_entry_body(const stored_log& log, std::string_view project_name, bool with_quality);

}  // namespace forge::hive_server::detail
