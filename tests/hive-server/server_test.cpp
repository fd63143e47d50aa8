#include "test_server.hpp"

#include <forge/hive_server/server.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <future>
#include <reserved_port.hpp>
#include <stdexcept>
#include <string>

using namespace forge::test;
using forge::json;

TEST_CASE("GET /api/me answers the local team for the configured credentials", "[server]") {
    test_server s;
    auto r = s.get("/api/me");
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
    CHECK(
        r.body ==
        R"({"team":{"name":"local","uuid":"0b6f3c52-3d0e-4c7a-9a51-2f0d3e6b7a10"},"user":{"name":"dev"}})");
}

TEST_CASE("every /api route answers 401 for missing, malformed or wrong credentials",
          "[server][auth]") {
    test_server s;
    auto status_with = [&](const http_header_list& headers, std::string_view target = "/api/me") {
        auto r = http_request(s.port(), "GET", target, {}, headers);
        if (r.status == 401) CHECK(r.body == R"({"error":"Unauthorized","status":401})");
        return r.status;
    };
    CHECK(status_with({}) == 401);
    CHECK(status_with({{"Authorization", "Bearer test-key:wrong"}}) == 401);
    CHECK(status_with({{"Authorization", "Bearer wrong:test-secret"}}) == 401);
    CHECK(status_with({{"Authorization", "Bearer test-keytest-secret"}}) == 401);
    CHECK(status_with({{"Authorization", "Bearer :test-secret"}}) == 401);
    CHECK(status_with({{"Authorization", "Basic test-key:test-secret"}}) == 401);
    CHECK(status_with({{"Authorization", "Bearer  test-key:test-secret"}}) == 401);
    CHECK(status_with({{"Authorization", "Bearer test-key:test-secret"}}, "/api/projects/x") ==
          404);
    CHECK(status_with({}, "/api/projects/x") == 401);
    CHECK(status_with({{"Authorization", "bEaReR test-key:test-secret"}}) == 200);
}

TEST_CASE("a secret containing ':' is split at the first colon", "[server][auth]") {
    test_server s([](auto& c) { c.api_secret = "se:cr:et"; });
    CHECK(http_request(s.port(), "GET", "/api/me", {}, bearer("test-key", "se:cr:et")).status ==
          200);
    CHECK(http_request(s.port(), "GET", "/api/me", {}, bearer("test-key", "se")).status == 401);
}

TEST_CASE("log-ingest stores a record and answers 201 with the entry", "[server][ingest]") {
    test_server s;
    auto uuid = new_uuid();
    auto record = sample_record(uuid);
    auto r = s.post("/api/log-ingest", ingest_body(record));
    REQUIRE(r.status == 201);
    auto body = parse_body(r);
    CHECK(body.find("uuid")->as_string() == uuid);
    CHECK(body.find("taskName")->as_string() == "invoice:total");
    CHECK(body.find("projectName")->as_string() == "Billing");
    CHECK(*body.find("logItem") == forge::parse_json(record));
    auto created = body.find("createdAt")->as_string();
    CHECK(created.size() == 24);
    CHECK(created.back() == 'Z');
    CHECK(body.find("replayFrom") == nullptr);
}

TEST_CASE("log-ingest is idempotent on the record uuid", "[server][ingest]") {
    test_server s;
    auto uuid = new_uuid();
    auto first = s.post("/api/log-ingest", ingest_body(sample_record(uuid, 1)));
    auto again = s.post("/api/log-ingest", ingest_body(sample_record(uuid, 2)));
    REQUIRE(first.status == 201);
    REQUIRE(again.status == 200);
    CHECK(again.body == first.body);
    auto health = parse_body(http_request(s.port(), "GET", "/healthz"));
    CHECK(health.find("records")->as_int64() == 1);
    auto stored = parse_body(s.get("/api/tasks/invoice:total/logs/" + uuid));
    CHECK(stored.find("logItem")->find("output")->find("total")->as_double() == 1);
}

