// Builds the docs/hive-api.md §5.3 log-ingest body for one record (private to forge::hive).
#pragma once

#include <forge/hive/config.hpp>
#include <forge/types/execution_record.hpp>

#include <string>

namespace forge::hive::detail {

// ingest_item: one record ready to send; `body` is {"projectUuid","taskUuid","logItem"}.
struct ingest_item {
    std::string uuid{};
    std::string body{};
};

// prepare_ingest
//
// Applies docs/hive-api.md §9.4 steps 1 and 3-7 to `record` in place: finds the task uuid, merges
// metadata (base < record < extra), gives it a v7 uuid when it has none (timestamp from
// timing.startTime when present, else now) and encodes the body into `out`. Returns an empty
// string on success, else the error ("missing projectUuid", `task "<name>" not found in
// forge.json`). Cost: one record encoding plus the outer body.
std::string prepare_ingest(execution_record& record,
                           const std::string& project_uuid,
                           const forge_config& forge,
                           const string_map& base_metadata,
                           const string_map& extra_metadata,
                           ingest_item& out);

}  // namespace forge::hive::detail
