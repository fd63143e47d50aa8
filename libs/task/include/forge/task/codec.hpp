// forge::codec: the one customization point that converts C++ values to and from forge::json.
#pragma once

#include <forge/types/errors.hpp>
#include <forge/types/json.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace forge {

// json_path
//
// The location of a value inside a JSON document while decoding, as a chain of stack frames (no
// allocation until an error needs the text). str() gives "holdings[1].qty"; the root is "".
class json_path {
public:
    json_path() noexcept = default;
    json_path(const json_path& parent, std::string_view key) noexcept
        : parent_(&parent), key_(key), kind_(step::key) {}
    json_path(const json_path& parent, std::size_t index) noexcept
        : parent_(&parent), index_(index), kind_(step::index) {}

    // str: the dotted path with [i] for array indices. Allocates.
    std::string str() const;

private:
    enum class step : std::uint8_t { root, key, index };
    const json_path* parent_ = nullptr;
    std::string_view key_{};
    std::size_t index_ = 0;
    step kind_ = step::root;
};

// throw_decode_error: throws forge::decode_error(path.str(), reason).
[[noreturn]] void throw_decode_error(const json_path& path, std::string reason);

// throw_kind_error: throws decode_error with "expected <expected>, received <kind of actual>".
[[noreturn]] void throw_kind_error(const json_path& path,
                                   std::string_view expected,
                                   const json& actual);

// codec
//
// codec<T> has two static functions: `json to_json(const T&)` and
// `T from_json(const json&, const json_path&)`. Built in for bool, integers, floating point,
// std::string (and const char* / std::string_view for encoding), std::optional, std::vector,
// std::map<std::string, T>, std::pair, std::tuple, forge::json itself and every struct declared
// with FORGE_FIELDS. Specialise it for other types. from_json throws forge::decode_error whose
// what() starts with the field path. Integers decode only from integral JSON numbers in range.
template <class T>
struct codec;

// to_json: codec<T>::to_json(v).
template <class T>
json to_json(const T& v) {
    return codec<T>::to_json(v);
}

// from_json: codec<T>::from_json(j, path).
template <class T>
T from_json(const json& j, const json_path& path = {}) {
    return codec<T>::from_json(j, path);
}

namespace detail {

// field_desc: one FORGE_FIELDS entry: a JSON key and a member pointer.
template <class S, class M>
struct field_desc {
    const char* name;
    M S::*member;
};

template <class T>
concept described = requires {
    forge_fields(static_cast<const T*>(nullptr));
};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

std::int64_t decode_int64(const json& j, const json_path& path, std::int64_t lo, std::int64_t hi);
std::uint64_t decode_uint64(const json& j, const json_path& path, std::uint64_t hi);

template <class Tuple, std::size_t... I>
Tuple decode_tuple(const json& j, const json_path& path, std::index_sequence<I...>) {
    if (!j.is_array()) throw_kind_error(path, "array", j);
    const json_array& a = j.as_array();
    if (a.size() != sizeof...(I)) {
        throw_decode_error(path, "expected array of " + std::to_string(sizeof...(I)) +
                                     " items, received " + std::to_string(a.size()));
    }
    return Tuple{codec<std::tuple_element_t<I, Tuple>>::from_json(a[I], json_path(path, I))...};
}

}  // namespace detail

template <>
struct codec<json> {
    static json to_json(const json& v) { return v; }
    static json from_json(const json& j, const json_path&) { return j; }
};

template <>
struct codec<bool> {
    static json to_json(bool v) noexcept { return json(v); }
    static bool from_json(const json& j, const json_path& path) {
        if (!j.is_bool()) throw_kind_error(path, "boolean", j);
        return j.as_bool();
    }
};

template <std::integral T>
requires(!std::same_as<T, bool>) struct codec<T> {
    static json to_json(T v) noexcept {
        if constexpr (std::is_signed_v<T>) {
            return json(static_cast<long long>(v));
        } else {
            return json(static_cast<unsigned long long>(v));
        }
    }
    static T from_json(const json& j, const json_path& path) {
        if constexpr (std::is_signed_v<T>) {
            return static_cast<T>(detail::decode_int64(j, path, std::numeric_limits<T>::min(),
                                                       std::numeric_limits<T>::max()));
        } else {
            return static_cast<T>(detail::decode_uint64(j, path, std::numeric_limits<T>::max()));
        }
    }
};

template <std::floating_point T>
struct codec<T> {
    static json to_json(T v) noexcept { return json(static_cast<double>(v)); }
    static T from_json(const json& j, const json_path& path) {
        if (!j.is_number()) throw_kind_error(path, "number", j);
        return static_cast<T>(j.as_double());
    }
};

