#include <forge/task/clock.hpp>
#include <forge/task/task.hpp>
#include <forge/types/record_json.hpp>
#include <forge/types/uuid.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

// The spec's worked example (docs/record-format.md §13): anchor at 1717000000010 ms.
constexpr std::int64_t anchor_ns = 1'717'000'000'010'000'000LL;

}  // namespace

TEST_CASE("task and boundary timing are exact on a manual clock", "[task][timing]") {
    forge::manual_clock clock(anchor_ns, 777);
    auto load = forge::boundary("loadInvoiceLines", [&](const std::string&) {
        clock.advance(40'115'800);
        return 2;
    });
    auto convert = forge::boundary("convertCurrency", [&](double v) {
        clock.advance(20'384'100);
        return v * 0.92;
    });
    forge::task t("invoice:total", [&](const std::string& customer, forge::run& run) {
        clock.advance(310'200);
        int lines = run(load, customer);
        clock.advance(40'902'000 - 310'200 - 40'115'800);
        double total = run(convert, 81.0);
        clock.advance(61'840'500 - 40'902'000 - 20'384'100);
        return lines + total;
    });
    t.set_clock(clock).declare(load, convert);
    auto r = t.safe_run("c-1042");
    REQUIRE(r.ok());
    std::string text;
    forge::encode_timing(text, *r.record.timing);
    CHECK(
        text ==
        R"({"startTime":1717000000010,"endTime":1717000000071,"duration":61,"durationNs":61840500})");
    text.clear();
    forge::encode_timing(text, *r.record.boundaries[0].second[0].timing);
    CHECK(
        text ==
        R"({"startTime":1717000000010,"endTime":1717000000050,"duration":40,"durationNs":40115800,"offsetNs":310200})");
    text.clear();
    forge::encode_timing(text, *r.record.boundaries[1].second[0].timing);
    CHECK(
        text ==
        R"({"startTime":1717000000050,"endTime":1717000000071,"duration":21,"durationNs":20384100,"offsetNs":40902000})");
}

TEST_CASE("a failing boundary call is timed up to its exception", "[task][timing]") {
    forge::manual_clock clock(anchor_ns, 0);
    auto fail = forge::boundary("fail", [&] {
        clock.advance(5'000'000);
        throw std::runtime_error("timed out waiting");
    });
    forge::task t("t", [&](const int&, forge::run& run) {
        clock.advance(1'000);
        run(fail);
        return 0;
    });
    t.set_clock(clock);
    auto r = t.safe_run(0);
    CHECK(r.record.type == forge::record_type::error);
    const auto& e = r.record.boundaries.at(0).second.at(0);
    CHECK(e.timing->duration_ns == 5'000'000);
    CHECK(e.timing->offset_ns == 1'000);
    CHECK(e.timing->start_time == 1'717'000'000'010);
    CHECK(e.timing->end_time == 1'717'000'000'015);
    CHECK(r.record.timing->duration_ns == 5'001'000);
}

TEST_CASE("the task function is timed when it throws", "[task][timing]") {
    forge::manual_clock clock(anchor_ns, 0);
    forge::task t("t", [&](const int&, forge::run&) -> int {
        clock.advance(2'500'000);
        throw std::runtime_error("boom");
    });
    t.set_clock(clock);
    auto r = t.safe_run(0);
    REQUIRE(r.record.timing.has_value());
    CHECK(r.record.timing->start_time == 1'717'000'000'010);
    CHECK(r.record.timing->end_time == 1'717'000'000'012);
    CHECK(r.record.timing->duration == 2);
    CHECK(r.record.timing->duration_ns == 2'500'000);
    CHECK_FALSE(r.record.timing->offset_ns.has_value());
}

TEST_CASE("a wall-clock jump during a run does not distort its timing", "[task][timing]") {
    forge::manual_clock clock(anchor_ns, 0);
    auto jump = forge::boundary("jump", [&] {
        clock.set_wall(0);
        clock.advance(1'000'000);
    });
    forge::task t("t", [&](const int&, forge::run& run) {
        run(jump);
        return 0;
    });
    t.set_clock(clock);
    auto r = t.safe_run(0);
    CHECK(r.record.timing->start_time == 1'717'000'000'010);
    CHECK(r.record.timing->end_time == 1'717'000'000'011);
    CHECK(r.record.boundaries[0].second[0].timing->start_time == 1'717'000'000'010);
}

TEST_CASE("the uuid timestamp is the run start", "[task][timing]") {
    forge::manual_clock clock(anchor_ns, 0);
    forge::task t("t", [](const int& x, forge::run&) { return x; });
    t.set_clock(clock);
    auto r = t.safe_run(0);
    CHECK(forge::uuid_v7_unix_ms(*r.record.uuid) == 1'717'000'000'010);
}
