// Private UTF-8 helpers shared by the JSON reader and writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace forge::detail {

// utf8_sequence_length: length of the well-formed UTF-8 sequence starting at p (at most `avail`
// bytes readable), or 0 when the bytes there are not well formed (overlong, surrogate, above
// U+10FFFF, truncated). `*valid_prefix` receives the length of the maximal valid subpart, at
// least 1, so a caller can replace it by one U+FFFD as WHATWG decoders do.
inline std::size_t utf8_sequence_length(const unsigned char* p,
                                        std::size_t avail,
                                        std::size_t* valid_prefix) noexcept {
    unsigned char c = p[0];
    std::size_t need = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        if (valid_prefix != nullptr) *valid_prefix = 1;
        return 0;
    }
    for (std::size_t i = 1; i <= need; ++i) {
        bool ok = i < avail && p[i] >= lo && p[i] <= hi;
        if (!ok) {
            if (valid_prefix != nullptr) *valid_prefix = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

// append_utf8: appends code point cp (<= U+10FFFF, not a surrogate) as UTF-8.
inline void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

}  // namespace forge::detail
