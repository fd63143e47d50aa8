// forge::advise_huge_pages: a hint for big, randomly accessed memory (JSON containers, tape
// indexes): fewer TLB misses per lookup.
#pragma once

#include <cstddef>

namespace forge {

// advise_huge_pages: asks the kernel to back the whole 2 MiB pages inside [p, p + bytes) with
// transparent huge pages (madvise MADV_HUGEPAGE; Linux only, a no-op elsewhere). A hint: errors
// are ignored, nothing is allocated or moved. Cost: one system call when the range spans a whole
// huge page, nothing otherwise.
void advise_huge_pages(void* p, std::size_t bytes) noexcept;

}  // namespace forge
