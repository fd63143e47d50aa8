#include "api_json.hpp"

#include <forge/types/json_text.hpp>

#include <fmt/format.h>

#include <ctime>

namespace forge::hive_server::detail {

std::string iso8601_utc(std::int64_t unix_ms) {
    std::int64_t seconds = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
    auto ms = static_cast<int>(unix_ms - seconds * 1000);
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

std::string error_body(std::string_view message, int status) {
    std::string out = "{\"error\":";
    write_json_string(out, message);
    out += fmt::format(",\"status\":{}}}", status);
    return out;
}

std::string log_entry_body(const stored_log& log,
                           std::string_view project_name,
                           bool with_quality) {
    std::string out;
    out.reserve(log.record_json.size() + 256);
    out += "{\"uuid\":";
    write_json_string(out, log.uuid);
    out += ",\"taskName\":";
    write_json_string(out, log.task_name);
    out += ",\"projectName\":";
    write_json_string(out, project_name);
    out += ",\"logItem\":";
    out += log.record_json;
    out += ",\"createdAt\":";
    write_json_string(out, iso8601_utc(log.created_at_ms));
    if (log.replay_from) {
        out += ",\"replayFrom\":";
        write_json_string(out, *log.replay_from);
    }
    if (with_quality && log.quality) {
        const auto& q = *log.quality;
        out += ",\"quality\":{\"score\":";
        write_json_number(out, q.score);
        out += ",\"reason\":";
        if (q.reason) {
            write_json_string(out, *q.reason);
        } else {
            out += "null";
        }
        out += ",\"suggestions\":";
        if (q.suggestions) {
            write_json_string(out, *q.suggestions);
        } else {
            out += "null";
        }
        out += ",\"updatedAt\":";
        write_json_string(out, iso8601_utc(q.updated_at_ms));
        out += '}';
    }
    out += '}';
    return out;
}

}  // namespace forge::hive_server::detail
