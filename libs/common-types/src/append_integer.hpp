// append_integer: the writer's integer formatting, shared by json_writer.cpp and record_json.cpp.
#pragma once

#include <charconv>
#include <concepts>
#include <string>

namespace forge::detail {

// append_integer: appends the decimal digits of i (all of them, no decimal point). No allocation
// beyond growing out.
template <std::integral T>
inline void append_integer(std::string& out, T i) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, r.ptr);
}

}  // namespace forge::detail
