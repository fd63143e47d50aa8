// Shipper failure reasons (issue 8): each class of failure, produced for real against the local
// server or a reserved port that refuses connections.
#include "fake_http_server.hpp"
#include "hive_test_env.hpp"

#include <forge/hive/shipper.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <numeric>
#include <reserved_port.hpp>
#include <stdexcept>
#include <string>
#include <vector>

using namespace forge::hive;
using Catch::Contains;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

steady::time_point generous() { return steady::now() + milliseconds(60000); }

// recording: fast-retry options whose errors go to `recorder`.
shipper_options recording(const test::error_recorder& recorder) {
    shipper_options o;
    o.backoff_base = milliseconds(1);
    o.backoff_cap = milliseconds(5);
    o.on_error = recorder.handler();
    return o;
}

std::uint64_t records_in(const std::vector<delivery_error>& errors) {
    return std::accumulate(errors.begin(), errors.end(), std::uint64_t{0},
                           [](std::uint64_t n, const delivery_error& e) { return n + e.records; });
}

}  // namespace

TEST_CASE("a record of a task missing from forge.json is reported as unknown_task",
          "[shipper][errors]") {
    test::hive_env env;
    test::error_recorder recorder;
    shipper s(env.config(), recording(recorder));
    REQUIRE(s.enqueue(test::sample_record("not:in:forge.json")));
    REQUIRE(s.enqueue(test::sample_record()));
    auto report = s.flush(generous());
    CHECK(report.sent == 1);
    CHECK(report.failed == 1);

    delivery_error expected;
    expected.kind = failure_class::unknown_task;
    expected.message = R"(task "not:in:forge.json" not found in forge.json)";
    expected.records = 1;
    expected.occurrences = 1;
    CHECK(s.last_errors() == std::vector<delivery_error>{expected});
    CHECK(recorder.all() == std::vector<delivery_error>{expected});
}

TEST_CASE("a wrong secret is reported as unauthorized with the server's answer",
          "[shipper][errors]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.api_secret = "not-the-secret";
    test::error_recorder recorder;
    shipper s(cfg, recording(recorder));
    for (int i = 0; i < 3; ++i) REQUIRE(s.enqueue(test::sample_record(test::task_name, i)));
    auto report = s.flush(generous());
    CHECK(report.failed == 3);
    CHECK(s.counters().retries == 0);

    auto last = s.last_errors();
    REQUIRE(last.size() == 1);
    CHECK(last[0].kind == failure_class::unauthorized);
    CHECK(last[0].http_status == 401);
    CHECK_FALSE(last[0].will_retry);
    CHECK_THAT(last[0].message,
               Contains("POST " + env.server->url() + "/api/log-ingest/batch answered 401") &&
                   Contains(": Unauthorized"));
    CHECK(records_in(recorder.all()) == 3);
}

TEST_CASE("a record over the server's body limit is reported as payload_too_large",
          "[shipper][errors]") {
    forge::hive_server::server_config sc;
    sc.max_body_bytes = 6000;
    test::hive_env env(sc);
    test::error_recorder recorder;
    shipper s(env.config(), recording(recorder));
    auto big = test::sample_record();
    big.output = forge::json(std::string(10000, 'y'));
    REQUIRE(s.enqueue(std::move(big)));
    CHECK(s.flush(generous()).failed == 1);

    auto last = s.last_errors();
    REQUIRE(last.size() == 1);
    CHECK(last[0].kind == failure_class::payload_too_large);
    CHECK(last[0].http_status == 413);
    CHECK(last[0].records == 1);
    CHECK_THAT(last[0].message,
               Contains("-byte record of task \"invoice:total\": Payload too large"));
}

TEST_CASE("records of a task the server does not know are reported as not_found",
          "[shipper][errors]") {
    test::hive_env env;
    auto path = env.dir / "client-forge.json";
    std::ofstream(path) << R"({"project":{"name":"Billing","uuid":")" << test::project_uuid
                        << R"("},"tasks":{"invoice:total":{"uuid":")" << test::task_uuid
                        << R"("},"ghost":{"uuid":"99999999-0000-4000-8000-000000000000"}}})";
    auto cfg = env.config();
    cfg.forge_config_path = path.string();
    test::error_recorder recorder;
    shipper s(cfg, recording(recorder));
    REQUIRE(s.enqueue(test::sample_record("ghost")));
    REQUIRE(s.enqueue(test::sample_record()));
    REQUIRE(s.enqueue(test::sample_record("ghost")));
    auto report = s.flush(generous());
    CHECK(report.sent == 1);
    CHECK(report.failed == 2);

    auto last = s.last_errors();
    REQUIRE(last.size() == 1);
    CHECK(last[0].kind == failure_class::not_found);
    CHECK(last[0].http_status == 404);
    CHECK_THAT(last[0].message, Contains("for a record of task \"ghost\": Task not found"));
    CHECK(records_in(recorder.all()) == 2);
}

