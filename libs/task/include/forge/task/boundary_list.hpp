// forge::boundaries: the list of boundaries a task is constructed with.
#pragma once

#include <forge/task/boundary.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace forge {

// boundary_list
//
// The boundaries a task owns, in order: each one's name and id (the boundary objects themselves
// are not kept). Built by forge::boundaries(...); a task checks it for duplicate names when it is
// constructed. Copyable; one allocation per name.
class boundary_list {
public:
    struct entry {
        std::string name;
        std::uint64_t id = 0;
    };

    boundary_list() = default;

    const std::vector<entry>& entries() const noexcept { return entries_; }

private:
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
    (list.entries_.push_back(boundary_list::entry{b.name(), b.id()}), ...);
    return list;
}

}  // namespace forge
