#include <forge/task/task.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

// encode_only: a result type forge can record but not decode.
struct encode_only {
    int v = 0;
};

// canned: a test substitute answering every call with one answer, remembering what it saw.
struct canned final : forge::detail::boundary_substitute {
    std::optional<forge::detail::substitute_answer> reply;
    mutable std::atomic<int> calls{0};
    mutable std::string task_name, boundary_name;
    mutable std::size_t index = 0;
    mutable forge::json args;

    explicit canned(std::optional<forge::detail::substitute_answer> r) : reply(std::move(r)) {}

    std::optional<forge::detail::substitute_answer> answer(
        const forge::detail::call_info& info) const override {
        calls.fetch_add(1, std::memory_order_relaxed);
        task_name = std::string(info.task_name);
        boundary_name = std::string(info.boundary_name);
        index = info.boundary_index;
        forge::json_array a(info.args, info.args + info.n_args);
        args = forge::json(std::move(a));
        return reply;
    }
};

forge::detail::substitute_answer value(forge::json v,
                                       forge::provenance p = forge::provenance::mock) {
    forge::detail::substitute_answer a;
    a.value = std::move(v);
    a.source = p;
    return a;
}

}  // namespace

template <>
struct forge::codec<encode_only> {
    static json to_json(const encode_only& e) { return json(e.v); }
};

TEST_CASE("a substitute answers instead of the live function and the entry says mock",
          "[task][decision]") {
    int live_calls = 0;
    auto noop = forge::boundary("noop", [] {});
    auto price = forge::boundary("price", [&](const std::string& t, int qty) {
        ++live_calls;
        return static_cast<double>(t.size() * static_cast<std::size_t>(qty));
    });
    forge::task t("quote", forge::boundaries(noop, price),
                  [&](const std::string& in, forge::run& run) { return run(price, in, 3); });
    canned mock(value(forge::json(42.5)));
    t.set_substitute(price, &mock);

    auto r = t.safe_run("AAPL");
    REQUIRE(r.ok());
    CHECK(*r.output == 42.5);
    CHECK(live_calls == 0);
    CHECK(mock.task_name == "quote");
    CHECK(mock.boundary_name == "price");
    CHECK(mock.index == 1);
    CHECK(mock.args == forge::json::array({"AAPL", 3}));
    const auto& e = r.record.boundaries.at(1).second.at(0);
    CHECK(e.provenance == forge::provenance::mock);
    CHECK(e.input == forge::json::array({"AAPL", 3}));
    CHECK(e.output == forge::json(42.5));
    CHECK(forge::to_json_text(r.record).find(R"("output":42.5,"timing")") != std::string::npos);
    CHECK(forge::to_json_text(r.record).find(R"("provenance":"mock","seq":0)") !=
          std::string::npos);

    SECTION("with recording off the substitute still answers") {
        t.set_recording(false);
        auto off = t.safe_run("AAPL");
        CHECK(*off.output == 42.5);
        CHECK(live_calls == 0);
        CHECK(mock.calls.load() == 2);
        CHECK(mock.args == forge::json::array({"AAPL", 3}));
        CHECK(off.record.boundaries.at(1).second.empty());
    }
    SECTION("removing the substitute makes the boundary live again") {
        t.set_substitute(price, nullptr);
        auto live = t.safe_run("AAPL");
        CHECK(*live.output == 12);
        CHECK(live_calls == 1);
        CHECK(live.record.boundaries.at(1).second.at(0).provenance == forge::provenance::live);
    }
}

TEST_CASE("a substitute without an answer lets the live function answer", "[task][decision]") {
    auto inc = forge::boundary("inc", [](int x) { return x + 1; });
    forge::task t("t", forge::boundaries(inc),
                  [&](const int& x, forge::run& run) { return run(inc, x); });
    canned pass(std::nullopt);
    t.set_substitute(inc, &pass);
    auto r = t.safe_run(1);
    CHECK(*r.output == 2);
    CHECK(pass.calls.load() == 1);
    CHECK(r.record.boundaries[0].second[0].provenance == forge::provenance::live);
}

TEST_CASE("a substitute reports its own provenance, errors and void answers", "[task][decision]") {
    auto fetch = forge::boundary("fetch", [](int x) { return x; });
    auto ping = forge::boundary("ping", [] { throw std::runtime_error("live ping"); });
    forge::task t("t", forge::boundaries(fetch, ping), [&](const int& x, forge::run& run) {
        run(ping);
        return run(fetch, x);
    });
    canned taped(value(forge::json(7), forge::provenance::tape));
    forge::detail::substitute_answer quiet;
    canned void_answer(quiet);
    t.set_substitute(fetch, &taped).set_substitute(ping, &void_answer);
    auto r = t.safe_run(1);
    REQUIRE(r.ok());
    CHECK(*r.output == 7);
    CHECK(r.record.boundaries[0].second[0].provenance == forge::provenance::tape);
    CHECK(r.record.boundaries[1].second[0].provenance == forge::provenance::mock);
    CHECK_FALSE(r.record.boundaries[1].second[0].output.has_value());

    forge::detail::substitute_answer failure;
    failure.error = std::make_exception_ptr(
        forge::categorized_error(forge::error_category::timeout, "mocked timeout"));
    canned failing(failure);
    t.set_substitute(fetch, &failing);
    auto f = t.safe_run(1);
    CHECK_FALSE(f.ok());
    CHECK(f.record.error == "mocked timeout");
    const auto& e = f.record.boundaries[0].second[0];
    CHECK(e.error == "mocked timeout");
    CHECK(e.error_category == forge::error_category::timeout);
    CHECK(e.provenance == forge::provenance::mock);
    CHECK_THROWS_AS(t.run(1), forge::categorized_error);
}

