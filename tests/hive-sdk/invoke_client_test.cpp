#include "hive_test_env.hpp"

#include <forge/hive/invoke_client.hpp>
#include <forge/hive/log_client.hpp>

#include <catch2/catch.hpp>

#include <reserved_port.hpp>
#include <stdexcept>

using namespace forge::hive;
using forge::json;
namespace srv = forge::hive_server;

TEST_CASE("invoke_client without credentials throws the spec's message", "[invoke_client]") {
    client_config cfg;
    cfg.api_key = "k";
    CHECK_THROWS_WITH(invoke_client(cfg), std::string(missing_invoke_credentials_error));
}

TEST_CASE("invoke returns the task's responsePayload and the run is stored", "[invoke_client]") {
    test::hive_env env;
    std::string run_uuid = test::sample_record().uuid.value();
    env.server->register_invokable(test::project_uuid, test::task_uuid, [run_uuid](const json& p) {
        srv::invoke_result r;
        r.output = json::object({{"doubled", json(p.find("n")->as_int64() * 2)}});
        auto record = test::sample_record();
        record.uuid = run_uuid;
        record.input = p;
        record.output = r.output;
        r.record = record;
        return r;
    });
    invoke_client client(env.config());
    auto r = client.invoke(test::project_uuid, test::task_uuid, json::object({{"n", json(21)}}));
    REQUIRE(r.ok());
    CHECK(r.http_status == 200);
    CHECK(r.body == json::object({{"responsePayload", json::object({{"doubled", json(42)}})}}));

    log_client logs(env.config());
    auto got = logs.get_log(test::task_name, run_uuid);
    REQUIRE(got.status == get_log_status::found);
    CHECK(got.log.find("logItem")->find("metadata")->find("environment")->as_string() ==
          "hive-invoke");
}

TEST_CASE("invoke passes a failing task's 500 error body through", "[invoke_client]") {
    test::hive_env env;
    env.server->register_invokable(
        test::project_uuid, test::task_uuid,
        [](const json&) -> srv::invoke_result { throw std::runtime_error("price feed down"); });
    invoke_client client(env.config());
    auto r = client.invoke(test::project_uuid, test::task_uuid, json(nullptr));
    CHECK(r.http_status == 500);
    CHECK(r.body.find("error")->as_string() == "price feed down");
}

TEST_CASE("invoke of a task the server does not host gives 404 Task not found", "[invoke_client]") {
    test::hive_env env;
    invoke_client client(env.config());
    auto r = client.invoke(test::project_uuid, "no/such#task", json(1));
    CHECK(r.http_status == 404);
    CHECK(r.body.find("error")->as_string() == "Task not found");
}

TEST_CASE("invoke with wrong credentials gives the 401 body", "[invoke_client]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.api_key = "someone-else";
    invoke_client client(cfg);
    auto r = client.invoke(test::project_uuid, test::task_uuid, json(1));
    CHECK(r.http_status == 401);
    CHECK(r.body.find("error")->as_string() == "Unauthorized");
}

TEST_CASE("invoke against a refusing port gives an error body and status 0", "[invoke_client]") {
    test::hive_env env;
    forge::test::reserved_port refusing;
    auto cfg = env.config();
    cfg.host = refusing.url();
    invoke_client client(cfg, std::chrono::milliseconds(2000));
    auto r = client.invoke(test::project_uuid, test::task_uuid, json(1));
    CHECK(r.http_status == 0);
    CHECK_FALSE(r.ok());
    REQUIRE(r.body.find("error"));
    CHECK(r.body.find("error")->as_string() ==
          "cannot connect to 127.0.0.1:" + std::to_string(refusing.port()) +
              ": Connection refused");
}