TEST_CASE("log-ingest fills a missing uuid and type and keeps the rest verbatim",
          "[server][ingest]") {
    test_server s;
    auto r =
        s.post("/api/log-ingest", ingest_body(R"({"input":{"a":1},"boundaries":{},"output":5})"));
    REQUIRE(r.status == 201);
    auto body = parse_body(r);
    auto uuid = body.find("uuid")->as_string();
    CHECK(forge::is_uuid_v7(uuid));
    auto item = *body.find("logItem");
    CHECK(item.find("uuid")->as_string() == uuid);
    CHECK(item.find("type")->as_string() == "success");
    CHECK(*item.find("output") == json(5));
    auto got = s.get("/api/tasks/invoice:total/logs/" + uuid);
    CHECK(got.status == 200);
}

TEST_CASE("log-ingest stamps a filled uuid with the record's start time, as the client does",
          "[server][ingest]") {
    test_server s;
    auto r = s.post("/api/log-ingest", ingest_body(sample_record("")));
    REQUIRE(r.status == 201);
    CHECK(forge::uuid_v7_unix_ms(parse_body(r).find("uuid")->as_string()) == 1717000000010);
}

TEST_CASE("log-ingest keeps replayFrom and returns it in the entry", "[server][ingest]") {
    test_server s;
    auto source = new_uuid();
    auto uuid = new_uuid();
    auto record = json::object({{"input", 1},
                                {"boundaries", json::object()},
                                {"taskName", "invoice:total"},
                                {"metadata", json::object()},
                                {"metrics", json::array()},
                                {"type", "success"},
                                {"output", 2},
                                {"uuid", uuid},
                                {"replayFrom", source}});
    auto r = s.post("/api/log-ingest", ingest_body(forge::to_json_text(record)));
    REQUIRE(r.status == 201);
    CHECK(parse_body(r).find("replayFrom")->as_string() == source);
    CHECK(parse_body(s.get("/api/tasks/invoice:total/logs/" + uuid))
              .find("replayFrom")
              ->as_string() == source);
}

TEST_CASE("batch ingest answers each item with the status log-ingest would give",
          "[server][batch]") {
    test_server s;
    auto stored = new_uuid();
    REQUIRE(s.post("/api/log-ingest", ingest_body(sample_record(stored))).status == 201);
    auto fresh = new_uuid();
    auto unknown_task = new_uuid();
    auto body = "{\"items\":[" + ingest_body(sample_record(fresh)) + "," +
                ingest_body(sample_record(stored)) + ",{\"projectUuid\":\"" +
                std::string(project_uuid) + "\",\"taskUuid\":\"" + std::string(task_uuid) +
                "\",\"logItem\":\"[1]\"}," +
                ingest_body(sample_record(unknown_task), project_uuid, "no-such-task") + "," +
                ingest_body(sample_record(fresh)) + "]}";
    auto r = s.post("/api/log-ingest/batch", body);
    REQUIRE(r.status == 200);
    auto results = parse_body(r).find("results")->as_array();
    REQUIRE(results.size() == 5);
    CHECK(results[0] == json::object({{"uuid", fresh}, {"status", 201}}));
    CHECK(results[1] == json::object({{"uuid", stored}, {"status", 200}}));
    CHECK(results[2] ==
          json::object(
              {{"uuid", nullptr}, {"status", 400}, {"error", "logItem is not a JSON object"}}));
    CHECK(results[3] ==
          json::object({{"uuid", unknown_task}, {"status", 404}, {"error", "Task not found"}}));
    CHECK(results[4] == json::object({{"uuid", fresh}, {"status", 200}}));
    CHECK(parse_body(http_request(s.port(), "GET", "/healthz")).find("records")->as_int64() == 2);
}

TEST_CASE("batch ingest rejects a body that is not a batch of 1 to 1000 items", "[server][batch]") {
    test_server s;
    CHECK(s.post("/api/log-ingest/batch", "{}").status == 400);
    CHECK(error_of(s.post("/api/log-ingest/batch", R"({"items":{}})")) ==
          "Missing or invalid field: items");
    auto empty = s.post("/api/log-ingest/batch", R"({"items":[]})");
    CHECK(empty.status == 400);
    CHECK(error_of(empty) == "Invalid batch size: 0 items (expected 1 to 1000)");
    std::string many = "{\"items\":[";
    for (int i = 0; i < 1001; ++i) many += (i ? ",{}" : "{}");
    many += "]}";
    auto too_many = s.post("/api/log-ingest/batch", many);
    CHECK(too_many.status == 400);
    CHECK(error_of(too_many) == "Invalid batch size: 1001 items (expected 1 to 1000)");
    CHECK(error_of(s.post("/api/log-ingest/batch", "[")) == "Invalid JSON body");
}

