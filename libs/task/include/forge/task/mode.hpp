// forge::mode, forge::tape_policy, forge::repeats: how a boundary call is answered, and how a
// tape is read (docs/record-format.md §10.3).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace forge {

// mode: where a boundary call's result comes from (docs/record-format.md §10.3 table).
//   proxy        live call, recorded (the default);
//   replay       tape only: a match answers, a miss throws forge::replay_divergence;
//   proxy_pass   an eligible tape match answers, otherwise live;
//   proxy_catch  live; when the live call fails, an eligible tape match answers (tape-fallback);
//   record_once  as replay when the tape holds entries for the boundary, otherwise as proxy;
//   passthrough  live call, nothing recorded.
// Mocks (forge/task/mock.hpp) take precedence over every mode.
enum class mode : std::uint8_t { proxy, replay, proxy_pass, proxy_catch, record_once, passthrough };

// to_string: "proxy", "replay", "proxy-pass", "proxy-catch", "record-once", "passthrough".
std::string_view to_string(mode m) noexcept;

// parse_mode: the mode named by text (the to_string spelling; "_" accepted for "-"), or nullopt.
std::optional<mode> parse_mode(std::string_view text) noexcept;

// uses_tape: whether m reads a tape (replay, proxy_pass, proxy_catch, record_once).
constexpr bool uses_tape(mode m) noexcept {
    return m == mode::replay || m == mode::proxy_pass || m == mode::proxy_catch ||
           m == mode::record_once;
}

// tape_policy: how matching entries are consumed within one run.
//   sequence  the k-th call with an input gets the k-th matching entry, then the last is reused
//             (repeats::strict: running out is a miss); the default;
//   cache     every call gets the first matching entry; nothing is consumed;
//   journal   the k-th call of a boundary must match its k-th entry (calls that overlapped in
//             time in the recorded run match by input among those entries); anything else is a
//             divergence.
enum class tape_policy : std::uint8_t { sequence, cache, journal };

// to_string: "sequence", "cache", "journal".
std::string_view to_string(tape_policy p) noexcept;

// parse_tape_policy: the policy named by text, or nullopt.
std::optional<tape_policy> parse_tape_policy(std::string_view text) noexcept;

// repeats: what sequence does when a input's matching entries are used up: reuse the last one
// (reuse_last, the default, as a one-entry TS tape does) or miss (strict).
enum class repeats : std::uint8_t { reuse_last, strict };

}  // namespace forge
