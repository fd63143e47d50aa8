#include "descriptor_limit.hpp"

#include <sys/resource.h>

namespace forge::hive_server::detail {

std::size_t default_max_connections() noexcept {
    constexpr std::size_t unlimited_cap = 65536;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
        return unlimited_cap;
    }
    auto soft = static_cast<std::size_t>(limit.rlim_cur);
    std::size_t cap = soft >= 2 * reserved_descriptors ? soft - reserved_descriptors : soft / 2;
    if (cap > unlimited_cap) cap = unlimited_cap;
    return cap > 0 ? cap : 1;
}

}  // namespace forge::hive_server::detail
