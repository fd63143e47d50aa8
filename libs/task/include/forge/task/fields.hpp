// FORGE_FIELDS: one line that makes a user struct JSON-codable through forge::codec.
#pragma once

#include <forge/task/codec.hpp>

#include <tuple>

// FORGE_FIELDS(Type, field...)
//
// Declares the JSON members of Type, in order, for forge::codec: encoding writes an object with
// one key per listed field (the field's own name); decoding requires every field except
// std::optional ones, ignores unknown keys and names the path of any error
// ("holdings.1.qty: expected integer, received string"; see forge::json_path). Write it at
// namespace scope, in the namespace of Type (it is found by argument-dependent lookup), after the
// struct; written anywhere else it is not found, and using the type fails to compile with "add
// FORGE_FIELDS(T, ...) in T's namespace". Type must be default-constructible for decoding. Up to
// 32 fields. Costs nothing at run time beyond the member-wise conversion.
//
//   struct holding { std::string ticker; int qty; };
//   FORGE_FIELDS(holding, ticker, qty);
#define FORGE_FIELDS(Type, ...)                                                               \
    [[maybe_unused]] constexpr auto forge_fields(const Type*) noexcept {                      \
        return std::make_tuple(FORGE_DETAIL_FOR_EACH(FORGE_DETAIL_FIELD, Type, __VA_ARGS__)); \
    }                                                                                         \
    static_assert(true, "")

// FORGE_FIELDS_AS(Type, (field, "key")...)
//
// FORGE_FIELDS with the JSON key of each field spelled out, for wire names that are not C++
// member names (the camelCase keys of TypeScript tasks). Each entry is a parenthesised pair of a
// member and its key, a string literal; the member keeps its C++ name, the JSON uses the key,
// and decoding errors name the key (`lines.0.unitPrice`). Everything else is as FORGE_FIELDS.
//
//   struct line { std::string sku; double unit_price = 0; };
//   FORGE_FIELDS_AS(line, (sku, "sku"), (unit_price, "unitPrice"));
#define FORGE_FIELDS_AS(Type, ...)                                                               \
    [[maybe_unused]] constexpr auto forge_fields(const Type*) noexcept {                         \
        return std::make_tuple(FORGE_DETAIL_FOR_EACH(FORGE_DETAIL_FIELD_AS, Type, __VA_ARGS__)); \
    }                                                                                            \
    static_assert(true, "")

#define FORGE_DETAIL_FIELD(Type, f) \
    ::forge::detail::field_desc<Type, decltype(Type::f)> { #f, &Type::f }

#define FORGE_DETAIL_FIELD_AS(Type, entry) \
    FORGE_DETAIL_EXPAND(FORGE_DETAIL_FIELD_KEY(Type, FORGE_DETAIL_UNPAREN entry))
#define FORGE_DETAIL_UNPAREN(...) __VA_ARGS__
#define FORGE_DETAIL_FIELD_KEY(Type, ...) \
    FORGE_DETAIL_EXPAND(FORGE_DETAIL_FIELD_KEY_I(Type, __VA_ARGS__))
#define FORGE_DETAIL_FIELD_KEY_I(Type, f, key) \
    ::forge::detail::field_desc<Type, decltype(Type::f)> { key, &Type::f }

#define FORGE_DETAIL_EXPAND(x) x
#define FORGE_DETAIL_FE_1(M, T, a) M(T, a)
#define FORGE_DETAIL_FE_2(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_1(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_3(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_2(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_4(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_3(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_5(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_4(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_6(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_5(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_7(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_6(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_8(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_7(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_9(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_8(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_10(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_9(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_11(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_10(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_12(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_11(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_13(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_12(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_14(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_13(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_15(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_14(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_16(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_15(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_17(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_16(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_18(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_17(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_19(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_18(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_20(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_19(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_21(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_20(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_22(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_21(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_23(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_22(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_24(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_23(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_25(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_24(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_26(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_25(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_27(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_26(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_28(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_27(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_29(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_28(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_30(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_29(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_31(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_30(M, T, __VA_ARGS__))
#define FORGE_DETAIL_FE_32(M, T, a, ...) \
    M(T, a), FORGE_DETAIL_EXPAND(FORGE_DETAIL_FE_31(M, T, __VA_ARGS__))
#define FORGE_DETAIL_PICK(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, \
                          _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30,  \
                          _31, _32, NAME, ...)                                                   \
    NAME
#define FORGE_DETAIL_FOR_EACH(M, T, ...)                                                \
    FORGE_DETAIL_EXPAND(FORGE_DETAIL_PICK(                                              \
        __VA_ARGS__, FORGE_DETAIL_FE_32, FORGE_DETAIL_FE_31, FORGE_DETAIL_FE_30,        \
        FORGE_DETAIL_FE_29, FORGE_DETAIL_FE_28, FORGE_DETAIL_FE_27, FORGE_DETAIL_FE_26, \
        FORGE_DETAIL_FE_25, FORGE_DETAIL_FE_24, FORGE_DETAIL_FE_23, FORGE_DETAIL_FE_22, \
        FORGE_DETAIL_FE_21, FORGE_DETAIL_FE_20, FORGE_DETAIL_FE_19, FORGE_DETAIL_FE_18, \
        FORGE_DETAIL_FE_17, FORGE_DETAIL_FE_16, FORGE_DETAIL_FE_15, FORGE_DETAIL_FE_14, \
        FORGE_DETAIL_FE_13, FORGE_DETAIL_FE_12, FORGE_DETAIL_FE_11, FORGE_DETAIL_FE_10, \
        FORGE_DETAIL_FE_9, FORGE_DETAIL_FE_8, FORGE_DETAIL_FE_7, FORGE_DETAIL_FE_6,     \
        FORGE_DETAIL_FE_5, FORGE_DETAIL_FE_4, FORGE_DETAIL_FE_3, FORGE_DETAIL_FE_2,     \
        FORGE_DETAIL_FE_1)(M, T, __VA_ARGS__))