template <>
struct codec<std::string> {
    static json to_json(const std::string& v) { return json(v); }
    static std::string from_json(const json& j, const json_path& path) {
        if (!j.is_string()) throw_kind_error(path, "string", j);
        return j.as_string();
    }
};

// Encoding only: views and C strings are copied into the JSON value.
template <>
struct codec<std::string_view> {
    static json to_json(std::string_view v) { return json(v); }
};
template <>
struct codec<const char*> {
    static json to_json(const char* v) { return v ? json(v) : json(); }
};
template <>
struct codec<char*> {
    static json to_json(const char* v) { return v ? json(v) : json(); }
};

template <class T>
struct codec<std::optional<T>> {
    static json to_json(const std::optional<T>& v) { return v ? codec<T>::to_json(*v) : json(); }
    static std::optional<T> from_json(const json& j, const json_path& path) {
        if (j.is_null()) return std::nullopt;
        return codec<T>::from_json(j, path);
    }
};

template <class T, class A>
struct codec<std::vector<T, A>> {
    static json to_json(const std::vector<T, A>& v) {
        json_array out;
        out.reserve(v.size());
        for (const auto& item : v) out.push_back(codec<T>::to_json(item));
        return json(std::move(out));
    }
    static std::vector<T, A> from_json(const json& j, const json_path& path) {
        if (!j.is_array()) throw_kind_error(path, "array", j);
        const json_array& a = j.as_array();
        std::vector<T, A> out;
        out.reserve(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            out.push_back(codec<T>::from_json(a[i], json_path(path, i)));
        }
        return out;
    }
};

template <class T, class C, class A>
struct codec<std::map<std::string, T, C, A>> {
    using map_type = std::map<std::string, T, C, A>;
    static json to_json(const map_type& m) {
        json_object out;
        out.reserve(m.size());
        for (const auto& [k, v] : m) out.emplace_back(k, codec<T>::to_json(v));
        return json(std::move(out));
    }
    static map_type from_json(const json& j, const json_path& path) {
        if (!j.is_object()) throw_kind_error(path, "object", j);
        map_type out;
        for (const auto& [k, v] : j.as_object()) {
            out.insert_or_assign(k, codec<T>::from_json(v, json_path(path, std::string_view(k))));
        }
        return out;
    }
};

template <class A, class B>
struct codec<std::pair<A, B>> {
    static json to_json(const std::pair<A, B>& p) {
        return json(json_array{codec<A>::to_json(p.first), codec<B>::to_json(p.second)});
    }
    static std::pair<A, B> from_json(const json& j, const json_path& path) {
        auto t = detail::decode_tuple<std::tuple<A, B>>(j, path, std::make_index_sequence<2>{});
        return {std::move(std::get<0>(t)), std::move(std::get<1>(t))};
    }
};

template <class... T>
struct codec<std::tuple<T...>> {
    static json to_json(const std::tuple<T...>& t) {
        return std::apply(
            [](const auto&... v) {
                json_array out;
                out.reserve(sizeof...(T));
                (out.push_back(codec<std::remove_cvref_t<decltype(v)>>::to_json(v)), ...);
                return json(std::move(out));
            },
            t);
    }
    static std::tuple<T...> from_json(const json& j, const json_path& path) {
        return detail::decode_tuple<std::tuple<T...>>(j, path, std::index_sequence_for<T...>{});
    }
};

template <detail::described T>
struct codec<T> {
    static json to_json(const T& v) {
        return std::apply(
            [&v](const auto&... f) {
                json_object out;
                out.reserve(sizeof...(f));
                (out.emplace_back(
                     f.name,
                     codec<std::remove_cvref_t<decltype(v.*(f.member))>>::to_json(v.*(f.member))),
                 ...);
                return json(std::move(out));
            },
            forge_fields(static_cast<const T*>(nullptr)));
    }
    static T from_json(const json& j, const json_path& path) {
        if (!j.is_object()) throw_kind_error(path, "object", j);
        T out{};
        std::apply([&](const auto&... f) { (decode_field(j, path, out.*(f.member), f.name), ...); },
                   forge_fields(static_cast<const T*>(nullptr)));
        return out;
    }

private:
    template <class M>
    static void decode_field(const json& j, const json_path& path, M& dst, const char* name) {
        const json* m = j.find(name);
        json_path child(path, std::string_view(name));
        if (m == nullptr) {
            if constexpr (detail::is_optional<M>::value) {
                dst.reset();
                return;
            } else {
                throw_decode_error(child, "missing required field");
            }
        }
        dst = codec<M>::from_json(*m, child);
    }
};

}  // namespace forge
