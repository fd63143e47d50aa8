#include "fake_http_server.hpp"
#include "hive_test_env.hpp"

#include <forge/hive/log_client.hpp>
#include <forge/hive/shipper.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <future>
#include <reserved_port.hpp>
#include <string>
#include <vector>

using namespace forge::hive;
using forge::json;
using forge::hive::test::fake_http_server;
using forge::hive::test::fake_request;
using forge::hive::test::fake_response;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

steady::time_point in(milliseconds d) { return steady::now() + d; }

constexpr milliseconds generous{30000};

// fast_retry: options that retry quickly so fault tests finish soon.
shipper_options fast_retry() {
    shipper_options o;
    o.backoff_base = milliseconds(1);
    o.backoff_cap = milliseconds(5);
    o.linger = milliseconds(1);
    return o;
}

// one_batch: fast_retry, but the worker lingers until flush(), so everything enqueued before it
// goes out as one batch whatever the scheduling.
shipper_options one_batch() {
    auto o = fast_retry();
    o.linger = std::chrono::hours(1);
    return o;
}

// batch_ok: a docs/hive-api.md §5.4 answer giving `status` to every item of the request.
std::string batch_answer(const std::string& request_body, int status) {
    auto req = forge::parse_json(request_body);
    std::string out = "{\"results\":[";
    for (std::size_t i = 0; i < req.find("items")->size(); ++i) {
        if (i) out += ',';
        out += "{\"uuid\":null,\"status\":" + std::to_string(status) + "}";
    }
    return out + "]}";
}

client_config fake_config(const fake_http_server& fake, const test::hive_env& env) {
    auto cfg = env.config();
    cfg.host = fake.url();
    return cfg;
}

}  // namespace

TEST_CASE("shipper delivers every record in batches and flush reports them sent", "[shipper]") {
    test::hive_env env;
    shipper s(env.config());
    std::vector<std::string> uuids;
    for (int i = 0; i < 1200; ++i) {
        auto r = test::sample_record(test::task_name, i);
        uuids.push_back(*r.uuid);
        REQUIRE(s.enqueue(std::move(r)));
    }
    auto report = s.flush(in(generous));
    CHECK(report.drained);
    CHECK(report.sent == 1200);
    CHECK(report.failed == 0);
    CHECK(report.pending == 0);
    auto c = s.counters();
    CHECK(c.enqueued == 1200);
    CHECK(c.sent == 1200);
    CHECK(c.queue_depth == 0);
    log_client reader(env.config());
    for (const auto& u : uuids) {
        REQUIRE(reader.get_log(test::task_name, u).status == get_log_status::found);
    }
}

TEST_CASE("shipper merges the base metadata into each record", "[shipper]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.metadata = {{"service", "billing"}, {"env", "base"}};
    shipper s(cfg);
    auto r = test::sample_record();
    auto uuid = *r.uuid;
    REQUIRE(s.enqueue(std::move(r)));
    CHECK(s.flush(in(generous)).sent == 1);
    auto got = log_client(env.config()).get_log(test::task_name, uuid);
    REQUIRE(got.status == get_log_status::found);
    CHECK(*got.log.find("logItem")->find("metadata") ==
          json::object({{"service", json("billing")}, {"env", json("test")}}));
}

TEST_CASE("shipper listener copies records into the queue", "[shipper]") {
    test::hive_env env;
    shipper s(env.config());
    auto listener = s.listener();
    auto r = test::sample_record();
    listener(r);
    CHECK(r.uuid);
    CHECK(s.flush(in(generous)).sent == 1);
    CHECK(log_client(env.config()).get_log(test::task_name, *r.uuid).status ==
          get_log_status::found);
}

TEST_CASE("a silent shipper queues nothing and reports nothing", "[shipper]") {
    test::hive_env env;
    auto cfg = env.config();
    cfg.api_key.clear();
    shipper s(cfg);
    CHECK_FALSE(s.is_active());
    CHECK_FALSE(s.enqueue(test::sample_record()));
    auto c = s.counters();
    CHECK(c.enqueued == 0);
    CHECK(c.dropped_queue_full == 0);
    CHECK(s.shutdown(in(generous)).drained);
}

