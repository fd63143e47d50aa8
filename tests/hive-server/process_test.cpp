#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <hive_server_process.hpp>
#include <reserved_port.hpp>
#include <string>
#include <vector>

using namespace forge::test;

TEST_CASE("hive-server prints its URL, serves, and exits 0 on SIGTERM", "[process]") {
    temp_dir dir;
    hive_server_process server(options_in(dir));
    CHECK(server.port() != 0);
    CHECK(server.url() == "http://127.0.0.1:" + std::to_string(server.port()));
    CHECK(http_request(server.port(), "GET", "/api/me", {}, bearer("test-key", "test-secret"))
              .status == 200);
    CHECK(server.stop() == 0);
}

TEST_CASE("every record acknowledged before a kill -9 is there after a restart",
          "[process][durability]") {
    temp_dir dir;
    // The restart reuses the port; the reservation keeps it ours while the server is down.
    reserved_port port;
    auto options = options_in(dir);
    options.port = port.port();
    hive_server_process server(options);
    std::vector<std::string> uuids;
    {
        http_connection c(server.port());
        for (int i = 0; i < 50; ++i) {
            uuids.push_back(new_uuid());
            auto r =
                c.request("POST", "/api/log-ingest", ingest_body(sample_record(uuids.back(), i)),
                          bearer("test-key", "test-secret"));
            REQUIRE(r.status == 201);
        }
        std::string batch = "{\"items\":[";
        for (int i = 0; i < 100; ++i) {
            uuids.push_back(new_uuid());
            if (i) batch += ',';
            batch += ingest_body(sample_record(uuids.back(), i));
        }
        batch += "]}";
        REQUIRE(c.request("POST", "/api/log-ingest/batch", batch, bearer("test-key", "test-secret"))
                    .status == 200);
    }
    server.kill_hard();
    server.restart();
    CHECK(server.port() == port.port());
    http_connection c(server.port());
    for (const auto& uuid : uuids) {
        REQUIRE(c.request("GET", "/api/tasks/invoice:total/logs/" + uuid, {},
                          bearer("test-key", "test-secret"))
                    .status == 200);
    }
    auto again = c.request("POST", "/api/log-ingest", ingest_body(sample_record(uuids.front(), 0)),
                           bearer("test-key", "test-secret"));
    CHECK(again.status == 200);
    auto health = parse_body(c.request("GET", "/healthz"));
    CHECK(health.find("records")->as_int64() == 150);
}

TEST_CASE("hive-server rejects a bad flag with exit code 2", "[process]") {
    temp_dir dir;
    auto o = options_in(dir);
    o.start_timeout = std::chrono::seconds(10);
    SECTION("unknown flag") {
        o.extra_args = {"--frobnicate"};
        CHECK_THROWS_WITH(hive_server_process(o), Catch::Contains("exit 2"));
    }
    SECTION("bad number") {
        o.extra_args = {"--max-body-bytes", "lots"};
        CHECK_THROWS_WITH(hive_server_process(o), Catch::Contains("exit 2"));
    }
    SECTION("missing forge.json") {
        o.forge_json_files = {dir / "nope.json"};
        CHECK_THROWS_WITH(hive_server_process(o), Catch::Contains("exit 1"));
    }
}
