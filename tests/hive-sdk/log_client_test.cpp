#include "hive_test_env.hpp"

#include <forge/hive/log_client.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/uuid.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <reserved_port.hpp>

using namespace forge::hive;
using forge::json;

namespace {

const json& log_item(const get_log_result& r) {
    const json* item = r.log.find("logItem");
    REQUIRE(item);
    return *item;
}

}  // namespace

TEST_CASE("send delivers a record and get_log reads it back", "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    REQUIRE(client.is_active());
    auto record = test::sample_record();
    auto sent = client.send(record);
    INFO(sent.error);
    REQUIRE(sent.status == send_status::sent);
    CHECK(sent.http_status == 201);
    CHECK(sent.uuid == *record.uuid);
    REQUIRE(sent.response.find("uuid"));
    CHECK(sent.response.find("uuid")->as_string() == *record.uuid);

    auto got = client.get_log(test::task_name, *record.uuid);
    REQUIRE(got.status == get_log_status::found);
    CHECK(got.http_status == 200);
    CHECK(got.log.find("taskName")->as_string() == test::task_name);
    CHECK(got.log.find("projectName")->as_string() == "Billing");
    REQUIRE(log_item(got).is_object());
    CHECK(*log_item(got).find("output") == *record.output);
}

TEST_CASE("send of an already stored record is answered 200 and still counts as sent",
          "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    auto record = test::sample_record();
    CHECK(client.send(record).http_status == 201);
    auto again = client.send(record);
    CHECK(again.status == send_status::sent);
    CHECK(again.http_status == 200);
}

TEST_CASE("send gives a record without uuid a v7 uuid, returns it and leaves the record alone",
          "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    auto record = test::sample_record();
    record.uuid.reset();
    auto sent = client.send(record);
    REQUIRE(sent.status == send_status::sent);
    CHECK(forge::is_uuid_v7(sent.uuid));
    CHECK(forge::uuid_v7_unix_ms(sent.uuid) == record.timing->start_time);
    CHECK_FALSE(record.uuid);
    auto got = client.get_log(test::task_name, sent.uuid);
    REQUIRE(got.status == get_log_status::found);
    CHECK(log_item(got).find("uuid")->as_string() == sent.uuid);
}

TEST_CASE("send merges metadata base, then record, then argument, keeping first positions",
          "[log_client]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.metadata = {{"env", "base"}, {"region", "eu"}};
    log_client client(cfg);
    auto record = test::sample_record();
    record.metadata = forge::json_object{{"user", json("u1")}, {"env", json("record")}};
    auto sent = client.send(record, {{"region", "us"}, {"extra", "1"}});
    REQUIRE(sent.status == send_status::sent);
    auto got = client.get_log(test::task_name, sent.uuid);
    REQUIRE(got.status == get_log_status::found);
    json expected = json::object({{"env", json("record")},
                                  {"region", json("us")},
                                  {"user", json("u1")},
                                  {"extra", json("1")}});
    CHECK(*log_item(got).find("metadata") == expected);
}

TEST_CASE("send reports a task missing from forge.json without contacting the server",
          "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    auto record = test::sample_record("nobody:knows");
    auto r = client.send(record);
    CHECK(r.status == send_status::error);
    CHECK(r.error == "task \"nobody:knows\" not found in forge.json");
    CHECK(r.http_status == 0);

    auto unnamed = test::sample_record();
    unnamed.task_name.reset();
    CHECK(client.send(unnamed).error == "task \"unknown-task\" not found in forge.json");
}

TEST_CASE("send fails every task when forge.json is missing", "[log_client]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.forge_config_path = (env.dir / "absent.json").string();
    log_client client(cfg);
    CHECK(client.forge_json().error);
    auto r = client.send(test::sample_record());
    CHECK(r.status == send_status::error);
    CHECK(r.error == "task \"invoice:total\" not found in forge.json");
}

TEST_CASE("send without a project uuid is an error", "[log_client]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.project_uuid.clear();
    log_client client(cfg);
    auto r = client.send(test::sample_record());
    CHECK(r.status == send_status::error);
    CHECK(r.error == "missing projectUuid");
}

