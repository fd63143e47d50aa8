// UUID v7 generation and inspection (docs/record-format.md §5.3).
#include <forge/types/uuid.hpp>

#include <random>

namespace forge {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

// generator_state: per-thread RFC 9562 "method 1" state. The 12-bit rand_a and 62-bit rand_b
// together form a 74-bit counter, seeded randomly (top bit clear) at each new millisecond and
// advanced by a random step within the same millisecond, so ids from one thread sort in order.
struct generator_state {
    std::mt19937_64 rng;
    std::int64_t last_ms = -1;
    std::uint64_t rand_a = 0;
    std::uint64_t rand_b = 0;

    generator_state() {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
        rng.seed(seq);
    }
};

generator_state& state() {
    thread_local generator_state s;
    return s;
}

constexpr std::uint64_t rand_b_mask = (std::uint64_t{1} << 62) - 1;

bool is_hex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

}  // namespace

std::string make_uuid_v7(std::int64_t unix_ms) {
    generator_state& s = state();
    auto ms = static_cast<std::uint64_t>(unix_ms) & 0xFFFFFFFFFFFFULL;
    if (unix_ms != s.last_ms) {
        s.last_ms = unix_ms;
        std::uint64_t r = s.rng();
        s.rand_a = (r >> 53) & 0x7FF;
        s.rand_b = s.rng() & rand_b_mask;
    } else {
        std::uint64_t step = (s.rng() & 0xFFFFFFFFULL) + 1;
        std::uint64_t next = s.rand_b + step;
        if (next > rand_b_mask) {
            next &= rand_b_mask;
            s.rand_a = (s.rand_a + 1) & 0xFFF;
        }
        s.rand_b = next;
    }
    unsigned char bytes[16];
    for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
    bytes[6] = static_cast<unsigned char>(0x70 | (s.rand_a >> 8));
    bytes[7] = static_cast<unsigned char>(s.rand_a & 0xFF);
    std::uint64_t b = (std::uint64_t{2} << 62) | s.rand_b;
    for (int i = 0; i < 8; ++i) bytes[8 + i] = static_cast<unsigned char>(b >> (56 - 8 * i));

    std::string out(36, '-');
    std::size_t pos = 0;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) ++pos;
        out[pos++] = hex_digits[bytes[i] >> 4];
        out[pos++] = hex_digits[bytes[i] & 0xF];
    }
    return out;
}

bool is_uuid(std::string_view text) noexcept {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!is_hex(c)) {
            return false;
        }
    }
    return true;
}

bool is_uuid_v7(std::string_view text) noexcept {
    if (!is_uuid(text) || text[14] != '7') return false;
    char v = text[19];
    return v == '8' || v == '9' || v == 'a' || v == 'b' || v == 'A' || v == 'B';
}

std::int64_t uuid_v7_unix_ms(std::string_view text) noexcept {
    if (!is_uuid_v7(text)) return -1;
    std::int64_t ms = 0;
    for (std::size_t i = 0; i < 13; ++i) {
        if (i == 8) continue;
        ms = ms * 16 + hex_value(text[i]);
    }
    return ms;
}

}  // namespace forge
