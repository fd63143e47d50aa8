// Options for tape modes and replay: custom input matchers and forge::replay_options.
#pragma once

#include <forge/task/boundary.hpp>
#include <forge/task/mode.hpp>
#include <forge/types/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

// input_matcher: a custom matcher for one boundary's tape entries, replacing canonical equality:
// given the call's encoded arguments and a recorded entry's input (both JSON arrays, with the
// boundary's ignore paths already removed), returns nullopt when the entry matches and otherwise
// the reason it does not (shown in divergence messages). Called concurrently; must be
// thread-safe. A boundary with a matcher is looked up by a scan of its entries, not by hash.
using input_matcher =
    std::function<std::optional<std::string>(const json& actual, const json& recorded)>;

// replay_options
//
// How task::safe_replay answers boundary calls from the source record's entries
// (docs/record-format.md §11): every boundary in `mode` (default replay) under `policy` (default
// journal: the k-th call must match the k-th recorded entry), except the boundaries given their
// own mode or policy. strict also fails the replay (forge::replay_divergence,
// FORGE_TAPE_UNUSED_ENTRIES) when recorded entries were left unused. The task's own ignore paths
// and matchers apply; its task-wide mode, tape and FORGE_MODE do not.
//
//   auto r = task.safe_replay(record, forge::replay_options{}.set_mode(fetch_price,
//                                                                      forge::mode::proxy));
struct replay_options {
    struct boundary_override {
        std::string boundary;
        std::optional<forge::mode> mode{};
        std::optional<tape_policy> policy{};
    };

    forge::mode mode = forge::mode::replay;
    tape_policy policy = tape_policy::journal;
    forge::repeats repeats = forge::repeats::reuse_last;
    bool strict = false;
    std::vector<boundary_override> overrides{};

    // set_mode / set_policy: the mode or policy of one boundary (by boundary or by name).
    replay_options& set_mode(std::string_view boundary_name, forge::mode m);
    replay_options& set_policy(std::string_view boundary_name, tape_policy p);
    template <class F>
    replay_options& set_mode(const boundary<F>& b, forge::mode m) {
        return set_mode(b.name(), m);
    }
    template <class F>
    replay_options& set_policy(const boundary<F>& b, tape_policy p) {
        return set_policy(b.name(), p);
    }
    // set_strict: see strict.
    replay_options& set_strict(bool on = true) {
        strict = on;
        return *this;
    }

private:
    boundary_override& override_for(std::string_view boundary_name);
};

}  // namespace forge
