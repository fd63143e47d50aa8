#include "hive_test_env.hpp"

#include <forge/hive/log_client.hpp>
#include <forge/hive/shipper.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <hive_server_process.hpp>
#include <http_request.hpp>
#include <temp_dir.hpp>
#include <thread>
#include <vector>

using namespace forge::hive;
using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

TEST_CASE("records survive the server being killed and restarted mid-stream, each stored once",
          "[shipper][restart]") {
    forge::test::temp_dir dir;
    forge::test::hive_server_options so;
    so.binary = FORGE_HIVE_SERVER_BIN;
    so.database = dir / "hive.db";
    so.api_key = test::api_key;
    so.api_secret = test::api_secret;
    so.forge_json_files = {test::write_forge_json(dir.path())};
    forge::test::hive_server_process server(so);

    client_config cfg;
    cfg.api_key = test::api_key;
    cfg.api_secret = test::api_secret;
    cfg.host = server.url();
    cfg.project_uuid = test::project_uuid;
    cfg.forge_config_path = so.forge_json_files[0].string();

    shipper_options o;
    o.capacity = 8192;
    o.batch_max_items = 50;
    o.linger = milliseconds(2);
    o.backoff_base = milliseconds(50);
    o.backoff_cap = milliseconds(500);
    o.max_attempts = 40;
    o.connect_timeout = milliseconds(2000);
    o.io_timeout = milliseconds(5000);
    shipper s(cfg, o);

    constexpr int total = 3000;
    std::vector<std::string> uuids;
    uuids.reserve(total);
    for (int i = 0; i < total; ++i) {
        auto r = test::sample_record(test::task_name, i);
        uuids.push_back(*r.uuid);
        REQUIRE(s.enqueue(std::move(r)));
        if (i % 100 == 99) std::this_thread::sleep_for(milliseconds(2));
        if (i == total / 3) server.kill_hard();
        if (i == 2 * total / 3) server.restart();
    }
    auto report = s.flush(steady::now() + milliseconds(120000));
    CHECK(report.drained);
    CHECK(report.failed == 0);
    CHECK(report.sent == total);
    CHECK(s.counters().retries > 0);

    auto health = forge::test::http_request(server.port(), "GET", "/healthz");
    REQUIRE(health.status == 200);
    CHECK(forge::parse_json(health.body).find("records")->as_int64() == total);
    log_client reader(cfg);
    for (const auto& u : uuids) {
        REQUIRE(reader.get_log(test::task_name, u).status == get_log_status::found);
    }
}
