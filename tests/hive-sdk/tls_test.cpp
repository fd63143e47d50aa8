#include "hive_test_env.hpp"

#include <forge/hive/invoke_client.hpp>
#include <forge/hive/log_client.hpp>
#include <forge/hive/shipper.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

using namespace forge::hive;
using std::chrono::milliseconds;

namespace {

const std::filesystem::path tls_dir = FORGE_HIVE_TLS_DIR;

// tls_server: server settings serving HTTPS with the fixture certificate `name` (.pem and .key).
forge::hive_server::server_config tls_server(const std::string& name = "server") {
    forge::hive_server::server_config c;
    c.tls_cert_file = tls_dir / (name + ".pem");
    c.tls_key_file = tls_dir / (name + ".key");
    return c;
}

// trusting: the env's client config with the fixture CA trusted.
client_config trusting(const test::hive_env& env) {
    auto cfg = env.config();
    cfg.ca_file = (tls_dir / "ca.pem").string();
    return cfg;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("log_client sends and reads back a record over https with the CA file", "[tls]") {
    test::hive_env env(tls_server());
    REQUIRE(env.server->url().rfind("https://127.0.0.1:", 0) == 0);
    log_client client(trusting(env));
    auto record = test::sample_record();
    auto sent = client.send(record);
    INFO(sent.error);
    REQUIRE(sent.status == send_status::sent);
    CHECK(sent.http_status == 201);

    auto got = client.get_log(test::task_name, *record.uuid);
    REQUIRE(got.status == get_log_status::found);
    CHECK(got.log.find("uuid")->as_string() == *record.uuid);

    auto t = client.test_config();
    INFO(t.error);
    CHECK(t.success);
    CHECK(t.team_name == "local");
}

TEST_CASE("a host name in the certificate is accepted through SNI and name checks", "[tls]") {
    test::hive_env env(tls_server());
    auto cfg = trusting(env);
    cfg.host = "https://localhost:" + std::to_string(env.server->port());
    log_client client(cfg);
    auto sent = client.send(test::sample_record());
    INFO(sent.error);
    CHECK(sent.status == send_status::sent);
}

TEST_CASE("a client without the CA file gets a certificate verification error", "[tls]") {
    test::hive_env env(tls_server());
    log_client client(env.config());
    auto sent = client.send(test::sample_record());
    CHECK(sent.status == send_status::error);
    CHECK(sent.http_status == 0);
    INFO(sent.error);
    CHECK(contains(sent.error, "TLS handshake with 127.0.0.1:"));
    CHECK(contains(sent.error, "certificate verification failed"));
    CHECK(client.get_log(test::task_name, "x").status == get_log_status::error);
}

TEST_CASE("a certificate for another host name is rejected", "[tls]") {
    test::hive_env env(tls_server("other_host"));
    log_client client(trusting(env));
    auto sent = client.send(test::sample_record());
    CHECK(sent.status == send_status::error);
    INFO(sent.error);
    CHECK(contains(sent.error, "certificate verification failed"));
    CHECK(contains(sent.error, "mismatch"));
}

TEST_CASE("a plain http client to an https server fails cleanly", "[tls]") {
    test::hive_env env(tls_server());
    auto cfg = env.config();
    cfg.host = "http://127.0.0.1:" + std::to_string(env.server->port());
    log_client client(cfg, milliseconds(10000));
    auto sent = client.send(test::sample_record());
    CHECK(sent.status == send_status::error);
    CHECK(sent.http_status == 0);
    INFO(sent.error);
    CHECK(contains(sent.error, "127.0.0.1:"));
}

TEST_CASE("an https client to a plain http server fails the handshake", "[tls]") {
    test::hive_env env;
    auto cfg = trusting(env);
    cfg.host = "https://127.0.0.1:" + std::to_string(env.server->port());
    log_client client(cfg, milliseconds(10000));
    auto sent = client.send(test::sample_record());
    CHECK(sent.status == send_status::error);
    INFO(sent.error);
    CHECK(contains(sent.error, "TLS handshake with 127.0.0.1:"));
}

TEST_CASE("an unreadable CA file gives an error naming it", "[tls]") {
    test::hive_env env(tls_server());
    auto cfg = env.config();
    cfg.ca_file = (env.dir / "missing-ca.pem").string();
    log_client client(cfg);
    auto sent = client.send(test::sample_record());
    CHECK(sent.status == send_status::error);
    INFO(sent.error);
    CHECK(contains(sent.error, "cannot load the CA file"));
    CHECK(contains(sent.error, "missing-ca.pem"));
}

TEST_CASE("the shipper delivers records over https on one connection", "[tls]") {
    test::hive_env env(tls_server());
    shipper s(trusting(env));
    for (int i = 0; i < 20; ++i) REQUIRE(s.enqueue(test::sample_record(test::task_name, i)));
    auto report = s.flush(std::chrono::steady_clock::now() + milliseconds(30000));
    CHECK(report.sent == 20);
    CHECK(report.failed == 0);
    CHECK(report.drained);
    auto more = test::sample_record(test::task_name, 99);
    auto copy = more;
    REQUIRE(s.enqueue(std::move(copy)));
    CHECK(s.shutdown(std::chrono::steady_clock::now() + milliseconds(30000)).sent == 21);
    log_client reader(trusting(env));
    CHECK(reader.get_log(test::task_name, *more.uuid).status == get_log_status::found);
}

TEST_CASE("the shipper fails records to an untrusted https server after its attempts", "[tls]") {
    test::hive_env env(tls_server());
    shipper_options o;
    o.backoff_base = milliseconds(1);
    o.backoff_cap = milliseconds(5);
    o.linger = milliseconds(1);
    o.max_attempts = 2;
    shipper s(env.config(), o);
    REQUIRE(s.enqueue(test::sample_record()));
    auto report = s.flush(std::chrono::steady_clock::now() + milliseconds(30000));
    CHECK(report.sent == 0);
    CHECK(report.failed == 1);
}

TEST_CASE("invoke_client reaches an invokable task over https", "[tls]") {
    test::hive_env env(tls_server());
    env.server->register_invokable(test::project_uuid, test::task_uuid, [](const forge::json& p) {
        forge::hive_server::invoke_result r;
        r.output = p;
        return r;
    });
    invoke_client client(trusting(env));
    auto r = client.invoke(test::project_uuid, test::task_uuid, forge::json("ping"));
    CHECK(r.http_status == 200);
    REQUIRE(r.body.find("responsePayload"));
    CHECK(r.body.find("responsePayload")->as_string() == "ping");
}

TEST_CASE("a TLS server with only a certificate or an unreadable key does not start", "[tls]") {
    forge::test::temp_dir dir;
    forge::hive_server::server_config c = tls_server();
    c.database = dir / "hive.db";
    c.tls_key_file.clear();
    CHECK_THROWS_WITH(forge::hive_server::server(c), Catch::Contains("both a certificate"));
    c.tls_key_file = dir / "missing.key";
    CHECK_THROWS_WITH(forge::hive_server::server(c),
                      Catch::Contains("cannot load the TLS key") && Catch::Contains("missing.key"));
}