TEST_CASE("a client without credentials is silent and says so on every call", "[log_client]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.api_secret.clear();
    log_client client(cfg);
    CHECK_FALSE(client.is_active());
    auto r = client.send(test::sample_record());
    CHECK(r.status == send_status::silent);
    CHECK(r.uuid.empty());
    auto got = client.get_log(test::task_name, "x");
    CHECK(got.status == get_log_status::error);
    CHECK(got.error == silent_client_error);
    auto q = client.set_quality(test::task_name, "x", quality{1, {}, {}});
    CHECK_FALSE(q.ok);
    CHECK(q.error == silent_client_error);
    auto t = client.test_config();
    CHECK_FALSE(t.success);
    CHECK(t.error == "Client not initialized - missing API credentials");
    CHECK(to_json(t) ==
          json::object({{"success", json(false)},
                        {"error", json("Client not initialized - missing API credentials")}}));
    auto conf = client.get_conf();
    CHECK(conf.find("host")->is_null());
    CHECK(conf.find("isInitialized")->as_bool() == false);
    CHECK(conf.find("apiSecret")->is_null());
}

TEST_CASE("get_conf masks the key and secret and reports the normalized host", "[log_client]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.metadata = {{"team", "core"}};
    log_client client(cfg);
    auto conf = client.get_conf();
    CHECK(conf.find("projectName")->as_string() == "Billing");
    CHECK(conf.find("projectUuid")->as_string() == test::project_uuid);
    CHECK(conf.find("host")->as_string() == env.server->url());
    CHECK(conf.find("apiKey")->as_string() == "loca******0001");
    CHECK(conf.find("apiSecret")->as_string() == "loca***************olon");
    CHECK(conf.find("isInitialized")->as_bool());
    CHECK(*conf.find("baseMetadata") == json::object({{"team", json("core")}}));
    CHECK(conf.find("forgeConfig")->find("project"));
    std::string text = forge::to_json_text(conf);
    CHECK(text.find(test::api_secret) == std::string::npos);
}

TEST_CASE("wrong credentials give 401: send errors and get_log says unauthorized", "[log_client]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.api_secret = "wrong-secret";
    log_client client(cfg);
    auto r = client.send(test::sample_record());
    CHECK(r.status == send_status::error);
    CHECK(r.http_status == 401);
    CHECK(r.error == "Unauthorized");
    CHECK(client.get_log(test::task_name, "x").status == get_log_status::unauthorized);
    auto t = client.test_config();
    CHECK_FALSE(t.success);
    CHECK(t.error == "Request failed with status code 401");
}

TEST_CASE("get_log distinguishes an unknown log from a found one", "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    auto r = client.get_log(test::task_name, forge::make_uuid_v7(1));
    CHECK(r.status == get_log_status::not_found);
    CHECK(r.http_status == 404);
    CHECK(r.error == "Log not found");
}

TEST_CASE("task names with reserved characters are percent-encoded in paths", "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    auto record = test::sample_record("stock/get#1");
    auto sent = client.send(record);
    REQUIRE(sent.status == send_status::sent);
    auto got = client.get_log("stock/get#1", sent.uuid);
    REQUIRE(got.status == get_log_status::found);
    CHECK(got.log.find("taskName")->as_string() == "stock/get#1");
    CHECK(client.set_quality("stock/get#1", sent.uuid, quality{7, "ok", {}}).ok);
}

TEST_CASE("set_quality stores a quality that get_log then returns", "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    auto record = test::sample_record();
    REQUIRE(client.send(record).status == send_status::sent);
    auto q =
        client.set_quality(test::task_name, *record.uuid,
                           quality{8.5, std::string("Correct total"), std::string("Cache FX")});
    CHECK(q.ok);
    CHECK(q.http_status == 200);
    auto got = client.get_log(test::task_name, *record.uuid);
    REQUIRE(got.status == get_log_status::found);
    const json* stored = got.log.find("quality");
    REQUIRE(stored);
    CHECK(stored->find("score")->as_double() == 8.5);
    CHECK(stored->find("reason")->as_string() == "Correct total");
    CHECK(stored->find("suggestions")->as_string() == "Cache FX");
}

