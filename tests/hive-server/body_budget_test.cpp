#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <thread>

using namespace forge::test;
using forge::json;

namespace {

// ingest_body_of_size: a valid log-ingest body of exactly `size` bytes (a padded input string).
std::string ingest_body_of_size(std::size_t size) {
    auto make = [](std::size_t pad) {
        auto r = forge::parse_json(sample_record(new_uuid()));
        r.set("input", json::object({{"pad", std::string(pad, 'x')}}));
        return ingest_body(forge::to_json_text(r));
    };
    auto base = make(0).size();
    REQUIRE(size >= base);
    auto body = make(size - base);
    REQUIRE(body.size() == size);
    return body;
}

}  // namespace

TEST_CASE("the default body budget admits a body of the maximum size", "[server][budget]") {
    test_server s;
    auto r = s.post("/api/log-ingest", ingest_body_of_size(8 * 1024 * 1024));
    CHECK(r.status == 201);
}

TEST_CASE("a body over the body budget is answered 503 with Retry-After, before it is read",
          "[server][budget]") {
    test_server s([](auto& c) { c.body_budget_bytes = 64 * 1024; });
    SECTION("over the budget") {
        http_connection c(s.port());
        auto r = c.request("POST", "/api/log-ingest", ingest_body_of_size(70'000),
                           bearer(api_key, api_secret));
        CHECK(r.status == 503);
        CHECK(r.header("Retry-After") == "1");
        CHECK(c.wait_closed(std::chrono::seconds(20)));
    }
    SECTION("within the budget, one after another: each charge is released") {
        http_connection c(s.port());
        for (int i = 0; i < 3; ++i) {
            CHECK(c.request("POST", "/api/log-ingest", ingest_body_of_size(10'000),
                            bearer(api_key, api_secret))
                      .status == 201);
        }
    }
}

TEST_CASE("parsed values are charged to the body budget: a body that expands past it gets 503",
          "[server][budget]") {
    // 8 MiB of small numbers parse into about 160 MB of values, far past the default budget
    // (4 x the body limit); the parse stops at the budget instead of holding them all.
    test_server s;
    std::string body = "{\"pad\":[0";
    while (body.size() < 8 * 1024 * 1024 - 1024) body += ",0";
    body += "]}";
    http_connection c(s.port());
    auto r = c.request("POST", "/api/log-ingest", body, bearer(api_key, api_secret));
    CHECK(r.status == 503);
    CHECK(r.header("Retry-After") == "1");
    CHECK_THAT(error_of(r), Catch::Contains("parsed values over budget"));
    // Everything charged was released: the largest valid body still fits.
    CHECK(c.request("POST", "/api/log-ingest", ingest_body_of_size(8 * 1024 * 1024),
                    bearer(api_key, api_secret))
              .status == 201);
}

TEST_CASE("requests with a body are handled off the I/O threads", "[server][budget]") {
    // One I/O thread: if a handler ran on it, /healthz could not be answered while it waits.
    test_server s([](auto& c) {
        c.threads = 1;
        c.workers = 1;
    });
    std::promise<void> started;
    std::promise<void> release;
    auto released = release.get_future().share();
    s.server->register_invokable(
        std::string(project_uuid), std::string(task_uuid), [&](const json&) {
            started.set_value();
            released.wait();
            return forge::hive_server::invoke_result{200, json("done"), {}, {}};
        });
    auto invoke = std::async(std::launch::async, [&] {
        return s.post("/api/projects/" + std::string(project_uuid) + "/tasks/" +
                          std::string(task_uuid) + "/invoke",
                      R"({"payload":1})");
    });
    {
        struct release_on_exit {
            std::promise<void>& p;
            ~release_on_exit() { p.set_value(); }
        } guard{release};
        started.get_future().wait();
        CHECK(http_request(s.port(), "GET", "/healthz").status == 200);
        CHECK(s.get("/api/me").status == 200);
    }
    CHECK(invoke.get().status == 200);
}
