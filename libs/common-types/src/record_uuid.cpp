// The ingest uuid rule.
#include <forge/types/record_uuid.hpp>
#include <forge/types/uuid.hpp>

namespace forge {

bool fill_missing_uuid(execution_record& record, std::int64_t now_ms) {
    if (record.uuid && !record.uuid->empty()) return false;
    const bool has_start = record.timing && record.timing->start_time > 0;
    record.uuid = make_uuid_v7(has_start ? record.timing->start_time : now_ms);
    return true;
}

}  // namespace forge
