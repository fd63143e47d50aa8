#include "test_server.hpp"

#include <forge/hive_server/server.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <thread>

using namespace forge::test;
using forge::json;

namespace {

std::string auth_line() {
    return "Authorization: Bearer " + std::string(api_key) + ":" + std::string(api_secret) + "\r\n";
}

// still_serving: the server answers a normal request and still holds exactly `records` records.
void check_still_serving(const test_server& s, std::int64_t records) {
    auto health = http_request(s.port(), "GET", "/healthz");
    REQUIRE(health.status == 200);
    CHECK(parse_body(health).find("records")->as_int64() == records);
    auto uuid = new_uuid();
    CHECK(s.post("/api/log-ingest", ingest_body(sample_record(uuid))).status == 201);
    CHECK(s.get("/api/tasks/invoice:total/logs/" + uuid).status == 200);
}

}  // namespace

TEST_CASE("log-ingest answers each invalid body with 400 and the spec's error text",
          "[server][bad-input]") {
    test_server s;
    struct bad_case {
        std::string body;
        std::string error;
    };
    const std::string p = std::string(project_uuid);
    const std::string t = std::string(task_uuid);
    const bad_case cases[] = {
        {"", "Invalid JSON body"},
        {"{", "Invalid JSON body"},
        {"[1,2]", "Invalid JSON body"},
        {"\"text\"", "Invalid JSON body"},
        {"{\"projectUuid\":1}", "Missing or invalid field: projectUuid"},
        {std::string("{\"a\":\"\xff\"}"), "Invalid JSON body"},
        {std::string(600, '[') + std::string(600, ']'), "Invalid JSON body"},
        {R"({"taskUuid":"x","logItem":"{}"})", "Missing or invalid field: projectUuid"},
        {R"({"projectUuid":7,"taskUuid":"x","logItem":"{}"})",
         "Missing or invalid field: projectUuid"},
        {"{\"projectUuid\":\"" + p + "\",\"logItem\":\"{}\"}",
         "Missing or invalid field: taskUuid"},
        {"{\"projectUuid\":\"" + p + "\",\"taskUuid\":\"" + t + "\"}",
         "Missing or invalid field: logItem"},
        {"{\"projectUuid\":\"" + p + "\",\"taskUuid\":\"" + t + "\",\"logItem\":{}}",
         "Missing or invalid field: logItem"},
        {ingest_body(R"({"uuid":42})"), "Missing or invalid field: uuid"},
        {ingest_body(R"({"uuid":""})"), "Missing or invalid field: uuid"},
        {ingest_body("not json"), "logItem is not a JSON object"},
        {ingest_body("[]"), "logItem is not a JSON object"},
        {ingest_body("{\"a\":1} trailing"), "logItem is not a JSON object"},
    };
    for (const auto& c : cases) {
        INFO(c.body.substr(0, 120));
        auto r = s.post("/api/log-ingest", c.body);
        CHECK(r.status == 400);
        CHECK(r.body == forge::to_json_text(json::object({{"error", c.error}, {"status", 400}})));
    }
    check_still_serving(s, 0);
}

TEST_CASE("a logItem that is not a valid record is rejected with the decoder's path",
          "[server][bad-input]") {
    test_server s;
    auto r = s.post("/api/log-ingest", ingest_body(R"({"metrics":5,"boundaries":{}})"));
    CHECK(r.status == 400);
    CHECK_THAT(error_of(r), Catch::StartsWith("Invalid logItem: ") && Catch::Contains("metrics"));
    auto t = s.post(
        "/api/log-ingest",
        ingest_body(R"({"boundaries":{"fetch":[{"input":[],"timing":{"startTime":"x"}}]}})"));
    CHECK(t.status == 400);
    CHECK_THAT(error_of(t),
               Catch::StartsWith("Invalid logItem: ") && Catch::Contains("boundaries.fetch"));
    check_still_serving(s, 0);
}