TEST_CASE("records of tasks missing from forge.json fail without being retried", "[shipper]") {
    test::hive_env env;
    shipper s(env.config());
    REQUIRE(s.enqueue(test::sample_record("not:in:forge.json")));
    REQUIRE(s.enqueue(test::sample_record()));
    auto report = s.flush(in(generous));
    CHECK(report.sent == 1);
    CHECK(report.failed == 1);
    CHECK(s.counters().retries == 0);
}

TEST_CASE("per-item 404 answers in a batch fail only their items and are not retried",
          "[shipper]") {
    test::hive_env env;
    auto path = env.dir / "client-forge.json";
    std::ofstream(path) << R"({"project":{"name":"Billing","uuid":")" << test::project_uuid
                        << R"("},"tasks":{"invoice:total":{"uuid":")" << test::task_uuid
                        << R"("},"ghost":{"uuid":"99999999-0000-4000-8000-000000000000"}}})";
    auto cfg = env.config();
    cfg.forge_config_path = path.string();
    shipper s(cfg);
    REQUIRE(s.enqueue(test::sample_record("ghost")));
    REQUIRE(s.enqueue(test::sample_record()));
    REQUIRE(s.enqueue(test::sample_record("ghost")));
    auto report = s.flush(in(generous));
    CHECK(report.sent == 1);
    CHECK(report.failed == 2);
    CHECK(s.counters().retries == 0);
}

TEST_CASE("a batch over the server's body limit is split until its records fit", "[shipper]") {
    forge::hive_server::server_config sc;
    sc.max_body_bytes = 6000;
    test::hive_env env(sc);
    shipper s(env.config(), one_batch());
    std::vector<std::string> uuids;
    for (int i = 0; i < 16; ++i) {
        auto r = test::sample_record(test::task_name, i);
        r.output = json(std::string(900, 'x'));
        uuids.push_back(*r.uuid);
        REQUIRE(s.enqueue(std::move(r)));
    }
    auto too_big = test::sample_record();
    too_big.output = json(std::string(10000, 'y'));
    REQUIRE(s.enqueue(std::move(too_big)));
    auto report = s.flush(in(generous));
    CHECK(report.sent == 16);
    CHECK(report.failed == 1);
    CHECK(s.counters().retries == 0);
    log_client reader(env.config());
    for (const auto& u : uuids) {
        CHECK(reader.get_log(test::task_name, u).status == get_log_status::found);
    }
}

TEST_CASE("429 with Retry-After is honoured before the next attempt", "[shipper]") {
    forge::hive_server::server_config sc;
    sc.rate_limit_per_s = 1;
    sc.rate_limit_burst = 1;
    test::hive_env env(sc);
    // Two attempts with a 1 ms backoff only succeed when the Retry-After wait is honoured:
    // an immediate retry would meet an empty bucket again and exhaust the attempts.
    auto o = fast_retry();
    o.max_attempts = 2;
    o.batch_max_items = 1;
    o.linger = milliseconds(0);
    shipper s(env.config(), o);
    for (int i = 0; i < 3; ++i) REQUIRE(s.enqueue(test::sample_record(test::task_name, i)));
    auto report = s.flush(in(generous));
    CHECK(report.sent == 3);
    CHECK(report.failed == 0);
    CHECK(s.counters().retries >= 1);
}

