// The substitute hook of the decision point: something that may answer a boundary call instead
// of its live function (mocks, later tapes).
#pragma once

#include <forge/types/boundary_record.hpp>
#include <forge/types/json.hpp>

#include <cstddef>
#include <exception>
#include <optional>
#include <string_view>

namespace forge::detail {

// call_info: what a substitute sees of one boundary call: the task, the boundary (its name and
// its index in the task's boundary list) and the encoded arguments (args[0..n_args)). Valid only
// during the answer() call.
struct call_info {
    std::string_view task_name;
    std::string_view boundary_name;
    std::size_t boundary_index = 0;
    const json* args = nullptr;
    std::size_t n_args = 0;
};

// substitute_answer: a substitute's answer: a value (decoded with the boundary's result codec;
// nullopt for a void boundary) or a value borrowed from storage that outlives the run (a tape;
// used when value is empty), or an error thrown into the task function as if the live call had
// thrown it; source is the entry's provenance.
struct substitute_answer {
    std::optional<json> value{};
    const json* borrowed = nullptr;
    std::exception_ptr error{};
    provenance source = provenance::mock;
};

// boundary_substitute
//
// Installed on one boundary of one task (task::set_substitute); consulted on every call of that
// boundary, recording on or off. answer() returns nullopt to let the live function answer.
// Implementations must be thread-safe (runs of a task may call it from many threads at once).
class boundary_substitute {
public:
    boundary_substitute() = default;
    boundary_substitute(const boundary_substitute&) = delete;
    boundary_substitute& operator=(const boundary_substitute&) = delete;
    virtual ~boundary_substitute() = default;

    // answer: the answer to the call described by info, or nullopt for "call the live function".
    virtual std::optional<substitute_answer> answer(const call_info& info) const = 0;
};

}  // namespace forge::detail
