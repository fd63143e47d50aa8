#include "database_lock.hpp"
#include "test_server.hpp"

#include <forge/hive_server/sqlite_record_store.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace forge::test;
using forge::hive_server::ingest_item;
using forge::hive_server::quality_info;
using forge::hive_server::sqlite_record_store;

namespace {

ingest_item make_item(const std::string& uuid, const std::string& text = "{\"output\":1}") {
    ingest_item item;
    item.project_uuid = std::string(project_uuid);
    item.task_uuid = std::string(task_uuid);
    item.uuid = uuid;
    item.task_name = "invoice:total";
    item.type = "success";
    item.run_time_ms = 1717000000010;
    item.created_at_ms = 1717000000123;
    item.record_json = text;
    return item;
}

// descriptor_limit_at_lowest_free: for its lifetime, this process's soft RLIMIT_NOFILE equals
// its lowest free descriptor, so opening any file fails with EMFILE.
class descriptor_limit_at_lowest_free {
public:
    descriptor_limit_at_lowest_free() {
        REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved_) == 0);
        int lowest = ::dup(0);
        REQUIRE(lowest >= 0);
        ::close(lowest);
        struct rlimit lowered {
            static_cast<rlim_t>(lowest), saved_.rlim_max
        };
        REQUIRE(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
    }
    ~descriptor_limit_at_lowest_free() { ::setrlimit(RLIMIT_NOFILE, &saved_); }
    descriptor_limit_at_lowest_free(const descriptor_limit_at_lowest_free&) = delete;
    descriptor_limit_at_lowest_free& operator=(const descriptor_limit_at_lowest_free&) = delete;

private:
    struct rlimit saved_ {};
};

}  // namespace

TEST_CASE("sqlite_record_store stores a record once per key and reports the stored entry",
          "[storage]") {
    temp_dir dir;
    sqlite_record_store store(dir / "hive.db");
    auto uuid = new_uuid();
    auto first = store.ingest({make_item(uuid, "{\"v\":1}"), make_item(uuid, "{\"v\":2}")});
    REQUIRE(first.error.empty());
    REQUIRE(first.outcomes.size() == 2);
    CHECK(first.outcomes[0].created);
    CHECK_FALSE(first.outcomes[1].created);
    CHECK(first.outcomes[1].log.record_json == "{\"v\":1}");
    auto other_task = make_item(uuid, "{\"v\":3}");
    other_task.task_uuid = std::string(other_task_uuid);
    CHECK(store.ingest({other_task}).outcomes.at(0).created);
    CHECK(store.record_count() == 2);
    auto log = store.get_log("invoice:total", uuid);
    REQUIRE(log);
    CHECK(log->record_json == "{\"v\":1}");
    CHECK(log->created_at_ms == 1717000000123);
    CHECK_FALSE(log->quality);
    CHECK_FALSE(store.get_log("invoice:total", new_uuid()));
    CHECK_FALSE(store.get_log("other", uuid));
}

TEST_CASE("sqlite_record_store keeps records, projects and qualities across reopening",
          "[storage]") {
    temp_dir dir;
    auto uuid = new_uuid();
    {
        sqlite_record_store store(dir / "hive.db");
        store.register_project(billing_project());
        REQUIRE(store.ingest({make_item(uuid)}).error.empty());
        auto q =
            store.set_quality("invoice:total", uuid, quality_info{7.5, "fine", std::nullopt, 42});
        CHECK(q.error.empty());
        CHECK(q.found);
        CHECK_FALSE(store.set_quality("invoice:total", new_uuid(), quality_info{}).found);
    }
    sqlite_record_store store(dir / "hive.db");
    CHECK(store.record_count() == 1);
    auto projects = store.load_projects();
    REQUIRE(projects.size() == 1);
    CHECK(projects[0] == billing_project());
    auto log = store.get_log("invoice:total", uuid);
    REQUIRE(log);
    REQUIRE(log->quality);
    CHECK(*log->quality == quality_info{7.5, "fine", std::nullopt, 42});
    CHECK(store.writable());
}

