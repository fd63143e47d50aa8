// How many connections the hive server can hold open given its descriptor limit.
#pragma once

#include <cstddef>

namespace forge::hive_server::detail {

// reserved_descriptors: descriptors kept back from connections for the database (main file, WAL,
// shared memory, per connection), logs, the listening socket, the event loop and connections
// being refused.
inline constexpr std::size_t reserved_descriptors = 64;

// default_max_connections: the soft RLIMIT_NOFILE minus reserved_descriptors, or half the limit
// when it is below twice that (at least 1); 65536 when the limit is unlimited. One getrlimit
// call; never throws.
std::size_t default_max_connections() noexcept;

}  // namespace forge::hive_server::detail
