// The shipper and storage faults (issue 9, finding 4): a server whose database is locked answers
// 503 with Retry-After, which the shipper retries, so every record is delivered once the fault is
// lifted. The test lifts it on seeing the first 503 (on_error), so no timing is assumed.
#include "../hive-server/database_lock.hpp"
#include "hive_test_env.hpp"

#include <forge/hive/shipper.hpp>
#include <forge/hive_server/sqlite_record_store.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <vector>

using namespace forge::hive;
using std::chrono::milliseconds;

TEST_CASE("the shipper delivers every record once a locked database is released after a 503",
          "[shipper][faults]") {
    test::hive_env env;
    auto lock = std::make_shared<forge::test::database_lock>(env.dir / "hive.db");
    test::error_recorder recorder;
    shipper_options o;
    o.backoff_base = milliseconds(1);
    o.backoff_cap = milliseconds(5);
    o.batch_max_items = 10;
    auto record = recorder.handler();
    o.on_error = [lock, record](const delivery_error& e) {
        if (e.http_status == 503) lock->release();
        record(e);
    };
    constexpr int n = 25;
    std::vector<std::string> uuids;
    {
        shipper s(env.config(), o);
        for (int i = 0; i < n; ++i) {
            auto r = test::sample_record(test::task_name, i);
            uuids.push_back(*r.uuid);
            REQUIRE(s.enqueue(std::move(r)));
        }
        auto report = s.flush(std::chrono::steady_clock::now() + std::chrono::seconds(60));
        CHECK(report.sent == n);
        CHECK(report.failed == 0);
        CHECK(report.drained);
        CHECK(s.counters().retries >= 1);
    }
    auto errors = recorder.all();
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().kind == failure_class::server_error);
    CHECK(errors.front().http_status == 503);
    env.server.reset();
    forge::hive_server::sqlite_record_store store(env.dir / "hive.db");
    CHECK(store.record_count() == n);
    for (const auto& uuid : uuids) CHECK(store.get_log(test::task_name, uuid));
}
