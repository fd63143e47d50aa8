// The hive server's heap on transparent huge pages (docs/hive-api.md §4).
#pragma once

namespace forge::hive_server::detail {

// reexec_with_huge_page_heap
//
// Large request bodies parse into many small heap blocks (8 MiB of nested arrays is about 200 MB
// of 48-byte blocks); on 4 KiB pages the first touch of that memory costs more than the parse.
// glibc backs its heap with transparent huge pages only when the tunable glibc.malloc.hugetlb=1
// is set before the process starts, so this re-executes the running program (/proc/self/exe,
// same argv, same pid) with GLIBC_TUNABLES set to it. Does nothing when GLIBC_TUNABLES is already
// set (the operator's choice wins, and the re-executed process sees it set), when
// FORGE_DEFAULT_HEAP is set, or when exec fails. Call first thing in main, before threads start.
void reexec_with_huge_page_heap(char** argv) noexcept;

}  // namespace forge::hive_server::detail