TEST_CASE("a full queue drops the newest records, counts them, and never blocks the caller",
          "[shipper]") {
    // Fake server: a peer that accepts and never answers cannot be made from the real server
    // in-process; it pins the worker so that the queue fills.
    std::promise<void> first_request;
    std::atomic<bool> seen{false};
    fake_http_server fake([&](const fake_request&) {
        if (!seen.exchange(true)) first_request.set_value();
        fake_response r;
        r.never_answer = true;
        return r;
    });
    test::hive_env env;
    auto o = fast_retry();
    o.capacity = 8;
    o.batch_max_items = 1;
    o.io_timeout = std::chrono::hours(1);
    shipper s(fake_config(fake, env), o);
    REQUIRE(s.enqueue(test::sample_record()));
    // Handshake: once the server has the request, the worker is stuck in it and the queue empty.
    REQUIRE(first_request.get_future().wait_for(generous) == std::future_status::ready);
    int accepted = 0;
    for (int i = 0; i < 100; ++i) accepted += s.enqueue(test::sample_record()) ? 1 : 0;
    CHECK(accepted == 8);
    auto c = s.counters();
    CHECK(c.enqueued == 9);
    CHECK(c.dropped_queue_full == 92);
    CHECK(c.queue_depth == 8);
    auto report = s.shutdown(in(milliseconds(200)));
    CHECK_FALSE(report.drained);
    CHECK(report.dropped == 92);
    CHECK(report.pending == 9);
    CHECK(report.failed == 0);
    CHECK_FALSE(s.enqueue(test::sample_record()));
}

TEST_CASE("503 is retried until it succeeds", "[shipper]") {
    // Fake server: the real server never answers 503 to an ingest.
    std::atomic<int> calls{0};
    fake_http_server fake([&](const fake_request& req) {
        fake_response r;
        if (calls.fetch_add(1) < 2) {
            r.status = 503;
            r.body = R"({"error":"busy","status":503})";
        } else {
            r.body = batch_answer(req.body, 201);
        }
        return r;
    });
    test::hive_env env;
    shipper s(fake_config(fake, env), one_batch());
    for (int i = 0; i < 5; ++i) REQUIRE(s.enqueue(test::sample_record(test::task_name, i)));
    auto report = s.flush(in(generous));
    CHECK(report.sent == 5);
    CHECK(report.failed == 0);
    CHECK(s.counters().retries == 10);
    CHECK(fake.requests().size() == 3);
}

TEST_CASE("500 and 400 answers are not retried", "[shipper]") {
    // Fake server: the real server answers neither 500 nor a whole-request 400 to the shipper's
    // well-formed batches.
    int status = GENERATE(500, 400);
    fake_http_server fake([status](const fake_request&) {
        fake_response r;
        r.status = status;
        r.body = R"({"error":"no","status":)" + std::to_string(status) + "}";
        return r;
    });
    test::hive_env env;
    shipper s(fake_config(fake, env), one_batch());
    for (int i = 0; i < 4; ++i) REQUIRE(s.enqueue(test::sample_record(test::task_name, i)));
    auto report = s.flush(in(generous));
    CHECK(report.sent == 0);
    CHECK(report.failed == 4);
    CHECK(report.pending == 0);
    CHECK(s.counters().retries == 0);
    CHECK(fake.requests().size() == 1);
    auto last = s.last_errors();
    REQUIRE(last.size() == 1);
    CHECK(last[0].kind ==
          (status == 500 ? failure_class::server_error : failure_class::client_error));
    CHECK(last[0].http_status == status);
    CHECK(last[0].records == 4);
}

TEST_CASE("per-item retryable statuses in a batch are retried for those items only", "[shipper]") {
    // Fake server: the real server does not answer 503 per item.
    std::atomic<int> calls{0};
    fake_http_server fake([&](const fake_request& req) {
        fake_response r;
        auto items = forge::parse_json(req.body).find("items")->size();
        std::string out = "{\"results\":[";
        for (std::size_t i = 0; i < items; ++i) {
            if (i) out += ',';
            bool busy = calls.load() == 0 && i == 0;
            out += busy ? R"({"uuid":null,"status":503})" : R"({"uuid":null,"status":201})";
        }
        calls.fetch_add(1);
        r.body = out + "]}";
        return r;
    });
    test::hive_env env;
    shipper s(fake_config(fake, env), one_batch());
    for (int i = 0; i < 3; ++i) REQUIRE(s.enqueue(test::sample_record(test::task_name, i)));
    auto report = s.flush(in(generous));
    CHECK(report.sent == 3);
    CHECK(s.counters().retries == 1);
    auto reqs = fake.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(forge::parse_json(reqs[1].body).find("items")->size() == 1);
}

