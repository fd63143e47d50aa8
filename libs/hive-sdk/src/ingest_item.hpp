// Builds the docs/hive-api.md §5.3 log-ingest body for one record (private to forge::hive).
#pragma once

#include <forge/hive/config.hpp>
#include <forge/hive/delivery_error.hpp>
#include <forge/types/execution_record.hpp>

#include <optional>
#include <string>

namespace forge::hive::detail {

// ingest_item: one record ready to send; `body` is {"projectUuid","taskUuid","logItem"}.
struct ingest_item {
    std::string uuid{};
    std::string task_name{};
    std::string body{};
};

// ingest_error: why a record could not be prepared (nothing was sent): unknown_task or
// missing_project, and the message.
struct ingest_error {
    failure_class kind = failure_class::unknown_task;
    std::string message{};
};

// prepare_ingest
//
// Applies docs/hive-api.md §9.4 steps 1 and 3-7 to `record` in place: finds the task uuid, merges
// metadata (base < record < extra), gives it a uuid when it has none (forge::fill_missing_uuid,
// with the system clock's now) and encodes the body into `out`. Returns nullopt on success, else
// the error: missing_project "missing projectUuid", or unknown_task
// `task "<name>" not found in forge.json`. Cost: one record encoding plus the outer body.
std::optional<ingest_error> prepare_ingest(execution_record& record,
                                           const std::string& project_uuid,
                                           const forge_config& forge,
                                           const string_map& base_metadata,
                                           const string_map& extra_metadata,
                                           ingest_item& out);

}  // namespace forge::hive::detail
