#include <forge/types/metric.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using forge::metric;

TEST_CASE("metric validity follows the spec rule exactly", "[metric]") {
    CHECK(forge::is_valid_metric(metric{"business", "count", 0, {}}));
    CHECK(forge::is_valid_metric(metric{"business", "delta", -5, {}}));
    CHECK_FALSE(forge::is_valid_metric(metric{"", "count", 1, {}}));
    CHECK_FALSE(forge::is_valid_metric(metric{"business", "", 1, {}}));
    CHECK_FALSE(forge::is_valid_metric(metric{"a", "b", std::nan(""), {}}));
    CHECK_FALSE(
        forge::is_valid_metric(metric{"a", "b", std::numeric_limits<double>::infinity(), {}}));
    CHECK_FALSE(
        forge::is_valid_metric(metric{"a", "b", -std::numeric_limits<double>::infinity(), {}}));
}

TEST_CASE("validate_metric throws the spec's exact text", "[metric]") {
    CHECK_THROWS_MATCHES(
        forge::validate_metric(metric{"", "invalid_metric", 42, {}}), forge::invalid_metric_error,
        Catch::Matchers::Message(
            R"(Invalid metric provided: {"type":"","name":"invalid_metric","value":42})"));
    CHECK_THROWS_MATCHES(
        forge::validate_metric(metric{"performance", "latency", std::nan(""), {}}),
        forge::invalid_metric_error,
        Catch::Matchers::Message(
            R"(Invalid metric provided: {"type":"performance","name":"latency","value":null})"));
    CHECK_NOTHROW(forge::validate_metric(metric{"a", "b", 1.5, {}}));
}

TEST_CASE("make_metric throws with JavaScript number spelling", "[metric]") {
    CHECK_THROWS_MATCHES(forge::make_metric("performance", "latency", std::nan("")),
                         std::invalid_argument,
                         Catch::Matchers::Message(
                             R"(Invalid metric: type="performance", name="latency", value=NaN)"));
    CHECK_THROWS_MATCHES(
        forge::make_metric("", "n", std::numeric_limits<double>::infinity()), std::invalid_argument,
        Catch::Matchers::Message(R"(Invalid metric: type="", name="n", value=Infinity)"));
    CHECK_THROWS_MATCHES(
        forge::make_metric("t", "", -std::numeric_limits<double>::infinity()),
        std::invalid_argument,
        Catch::Matchers::Message(R"(Invalid metric: type="t", name="", value=-Infinity)"));
    metric m = forge::make_metric("business", "orders", 3);
    CHECK(m == metric{"business", "orders", 3, {}});
}
