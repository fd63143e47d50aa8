// forge::boundary: a named, recorded call to the outside world (an API, a database, a clock).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace forge {

// boundary
//
// Wraps any callable (function pointer, lambda, member function through a lambda) under a name.
// Calling it through a run context, `run(b, args...)`, records the call in that run's record
// (arguments as a JSON array, result or error, timing, call-start order); calling it directly,
// `b(args...)`, just calls the function. Arguments and results must have a forge::codec. The
// boundary is an immutable value: one boundary may be used by many tasks and threads at once
// provided the wrapped callable is safe to call concurrently. It must outlive the runs that use it.
//
//   auto fetch_price = forge::boundary("fetchPrice", [](const std::string& t) { return 100.0; });
template <class F>
class boundary {
public:
    boundary(std::string name, F fn) : name_(std::move(name)), fn_(std::move(fn)) {}

    // name: the key of this boundary in a record's `boundaries`.
    const std::string& name() const noexcept { return name_; }

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
};

template <class F>
boundary(std::string, F) -> boundary<F>;
template <class F>
boundary(const char*, F) -> boundary<F>;

}  // namespace forge
