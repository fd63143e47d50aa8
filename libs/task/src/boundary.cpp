#include <forge/task/boundary.hpp>

#include <atomic>

namespace forge::detail {

namespace {

std::atomic<std::uint64_t> last_boundary_id{0};

}  // namespace

std::uint64_t next_boundary_id() noexcept {
    return last_boundary_id.fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace forge::detail
