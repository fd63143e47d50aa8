// Internal: a JSON scalar small enough to live inside a tape index slot, so a lookup that hits
// can be answered without touching the tape's entries.
#pragma once

#include <forge/types/json.hpp>

#include <cstdint>
#include <optional>

namespace forge::detail {

// inline_scalar: null, a boolean, a number, or a string of at most 15 bytes (what fits a
// std::string without allocating); kind none when the value is anything else. 18 bytes, trivially
// copyable.
struct inline_scalar {
    enum class kind : std::uint8_t { none, null, boolean, integer, uinteger, number, string };
    alignas(8) char bytes[16] = {};
    kind k = kind::none;
    std::uint8_t size = 0;
};

// to_inline: v as an inline_scalar (kind none when it does not fit).
inline_scalar to_inline(const json& v) noexcept;

// from_inline: the json value s holds (s.k != none). Never allocates.
json from_inline(const inline_scalar& s);

// inline_equal: canonical_equal(from_inline(s), v), without building the value for strings.
bool inline_equal(const inline_scalar& s, const json& v) noexcept;

}  // namespace forge::detail
