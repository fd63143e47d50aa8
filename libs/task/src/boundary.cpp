#include <forge/task/boundary.hpp>
#include <forge/task/boundary_list.hpp>

#include <atomic>
#include <cstdlib>
#include <cxxabi.h>
#include <memory>

namespace forge::detail {

namespace {

std::atomic<std::uint64_t> last_boundary_id{0};

}  // namespace

std::uint64_t next_boundary_id() noexcept {
    return last_boundary_id.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::string readable_type_name(const std::type_info& t) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(
        abi::__cxa_demangle(t.name(), nullptr, nullptr, &status), std::free);
    return status == 0 && name ? std::string(name.get()) : std::string(t.name());
}

}  // namespace forge::detail
