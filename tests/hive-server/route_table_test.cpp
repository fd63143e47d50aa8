#include "route_table.hpp"

#include "content_type.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using forge::hive_server::detail::content_type;
using forge::hive_server::detail::content_type_header;
using forge::hive_server::detail::route_table;

TEST_CASE("route_table matches method and pattern and captures parameters", "[server][routes]") {
    route_table<int> table;
    table.add("GET", "/healthz", 1);
    table.add("GET", "/api/tasks/{taskName}/logs/{uuid}", 2);
    table.add("POST", "/api/tasks/{taskName}/logs/{uuid}/set-quality", 3);
    table.add("GET", "/api/tasks/{taskName}/metrics", 4);

    auto logs = table.match("GET", {"api", "tasks", "invoice:total", "logs", "u-1"});
    REQUIRE(logs.matched);
    CHECK(logs.matched->handler == 2);
    CHECK(logs.params == std::vector<std::string>{"invoice:total", "u-1"});

    auto metrics = table.match("GET", {"api", "tasks", "t", "metrics"});
    REQUIRE(metrics.matched);
    CHECK(metrics.matched->handler == 4);
    CHECK(metrics.params == std::vector<std::string>{"t"});

    CHECK(table.match("GET", {"healthz"}).matched->handler == 1);
    CHECK_FALSE(table.match("POST", {"healthz"}).matched);
    CHECK_FALSE(table.match("GET", {"api", "tasks", "t", "logs"}).matched);
    CHECK_FALSE(table.match("GET", {"api", "tasks", "t", "logs", "u", "set-quality"}).matched);
    CHECK(table.match("POST", {"api", "tasks", "t", "logs", "u", "set-quality"}).matched->handler ==
          3);
    CHECK_FALSE(table.match("GET", {}).matched);
}

TEST_CASE("each content type has its header value", "[server][routes]") {
    CHECK(content_type_header(content_type::json) == "application/json; charset=utf-8");
    CHECK(content_type_header(content_type::prometheus_text) ==
          "text/plain; version=0.0.4; charset=utf-8");
    CHECK(content_type_header(content_type::html) == "text/html; charset=utf-8");
    CHECK(content_type_header(content_type::javascript) == "text/javascript; charset=utf-8");
    CHECK(content_type_header(content_type::css) == "text/css; charset=utf-8");
}
