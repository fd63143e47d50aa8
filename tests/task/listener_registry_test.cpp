#include <forge/task/listener_registry.hpp>
#include <forge/task/task.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

forge::task<int, int> make_doubler() {
    return forge::task<int, int>("double", [](const int& x, forge::run&) { return x * 2; });
}

}  // namespace

TEST_CASE("task and global listeners each see every run once, task listeners first",
          "[listeners]") {
    auto t = make_doubler();
    std::vector<std::string> calls;
    auto h1 = t.add_listener([&](const forge::execution_record& r) {
        calls.push_back("task1:" + forge::to_json_text(*r.output));
    });
    auto h2 = t.add_listener([&](const forge::execution_record&) { calls.push_back("task2"); });
    auto g = forge::listener_registry::global().add([&](const forge::execution_record& r) {
        if (r.task_name == "double") calls.push_back("global");
    });
    CHECK(t.run(21) == 42);
    CHECK(calls == std::vector<std::string>{"task1:42", "task2", "global"});
}

TEST_CASE("removing a listener by its handle stops its calls", "[listeners]") {
    auto t = make_doubler();
    int a = 0, b = 0;
    auto ha = t.add_listener([&](const forge::execution_record&) { ++a; });
    {
        auto hb = t.add_listener([&](const forge::execution_record&) { ++b; });
        (void)t.safe_run(1);
        CHECK(t.listeners().size() == 2);
    }
    (void)t.safe_run(1);
    ha.reset();
    (void)t.safe_run(1);
    CHECK(a == 2);
    CHECK(b == 1);
    CHECK(t.listeners().size() == 0);
}

TEST_CASE("a throwing listener is reported and changes neither the result nor the other listeners",
          "[listeners]") {
    auto t = make_doubler();
    std::vector<std::string> reports;
    t.listeners().set_error_sink([&](std::string_view m) { reports.emplace_back(m); });
    int after = 0;
    auto bad = t.add_listener(
        [](const forge::execution_record&) { throw std::runtime_error("listener broke"); });
    auto bad2 = t.add_listener([](const forge::execution_record&) { throw 7; });
    auto good = t.add_listener([&](const forge::execution_record&) { ++after; });
    auto r = t.safe_run(5);
    CHECK(r.ok());
    CHECK(*r.output == 10);
    CHECK(r.record.type == forge::record_type::success);
    CHECK(after == 1);
    CHECK(reports ==
          std::vector<std::string>{"forge: listener failed for task 'double': listener broke",
                                   "forge: listener failed for task 'double': unknown exception"});
    CHECK(t.run(1) == 2);
    CHECK(after == 2);
}

TEST_CASE("a handle outliving its registry is harmless", "[listeners]") {
    forge::listener_handle h;
    {
        forge::listener_registry reg;
        h = reg.add([](const forge::execution_record&) {});
        CHECK(h.active());
    }
    h.reset();
    CHECK_FALSE(h.active());
}

TEST_CASE("listeners receive the finished record of failed runs too", "[listeners]") {
    forge::task<int, int> t(
        "fails", [](const int&, forge::run&) -> int { throw std::runtime_error("nope"); });
    std::string seen;
    auto h = t.add_listener([&](const forge::execution_record& r) { seen = r.error.value_or(""); });
    CHECK_THROWS_AS(t.run(1), std::runtime_error);
    CHECK(seen == "nope");
}
