#include <forge/task/boundary.hpp>
#include <forge/task/task.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

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
    forge::task t("sum", forge::boundaries(f, nothing), [&](const int& x, forge::run& run) {
        run(nothing);
        return run(f, x, 1) + run(f, 10, x);
    });
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

TEST_CASE("a task's boundaries appear in construction order, [] when not called",
          "[boundary][record][ownership]") {
    auto f = forge::boundary("add", &add);
    auto g = forge::boundary("unused", [](int x) { return x; });
    forge::task t("t", forge::boundaries(g, f),
                  [&](const int& x, forge::run& run) { return run(f, x, x); });
    CHECK(t.boundary_names() == std::vector<std::string>{"unused", "add"});
    CHECK(t.owns(f));
    auto r = t.safe_run(2);
    REQUIRE(r.record.boundaries.size() == 2);
    CHECK(r.record.boundaries[0].first == "unused");
    CHECK(r.record.boundaries[0].second.empty());
    CHECK(r.record.boundaries[1].first == "add");
    CHECK(r.record.boundaries[1].second.size() == 1);
    CHECK(forge::to_json_text(r.record).find(R"("boundaries":{"unused":[],"add":[{)") !=
          std::string::npos);
    forge::task none("none", [](const int& x, forge::run&) { return x; });
    CHECK(forge::to_json_text(none.safe_run(1).record).find(R"("boundaries":{})") !=
          std::string::npos);
}

TEST_CASE("calling a boundary the task does not own is an error naming the task and the boundary",
          "[boundary][ownership]") {
    auto f = forge::boundary("add", &add);
    auto late = forge::boundary("late", [](int x) { return x; });
    auto same_name = forge::boundary("add", &add);
    forge::task t("owner", forge::boundaries(f), [&](const int& x, forge::run& run) {
        if (x == 1) return run(same_name, x, x);
        return run(late, run(f, x, x));
    });
    CHECK_FALSE(t.owns(late));
    CHECK_FALSE(t.owns(same_name));
    for (int x : {1, 2}) {
        auto r = t.safe_run(x);
        CHECK_FALSE(r.ok());
        const std::string called = x == 1 ? "add" : "late";
        CHECK(r.record.error == "forge::task \"owner\" called boundary \"" + called +
                                    "\", which is not one of its boundaries: pass it in "
                                    "forge::boundaries(...) when constructing the task");
        REQUIRE(r.record.boundaries.size() == 1);
        CHECK(r.record.boundaries[0].second.size() == (x == 1 ? 0u : 1u));
        CHECK_THROWS_AS(t.run(x), std::logic_error);
    }
    t.set_recording(false);
    CHECK_FALSE(t.safe_run(2).ok());
}

TEST_CASE("two boundaries with the same name are rejected at construction",
          "[boundary][ownership]") {
    auto a = forge::boundary("fetch", [](int x) { return x; });
    auto b = forge::boundary("fetch", [](int x) { return -x; });
    auto make = [&] {
        return forge::task("dup", forge::boundaries(a, b),
                           [](const int& x, forge::run&) { return x; });
    };
    CHECK_THROWS_AS(make(), std::invalid_argument);
    CHECK_THROWS_WITH(make(), "forge::task \"dup\": two boundaries are named \"fetch\"");
    CHECK_THROWS_WITH(
        forge::task("again", forge::boundaries(a, a), [](const int& x, forge::run&) { return x; }),
        "forge::task \"again\": two boundaries are named \"fetch\"");
}

TEST_CASE("a boundary's copies share its identity", "[boundary][ownership]") {
    auto f = forge::boundary("add", &add);
    auto copy = f;
    CHECK(copy.id() == f.id());
    CHECK(forge::boundary("add", &add).id() != f.id());
    forge::task t("t", forge::boundaries(f),
                  [&](const int& x, forge::run& run) { return run(copy, x, 1); });
    CHECK(t.run(1) == 2);
}

TEST_CASE("a boundary exception reaches the task as the original exception and is recorded",
          "[boundary][errors]") {
    struct custom_error : std::runtime_error {
        using std::runtime_error::runtime_error;
        int code = 17;
    };
    auto failing = forge::boundary("fetch", [](int) -> int { throw custom_error("backend down"); });
    int caught_code = 0;
    forge::task t("t", forge::boundaries(failing), [&](const int& x, forge::run& run) {
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
    forge::task t("t", forge::boundaries(refused),
                  [&](const std::string& s, forge::run& run) { return run(refused, s); });
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
    forge::task t("t", forge::boundaries(weird), [&](const int&, forge::run& run) {
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
    forge::task t("t", forge::boundaries(echo), [&](const std::string& in, forge::run& run) {
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
    forge::task t("t", forge::boundaries(f),
                  [&](const int& x, forge::run& run) { return run(f, x, x); });
    t.set_recording(false);
    auto r = t.safe_run(4);
    CHECK(*r.output == 8);
    REQUIRE(r.record.boundaries.size() == 1);
    CHECK(r.record.boundaries[0].second.empty());
    CHECK(r.record.timing.has_value());
    t.set_recording(true);
    CHECK(t.safe_run(4).record.boundaries[0].second.size() == 1);
}
