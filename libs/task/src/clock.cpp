#include <forge/task/clock.hpp>

#include <chrono>

namespace forge {

namespace {

class system_clock_source final : public clock {
public:
    std::int64_t wall_ns() const noexcept override {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    std::int64_t steady_ns() const noexcept override {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
};

}  // namespace

const clock& clock::system() noexcept {
    static const system_clock_source instance;
    return instance;
}

}  // namespace forge