TEST_CASE("get log finds a stored record by task name and uuid", "[server][logs]") {
    test_server s;
    auto uuid = new_uuid();
    REQUIRE(s.post("/api/log-ingest", ingest_body(sample_record(uuid))).status == 201);
    auto r = s.get("/api/tasks/invoice:total/logs/" + uuid);
    REQUIRE(r.status == 200);
    CHECK(parse_body(r).find("uuid")->as_string() == uuid);
    CHECK(parse_body(r).find("quality") == nullptr);
    SECTION("the task name may be percent-encoded") {
        CHECK(s.get("/api/tasks/invoice%3Atotal/logs/" + uuid).status == 200);
    }
    SECTION("another task name or uuid is not found") {
        auto other = s.get("/api/tasks/invoice:send/logs/" + uuid);
        CHECK(other.status == 404);
        CHECK(other.body == R"({"error":"Log not found","status":404})");
        CHECK(s.get("/api/tasks/invoice:total/logs/" + new_uuid()).status == 404);
    }
}

TEST_CASE("set-quality stores a quality that get log returns and a new one replaces",
          "[server][quality]") {
    test_server s;
    auto uuid = new_uuid();
    REQUIRE(s.post("/api/log-ingest", ingest_body(sample_record(uuid))).status == 201);
    auto target = "/api/tasks/invoice:total/logs/" + uuid;
    auto r = s.post(
        target + "/set-quality",
        R"({"quality":{"score":8.5,"reason":"Correct total","suggestions":"Cache FX rates"}})");
    REQUIRE(r.status == 200);
    CHECK(r.body == R"({"success":true})");
    auto q = *parse_body(s.get(target)).find("quality");
    CHECK(q.find("score")->as_double() == 8.5);
    CHECK(q.find("reason")->as_string() == "Correct total");
    CHECK(q.find("suggestions")->as_string() == "Cache FX rates");
    CHECK(q.find("updatedAt")->as_string().size() == 24);
    REQUIRE(s.post(target + "/set-quality", R"({"quality":{"score":-3}})").status == 200);
    auto replaced = *parse_body(s.get(target)).find("quality");
    CHECK(replaced.find("score")->as_double() == -3);
    CHECK(replaced.find("reason")->is_null());
}

TEST_CASE("set-quality rejects a bad quality with 400 and an unknown log with 404",
          "[server][quality]") {
    test_server s;
    auto uuid = new_uuid();
    REQUIRE(s.post("/api/log-ingest", ingest_body(sample_record(uuid))).status == 201);
    auto target = "/api/tasks/invoice:total/logs/" + uuid + "/set-quality";
    for (const char* bad :
         {R"({})", R"({"quality":5})", R"({"quality":{}})", R"({"quality":{"score":"8"}})",
          R"({"quality":{"score":1,"reason":2}})", R"({"quality":{"score":1,"suggestions":[]}})"}) {
        INFO(bad);
        auto r = s.post(target, bad);
        CHECK(r.status == 400);
        CHECK(error_of(r) == "Missing or invalid field: quality");
    }
    CHECK(error_of(s.post(target, "not json")) == "Invalid JSON body");
    auto missing = s.post("/api/tasks/invoice:total/logs/" + new_uuid() + "/set-quality",
                          R"({"quality":{"score":1}})");
    CHECK(missing.status == 404);
    CHECK(error_of(missing) == "Log not found");
}

TEST_CASE("GET /api/projects/{uuid} returns the project and its tasks", "[server][projects]") {
    test_server s;
    auto r = s.get("/api/projects/" + std::string(project_uuid));
    REQUIRE(r.status == 200);
    CHECK(
        r.body ==
        R"({"project":{"uuid":"167aa373-cecc-42b5-90d1-a29454d76504","projectName":"Billing","description":"",)"
        R"("tasks":[{"uuid":"a45aafe3-8b01-4b58-b15d-9a96274858ee","name":"invoice:total"},)"
        R"({"uuid":"5c0e3d4e-3b7c-4f71-8d0e-9f1b2a3c4d5e","name":"invoice:send"}]}})");
    auto missing = s.get("/api/projects/nope");
    CHECK(missing.status == 404);
    CHECK(error_of(missing) == "Project not found");
}

