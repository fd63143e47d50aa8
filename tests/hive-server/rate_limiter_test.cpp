// The token bucket behind 429 (docs/hive-api.md §4), on a time the test drives.
#include "rate_limiter.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using forge::hive_server::detail::rate_limiter;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("rate_limiter: a full bucket, then Retry-After until the refill", "[rate-limit]") {
    rate_limiter limiter(2.0, 3.0);  // 2 tokens a second, bursts of 3
    const std::chrono::steady_clock::time_point t0{seconds(100)};
    CHECK(limiter.try_acquire("k", t0) == 0);
    CHECK(limiter.try_acquire("k", t0) == 0);
    CHECK(limiter.try_acquire("k", t0) == 0);
    CHECK(limiter.try_acquire("k", t0) == 1);      // 0.5 s to the next token, rounded up
    CHECK(limiter.try_acquire("other", t0) == 0);  // buckets are per key
    CHECK(limiter.try_acquire("k", t0 + milliseconds(499)) == 1);
    CHECK(limiter.try_acquire("k", t0 + milliseconds(500)) == 0);
    CHECK(limiter.try_acquire("k", t0 + seconds(60)) == 0);  // refills up to the burst only
    CHECK(limiter.try_acquire("k", t0 + seconds(60)) == 0);
    CHECK(limiter.try_acquire("k", t0 + seconds(60)) == 0);
    CHECK(limiter.try_acquire("k", t0 + seconds(60)) == 1);
}

TEST_CASE("rate_limiter: a slow rate gives a Retry-After of whole seconds", "[rate-limit]") {
    rate_limiter limiter(0.1, 1.0);
    const std::chrono::steady_clock::time_point t0{seconds(5)};
    CHECK(limiter.try_acquire("k", t0) == 0);
    CHECK(limiter.try_acquire("k", t0) == 10);
    CHECK(limiter.try_acquire("k", t0 + seconds(4)) == 6);
    CHECK(limiter.try_acquire("k", t0 + seconds(10)) == 0);
}

TEST_CASE("rate_limiter: a rate of 0 never limits", "[rate-limit]") {
    rate_limiter limiter(0, 0);
    CHECK_FALSE(limiter.enabled());
    for (int i = 0; i < 100; ++i) CHECK(limiter.try_acquire("k") == 0);
}
