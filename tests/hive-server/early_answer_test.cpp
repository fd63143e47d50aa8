#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace forge::test;

namespace {

// head_of_large_post: the head of a log-ingest declaring an 8 MiB body, plus the first 64 KiB of
// that body.
std::string head_of_large_post(const std::string& authorization_line) {
    return "POST /api/log-ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization_line +
           "Content-Length: 8388608\r\n\r\n" + std::string(64 * 1024, ' ');
}

}  // namespace

TEST_CASE("an unauthenticated request is answered 401 before its body is sent", "[server][auth]") {
    test_server s;
    SECTION("no credentials") {
        http_connection c(s.port());
        REQUIRE(c.send_raw(head_of_large_post("")));
        auto r = c.read_response();
        CHECK(r.status == 401);
        CHECK(error_of(r) == "Unauthorized");
        CHECK(c.wait_closed(std::chrono::seconds(20)));
    }
    SECTION("wrong credentials") {
        http_connection c(s.port());
        REQUIRE(c.send_raw(head_of_large_post("Authorization: Bearer test-key:wrong\r\n")));
        CHECK(c.read_response().status == 401);
        CHECK(c.wait_closed(std::chrono::seconds(20)));
    }
    CHECK(s.get("/api/me").status == 200);
}

TEST_CASE("an unknown route is answered 404 before its body is sent", "[server][auth]") {
    test_server s;
    http_connection c(s.port());
    REQUIRE(
        c.send_raw("POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 8388608\r\n\r\n" +
                   std::string(1024, ' ')));
    CHECK(c.read_response().status == 404);
    CHECK(c.wait_closed(std::chrono::seconds(20)));
}

TEST_CASE("a 401 closes the connection even without a body", "[server][auth]") {
    test_server s;
    http_connection c(s.port());
    CHECK(c.request("GET", "/api/me").status == 401);
    CHECK(c.wait_closed(std::chrono::seconds(20)));
}

TEST_CASE("a 404 to a request without a body keeps the connection", "[server][auth]") {
    test_server s;
    http_connection c(s.port());
    CHECK(c.request("GET", "/api/nothing", {}, bearer(api_key, api_secret)).status == 404);
    CHECK(c.request("GET", "/api/me", {}, bearer(api_key, api_secret)).status == 200);
}