TEST_CASE("log-ingest answers 404 for an unknown project or task", "[server][bad-input]") {
    test_server s;
    auto project =
        s.post("/api/log-ingest", ingest_body(sample_record(new_uuid()), "no-such-project"));
    CHECK(project.status == 404);
    CHECK(project.body == R"({"error":"Project not found","status":404})");
    auto task = s.post("/api/log-ingest",
                       ingest_body(sample_record(new_uuid()), project_uuid, "no-such-task"));
    CHECK(task.status == 404);
    CHECK(task.body == R"({"error":"Task not found","status":404})");
    check_still_serving(s, 0);
}

TEST_CASE("a body over the cap answers 413 before it is read", "[server][bad-input][limits]") {
    test_server s([](auto& c) { c.max_body_bytes = 1024; });
    SECTION("declared by Content-Length") {
        http_connection c(s.port());
        REQUIRE(c.send_raw("POST /api/log-ingest HTTP/1.1\r\nHost: x\r\n" + auth_line() +
                           "Content-Length: 100000000\r\n\r\n"));
        auto r = c.read_response();
        CHECK(r.status == 413);
        CHECK(r.body == R"({"error":"Payload too large","status":413})");
    }
    SECTION("declared and sent in full") {
        http_connection c(s.port());
        c.send_raw("POST /api/log-ingest HTTP/1.1\r\nHost: x\r\n" + auth_line() +
                   "Content-Length: 200000\r\n\r\n");
        c.send_raw(std::string(200000, ' '));
        auto r = c.read_response();
        CHECK(r.status == 413);
    }
    SECTION("sent chunked") {
        http_connection c(s.port());
        std::string chunk(800, 'x');
        std::string text = "POST /api/log-ingest HTTP/1.1\r\nHost: x\r\n" + auth_line() +
                           "Transfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 3; ++i) text += "320\r\n" + chunk + "\r\n";
        text += "0\r\n\r\n";
        c.send_raw(text);
        auto r = c.read_response();
        CHECK(r.status == 413);
        CHECK(error_of(r) == "Payload too large");
    }
    SECTION("a body just under the cap is parsed") {
        auto r = s.post("/api/log-ingest", std::string(1000, ' ') + "{}");
        CHECK(r.status == 400);
    }
    check_still_serving(s, 0);
}

TEST_CASE("a client sending Expect: 100-continue gets 100 Continue, then the answer",
          "[server][http]") {
    test_server s;
    http_connection c(s.port());
    auto body = ingest_body(sample_record(new_uuid()));
    c.send_raw("POST /api/log-ingest HTTP/1.1\r\nHost: x\r\n" + auth_line() +
               "Expect: 100-continue\r\n" + "Content-Length: " + std::to_string(body.size()) +
               "\r\n\r\n");
    CHECK(c.read_response().status == 100);
    c.send_raw(body);
    CHECK(c.read_response().status == 201);
}

TEST_CASE("too many or too large headers answer 431", "[server][bad-input][limits]") {
    test_server s;
    http_connection c(s.port());
    std::string text = "GET /api/me HTTP/1.1\r\nHost: x\r\n" + auth_line();
    for (int i = 0; i < 2000; ++i)
        text += "X-Filler-" + std::to_string(i) + ": some value here\r\n";
    text += "\r\n";
    c.send_raw(text);
    auto r = c.read_response();
    CHECK(r.status == 431);
    CHECK(error_of(r) == "Request header fields too large");
    check_still_serving(s, 0);
}

TEST_CASE("a malformed request line answers 400 naming the problem", "[server][bad-input]") {
    test_server s;
    for (const char* raw :
         {"NOT HTTP AT ALL\r\n\r\n", "GET /api/me HTTP/9.9\r\n\r\n", "GET  HTTP/1.1\r\n\r\n",
          "GET /api/me HTTP/1.1\r\nBad Header\r\n\r\n"}) {
        INFO(raw);
        http_connection c(s.port());
        c.send_raw(raw);
        auto r = c.read_response();
        CHECK(r.status == 400);
        CHECK_THAT(error_of(r), Catch::StartsWith("Malformed HTTP request: "));
    }
    check_still_serving(s, 0);
}

