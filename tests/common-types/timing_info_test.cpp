#include <forge/types/timing_info.hpp>

#include <catch2/catch.hpp>

TEST_CASE("make_timing floors both ends to milliseconds", "[timing]") {
    auto t = forge::make_timing(1717000000010'999'999, 40'115'800, 310'200);
    CHECK(t.start_time == 1717000000010);
    CHECK(t.end_time == 1717000000051);
    CHECK(t.duration == 41);
    CHECK(t.duration_ns == 40'115'800);
    CHECK(t.offset_ns == 310'200);
}

TEST_CASE("make_timing leaves offset_ns unset unless given", "[timing]") {
    auto t = forge::make_timing(5'000'000, 0);
    CHECK(t.start_time == 5);
    CHECK(t.end_time == 5);
    CHECK(t.duration == 0);
    CHECK_FALSE(t.offset_ns.has_value());
}

TEST_CASE("make_timing floors negative instants toward minus infinity", "[timing]") {
    auto t = forge::make_timing(-1, 2);
    CHECK(t.start_time == -1);
    CHECK(t.end_time == 0);
    CHECK(t.duration == 1);
}
