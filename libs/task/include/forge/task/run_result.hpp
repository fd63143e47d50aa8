// forge::run_result: what safe_run returns: the output or the error, plus the record.
#pragma once

#include <forge/types/error_category.hpp>
#include <forge/types/execution_record.hpp>

#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

namespace forge {

// run_output_t: the value type held by run_result<T> (std::monostate for void tasks).
template <class T>
using run_output_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

// run_result
//
// One run's outcome: `output` is set on success, `error` (the original exception, type
// preserved) on failure, and `record` always holds the finished record. Unpacks as
// `auto [output, error, record] = task.safe_run(in);`. Copyable when T is.
template <class T>
struct run_result {
    std::optional<run_output_t<T>> output{};
    std::exception_ptr error{};
    execution_record record{};

    // ok: the run succeeded.
    bool ok() const noexcept { return !error; }

    // error_message: what() of the error ("unknown exception" for non-std exceptions), or ""
    // on success.
    std::string error_message() const {
        return error ? forge::error_message(error) : std::string();
    }
};

}  // namespace forge
