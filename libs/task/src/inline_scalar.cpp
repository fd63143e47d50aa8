#include "inline_scalar.hpp"

#include <cstring>
#include <string>
#include <variant>

namespace forge::detail {

namespace {

template <class T>
void store(inline_scalar& s, inline_scalar::kind k, T value) noexcept {
    s.k = k;
    std::memcpy(s.bytes, &value, sizeof value);
}

template <class T>
T load(const inline_scalar& s) noexcept {
    T value;
    std::memcpy(&value, s.bytes, sizeof value);
    return value;
}

}  // namespace

inline_scalar to_inline(const json& v) noexcept {
    inline_scalar s;
    const auto& raw = v.raw();
    switch (v.kind()) {
        case json_kind::null:
            s.k = inline_scalar::kind::null;
            break;
        case json_kind::boolean:
            store(s, inline_scalar::kind::boolean, std::get<bool>(raw));
            break;
        case json_kind::integer:
            store(s, inline_scalar::kind::integer, std::get<std::int64_t>(raw));
            break;
        case json_kind::uinteger:
            store(s, inline_scalar::kind::uinteger, std::get<std::uint64_t>(raw));
            break;
        case json_kind::number:
            store(s, inline_scalar::kind::number, std::get<double>(raw));
            break;
        case json_kind::string: {
            const auto& text = std::get<std::string>(raw);
            if (text.size() < sizeof s.bytes) {
                s.k = inline_scalar::kind::string;
                s.size = static_cast<std::uint8_t>(text.size());
                std::memcpy(s.bytes, text.data(), text.size());
            }
            break;
        }
        default:
            break;
    }
    return s;
}

json from_inline(const inline_scalar& s) {
    switch (s.k) {
        case inline_scalar::kind::boolean:
            return json(load<bool>(s));
        case inline_scalar::kind::integer:
            return json(load<std::int64_t>(s));
        case inline_scalar::kind::uinteger:
            return json(load<std::uint64_t>(s));
        case inline_scalar::kind::number:
            return json(load<double>(s));
        case inline_scalar::kind::string:
            return json(std::string(s.bytes, s.size));
        default:
            return json();
    }
}

bool inline_equal(const inline_scalar& s, const json& v) noexcept {
    switch (s.k) {
        case inline_scalar::kind::none:
            return false;
        case inline_scalar::kind::null:
            return v.kind() == json_kind::null;
        case inline_scalar::kind::string: {
            if (v.kind() != json_kind::string) return false;
            const auto& text = std::get<std::string>(v.raw());
            return text.size() == s.size && std::memcmp(text.data(), s.bytes, s.size) == 0;
        }
        default:
            return canonical_equal(from_inline(s), v);
    }
}

}  // namespace forge::detail
