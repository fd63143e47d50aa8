#include "test_server.hpp"

#include <forge/hive_server/server.hpp>
#include <forge/hive_server/sqlite_record_store.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace forge::test;

TEST_CASE("8 concurrent clients with retries store every record exactly once",
          "[server][concurrency]") {
    constexpr int clients = 8;
    constexpr int per_client = 60;
    test_server s;
    std::vector<std::vector<std::string>> uuids(clients);
    for (auto& list : uuids) {
        for (int i = 0; i < per_client; ++i) list.push_back(new_uuid());
    }
    std::atomic<int> created{0}, repeated{0}, failed{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            http_connection conn(s.port());
            auto headers = bearer(api_key, api_secret);
            for (int i = 0; i < per_client; ++i) {
                const auto& uuid = uuids[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)];
                auto body = ingest_body(sample_record(uuid, i));
                // Every third record is sent twice, as a client retrying after a lost answer would;
                // every fifth goes through the batch route with a duplicate of itself.
                int sends = i % 3 == 0 ? 2 : 1;
                for (int k = 0; k < sends; ++k) {
                    if (i % 5 == 0) {
                        auto r = conn.request("POST", "/api/log-ingest/batch",
                                              "{\"items\":[" + body + "," + body + "]}", headers);
                        if (r.status != 200) ++failed;
                        continue;
                    }
                    auto r = conn.request("POST", "/api/log-ingest", body, headers);
                    if (r.status == 201) {
                        ++created;
                    } else if (r.status == 200) {
                        ++repeated;
                    } else {
                        ++failed;
                    }
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(failed == 0);
    auto health = parse_body(http_request(s.port(), "GET", "/healthz"));
    CHECK(health.find("records")->as_int64() == clients * per_client);
    for (const auto& list : uuids) {
        for (const auto& uuid : list) {
            REQUIRE(s.get("/api/tasks/invoice:total/logs/" + uuid).status == 200);
        }
    }
    auto db = s.dir / "hive.db";
    s.server->stop();
    forge::hive_server::sqlite_record_store store(db);
    CHECK(store.record_count() == clients * per_client);
}
