#include <forge/hive_server/storage.hpp>

#include <future>
#include <utility>

namespace forge::hive_server {

ingest_result record_store::ingest(std::vector<ingest_item> items) {
    std::promise<ingest_result> done;
    auto result = done.get_future();
    ingest_async(std::move(items), [&done](ingest_result r) { done.set_value(std::move(r)); });
    return result.get();
}

quality_result record_store::set_quality(std::string task_name,
                                         std::string uuid,
                                         quality_info quality) {
    std::promise<quality_result> done;
    auto result = done.get_future();
    set_quality_async(std::move(task_name), std::move(uuid), std::move(quality),
                      [&done](quality_result r) { done.set_value(std::move(r)); });
    return result.get();
}

}  // namespace forge::hive_server
