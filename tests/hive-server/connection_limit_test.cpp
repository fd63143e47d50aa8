#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <hive_server_process.hpp>
#include <memory>
#include <string>
#include <vector>

using namespace forge::test;
using forge::json;

namespace {

using connections = std::vector<std::unique_ptr<http_connection>>;

// answered: one GET /healthz over a fresh connection; its status, 0 when the server said nothing
// (no answer before the connection closed or the client's timeout).
int answered(std::uint16_t port) {
    try {
        http_connection c(port, std::chrono::seconds(20));
        return c.request("GET", "/healthz").status;
    } catch (const std::exception&) {
        return 0;
    }
}

// open_idle: n keep-alive connections, each having had one answered request (so the server has
// accepted it), left idle. A connection refused at the cap (503) is kept too: it closes.
connections open_idle(std::uint16_t port, int n) {
    connections out;
    for (int i = 0; i < n; ++i) {
        out.push_back(std::make_unique<http_connection>(port, std::chrono::seconds(20)));
        auto status = out.back()->request("GET", "/healthz").status;
        INFO("connection " << i);
        REQUIRE((status == 200 || status == 503));
    }
    return out;
}

}  // namespace

TEST_CASE("past the connection cap with every connection busy, a client gets 503 and Retry-After",
          "[server][connections]") {
    constexpr int cap = 3;
    test_server s([](auto& c) {
        c.max_connections = cap;
        c.workers = cap;
    });
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<int> running{0};
    std::promise<void> all_running;
    s.server->register_invokable(
        std::string(project_uuid), std::string(task_uuid), [&](const json&) {
            if (++running == cap) all_running.set_value();
            released.wait();
            return forge::hive_server::invoke_result{200, json("done"), {}, {}};
        });
    std::vector<std::future<int>> busy;
    {
        struct release_on_exit {
            std::promise<void>& p;
            ~release_on_exit() { p.set_value(); }
        } guard{release};
        for (int i = 0; i < cap; ++i) {
            busy.push_back(std::async(std::launch::async, [&] {
                return s
                    .post("/api/projects/" + std::string(project_uuid) + "/tasks/" +
                              std::string(task_uuid) + "/invoke",
                          R"({"payload":1})")
                    .status;
            }));
        }
        all_running.get_future().wait();
        http_connection c(s.port());
        auto r = c.request("GET", "/healthz");
        CHECK(r.status == 503);
        CHECK(r.header("Retry-After") == "1");
        CHECK(c.wait_closed(std::chrono::seconds(20)));
    }
    for (auto& b : busy) CHECK(b.get() == 200);
}

TEST_CASE("past the connection cap, the oldest idle connection makes room",
          "[server][connections]") {
    constexpr int cap = 4;
    test_server s([](auto& c) { c.max_connections = cap; });
    auto idle = open_idle(s.port(), cap);
    // A connection that has just answered may not be marked idle yet; then the answer is 503 and
    // asking again converges.
    int status = 0;
    for (int attempt = 0; attempt < 1000 && status != 200; ++attempt) {
        status = answered(s.port());
        REQUIRE(status != 0);
    }
    CHECK(status == 200);
    // Exactly one of the idle connections was closed to make room; the others still serve.
    int closed = 0;
    for (auto& c : idle) {
        int still = 0;
        try {
            still = c->request("GET", "/healthz").status;
        } catch (const std::exception&) {
            ++closed;
            continue;
        }
        CHECK(still == 200);
    }
    CHECK(closed == 1);
}

TEST_CASE("with descriptors exhausted by idle connections, a client is answered, never ignored",
          "[process][connections]") {
    temp_dir dir;
    hive_server_options o;
    o.binary = FORGE_HIVE_SERVER_BIN;
    o.database = dir / "hive.db";
    o.rlimit_nofile = 128;
    SECTION("default cap, derived from the descriptor limit") {}
    SECTION("a cap above the descriptor limit: accept fails with EMFILE and backs off") {
        o.extra_args = {"--max-connections", "1000"};
    }
    hive_server_process server(o);
    auto idle = open_idle(server.port(), 200);
    auto status = answered(server.port());
    CHECK((status == 200 || status == 503));
    auto last = std::make_unique<http_connection>(server.port(), std::chrono::seconds(20));
    status = last->request("GET", "/healthz").status;
    CHECK((status == 200 || status == 503));
    CHECK(server.stop() == 0);
}
