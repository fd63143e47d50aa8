// forge::codec: the one customization point that converts C++ values to and from forge::json.
#pragma once

#include <forge/types/errors.hpp>
#include <forge/types/json.hpp>
#include <forge/types/json_path.hpp>

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
// std::nullptr_t (JSON null), std::string (and const char* / std::string_view for encoding),
// std::optional, std::vector, std::map<std::string, T>, std::pair, std::tuple, forge::json itself
// and every struct declared with FORGE_FIELDS or FORGE_FIELDS_AS. Specialise it for other types.
// from_json throws forge::decode_error whose path() is the json_path of the offending value
// (`holdings.1.qty`). Integers decode only from integral JSON numbers in range.
//
// The primary template is left undefined: a type without a codec fails to compile with
// "add FORGE_FIELDS(T, ...) in T's namespace, or specialise forge::codec<T>" as the first error,
// wherever the SDK needs it (task input and output, boundary arguments and results, to_json,
// from_json, members and elements of codable types).
template <class T>
struct codec;

// encodable: codec<T> can write T (codec<T>::to_json(const T&) returns json).
template <class T>
concept encodable = requires(const T& v) {
    { codec<T>::to_json(v) } -> std::convertible_to<json>;
};

// decodable: codec<T> can read T (codec<T>::from_json(const json&, const json_path&) returns T).
template <class T>
concept decodable = requires(const json& j, const json_path& path) {
    { codec<T>::from_json(j, path) } -> std::convertible_to<T>;
};

// The fixes the compile-time checks print; tests/compile-errors proves each comes first.
#define FORGE_DETAIL_NO_CODEC                                                                 \
    "forge::codec<T> is missing for this type T: add FORGE_FIELDS(T, ...) in T's namespace, " \
    "or specialise forge::codec<T>"
#define FORGE_DETAIL_NO_DECODER                                                        \
    "forge::codec<T> cannot decode this type T: use an owning type (std::string, not " \
    "std::string_view or const char*), or give forge::codec<T> a static "              \
    "T from_json(const json&, const json_path&)"

namespace detail {

template <class T>
concept has_codec = requires {
    sizeof(codec<T>);
};

// check_encodable / check_decodable: true, or a static_assert naming the fix. Instantiated where
// a codec is first needed, so the message is the first error.
template <class T>
consteval bool check_encodable() {
    static_assert(encodable<T>, FORGE_DETAIL_NO_CODEC);
    return encodable<T>;
}
template <class T>
consteval bool check_decodable() {
    static_assert(has_codec<T>, FORGE_DETAIL_NO_CODEC);
    static_assert(!has_codec<T> || decodable<T>, FORGE_DETAIL_NO_DECODER);
    return decodable<T>;
}

}  // namespace detail

// to_json: codec<T>::to_json(v).
template <class T>
json to_json(const T& v) {
    if constexpr (detail::check_encodable<T>()) {
        return codec<T>::to_json(v);
    } else {
        return json();
    }
}

// from_json: codec<T>::from_json(j, path).
template <class T>
T from_json(const json& j, const json_path& path = {}) {
    if constexpr (detail::check_decodable<T>()) {
        return codec<T>::from_json(j, path);
    } else {
        throw_decode_error(path, "no codec");
    }
}

namespace detail {

// field_desc: one FORGE_FIELDS / FORGE_FIELDS_AS entry: the member's JSON key and its pointer.
template <class S, class M>
struct field_desc {
    const char* key;
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
    return Tuple{forge::from_json<std::tuple_element_t<I, Tuple>>(a[I], json_path(path, I))...};
}

}  // namespace detail

template <>
struct codec<json> {
    static json to_json(const json& v) { return v; }
    static json from_json(const json& j, const json_path&) { return j; }
};

template <>
struct codec<std::nullptr_t> {
    static json to_json(std::nullptr_t) noexcept { return json(); }
    static std::nullptr_t from_json(const json& j, const json_path& path) {
        if (!j.is_null()) throw_kind_error(path, "null", j);
        return nullptr;
    }
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
    static json to_json(const std::optional<T>& v) { return v ? forge::to_json<T>(*v) : json(); }
    static std::optional<T> from_json(const json& j, const json_path& path) {
        if (j.is_null()) return std::nullopt;
        return forge::from_json<T>(j, path);
    }
};

template <class T, class A>
struct codec<std::vector<T, A>> {
    static json to_json(const std::vector<T, A>& v) {
        json_array out;
        out.reserve(v.size());
        for (const auto& item : v) out.push_back(forge::to_json<T>(item));
        return json(std::move(out));
    }
    static std::vector<T, A> from_json(const json& j, const json_path& path) {
        if (!j.is_array()) throw_kind_error(path, "array", j);
        const json_array& a = j.as_array();
        std::vector<T, A> out;
        out.reserve(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            out.push_back(forge::from_json<T>(a[i], json_path(path, i)));
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
        for (const auto& [k, v] : m) out.emplace_back(k, forge::to_json<T>(v));
        return json(std::move(out));
    }
    static map_type from_json(const json& j, const json_path& path) {
        if (!j.is_object()) throw_kind_error(path, "object", j);
        map_type out;
        for (const auto& [k, v] : j.as_object()) {
            out.insert_or_assign(k, forge::from_json<T>(v, json_path(path, std::string_view(k))));
        }
        return out;
    }
};

template <class A, class B>
struct codec<std::pair<A, B>> {
    static json to_json(const std::pair<A, B>& p) {
        return json(json_array{forge::to_json<A>(p.first), forge::to_json<B>(p.second)});
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
                (out.push_back(forge::to_json<std::remove_cvref_t<decltype(v)>>(v)), ...);
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
        constexpr auto fields = forge_fields(static_cast<const T*>(nullptr));
        json_object out;
        out.reserve(std::tuple_size_v<decltype(fields)>);
        encode_fields(v, out, fields,
                      std::make_index_sequence<std::tuple_size_v<decltype(fields)>>{});
        return json(std::move(out));
    }
    static T from_json(const json& j, const json_path& path) {
        if (!j.is_object()) throw_kind_error(path, "object", j);
        constexpr auto fields = forge_fields(static_cast<const T*>(nullptr));
        T out{};
        decode_fields(j, path, out, fields,
                      std::make_index_sequence<std::tuple_size_v<decltype(fields)>>{});
        return out;
    }

private:
    template <class Fields, std::size_t... I>
    static void encode_fields(const T& v,
                              json_object& out,
                              const Fields& fields,
                              std::index_sequence<I...>) {
        (out.emplace_back(std::get<I>(fields).key, forge::to_json(v.*(std::get<I>(fields).member))),
         ...);
    }

    template <class Fields, std::size_t... I>
    static void decode_fields(const json& j,
                              const json_path& path,
                              T& out,
                              const Fields& fields,
                              std::index_sequence<I...>) {
        (decode_field(j, path, out.*(std::get<I>(fields).member), std::get<I>(fields).key), ...);
    }

    template <class M>
    static void decode_field(const json& j, const json_path& path, M& dst, const char* key) {
        const json* m = j.find(key);
        json_path child(path, std::string_view(key));
        if (m == nullptr) {
            if constexpr (detail::is_optional<M>::value) {
                dst.reset();
                return;
            } else {
                throw_decode_error(child, "missing required field");
            }
        }
        dst = forge::from_json<M>(*m, child);
    }
};

}  // namespace forge