TEST_CASE("sqlite_record_store refuses writes after close and reports it", "[storage]") {
    temp_dir dir;
    sqlite_record_store store(dir / "hive.db");
    store.close();
    auto r = store.ingest({make_item(new_uuid())});
    CHECK(r.error == "storage is closed");
    CHECK(r.outcomes.empty());
}

TEST_CASE("sqlite_record_store names the path when the database cannot be opened", "[storage]") {
    temp_dir dir;
    CHECK_THROWS_WITH(sqlite_record_store(dir / "missing-dir" / "hive.db"),
                      Catch::Contains("cannot open database") && Catch::Contains("missing-dir"));
}

TEST_CASE(
    "sqlite_record_store fails a locked commit as retryable and counts only committed records",
    "[storage][faults]") {
    temp_dir dir;
    sqlite_record_store store(dir / "hive.db", false, std::chrono::milliseconds(20),
                              std::chrono::hours(1));
    auto uuid = new_uuid();
    {
        database_lock lock(dir / "hive.db");
        auto r = store.ingest({make_item(uuid), make_item(new_uuid())});
        CHECK(r.retryable);
        CHECK_THAT(r.error, Catch::Contains("locked"));
        CHECK(r.outcomes.empty());
        CHECK(store.record_count() == 0);
        CHECK_FALSE(store.health().writable);
        CHECK_THAT(store.health().reason, Catch::Contains("locked"));
        auto q = store.set_quality("invoice:total", uuid, quality_info{});
        CHECK(q.retryable);
        CHECK_THROWS_AS(store.register_project(billing_project()),
                        forge::hive_server::storage_unavailable);
    }
    auto r = store.ingest({make_item(uuid)});
    REQUIRE(r.error.empty());
    CHECK(r.outcomes.at(0).created);
    CHECK(store.record_count() == 1);
    CHECK(store.health() == forge::hive_server::storage_health{true, ""});
}

TEST_CASE("sqlite_record_store fails a read it cannot serve as storage_unavailable",
          "[storage][faults]") {
    temp_dir dir;
    sqlite_record_store store(dir / "hive.db", false, std::chrono::milliseconds(20),
                              std::chrono::hours(1));
    auto uuid = new_uuid();
    REQUIRE(store.ingest({make_item(uuid)}).error.empty());
    {
        // UBSan's vptr check probes memory through a pipe, which fails once descriptors run out,
        // and then reports a false "invalid vptr" for the store's error type. A locked write
        // makes the store build and inspect that type once while descriptors are free, so the
        // check is cached before the limit below (the same for storage_unavailable).
        database_lock lock(dir / "hive.db");
        REQUIRE(store.ingest({make_item(new_uuid())}).retryable);
        CHECK_THROWS_AS(store.register_project(billing_project()),
                        forge::hive_server::storage_unavailable);
    }
    bool unavailable = false;
    {
        // No read has run, so the store has no reader yet and must open one: with this
        // process's descriptor limit at the lowest free descriptor, that open fails (EMFILE).
        // The exception is only caught here: UBSan's vptr check needs a descriptor (a pipe), so
        // no member of it is called while the limit holds.
        descriptor_limit_at_lowest_free limit;
        try {
            store.get_log("invoice:total", uuid);
        } catch (const forge::hive_server::storage_unavailable&) {
            unavailable = true;
        }
    }
    CHECK(unavailable);
    auto log = store.get_log("invoice:total", uuid);
    REQUIRE(log);
    CHECK(log->uuid == uuid);
}

TEST_CASE("sqlite_record_store opens a database it cannot write to and recovers by itself",
          "[storage][faults]") {
    temp_dir dir;
    { sqlite_record_store created(dir / "hive.db"); }
    database_lock lock(dir / "hive.db");
    sqlite_record_store store(dir / "hive.db", false, std::chrono::milliseconds(20),
                              std::chrono::milliseconds(1));
    CHECK_FALSE(store.health().writable);
    CHECK(store.ingest({make_item(new_uuid())}).retryable);
    lock.release();
    auto r = store.ingest({make_item(new_uuid())});
    CHECK(r.error.empty());
    CHECK(store.health().writable);
    CHECK(store.record_count() == 1);
}