TEST_CASE("a client that never finishes its request is disconnected after the timeout",
          "[server][bad-input][timeout]") {
    test_server s([](auto& c) { c.request_timeout = std::chrono::milliseconds(300); });
    http_connection slow_header(s.port());
    slow_header.send_raw("POST /api/log-ingest HTTP/1.1\r\nHost: x\r\n");
    http_connection slow_body(s.port());
    slow_body.send_raw("POST /api/log-ingest HTTP/1.1\r\nHost: x\r\n" + auth_line() +
                       "Content-Length: 100\r\n\r\n{");
    check_still_serving(s, 0);
    CHECK(slow_header.wait_closed(std::chrono::seconds(20)));
    CHECK(slow_body.wait_closed(std::chrono::seconds(20)));
    check_still_serving(s, 1);
}

TEST_CASE("path tricks in task names never escape routing", "[server][bad-input][paths]") {
    test_server s;
    auto uuid = new_uuid();
    REQUIRE(s.post("/api/log-ingest", ingest_body(sample_record(uuid))).status == 201);
    struct path_case {
        std::string target;
        int status;
        std::string error;
    };
    const path_case cases[] = {
        {"/api/tasks/../logs/" + uuid, 404, "Log not found"},
        {"/api/tasks/%2e%2e/logs/" + uuid, 404, "Log not found"},
        {"/api/tasks/invoice:total%2Flogs%2F" + uuid + "/logs/" + uuid, 404, "Log not found"},
        {"/api/tasks/invoice:total/logs/" + uuid + "%2F..%2F..", 404, "Log not found"},
        {"/api/tasks/invoice:total%00/logs/" + uuid, 400,
         "Invalid path segment 2: contains a NUL byte"},
        {"/api/tasks/%zz/logs/" + uuid, 400, "Invalid path segment 2: bad percent-encoding"},
        {"/api/tasks/abc%4/logs/" + uuid, 400, "Invalid path segment 2: bad percent-encoding"},
        {"/api/tasks/" + std::string(1100, 'a') + "/logs/" + uuid, 400,
         "Invalid path segment 2: longer than 1024 bytes"},
        {"/api/tasks/invoice:total/logs/" + uuid + "/../../../me", 404, "Not found"},
        {"/api/./me", 404, "Not found"},
    };
    for (const auto& c : cases) {
        INFO(c.target.substr(0, 100));
        auto r = s.get(c.target);
        CHECK(r.status == c.status);
        CHECK(error_of(r) == c.error);
    }
    auto absolute = s.get("http://evil.example/api/me");
    CHECK(absolute.status == 400);
    CHECK(s.get("/api/tasks/invoice:total/logs/" + uuid).status == 200);
    CHECK(s.get("//api///tasks/invoice:total//logs/" + uuid).status == 200);
    check_still_serving(s, 1);
}

TEST_CASE("a storm of hostile connections leaves the server serving and the database intact",
          "[server][bad-input]") {
    test_server s([](auto& c) { c.max_body_bytes = 4096; });
    auto uuid = new_uuid();
    REQUIRE(s.post("/api/log-ingest", ingest_body(sample_record(uuid))).status == 201);
    // answer: the status the server answers (0: the server may close before its answer can be
    // read, as it does when it stops reading 70000 header bytes); closes: whether it then closes.
    struct junk_case {
        std::string bytes;
        int answer;
        bool closes;
    };
    const junk_case junk[] = {
        {std::string("\0\0\0\0", 4), 400, true},
        {"GET /api/me HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400, true},
        {"GET /api/me HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400, true},
        {"POST /api/log-ingest HTTP/1.1\r\n" + auth_line() +
             "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
         400, true},
        {"POST /api/log-ingest HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 401, true},
        {"POST /api/log-ingest HTTP/1.1\r\n" + auth_line() + "Content-Length: 5\r\n\r\n{\"a\":",
         400, false},
        {std::string(70000, 'G'), 0, true},
    };
    for (int round = 0; round < 3; ++round) {
        for (const auto& j : junk) {
            INFO(j.bytes.substr(0, 60));
            http_connection c(s.port());
            c.send_raw(j.bytes);
            if (j.answer != 0) CHECK(c.read_response().status == j.answer);
            if (j.closes) CHECK(c.wait_closed(std::chrono::seconds(20)));
        }
    }
    check_still_serving(s, 1);
    CHECK(s.get("/api/tasks/invoice:total/logs/" + uuid).status == 200);
}
