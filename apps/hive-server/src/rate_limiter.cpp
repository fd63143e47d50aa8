#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace forge::hive_server::detail {

rate_limiter::rate_limiter(double rate_per_s, double burst)
    : rate_(rate_per_s), burst_(burst > 0 ? burst : std::max(1.0, rate_per_s)) {}

long rate_limiter::try_acquire(std::string_view key) {
    if (rate_ <= 0) return 0;
    return try_acquire(key, std::chrono::steady_clock::now());
}

long rate_limiter::try_acquire(std::string_view key, std::chrono::steady_clock::time_point now) {
    if (rate_ <= 0) return 0;
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(std::string(key));
    if (it == buckets_.end()) {
        it = buckets_.emplace(std::string(key), bucket{burst_, now}).first;
    }
    auto& b = it->second;
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.updated = now;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max(1L, static_cast<long>(std::ceil((1.0 - b.tokens) / rate_)));
}

}  // namespace forge::hive_server::detail
