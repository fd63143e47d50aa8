// Storage faults (issue 9, finding 4): a commit that fails for a reason that can pass answers 503
// with Retry-After, counters count only committed records, and the server starts on a database it
// cannot write to, reports it on /healthz and recovers. Faults are real and deterministic even as
// root: a write lock held by the test, or RLIMIT_FSIZE lowered on the server process.
#include "database_lock.hpp"
#include "test_server.hpp"

#include <forge/hive_server/sqlite_record_store.hpp>

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <hive_server_process.hpp>
#include <memory>
#include <string>
#include <sys/resource.h>

using namespace forge::test;
using Catch::Contains;
using forge::json;

namespace {

std::string batch_body(const std::vector<std::string>& uuids) {
    auto items = json::array();
    for (const auto& u : uuids) {
        items.push_back(json::object({{"projectUuid", std::string(project_uuid)},
                                      {"taskUuid", std::string(task_uuid)},
                                      {"logItem", sample_record(u)}}));
    }
    return forge::to_json_text(json::object({{"items", std::move(items)}}));
}

std::int64_t healthz_records(std::uint16_t port) {
    auto h = http_request(port, "GET", "/healthz", {}, {});
    return parse_body(h).find("records")->as_int64();
}

// set_file_size_limit: sets the soft RLIMIT_FSIZE of process pid (the hard limit is kept, so the
// soft one can be raised again without privileges).
void set_file_size_limit(pid_t pid, rlim_t soft) {
    struct rlimit current {};
    REQUIRE(::prlimit(pid, RLIMIT_FSIZE, nullptr, &current) == 0);
    struct rlimit wanted {
        std::min(soft, current.rlim_max), current.rlim_max
    };
    REQUIRE(::prlimit(pid, RLIMIT_FSIZE, &wanted, nullptr) == 0);
}

// lowered_file_size_limit: this process's soft RLIMIT_FSIZE lowered (and SIGXFSZ ignored) for
// its lifetime, so a child spawned meanwhile inherits the limit. Write no file while it lives.
class lowered_file_size_limit {
public:
    explicit lowered_file_size_limit(rlim_t soft) {
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_) == 0);
        old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit lowered {
            std::min(soft, saved_.rlim_max), saved_.rlim_max
        };
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &lowered) == 0);
    }
    ~lowered_file_size_limit() {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, old_handler_);
    }
    lowered_file_size_limit(const lowered_file_size_limit&) = delete;
    lowered_file_size_limit& operator=(const lowered_file_size_limit&) = delete;

private:
    struct rlimit saved_ {};
    void (*old_handler_)(int) = nullptr;
};

}  // namespace

TEST_CASE("a locked database fails a batch as a whole with 503 and Retry-After, counting nothing",
          "[storage][faults]") {
    test_server s;
    std::vector<std::string> uuids{new_uuid(), new_uuid(), new_uuid()};
    {
        database_lock lock(s.dir / "hive.db");
        auto r = s.post("/api/log-ingest/batch", batch_body(uuids));
        CHECK(r.status == 503);
        CHECK(r.header("Retry-After") == "1");
        auto single = s.post("/api/log-ingest", ingest_body(sample_record(new_uuid())));
        CHECK(single.status == 503);
        CHECK(single.header("Retry-After") == "1");
        auto h = http_request(s.port(), "GET", "/healthz", {}, {});
        CHECK(h.status == 503);
        CHECK_THAT(error_of(h), Contains("locked"));
        CHECK(parse_body(h).find("records")->as_int64() == 0);
    }
    auto r = s.post("/api/log-ingest/batch", batch_body(uuids));
    REQUIRE(r.status == 200);
    auto body = parse_body(r);
    for (const auto& item : body.find("results")->as_array()) {
        CHECK(item.find("status")->as_int64() == 201);
    }
    auto h = http_request(s.port(), "GET", "/healthz", {}, {});
    CHECK(h.status == 200);
    CHECK(parse_body(h).find("records")->as_int64() == 3);
}

