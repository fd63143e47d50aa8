// readme-snippet: README.md, "Shipping records to a hive server"
#include <forge/hive/shipper.hpp>
#include <forge/task/listener_registry.hpp>

#include <chrono>

int main() {
    auto config = forge::hive::client_config::from_env(  // HIVE_HOST, HIVE_API_KEY, HIVE_API_SECRET
        forge::hive::client_config::from_forge_json("forge.json"));  // task name -> task uuid
    forge::hive::shipper shipper(config);  // a background thread: batches, retries
    auto handle = forge::listener_registry::global().add(shipper.listener());  // queues each run
    // ... run tasks ...
    shipper.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));
}
// readme-snippet-end