TEST_CASE("projects from forge.json files are registered at start and kept across restarts",
          "[server][projects]") {
    temp_dir dir;
    {
        std::FILE* f = std::fopen((dir / "forge.json").c_str(), "w");
        REQUIRE(f);
        std::fputs(R"({"project":{"name":"Shop","uuid":"p-1"},"paths":{},)"
                   R"("tasks":{"cart:add":{"path":"a.ts","handler":"h","uuid":"t-1"}}})",
                   f);
        std::fclose(f);
    }
    forge::hive_server::server_config config;
    config.database = dir / "hive.db";
    config.api_key = "k";
    config.api_secret = "s";
    config.forge_json_files = {dir / "forge.json"};
    {
        forge::hive_server::server srv(config);
        auto r = http_request(srv.port(), "GET", "/api/projects/p-1", {}, bearer("k", "s"));
        CHECK(
            r.body ==
            R"({"project":{"uuid":"p-1","projectName":"Shop","description":"","tasks":[{"uuid":"t-1","name":"cart:add"}]}})");
    }
    config.forge_json_files.clear();
    forge::hive_server::server srv(config);
    CHECK(http_request(srv.port(), "GET", "/api/projects/p-1", {}, bearer("k", "s")).status == 200);
    config.forge_json_files = {dir / "missing.json"};
    config.port = 0;
    CHECK_THROWS_WITH(forge::hive_server::server(config),
                      Catch::Contains("forge.json not found at"));
}