TEST_CASE("shipper falls back to single ingest when the batch route is missing", "[shipper]") {
    // Fake server: it plays hosted Hive, which has no batch route; the local server always has it.
    fake_http_server fake([](const fake_request& req) {
        fake_response r;
        if (req.target == "/api/log-ingest/batch") {
            r.status = 404;
            r.body = R"({"error":"Not found","status":404})";
        } else {
            r.status = 201;
        }
        return r;
    });
    test::hive_env env;
    shipper s(fake_config(fake, env), one_batch());
    for (int i = 0; i < 4; ++i) REQUIRE(s.enqueue(test::sample_record(test::task_name, i)));
    CHECK(s.flush(in(generous)).sent == 4);
    REQUIRE(s.enqueue(test::sample_record()));
    CHECK(s.flush(in(generous)).sent == 5);
    auto reqs = fake.requests();
    REQUIRE(reqs.size() == 6);
    CHECK(reqs[0].target == "/api/log-ingest/batch");
    for (std::size_t i = 1; i < reqs.size(); ++i) {
        CHECK(reqs[i].target == "/api/log-ingest");
        auto body = forge::parse_json(reqs[i].body);
        CHECK(body.find("logItem")->is_string());
    }
}

TEST_CASE("a server that accepts and never answers makes requests time out and fail", "[shipper]") {
    // Fake server: a peer that accepts and never answers.
    fake_http_server fake([](const fake_request&) {
        fake_response r;
        r.never_answer = true;
        return r;
    });
    test::hive_env env;
    auto o = one_batch();
    o.io_timeout = milliseconds(200);
    o.max_attempts = 2;
    shipper s(fake_config(fake, env), o);
    for (int i = 0; i < 3; ++i) REQUIRE(s.enqueue(test::sample_record(test::task_name, i)));
    auto report = s.flush(in(generous));
    CHECK(report.drained);
    CHECK(report.failed == 3);
    CHECK(report.sent == 0);
    CHECK(s.counters().retries == 3);
    CHECK(fake.requests().size() == 2);
    auto last = s.last_errors();
    REQUIRE(last.size() == 1);
    CHECK(last[0].kind == failure_class::network);
    CHECK_THAT(last[0].message, Catch::StartsWith("timed out waiting for the response from"));
}

TEST_CASE(
    "shutdown with the server refusing connections returns by its deadline and reports "
    "the unsent",
    "[shipper]") {
    test::hive_env env;
    forge::test::reserved_port refusing;
    auto cfg = env.config();
    cfg.host = refusing.url();
    test::error_recorder recorder;
    shipper_options o;
    // One batch of ten, retried for as long as the test could last: only the deadline ends it.
    o.batch_max_items = 10;
    o.linger = std::chrono::hours(1);
    o.backoff_base = std::chrono::hours(1);
    o.backoff_cap = std::chrono::hours(1);
    o.max_attempts = 1000000;
    o.retry_budget = std::chrono::hours(24);
    o.on_error = recorder.handler();
    shipper s(cfg, o);
    for (int i = 0; i < 10; ++i) REQUIRE(s.enqueue(test::sample_record(test::task_name, i)));
    // Handshake: the batch has been refused and the worker waits to retry it.
    REQUIRE(recorder.wait_for([](const delivery_error& e) {
        return e.kind == failure_class::network && e.will_retry && e.records == 10;
    }));
    auto report = s.shutdown(in(milliseconds(300)));
    CHECK_FALSE(report.drained);
    CHECK(report.sent == 0);
    CHECK(report.failed == 0);
    CHECK(report.pending == 10);
    CHECK(s.counters().retries >= 10);
}

TEST_CASE("an https host that refuses connections is retried like an http one", "[shipper]") {
    test::hive_env env;
    forge::test::reserved_port refusing;
    auto cfg = env.config();
    cfg.host = refusing.url("https");
    auto opt = fast_retry();
    opt.max_attempts = 3;
    shipper s(cfg, opt);
    REQUIRE(s.enqueue(test::sample_record()));
    auto report = s.flush(in(generous));
    CHECK(report.failed == 1);
    CHECK(s.counters().retries == 2);
}
