// forge::fill_missing_uuid: the one rule giving an ingested record its id (docs/record-format.md
// §5.3, docs/hive-api.md §5.3 and §9.4), used by the Hive client before sending and by the hive
// server on receipt.
#pragma once

#include <forge/types/execution_record.hpp>

#include <cstdint>

namespace forge {

// fill_missing_uuid
//
// Gives `record` a new v7 uuid when it has none (absent or empty) and returns true; leaves any
// other uuid alone, unchecked, and returns false. The new uuid's timestamp is the record's
// timing.startTime when that is positive, so ids sort like runs, else `now_ms` (Unix epoch ms,
// passed in: the function reads no clock). Cost: one make_uuid_v7 when filling, nothing else.
// Thread-safe for distinct records.
bool fill_missing_uuid(execution_record& record, std::int64_t now_ms);

}  // namespace forge