TEST_CASE("a malformed forge.json stops the server, naming the file and the key path",
          "[server][projects]") {
    temp_dir dir;
    struct bad_case {
        std::string text;
        std::string error;
    };
    const std::string file = (dir / "forge.json").string();
    const bad_case cases[] = {
        {R"({"project":{"name":"Shop"},"tasks":{}})", file + ": project.uuid: missing"},
        {R"({"project":{"uuid":"p-1"},"tasks":{"cart:add":{"path":"a.ts"}}})",
         file + ": tasks.cart:add.uuid: missing"},
        {R"({"project":{"uuid":"p-1"},"tasks":{"cart:add":"t-1"}})",
         file + ": tasks.cart:add: expected an object"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        {
            std::FILE* f = std::fopen(file.c_str(), "w");
            REQUIRE(f);
            std::fputs(c.text.c_str(), f);
            std::fclose(f);
        }
        forge::hive_server::server_config config;
        config.database = dir / "hive.db";
        config.forge_json_files = {file};
        CHECK_THROWS_WITH(forge::hive_server::server(config), c.error);
    }
}

TEST_CASE("invoke runs a hosted task, stores its record and answers its payload",
          "[server][invoke]") {
    test_server s;
    const std::string record_uuid = new_uuid();
    s.server->register_invokable(std::string(project_uuid), std::string(task_uuid),
                                 [&record_uuid](const json& payload) {
                                     forge::hive_server::invoke_result r;
                                     const json* a = payload.find("a");
                                     if (!a || !a->is_integer()) {
                                         r.status = 400;
                                         r.error = "Invalid input on: a";
                                         return r;
                                     }
                                     if (a->as_int64() < 0) throw std::runtime_error("negative a");
                                     r.output = json::object({{"doubled", a->as_int64() * 2}});
                                     forge::execution_record record;
                                     record.input = payload;
                                     record.type = forge::record_type::success;
                                     record.output = r.output;
                                     record.uuid = record_uuid;
                                     r.record = record;
                                     return r;
                                 });
    const std::string target = "/api/projects/" + std::string(project_uuid) + "/tasks/" +
                               std::string(task_uuid) + "/invoke";
    auto ok = s.post(target, R"({"payload":{"a":21}})");
    REQUIRE(ok.status == 200);
    CHECK(ok.body == R"({"responsePayload":{"doubled":42}})");
    auto log = s.get("/api/tasks/invoice:total/logs/" + record_uuid);
    REQUIRE(log.status == 200);
    auto item = *parse_body(log).find("logItem");
    CHECK(item.find("metadata")->find("environment")->as_string() == "hive-invoke");
    CHECK(item.find("taskName")->as_string() == "invoice:total");

    auto invalid = s.post(target, R"({"payload":{}})");
    CHECK(invalid.status == 400);
    CHECK(error_of(invalid) == "Invalid input on: a");
    auto failed = s.post(target, R"({"payload":{"a":-1}})");
    CHECK(failed.status == 500);
    CHECK(error_of(failed) == "negative a");
    auto unknown = s.post("/api/projects/" + std::string(project_uuid) + "/tasks/" +
                              std::string(other_task_uuid) + "/invoke",
                          R"({"payload":{}})");
    CHECK(unknown.status == 404);
    CHECK(error_of(unknown) == "Task not found");
}

TEST_CASE("the rate limit answers 429 with Retry-After once the bucket is empty",
          "[server][rate-limit]") {
    test_server s([](auto& c) {
        c.rate_limit_per_s = 0.01;
        c.rate_limit_burst = 2;
    });
    CHECK(s.get("/api/me").status == 200);
    CHECK(s.get("/api/me").status == 200);
    auto limited = s.get("/api/me");
    CHECK(limited.status == 429);
    CHECK(error_of(limited) == "Too many requests");
    CHECK(std::stol(limited.header("Retry-After")) >= 1);
    CHECK(http_request(s.port(), "GET", "/healthz").status == 200);
}

TEST_CASE("healthz answers without credentials", "[server][health]") {
    test_server s;
    auto r = http_request(s.port(), "GET", "/healthz");
    REQUIRE(r.status == 200);
    auto body = parse_body(r);
    CHECK(body.find("status")->as_string() == "ok");
    CHECK(body.find("version")->as_string() == "0.1.0");
    REQUIRE(body.find("uptimeSeconds"));
    CHECK(body.find("uptimeSeconds")->is_integer());
    CHECK(body.find("records")->as_int64() == 0);
}

TEST_CASE("unknown routes and hosted-only routes answer 404 Not found", "[server][routing]") {
    test_server s;
    for (const char* target : {"/api/nope", "/api/projects", "/api/tasks/download",
                               "/api/fixture/abc", "/api/tasks/x/logs", "/api/me/extra"}) {
        INFO(target);
        auto r = s.post(target, "{}");
        CHECK(r.status == 404);
        CHECK(r.body == R"({"error":"Not found","status":404})");
    }
    CHECK(s.get("/api/log-ingest").status == 404);
    CHECK(http_request(s.port(), "GET", "/").status == 404);
}

TEST_CASE("connections are kept alive across requests", "[server][http]") {
    test_server s;
    http_connection c(s.port());
    for (int i = 0; i < 5; ++i) {
        CHECK(c.request("GET", "/api/me", {}, bearer(api_key, api_secret)).status == 200);
    }
}

TEST_CASE("stop answers the requests in flight and refuses new connections", "[server][shutdown]") {
    // The server listens on a reserved port, so after stop() nobody else can be listening there.
    reserved_port reserved;
    test_server s([&reserved](auto& c) { c.port = reserved.port(); });
    auto port = s.port();
    REQUIRE(port == reserved.port());
    http_connection idle(port);
    CHECK(idle.request("GET", "/api/me", {}, bearer(api_key, api_secret)).status == 200);
    auto uuid = new_uuid();
    CHECK(s.post("/api/log-ingest", ingest_body(sample_record(uuid))).status == 201);
    s.server->stop();
    CHECK(idle.wait_closed(std::chrono::seconds(10)));
    CHECK_THROWS(http_request(port, "GET", "/healthz"));
}

TEST_CASE("stop waits for a request being handled and sends its response", "[server][shutdown]") {
    test_server s;
    std::promise<void> entered;
    std::promise<void> release;
    auto released = release.get_future().share();
    s.server->register_invokable(std::string(project_uuid), std::string(task_uuid),
                                 [&entered, released](const json&) {
                                     entered.set_value();
                                     released.wait();
                                     forge::hive_server::invoke_result r;
                                     r.output = "done";
                                     return r;
                                 });
    auto entered_future = entered.get_future();
    auto response = std::async(std::launch::async, [&s] {
        return s.post("/api/projects/" + std::string(project_uuid) + "/tasks/" +
                          std::string(task_uuid) + "/invoke",
                      R"({"payload":null})");
    });
    REQUIRE(entered_future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    auto stopped = std::async(std::launch::async, [&s] { s.server->stop(); });
    release.set_value();
    auto r = response.get();
    CHECK(r.status == 200);
    CHECK(r.body == R"({"responsePayload":"done"})");
    REQUIRE(stopped.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
}
