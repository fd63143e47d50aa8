#include <forge/task/clock.hpp>

#include <catch2/catch.hpp>

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

TEST_CASE("the system clock's steady reading never decreases", "[clock][timing]") {
    const forge::clock& c = forge::clock::system();
    auto a = c.steady_ns();
    auto b = c.steady_ns();
    CHECK(b >= a);
    CHECK(c.wall_ns() > 1'600'000'000'000'000'000LL);
}
