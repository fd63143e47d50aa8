// Test fixtures for forge::hive: a forge.json, sample records and an in-process hive server.
#pragma once

#include <forge/hive/config.hpp>
#include <forge/hive/delivery_error.hpp>
#include <forge/hive_server/server.hpp>
#include <forge/types/execution_record.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <temp_dir.hpp>
#include <vector>

namespace forge::hive::test {

inline constexpr const char* project_uuid = "167aa373-cecc-42b5-90d1-a29454d76504";
inline constexpr const char* task_uuid = "a45aafe3-8b01-4b58-b15d-9a96274858ee";
inline constexpr const char* other_task_uuid = "5b0e7c2a-9d41-4f8e-b1a3-7c6d2e9f0a11";
inline constexpr const char* task_name = "invoice:total";
inline constexpr const char* api_key = "local-key-0001";
inline constexpr const char* api_secret = "local-secret-with:colon";

// write_forge_json: writes the standard test forge.json (project Billing, task invoice:total and
// task stock/get#1) into dir and returns its path.
std::filesystem::path write_forge_json(const std::filesystem::path& dir);

// sample_record: a success record of task `name` with a v7 uuid and timing.
execution_record sample_record(const std::string& name = task_name, int n = 0);

// hive_env: a temp dir with forge.json and a running in-process server that knows the project.
struct hive_env {
    forge::test::temp_dir dir{};
    std::filesystem::path forge_json{};
    std::unique_ptr<forge::hive_server::server> server{};

    explicit hive_env(forge::hive_server::server_config overrides = {});

    // config: a client_config with the server's URL, the credentials and the forge.json.
    client_config config() const;
};

// error_recorder: keeps every delivery_error a shipper reports, for tests to read or wait on.
// Copies share one list. Thread-safe.
class error_recorder {
public:
    error_recorder();

    // handler: an on_error that appends to the list and wakes waiters.
    delivery_error_handler handler() const;

    // all: a copy of the errors reported so far, in order.
    std::vector<delivery_error> all() const;

    // wait_for: blocks until an error matching `match` has been reported (true) or until the
    // generous `timeout` (false).
    bool wait_for(const std::function<bool(const delivery_error&)>& match,
                  std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;

private:
    struct state {
        mutable std::mutex m;
        std::condition_variable cv;
        std::vector<delivery_error> errors;
    };
    std::shared_ptr<state> state_;
};

}  // namespace forge::hive::test
