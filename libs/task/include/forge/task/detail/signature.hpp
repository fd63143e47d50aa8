// Internal: the plain signature of a callable, for deducing task and boundary types.
#pragma once

#include <type_traits>

namespace forge::detail {

// plain_signature: R(Args...) for a function type or a member function pointer type, with its
// cv, ref and noexcept qualifiers dropped.
template <class S>
struct plain_signature {
    using type = void;
};
template <class R, class... A>
struct plain_signature<R(A...)> {
    using type = R(A...);
};
template <class R, class... A>
struct plain_signature<R(A...) noexcept> {
    using type = R(A...);
};
#define FORGE_DETAIL_MEMBER_SIGNATURE(QUAL)                \
    template <class C, class R, class... A>                \
    struct plain_signature<R (C::*)(A...) QUAL> {          \
        using type = R(A...);                              \
    };                                                     \
    template <class C, class R, class... A>                \
    struct plain_signature<R (C::*)(A...) QUAL noexcept> { \
        using type = R(A...);                              \
    }
FORGE_DETAIL_MEMBER_SIGNATURE();
FORGE_DETAIL_MEMBER_SIGNATURE(const);
FORGE_DETAIL_MEMBER_SIGNATURE(&);
FORGE_DETAIL_MEMBER_SIGNATURE(const&);
#undef FORGE_DETAIL_MEMBER_SIGNATURE

// signature_of: the plain signature of callable F (a function, a function pointer, or a class with
// one non-template, non-overloaded operator()), or void when it has none.
template <class F>
struct signature_of {
private:
    static auto get() {
        if constexpr (std::is_function_v<std::remove_pointer_t<F>>) {
            return std::type_identity<typename plain_signature<std::remove_pointer_t<F>>::type>{};
        } else if constexpr (requires { &F::operator(); }) {
            return std::type_identity<typename plain_signature<decltype(&F::operator())>::type>{};
        } else {
            return std::type_identity<void>{};
        }
    }

public:
    using type = typename decltype(get())::type;
};

// signature_result: R of a plain signature R(A...); no_signature when there is none.
struct no_signature {};
template <class S>
struct signature_result {
    using type = no_signature;
};
template <class R, class... A>
struct signature_result<R(A...)> {
    using type = R;
};

}  // namespace forge::detail
