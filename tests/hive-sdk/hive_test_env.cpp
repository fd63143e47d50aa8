#include "hive_test_env.hpp"

#include <forge/types/uuid.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>

namespace forge::hive::test {

std::filesystem::path write_forge_json(const std::filesystem::path& dir) {
    auto path = dir / "forge.json";
    std::ofstream out(path);
    out << R"({"project":{"name":"Billing","uuid":")" << project_uuid << R"("},)"
        << R"("paths":{"tasks":"src/tasks"},)"
        << R"("tasks":{"invoice:total":{"path":"src/tasks/invoice/total.ts","handler":"total","uuid":")"
        << task_uuid << R"("},"stock/get#1":{"path":"x.ts","handler":"h","uuid":")"
        << other_task_uuid << R"("}}})";
    return path;
}

execution_record sample_record(const std::string& name, int n) {
    execution_record r;
    r.input = json::object({{"customerId", json("c-" + std::to_string(n))}});
    r.task_name = name;
    r.metadata = json_object{{"env", json("test")}};
    r.type = record_type::success;
    r.output = json::object({{"total", json(74.52 + n)}});
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    r.timing = timing_info{now_ms, now_ms + 3, 3, std::nullopt, std::nullopt};
    r.uuid = make_uuid_v7(now_ms);
    return r;
}

hive_env::hive_env(forge::hive_server::server_config overrides) {
    forge_json = write_forge_json(dir.path());
    overrides.host = "127.0.0.1";
    overrides.port = 0;
    overrides.database = dir / "hive.db";
    overrides.api_key = api_key;
    overrides.api_secret = api_secret;
    overrides.forge_json_files = {forge_json};
    server = std::make_unique<forge::hive_server::server>(std::move(overrides));
}

client_config hive_env::config() const {
    client_config c;
    c.api_key = api_key;
    c.api_secret = api_secret;
    c.host = server->url() + "/";
    c.project_name = "Billing";
    c.project_uuid = project_uuid;
    c.forge_config_path = forge_json.string();
    return c;
}

error_recorder::error_recorder() : state_(std::make_shared<state>()) {}

delivery_error_handler error_recorder::handler() const {
    return [s = state_](const delivery_error& e) {
        {
            std::lock_guard lock(s->m);
            s->errors.push_back(e);
        }
        s->cv.notify_all();
    };
}

std::vector<delivery_error> error_recorder::all() const {
    std::lock_guard lock(state_->m);
    return state_->errors;
}

bool error_recorder::wait_for(const std::function<bool(const delivery_error&)>& match,
                              std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->m);
    return state_->cv.wait_for(lock, timeout, [&] {
        return std::any_of(state_->errors.begin(), state_->errors.end(), match);
    });
}

}  // namespace forge::hive::test
