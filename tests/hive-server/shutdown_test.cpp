#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <hive_server_process.hpp>
#include <memory>
#include <string>
#include <vector>

using namespace forge::test;

TEST_CASE(
    "SIGTERM with half-sent requests exits 0 after the drain deadline, not the request "
    "timeout",
    "[process][shutdown]") {
    temp_dir dir;
    hive_server_options o;
    o.binary = FORGE_HIVE_SERVER_BIN;
    o.database = dir / "hive.db";
    o.extra_args = {"--request-timeout-ms", "3600000", "--drain-timeout-ms", "200"};
    hive_server_process server(o);
    const std::string auth =
        "Authorization: Bearer " + std::string(api_key) + ":" + std::string(api_secret) + "\r\n";
    const std::string halves[] = {
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        "POST /api/log-ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
            "Content-Length: 1000\r\n\r\n{\"projectUuid\":",
        "POST /api/log-ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
            "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"projectUuid\"",
    };
    std::vector<std::unique_ptr<http_connection>> clients;
    for (const auto& half : halves) {
        clients.push_back(std::make_unique<http_connection>(server.port()));
        // One whole request first: the server has accepted this connection.
        REQUIRE(clients.back()->request("GET", "/healthz").status == 200);
        REQUIRE(clients.back()->send_raw(half));
    }
    CHECK(server.stop(std::chrono::minutes(2)) == 0);
}

TEST_CASE(
    "hive-server rejects a zero worker count, handshake timeout or bad connection cap with "
    "exit code 2",
    "[process][shutdown]") {
    temp_dir dir;
    hive_server_options o;
    o.binary = FORGE_HIVE_SERVER_BIN;
    o.database = dir / "hive.db";
    o.start_timeout = std::chrono::seconds(10);
    SECTION("workers") { o.extra_args = {"--workers", "0"}; }
    SECTION("handshake timeout") { o.extra_args = {"--handshake-timeout-ms", "0"}; }
    SECTION("connection cap") { o.extra_args = {"--max-connections", "many"}; }
    SECTION("drain timeout") { o.extra_args = {"--drain-timeout-ms", "-1"}; }
    CHECK_THROWS_WITH(hive_server_process(o), Catch::Contains("exit 2"));
}
