#include <forge/task/boundary.hpp>
#include <forge/task/task.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <system_error>

namespace {

struct price_service {
    double base = 100;
    double price(const std::string& t) const { return base + static_cast<double>(t.size()); }
};

int add(int a, int b) { return a + b; }

}  // namespace

TEST_CASE("a boundary wraps functions, lambdas and members and can be called directly",
          "[boundary]") {
    auto f = forge::boundary("add", &add);
    CHECK(f.name() == "add");
    CHECK(f(2, 3) == 5);
    price_service svc;
    auto m = forge::boundary("price", [&svc](const std::string& t) { return svc.price(t); });
    CHECK(m("ABC") == 103);
}

TEST_CASE("each boundary call records its arguments, result, seq and provenance in call order",
          "[boundary][record]") {
    auto f = forge::boundary("add", &add);
    auto nothing = forge::boundary("ping", [] {});
    forge::task t("sum", [&](const int& x, forge::run& run) {
        run(nothing);
        return run(f, x, 1) + run(f, 10, x);
    });
    t.declare(f, nothing);
    auto r = t.safe_run(5);
    REQUIRE(r.ok());
    CHECK(*r.output == 21);
    REQUIRE(r.record.boundaries.size() == 2);
    CHECK(r.record.boundaries[0].first == "add");
    CHECK(r.record.boundaries[1].first == "ping");
    const auto& adds = r.record.boundaries[0].second;
    REQUIRE(adds.size() == 2);
    CHECK(adds[0].input == forge::json::array({5, 1}));
    CHECK(adds[0].output == forge::json(6));
    CHECK(adds[0].seq == 1u);
    CHECK(adds[0].provenance == forge::provenance::live);
    CHECK(adds[1].input == forge::json::array({10, 5}));
    CHECK(adds[1].seq == 2u);
    const auto& pings = r.record.boundaries[1].second;
    REQUIRE(pings.size() == 1);
    CHECK(pings[0].input == forge::json::array({}));
    CHECK_FALSE(pings[0].output.has_value());
    CHECK_FALSE(pings[0].error.has_value());
    CHECK(pings[0].seq == 0u);
}

TEST_CASE("a declared boundary that is never called appears as an empty list",
          "[boundary][record]") {
    auto f = forge::boundary("add", &add);
    auto g = forge::boundary("unused", [](int x) { return x; });
    auto undeclared = forge::boundary("late", [](int x) { return x; });
    forge::task t("t",
                  [&](const int& x, forge::run& run) { return run(undeclared, run(f, x, x)); });
    t.declare(g, f);
    auto r = t.safe_run(2);
    REQUIRE(r.record.boundaries.size() == 3);
    CHECK(r.record.boundaries[0].first == "unused");
    CHECK(r.record.boundaries[0].second.empty());
    CHECK(r.record.boundaries[1].first == "add");
    CHECK(r.record.boundaries[2].first == "late");
    CHECK(forge::to_json_text(r.record).find(R"("boundaries":{"unused":[],"add":[)") !=
          std::string::npos);
}

TEST_CASE("a boundary exception reaches the task as the original exception and is recorded",
          "[boundary][errors]") {
    struct custom_error : std::runtime_error {
        using std::runtime_error::runtime_error;
        int code = 17;
    };
    auto failing = forge::boundary("fetch", [](int) -> int { throw custom_error("backend down"); });
    int caught_code = 0;
    forge::task t("t", [&](const int& x, forge::run& run) {
        try {
            return run(failing, x);
        } catch (const custom_error& e) {
            caught_code = e.code;
            return -1;
        }
    });
    auto r = t.safe_run(3);
    REQUIRE(r.ok());
    CHECK(*r.output == -1);
    CHECK(caught_code == 17);
    const auto& e = r.record.boundaries.at(0).second.at(0);
    CHECK(e.error == "backend down");
    CHECK(e.error_category == forge::error_category::other);
    CHECK_FALSE(e.output.has_value());
    CHECK(e.input == forge::json::array({3}));
}

TEST_CASE("an escaped boundary exception fails the run and the run inherits its category",
          "[boundary][errors]") {
    auto refused = forge::boundary("connect", [](const std::string&) -> int {
        throw std::system_error(std::make_error_code(std::errc::connection_refused),
                                "FX service unreachable");
    });
    forge::task t("t", [&](const std::string& s, forge::run& run) { return run(refused, s); });
    auto r = t.safe_run("x");
    CHECK_FALSE(r.ok());
    CHECK(r.record.type == forge::record_type::error);
    CHECK(r.record.error_category == forge::error_category::network);
    CHECK(r.record.boundaries.at(0).second.at(0).error_category == forge::error_category::network);
    CHECK(r.record.error == r.record.boundaries.at(0).second.at(0).error);
    CHECK_THROWS_AS(t.run("x"), std::system_error);
}

TEST_CASE("a non-standard exception is recorded as unknown exception", "[boundary][errors]") {
    auto weird = forge::boundary("weird", [] { throw 42; });
    forge::task t("t", [&](const int&, forge::run& run) {
        run(weird);
        return 0;
    });
    auto r = t.safe_run(0);
    CHECK(r.record.error == "unknown exception");
    CHECK(r.record.boundaries.at(0).second.at(0).error == "unknown exception");
    CHECK_THROWS_AS(t.run(0), int);
}

TEST_CASE("arguments and results are serialised at call time so later mutation cannot change them",
          "[boundary][record]") {
    auto echo = forge::boundary("echo", [](std::string& s) -> std::string& {
        s += "!";
        return s;
    });
    forge::task t("t", [&](const std::string& in, forge::run& run) {
        std::string s = in;
        std::string& out = run(echo, s);
        out += "mutated";
        return s;
    });
    auto r = t.safe_run("a");
    CHECK(*r.output == "a!mutated");
    const auto& e = r.record.boundaries.at(0).second.at(0);
    CHECK(e.input == forge::json::array({"a"}));
    CHECK(e.output == forge::json("a!"));
}

TEST_CASE("with recording off boundary calls run but leave no entries", "[boundary][record]") {
    auto f = forge::boundary("add", &add);
    forge::task t("t", [&](const int& x, forge::run& run) { return run(f, x, x); });
    t.declare(f);
    t.set_recording(false);
    auto r = t.safe_run(4);
    CHECK(*r.output == 8);
    REQUIRE(r.record.boundaries.size() == 1);
    CHECK(r.record.boundaries[0].second.empty());
    CHECK(r.record.timing.has_value());
    t.set_recording(true);
    CHECK(t.safe_run(4).record.boundaries[0].second.size() == 1);
}