TEST_CASE("a refused connection is reported as a network error on each attempt, then given up",
          "[shipper][errors]") {
    test::hive_env env;
    forge::test::reserved_port refusing;
    auto cfg = env.config();
    cfg.host = refusing.url();
    test::error_recorder recorder;
    auto o = recording(recorder);
    o.max_attempts = 3;
    shipper s(cfg, o);
    REQUIRE(s.enqueue(test::sample_record()));
    CHECK(s.flush(generous()).failed == 1);

    auto events = recorder.all();
    REQUIRE(events.size() == 3);
    for (std::size_t i = 0; i < events.size(); ++i) {
        INFO(events[i].message);
        CHECK(events[i].kind == failure_class::network);
        CHECK(events[i].http_status == 0);
        CHECK(events[i].records == 1);
        CHECK(events[i].occurrences == i + 1);
        CHECK_THAT(events[i].message,
                   Contains("cannot connect to 127.0.0.1:" + std::to_string(refusing.port())) &&
                       Contains("refused"));
    }
    CHECK(events[0].will_retry);
    CHECK(events[1].will_retry);
    CHECK_FALSE(events[2].will_retry);
    CHECK_THAT(events[2].message, Contains("(gave up after 3 attempts)"));
    CHECK(s.last_errors() == std::vector<delivery_error>{events[2]});
}

TEST_CASE("last_errors keeps the latest error of each class in class order", "[shipper][errors]") {
    // Fake server: the real server answers neither 500 nor 503 to a well-formed batch. Batches
    // hold one record and go in queue order: the first record gets 503 twice, the next 500.
    std::atomic<int> calls{0};
    test::fake_http_server fake([&calls](const test::fake_request&) {
        test::fake_response r;
        r.status = calls.fetch_add(1) < 2 ? 503 : 500;
        r.body = R"({"error":"broken","status":)" + std::to_string(r.status) + "}";
        return r;
    });
    test::hive_env env;
    auto cfg = env.config();
    cfg.host = fake.url();
    test::error_recorder recorder;
    auto o = recording(recorder);
    o.max_attempts = 2;
    o.batch_max_items = 1;
    shipper s(cfg, o);
    REQUIRE(s.enqueue(test::sample_record("not:in:forge.json")));
    REQUIRE(s.enqueue(test::sample_record(test::task_name, 0)));
    REQUIRE(s.enqueue(test::sample_record(test::task_name, 1)));
    CHECK(s.flush(generous()).failed == 3);

    auto last = s.last_errors();
    REQUIRE(last.size() == 2);
    CHECK(last[0].kind == failure_class::unknown_task);
    CHECK(last[1].kind == failure_class::server_error);
    CHECK(last[1].http_status == 500);
    CHECK(last[1].occurrences == 3);
    CHECK_FALSE(last[1].will_retry);
    CHECK_THAT(last[1].message, Contains("answered 500 for a record of task \"invoice:total\": "
                                         "broken"));
    auto events = recorder.all();
    REQUIRE(events.size() == 4);
    CHECK(events[1].http_status == 503);
    CHECK(events[1].will_retry);
}

TEST_CASE("a handler that throws does not stop delivery or the keeping of errors",
          "[shipper][errors]") {
    test::hive_env env;
    shipper_options o;
    o.on_error = [](const delivery_error&) { throw std::runtime_error("handler failed"); };
    shipper s(env.config(), o);
    REQUIRE(s.enqueue(test::sample_record("not:in:forge.json")));
    REQUIRE(s.enqueue(test::sample_record()));
    auto report = s.flush(generous());
    CHECK(report.sent == 1);
    CHECK(report.failed == 1);
    CHECK(s.last_errors().size() == 1);
}

TEST_CASE("the default error handler is error_log, and an empty one still keeps errors",
          "[shipper][errors]") {
    CHECK(shipper_options{}.on_error.target<error_log>() != nullptr);

    test::hive_env env;
    shipper_options o;
    o.on_error = nullptr;
    shipper s(env.config(), o);
    REQUIRE(s.enqueue(test::sample_record("not:in:forge.json")));
    CHECK(s.flush(generous()).failed == 1);
    REQUIRE(s.last_errors().size() == 1);
    CHECK(s.last_errors()[0].kind == failure_class::unknown_task);
}
