// A token-bucket rate limiter keyed by API key (docs/hive-api.md §4).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace forge::hive_server::detail {

// rate_limiter
//
// One bucket per key, refilled at rate_per_s tokens per second up to burst (burst <= 0 means
// max(1, rate_per_s)). rate_per_s <= 0 disables limiting. Thread-safe (one mutex); one
// steady-clock read per call.
class rate_limiter {
public:
    rate_limiter(double rate_per_s, double burst);

    // try_acquire: takes one token for key and returns 0, or returns the whole seconds (>= 1) to
    // wait before a token is available, for Retry-After.
    long try_acquire(std::string_view key);

    // try_acquire (at a time): the same at `now`, for tests that drive time themselves. Calls
    // must not go back in time for one key.
    long try_acquire(std::string_view key, std::chrono::steady_clock::time_point now);

    bool enabled() const noexcept { return rate_ > 0; }

private:
    struct bucket {
        double tokens;
        std::chrono::steady_clock::time_point updated;
    };
    double rate_;
    double burst_;
    std::mutex mutex_;
    std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace forge::hive_server::detail
