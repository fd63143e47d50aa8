// The snippet of libs/hive-sdk/README.md inside a program, so that it is compiled.
#include <forge/hive/shipper.hpp>

#include <chrono>

int main() {
    // clang-format off
    // readme-snippet: libs/hive-sdk/README.md
    auto config = forge::hive::client_config::from_env(
        {.project_name = "Billing", .project_uuid = "167aa373-…", .forge_config_path = "forge.json"});
    forge::hive::shipper shipper(config);          // silent (no I/O) without HIVE_API_KEY/SECRET
    auto listener = shipper.listener();            // register with a task; copies each record into the queue
    // ... run tasks ...
    auto report = shipper.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));
    // report.sent / dropped / failed / pending
    // readme-snippet-end
    // clang-format on
    return report.pending == 0 ? 0 : 1;
}
