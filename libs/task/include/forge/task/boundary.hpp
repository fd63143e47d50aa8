// forge::boundary: a named, recorded call to the outside world (an API, a database, a clock).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace forge {

namespace detail {

// next_boundary_id: a process-wide unique, never-zero boundary identity. One relaxed atomic
// increment; thread-safe.
std::uint64_t next_boundary_id() noexcept;

}  // namespace detail

// boundary
//
// Wraps any callable (function pointer, lambda, member function through a lambda) under a name.
// A task owns the boundaries it is constructed with (forge::boundaries(...)); calling one through
// that task's run context, `run(b, args...)`, records the call in the run's record (arguments as
// a JSON array, result or error, timing, call-start order, provenance); calling it directly,
// `b(args...)`, just calls the function. Arguments and results must have a forge::codec. The
// boundary is an immutable value with an identity (id) assigned at construction and shared by
// its copies: a task recognises its boundaries by that id, not by name. One boundary may be used
// by many tasks and threads at once provided the wrapped callable is safe to call concurrently.
// It must outlive the runs that use it.
//
//   auto fetch_price = forge::boundary("fetchPrice", [](const std::string& t) { return 100.0; });
template <class F>
class boundary {
public:
    boundary(std::string name, F fn)
        : name_(std::move(name)), fn_(std::move(fn)), id_(detail::next_boundary_id()) {}

    // name: the key of this boundary in a record's `boundaries`.
    const std::string& name() const noexcept { return name_; }

    // id: this boundary's identity (shared by copies, distinct for every constructed boundary).
    std::uint64_t id() const noexcept { return id_; }

    // function: the wrapped callable.
    const F& function() const noexcept { return fn_; }

    // operator(): calls the function without recording anything.
    template <class... A>
    decltype(auto) operator()(A&&... args) const {
        return std::invoke(fn_, std::forward<A>(args)...);
    }

private:
    std::string name_;
    F fn_;
    std::uint64_t id_;
};

template <class F>
boundary(std::string, F) -> boundary<F>;
template <class F>
boundary(const char*, F) -> boundary<F>;

}  // namespace forge