TEST_CASE("set_quality on an unknown log is a typed 404 error", "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    auto q = client.set_quality(test::task_name, forge::make_uuid_v7(5), quality{1, {}, {}});
    CHECK_FALSE(q.ok);
    CHECK(q.http_status == 404);
    CHECK(q.error == "Log not found");
}

TEST_CASE("test_config verifies credentials, the project and the forge.json tasks",
          "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    auto r = client.test_config();
    REQUIRE(r.success);
    CHECK(r.team_name == "local");
    CHECK(r.team_uuid == "0b6f3c52-3d0e-4c7a-9a51-2f0d3e6b7a10");
    CHECK(r.user_name == "dev");
    CHECK(r.project_exists == true);
    CHECK(r.project_name == "Billing");
    REQUIRE(r.tasks_verified);
    CHECK(r.tasks_verified->total == 2);
    CHECK(r.tasks_verified->found == 2);
    CHECK(r.tasks_verified->missing.empty());
    auto j = to_json(r);
    CHECK(j.find("projectExists")->as_bool());
    CHECK(j.find("tasksVerified")->find("total")->as_int64() == 2);
}

TEST_CASE("test_config leaves projectExists out when no project uuid is set", "[log_client]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.project_uuid.clear();
    log_client client(cfg);
    auto r = client.test_config();
    REQUIRE(r.success);
    CHECK_FALSE(r.project_exists);
    CHECK_FALSE(to_json(r).find("projectExists"));
}

TEST_CASE("test_config reports an unknown project as not existing", "[log_client]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.project_uuid = "00000000-0000-4000-8000-000000000000";
    log_client client(cfg);
    auto r = client.test_config();
    REQUIRE(r.success);
    CHECK(r.project_exists == false);
}

TEST_CASE("a server that refuses connections gives transport errors, never exceptions",
          "[log_client]") {
    test::hive_env env;
    forge::test::reserved_port refusing;
    auto cfg = env.config();
    cfg.host = refusing.url();
    log_client client(cfg, std::chrono::milliseconds(2000));
    auto r = client.send(test::sample_record());
    CHECK(r.status == send_status::error);
    CHECK(r.http_status == 0);
    CHECK(r.error == "cannot connect to 127.0.0.1:" + std::to_string(refusing.port()) +
                         ": Connection refused");
    CHECK(client.get_log(test::task_name, "x").status == get_log_status::error);
    auto t = client.test_config();
    CHECK_FALSE(t.success);
    CHECK_FALSE(t.error.empty());
}

TEST_CASE("an https host that refuses connections gives a connection error", "[log_client]") {
    test::hive_env env;
    forge::test::reserved_port refusing;
    auto cfg = env.config();
    cfg.host = refusing.url("https");
    log_client client(cfg);
    auto r = client.send(test::sample_record());
    CHECK(r.status == send_status::error);
    CHECK(r.http_status == 0);
    CHECK(r.error == "cannot connect to 127.0.0.1:" + std::to_string(refusing.port()) +
                         ": Connection refused");
}

TEST_CASE("a client with a malformed forge.json fails at construction naming the key",
          "[log_client]") {
    test::hive_env env;
    auto path = env.dir / "bad-forge.json";
    std::ofstream(path) << R"({"tasks":{"invoice:total":{"uuid":""}}})";
    auto cfg = env.config();
    cfg.forge_config_path = path.string();
    CHECK_THROWS_WITH(log_client(cfg), path.string() +
                                           ": tasks.invoice:total.uuid: expected a non-empty "
                                           "string");
}

TEST_CASE("a client with an unparsable host fails at construction", "[log_client]") {
    client_config cfg{.api_key = "k", .api_secret = "s", .host = "ftp://example"};
    CHECK_THROWS_AS(log_client(cfg), std::invalid_argument);
}

TEST_CASE("as_listener sends each record it is given", "[log_client]") {
    test::hive_env env;
    log_client client(env.config());
    auto listener = client.as_listener();
    auto record = test::sample_record();
    listener(record);
    CHECK(client.get_log(test::task_name, *record.uuid).status == get_log_status::found);
}
