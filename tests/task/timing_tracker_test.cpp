#include <forge/task/clock.hpp>
#include <forge/task/timing_tracker.hpp>

#include <catch2/catch.hpp>

TEST_CASE("timing_tracker anchors steady offsets to one wall-clock read", "[timing]") {
    forge::manual_clock c(1'717'000'000'010'000'000LL, 5'000);
    forge::timing_tracker t(c);
    t.start();
    c.advance(310'200);
    auto begin = t.offset_ns();
    c.advance(40'115'800);
    auto end = t.offset_ns();
    auto entry = t.span(begin, end, 0, true);
    CHECK(entry.start_time == 1'717'000'000'010);
    CHECK(entry.end_time == 1'717'000'000'050);
    CHECK(entry.duration == 40);
    CHECK(entry.duration_ns == 40'115'800);
    CHECK(entry.offset_ns == 310'200);
}

TEST_CASE("timing_tracker ignores wall-clock jumps after the anchor", "[timing]") {
    forge::manual_clock c(2'000'000'000, 0);
    forge::timing_tracker t(c);
    t.start();
    c.set_wall(0);
    c.advance(3'000'000);
    auto whole = t.span(0, t.offset_ns(), 0, false);
    CHECK(whole.start_time == 2'000);
    CHECK(whole.end_time == 2'003);
    CHECK(whole.duration == 3);
    CHECK(whole.duration_ns == 3'000'000);
    CHECK_FALSE(whole.offset_ns.has_value());
}
