// Shared fixtures of the hive server tests: a registered project, record and request builders,
// and an in-process server in a temporary directory.
#pragma once

#include <forge/hive_server/server.hpp>
#include <forge/types/json.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/uuid.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <hive_server_process.hpp>
#include <http_request.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <temp_dir.hpp>

namespace forge::test {

inline constexpr std::string_view project_uuid = "167aa373-cecc-42b5-90d1-a29454d76504";
inline constexpr std::string_view task_uuid = "a45aafe3-8b01-4b58-b15d-9a96274858ee";
inline constexpr std::string_view other_task_uuid = "5c0e3d4e-3b7c-4f71-8d0e-9f1b2a3c4d5e";
inline constexpr std::string_view api_key = "test-key";
inline constexpr std::string_view api_secret = "test-secret";

// billing_project: project "Billing" with tasks invoice:total and invoice:send.
inline forge::hive_server::project_info billing_project() {
    return {std::string(project_uuid),
            "Billing",
            "",
            {{std::string(task_uuid), "invoice:total"},
             {std::string(other_task_uuid), "invoice:send"}}};
}

// new_uuid: a fresh v7 uuid.
inline std::string new_uuid() {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return forge::make_uuid_v7(ms);
}

// sample_record: the compact text of a success record of invoice:total with the given uuid
// (omitted when empty).
inline std::string sample_record(std::string_view uuid, double total = 74.52) {
    auto r = json::object({{"input", json::object({{"customerId", "c-1042"}})},
                           {"boundaries", json::object()},
                           {"taskName", "invoice:total"},
                           {"metadata", json::object({{"env", "prod"}})},
                           {"metrics", json::array()},
                           {"type", "success"},
                           {"output", json::object({{"total", total}})},
                           {"timing", json::object({{"startTime", 1717000000010LL},
                                                    {"endTime", 1717000000072LL},
                                                    {"duration", 62}})}});
    if (!uuid.empty()) r.set("uuid", std::string(uuid));
    return to_json_text(r);
}

// ingest_body: the docs/hive-api.md §5.3 request body carrying record_text as the logItem string.
inline std::string ingest_body(std::string_view record_text,
                               std::string_view project = project_uuid,
                               std::string_view task = task_uuid) {
    return to_json_text(json::object({{"projectUuid", std::string(project)},
                                      {"taskUuid", std::string(task)},
                                      {"logItem", std::string(record_text)}}));
}

// test_server: an in-process server on 127.0.0.1 (port 0) with a fresh database in a temporary
// directory and the Billing project registered.
struct test_server {
    temp_dir dir;
    std::unique_ptr<forge::hive_server::server> server;

    explicit test_server(
        const std::function<void(forge::hive_server::server_config&)>& tweak = {}) {
        forge::hive_server::server_config config;
        config.database = dir / "hive.db";
        config.api_key = std::string(api_key);
        config.api_secret = std::string(api_secret);
        if (tweak) tweak(config);
        server = std::make_unique<forge::hive_server::server>(config);
        server->register_project(billing_project());
    }

    std::uint16_t port() const { return server->port(); }

    http_response get(std::string_view target) const {
        return http_request(port(), "GET", target, {}, bearer(api_key, api_secret));
    }
    http_response post(std::string_view target, std::string_view body) const {
        return http_request(port(), "POST", target, body, bearer(api_key, api_secret));
    }
};

// parse_body: the response body as JSON (throws when it is not JSON).
inline json parse_body(const http_response& r) { return parse_json(r.body); }

// error_of: the "error" text of an error body, or "" when there is none.
inline std::string error_of(const http_response& r) {
    auto v = try_parse_json(r.body);
    if (!v) return {};
    const json* e = v->find("error");
    return e && e->is_string() ? e->as_string() : std::string();
}

// write_forge_json: writes dir/forge.json registering billing_project()'s invoice:total task.
inline std::filesystem::path write_forge_json(const temp_dir& dir) {
    auto path = dir / "forge.json";
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr) throw std::runtime_error("cannot write " + path.string());
    std::fputs(R"({"project":{"name":"Billing","uuid":"167aa373-cecc-42b5-90d1-a29454d76504"},)"
               R"("tasks":{"invoice:total":{"path":"src/total.ts","handler":"total",)"
               R"("uuid":"a45aafe3-8b01-4b58-b15d-9a96274858ee"}}})",
               f);
    std::fclose(f);
    return path;
}

// options_in: options for the hive-server binary with its database and forge.json in dir.
inline hive_server_options options_in(const temp_dir& dir) {
    hive_server_options o;
    o.binary = FORGE_HIVE_SERVER_BIN;
    o.database = dir / "hive.db";
    o.forge_json_files = {write_forge_json(dir)};
    return o;
}

}  // namespace forge::test