TEST_CASE("a full disk answers ingest with 503, /healthz names it, and both recover",
          "[storage][faults][process]") {
    temp_dir dir;
    hive_server_process server(options_in(dir));
    auto auth = bearer("test-key", "test-secret");
    REQUIRE(http_request(server.port(), "POST", "/api/log-ingest",
                         ingest_body(sample_record(new_uuid())), auth)
                .status == 201);
    set_file_size_limit(server.pid(), 1);
    auto uuid = new_uuid();
    auto r = http_request(server.port(), "POST", "/api/log-ingest",
                          ingest_body(sample_record(uuid)), auth);
    CHECK(r.status == 503);
    CHECK(r.header("Retry-After") == "1");
    auto h = http_request(server.port(), "GET", "/healthz", {}, {});
    CHECK(h.status == 503);
    CHECK_THAT(error_of(h), Contains("storage not writable"));
    CHECK(healthz_records(server.port()) == 1);

    set_file_size_limit(server.pid(), RLIM_INFINITY);
    r = http_request(server.port(), "POST", "/api/log-ingest", ingest_body(sample_record(uuid)),
                     auth);
    CHECK(r.status == 201);
    CHECK(http_request(server.port(), "GET", "/healthz", {}, {}).status == 200);
    CHECK(healthz_records(server.port()) == 2);
    CHECK(server.stop() == 0);
}

TEST_CASE("hive-server starts on a database it cannot write to, reports it and recovers",
          "[storage][faults][process]") {
    temp_dir dir;
    { forge::hive_server::sqlite_record_store created(dir / "hive.db"); }
    auto lock = std::make_unique<database_lock>(dir / "hive.db");
    hive_server_process server(options_in(dir));
    auto h = http_request(server.port(), "GET", "/healthz", {}, {});
    CHECK(h.status == 503);
    CHECK_THAT(error_of(h), Contains("locked"));
    auto auth = bearer("test-key", "test-secret");
    auto uuid = new_uuid();
    CHECK(http_request(server.port(), "POST", "/api/log-ingest", ingest_body(sample_record(uuid)),
                       auth)
              .status == 503);
    lock.reset();
    CHECK(http_request(server.port(), "POST", "/api/log-ingest", ingest_body(sample_record(uuid)),
                       auth)
              .status == 201);
    CHECK(http_request(server.port(), "GET", "/healthz", {}, {}).status == 200);
    CHECK(healthz_records(server.port()) == 1);
    CHECK(server.stop() == 0);
}

TEST_CASE("hive-server starts after a kill -9 on a full disk, reports it and recovers",
          "[storage][faults][process]") {
    temp_dir dir;
    auto options = options_in(dir);
    auto auth = bearer("test-key", "test-secret");
    {
        hive_server_process first(options);
        REQUIRE(http_request(first.port(), "POST", "/api/log-ingest",
                             ingest_body(sample_record(new_uuid())), auth)
                    .status == 201);
        first.kill_hard();
    }
    std::unique_ptr<hive_server_process> server;
    {
        lowered_file_size_limit full_disk(1);
        server = std::make_unique<hive_server_process>(options);
    }
    auto h = http_request(server->port(), "GET", "/healthz", {}, {});
    CHECK(h.status == 503);
    CHECK_THAT(error_of(h), Contains("storage not writable"));
    CHECK(http_request(server->port(), "POST", "/api/log-ingest",
                       ingest_body(sample_record(new_uuid())), auth)
              .status == 503);

    set_file_size_limit(server->pid(), RLIM_INFINITY);
    CHECK(http_request(server->port(), "POST", "/api/log-ingest",
                       ingest_body(sample_record(new_uuid())), auth)
              .status == 201);
    CHECK(http_request(server->port(), "GET", "/healthz", {}, {}).status == 200);
    CHECK(healthz_records(server->port()) == 2);
    CHECK(server->stop() == 0);
}
