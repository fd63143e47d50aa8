#include "huge_page_heap.hpp"

#include <cstdlib>
#include <unistd.h>

namespace forge::hive_server::detail {

void reexec_with_huge_page_heap(char** argv) noexcept {
    if (std::getenv("GLIBC_TUNABLES") != nullptr || std::getenv("FORGE_DEFAULT_HEAP") != nullptr)
        return;
    if (::setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0) return;
    ::execv("/proc/self/exe", argv);
    ::unsetenv("GLIBC_TUNABLES");
}

}  // namespace forge::hive_server::detail
