#include <forge/task/clock.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>

TEST_CASE("manual_clock moves only when told to", "[clock][timing]") {
    forge::manual_clock c(1'000, 50);
    CHECK(c.wall_ns() == 1'000);
    CHECK(c.steady_ns() == 50);
    c.advance(25);
    CHECK(c.wall_ns() == 1'025);
    CHECK(c.steady_ns() == 75);
    c.advance(-5);
    CHECK(c.steady_ns() == 75);
    c.set_wall(0);
    CHECK(c.wall_ns() == 0);
    CHECK(c.steady_ns() == 75);
}

TEST_CASE("the system clock reads system_clock for wall time and steady_clock for offsets",
          "[clock][timing]") {
    using namespace std::chrono;
    const forge::clock& c = forge::clock::system();
    const auto ns = [](auto tp) {
        return duration_cast<nanoseconds>(tp.time_since_epoch()).count();
    };
    const std::int64_t wall_before = ns(system_clock::now());
    const std::int64_t wall = c.wall_ns();
    const std::int64_t wall_after = ns(system_clock::now());
    CHECK(wall_before <= wall);
    CHECK(wall <= wall_after);
    const std::int64_t steady_before = ns(steady_clock::now());
    const std::int64_t steady = c.steady_ns();
    const std::int64_t steady_after = ns(steady_clock::now());
    CHECK(steady_before <= steady);
    CHECK(steady <= steady_after);
}
