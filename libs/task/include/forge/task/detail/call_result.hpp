// Internal: the typed result of one boundary call, filled live or from a substitute's answer.
#pragma once

#include <forge/task/codec.hpp>
#include <forge/task/detail/run_hooks.hpp>

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace forge::detail {

// call_result<R>: holds the result of a call returning R (nothing for void, a pointer for a
// reference, the value otherwise) and gives call_boundary its encode and accept functions.
template <class R>
class call_result {
    using value_type = std::remove_cv_t<R>;

public:
    // set: stores g() (the live call).
    template <class G>
    void set(G&& g) {
        if constexpr (std::is_void_v<R>) {
            std::forward<G>(g)();
        } else if constexpr (std::is_reference_v<R>) {
            ptr_ = std::addressof(std::forward<G>(g)());
        } else {
            value_.emplace(std::forward<G>(g)());
        }
    }

    // take: the stored result (moved out for values).
    R take() {
        if constexpr (std::is_reference_v<R>) {
            return static_cast<R>(*ptr_);
        } else if constexpr (!std::is_void_v<R>) {
            return std::move(*value_);
        }
    }

    // erase: the typed_call of live (a callable of call_slot*) and this result.
    template <class L>
    typed_call erase(L& live) {
        typed_call c;
        c.live_self = std::addressof(live);
        c.live = [](void* self, call_slot* slot) { (*static_cast<L*>(self))(slot); };
        c.result_self = this;
        c.encode = [](void* self, json& out) {
            if constexpr (!std::is_void_v<R>) {
                auto& r = *static_cast<call_result*>(self);
                if constexpr (std::is_reference_v<R>) {
                    out = forge::to_json<std::remove_cvref_t<R>>(*r.ptr_);
                } else {
                    out = forge::to_json<value_type>(*r.value_);
                }
            }
        };
        c.accept = [](void* self, const json* value) -> bool {
            if constexpr (std::is_void_v<R>) {
                return true;
            } else if constexpr (std::is_reference_v<R> || !decodable<value_type>) {
                return false;
            } else {
                static_cast<call_result*>(self)->value_.emplace(
                    forge::from_json<value_type>(value != nullptr ? *value : json()));
                return true;
            }
        };
        c.has_value = !std::is_void_v<R>;
        return c;
    }

private:
    std::conditional_t<std::is_reference_v<R>, std::remove_reference_t<R>*, char> ptr_{};
    std::optional<std::conditional_t<std::is_void_v<R> || std::is_reference_v<R>, char, value_type>>
        value_;
};

}  // namespace forge::detail
