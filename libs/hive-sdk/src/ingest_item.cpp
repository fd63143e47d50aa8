#include "ingest_item.hpp"

#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>
#include <forge/types/record_uuid.hpp>

#include <chrono>

namespace forge::hive::detail {

std::optional<ingest_error> prepare_ingest(execution_record& record,
                                           const std::string& project_uuid,
                                           const forge_config& forge,
                                           const string_map& base_metadata,
                                           const string_map& extra_metadata,
                                           ingest_item& out) {
    std::string task_name = record.task_name.value_or("unknown-task");
    if (project_uuid.empty()) {
        return ingest_error{failure_class::missing_project, "missing projectUuid"};
    }
    const std::string* task_uuid = forge.find_task_uuid(task_name);
    if (!task_uuid) {
        return ingest_error{failure_class::unknown_task,
                            "task \"" + task_name + "\" not found in forge.json"};
    }

    if (!base_metadata.empty() || !extra_metadata.empty()) {
        json_object merged;
        merged.reserve(base_metadata.size() + record.metadata.size() + extra_metadata.size());
        for (const auto& [k, v] : base_metadata) insert_or_assign(merged, k, json(v));
        for (auto& [k, v] : record.metadata) insert_or_assign(merged, k, std::move(v));
        for (const auto& [k, v] : extra_metadata) insert_or_assign(merged, k, json(v));
        record.metadata = std::move(merged);
    }
    fill_missing_uuid(record, std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count());
    out.uuid = *record.uuid;
    out.task_name = std::move(task_name);
    std::string item_text;
    encode_record(item_text, record);
    out.body.clear();
    out.body.reserve(item_text.size() + item_text.size() / 8 + 128);
    out.body.append("{\"projectUuid\":");
    write_json_string(out.body, project_uuid);
    out.body.append(",\"taskUuid\":");
    write_json_string(out.body, *task_uuid);
    out.body.append(",\"logItem\":");
    write_json_string(out.body, item_text);
    out.body.push_back('}');
    return std::nullopt;
}

}  // namespace forge::hive::detail
