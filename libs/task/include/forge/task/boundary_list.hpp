// forge::boundaries: the list of boundaries a task is constructed with.
#pragma once

#include <forge/task/boundary.hpp>
#include <forge/task/codec.hpp>
#include <forge/task/detail/signature.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

namespace forge {

namespace detail {

// readable_type_name: the demangled name of t ("double", "std::vector<int, ...>").
std::string readable_type_name(const std::type_info& t);

}  // namespace detail

// boundary_list
//
// The boundaries a task owns, in order: each one's name and id (the boundary objects themselves
// are not kept). Built by forge::boundaries(...); a task checks it for duplicate names when it is
// constructed. Copyable; one allocation per name.
class boundary_list {
public:
    // entry: one boundary. tape_answerable is false when its result type is known at compile
    // time and a tape cannot answer it (no decoder, or a reference); result_type then names it.
    struct entry {
        std::string name;
        std::uint64_t id = 0;
        bool tape_answerable = true;
        std::string result_type{};
    };

    boundary_list() = default;

    const std::vector<entry>& entries() const noexcept { return entries_; }

private:
    template <class F>
    static entry describe(const boundary<F>& b) {
        using R = typename detail::signature_result<typename detail::signature_of<F>::type>::type;
        entry e{b.name(), b.id()};
        if constexpr (!std::is_same_v<R, detail::no_signature> && !std::is_void_v<R>) {
            using V = std::remove_cvref_t<R>;
            if constexpr (std::is_reference_v<R> || !decodable<V>) {
                e.tape_answerable = false;
                e.result_type = detail::readable_type_name(typeid(V));
                if constexpr (std::is_reference_v<R>) e.result_type += " (a reference)";
            }
        }
        return e;
    }

    template <class... F>
    friend boundary_list boundaries(const boundary<F>&... b);

    std::vector<entry> entries_;
};

// boundaries: the list of b, in order, for a task's constructor:
//
//   forge::task t("getPortfolio", forge::boundaries(fetch_holdings, fetch_price), fn);
//
// Allocates the list; throws only std::bad_alloc (duplicates are the task's to reject).
template <class... F>
boundary_list boundaries(const boundary<F>&... b) {
    boundary_list list;
    list.entries_.reserve(sizeof...(F));
    (list.entries_.push_back(boundary_list::describe(b)), ...);
    return list;
}

}  // namespace forge