TEST_CASE("a substituted answer that does not decode fails the call", "[task][decision]") {
    auto fetch = forge::boundary("fetch", [](int x) { return x; });
    auto raw = forge::boundary("raw", [](int x) { return encode_only{x}; });
    forge::task t("t", forge::boundaries(fetch, raw), [&](const int& x, forge::run& run) {
        if (x == 0) return run(raw, x).v;
        return run(fetch, x);
    });
    CHECK(t.run(0) == 0);  // live use of a result type without a decoder is fine
    canned wrong(value(forge::json("seven")));
    t.set_substitute(fetch, &wrong).set_substitute(raw, &wrong);
    auto r = t.safe_run(1);
    CHECK_FALSE(r.ok());
    CHECK(r.record.error == "(root): expected integer, received string");
    CHECK(r.record.boundaries[0].second[0].provenance == forge::provenance::mock);
    auto no_decoder = t.safe_run(0);
    CHECK(no_decoder.record.error ==
          "forge::task \"t\": boundary \"raw\" has a substitute, but its result type cannot be "
          "decoded from JSON (give forge::codec of the result a from_json, or return a value, "
          "not a reference)");
    CHECK(no_decoder.record.boundaries[1].second[0].error == no_decoder.record.error);
    CHECK_THROWS_AS(t.run(0), std::logic_error);
}

TEST_CASE("a substitute can only be installed on one of the task's boundaries",
          "[task][decision]") {
    auto mine = forge::boundary("mine", [](int x) { return x; });
    auto other = forge::boundary("other", [](int x) { return x; });
    forge::task t("t", forge::boundaries(mine),
                  [&](const int& x, forge::run& run) { return run(mine, x); });
    canned c(value(forge::json(1)));
    CHECK_THROWS_WITH(t.set_substitute(other, &c),
                      "forge::task \"t\": boundary \"other\" is not one of its boundaries, so it "
                      "cannot be substituted");
}

TEST_CASE("a moved task and its as_boundary keep working", "[task][composition]") {
    auto dbl = forge::boundary("double", [](int x) { return 2 * x; });
    forge::task inner("inner", forge::boundaries(dbl),
                      [&](const int& x, forge::run& run) { return run(dbl, x) + 1; });
    auto early = inner.as_boundary();
    forge::task moved = std::move(inner);
    auto late = moved.as_boundary("innerAgain");
    CHECK(early.name() == "inner");
    CHECK(late.name() == "innerAgain");
    CHECK(moved.run(1) == 3);
    std::vector<forge::task<int, int>> tasks;
    tasks.push_back(std::move(moved));
    tasks.emplace_back("filler", [](const int& x, forge::run&) { return x; });
    forge::task outer("outer", forge::boundaries(early, late),
                      [&](const int& x, forge::run& run) { return run(early, x) + run(late, x); });
    tasks.clear();  // the boundaries keep the inner task's state alive
    auto r = outer.safe_run(2);
    REQUIRE(r.ok());
    CHECK(*r.output == 10);
    REQUIRE(r.record.boundaries.size() == 2);
    CHECK(r.record.boundaries[0].first == "inner");
    CHECK(r.record.boundaries[1].first == "innerAgain");
    for (const auto& [name, calls] : r.record.boundaries) {
        REQUIRE(calls.size() == 1);
        CHECK(calls[0].input == forge::json::array({2}));
        CHECK(calls[0].output == forge::json(5));
        REQUIRE(calls[0].extra.size() == 1);
        CHECK(calls[0].extra[0].first == "childRecord");
        auto child = forge::record_from_json(calls[0].extra[0].second);
        CHECK(child.task_name == "inner");
        CHECK(child.find_boundary("double")->size() == 1);
    }
    CHECK(r.record.boundaries[0].second[0].seq == 0u);
    CHECK(r.record.boundaries[1].second[0].seq == 1u);
    CHECK(early(4) == 9);  // a direct call runs the task without a record to attach to
}

TEST_CASE("with recording off a composed task records no child", "[task][composition]") {
    forge::task inner("inner", [](const int& x, forge::run&) { return x + 1; });
    auto b = inner.as_boundary();
    forge::task outer("outer", forge::boundaries(b),
                      [&](const int& x, forge::run& run) { return run(b, x); });
    outer.set_recording(false);
    auto r = outer.safe_run(1);
    CHECK(*r.output == 2);
    CHECK(r.record.boundaries.at(0).second.empty());
}
