// forge::replay_divergence: a boundary call that a tape could not answer, or a replay that left
// recorded entries unused, with everything needed to fix it.
#pragma once

#include <forge/task/mode.hpp>
#include <forge/types/json.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

// divergence_code: what went wrong, with a stable code() string for logs and tooling.
//   no_match         no recorded entry matches the call's input       FORGE_TAPE_NO_MATCH
//   already_used     matching entries exist but were all used          FORGE_TAPE_ALREADY_USED
//   no_boundary      the tape holds no entries for the boundary        FORGE_TAPE_NO_BOUNDARY
//   out_of_order     journal: the input matches another call's entry   FORGE_TAPE_OUT_OF_ORDER
//   beyond_recorded  journal: more calls than the recorded run made    FORGE_TAPE_BEYOND_RECORDED
//   unused_entries   a strict replay left recorded entries unused      FORGE_TAPE_UNUSED_ENTRIES
enum class divergence_code : std::uint8_t {
    no_match,
    already_used,
    no_boundary,
    out_of_order,
    beyond_recorded,
    unused_entries
};

// to_string: the stable code, e.g. "FORGE_TAPE_NO_MATCH".
std::string_view to_string(divergence_code c) noexcept;

// divergence_candidate: a recorded entry near the call: its index in the boundary's entries,
// its input, whether this run already used it, and the field-level differences from the call's
// input ("0.ticker: recorded \"AAPL\", actual \"MSFT\"").
struct divergence_candidate {
    std::size_t index = 0;
    json input{};
    bool used = false;
    std::vector<std::string> differences{};
};

// divergence_details: the structured content of a replay_divergence.
struct divergence_details {
    divergence_code code = divergence_code::no_match;
    std::string task;
    std::string boundary;
    forge::mode mode = forge::mode::replay;
    tape_policy policy = tape_policy::sequence;
    std::string tape;  // where the tape came from ("source record <uuid>", a file path, "code")
    std::size_t call_index = 0;                      // this call among the boundary's calls, from 0
    json actual{};                                   // the call's encoded arguments
    std::vector<divergence_candidate> candidates{};  // nearest first, at most 3
    std::size_t recorded_entries = 0;                // the boundary's entries on the tape
    std::vector<std::string> unused{};       // unused_entries: "<boundary> #<index>" for each
    std::vector<std::string> suggestions{};  // what to do, in order
};

// replay_divergence
//
// Thrown into the task function by a tape-mode call the tape cannot answer (recorded as the
// call's error entry, provenance "tape"), and returned as the run's error by a strict replay that
// left entries unused. what() for a call starts with the TypeScript miss text
// `No tape value for this inputs (boundary: <name>, input: <compact JSON>)`, then one line with
// the code, task, call index, mode, policy and tape, the candidates with their differences,
// and a numbered list of what to do. details() holds the same as data.
class replay_divergence : public std::runtime_error {
public:
    explicit replay_divergence(divergence_details d);

    const divergence_details& details() const noexcept { return details_; }
    divergence_code code() const noexcept { return details_.code; }

private:
    divergence_details details_;
};

}  // namespace forge
