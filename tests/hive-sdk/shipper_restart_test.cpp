#include "hive_test_env.hpp"

#include <forge/hive/log_client.hpp>
#include <forge/hive/shipper.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <hive_server_process.hpp>
#include <http_request.hpp>
#include <reserved_port.hpp>
#include <temp_dir.hpp>
#include <vector>

using namespace forge::hive;
using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

TEST_CASE("records survive the server being killed and restarted mid-stream, each stored once",
          "[shipper][restart]") {
    forge::test::temp_dir dir;
    // The server restarts on the same port; the reservation keeps anyone else from taking it
    // while it is down, and makes connecting to it fail at once.
    forge::test::reserved_port port;
    forge::test::hive_server_options so;
    so.binary = FORGE_HIVE_SERVER_BIN;
    so.database = dir / "hive.db";
    so.api_key = test::api_key;
    so.api_secret = test::api_secret;
    so.forge_json_files = {test::write_forge_json(dir.path())};
    so.port = port.port();
    forge::test::hive_server_process server(so);

    client_config cfg;
    cfg.api_key = test::api_key;
    cfg.api_secret = test::api_secret;
    cfg.host = server.url();
    cfg.project_uuid = test::project_uuid;
    cfg.forge_config_path = so.forge_json_files[0].string();

    test::error_recorder recorder;
    shipper_options o;
    o.capacity = 8192;
    o.batch_max_items = 50;
    o.linger = milliseconds(0);
    o.backoff_base = milliseconds(20);
    o.backoff_cap = milliseconds(200);
    // Retry for as long as the test could last: only a lost record would make one fail.
    o.max_attempts = 1000000;
    o.retry_budget = std::chrono::hours(1);
    o.connect_timeout = milliseconds(5000);
    o.io_timeout = milliseconds(5000);
    o.on_error = recorder.handler();
    shipper s(cfg, o);

    constexpr int per_phase = 1000;
    std::vector<std::string> uuids;
    auto enqueue_phase = [&] {
        for (int i = 0; i < per_phase; ++i) {
            auto r = test::sample_record(test::task_name, static_cast<int>(uuids.size()));
            uuids.push_back(*r.uuid);
            REQUIRE(s.enqueue(std::move(r)));
        }
    };
    // Phase 1 is delivered to a live server; phase 2 is killed mid-stream, wherever the kill
    // lands; phase 3 is queued while the server is down.
    enqueue_phase();
    REQUIRE(s.flush(steady::now() + milliseconds(120000)).sent == per_phase);
    enqueue_phase();
    server.kill_hard();
    enqueue_phase();
    // Handshake: the shipper has met the dead server and is retrying.
    REQUIRE(recorder.wait_for(
        [](const delivery_error& e) { return e.kind == failure_class::network && e.will_retry; }));
    server.restart();
    auto report = s.flush(steady::now() + milliseconds(120000));
    CHECK(report.drained);
    CHECK(report.failed == 0);
    CHECK(report.sent == 3 * per_phase);
    CHECK(s.counters().retries > 0);

    auto health = forge::test::http_request(server.port(), "GET", "/healthz");
    REQUIRE(health.status == 200);
    CHECK(forge::parse_json(health.body).find("records")->as_int64() == 3 * per_phase);
    log_client reader(cfg);
    for (const auto& u : uuids) {
        REQUIRE(reader.get_log(test::task_name, u).status == get_log_status::found);
    }
}
