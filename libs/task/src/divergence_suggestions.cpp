#include "divergence_suggestions.hpp"

#include <string_view>

namespace forge::detail {

namespace {

std::string in_quotes(std::string_view s) {
    std::string quoted;
    quoted.reserve(s.size() + 2);
    quoted.push_back('"');
    quoted.append(s);
    quoted.push_back('"');
    return quoted;
}

}  // namespace

void add_suggestions(divergence_details& d, const std::vector<std::string>& first_differences) {
    const std::string b = in_quotes(d.boundary);
    auto& s = d.suggestions;
    switch (d.code) {
        case divergence_code::no_boundary:
            s.push_back("If " + b +
                        " is new since the recording, let it run live in this replay: "
                        "replay_options{}.set_mode(" +
                        b + ", forge::mode::proxy)");
            s.push_back(
                "Record it: run the task in proxy or record-once mode and keep the record "
                "(forge::record_tape) so the tape holds " +
                b);
            s.push_back("Check that the tape is the one meant for task " + in_quotes(d.task) +
                        ": " + d.tape);
            break;
        case divergence_code::no_match: {
            std::string field = "<path>";
            if (!first_differences.empty()) {
                field = first_differences.front().substr(0, first_differences.front().find(':'));
            }
            s.push_back(
                "If a field differs from run to run (a timestamp, a request id), ignore "
                "it: task.ignore_paths(<the " +
                b + " boundary>, {\"" + field + "\"})");
            s.push_back(
                "If the input changed on purpose, re-record the tape (mode proxy or "
                "record-once)");
            s.push_back(
                "To let calls the tape cannot answer go live, use forge::mode::proxy_pass "
                "for " +
                b);
            break;
        }
        case divergence_code::already_used:
            s.push_back(
                "The task repeats this input more often than the recording did; let the "
                "last entry answer repeats: forge::repeats::reuse_last");
            s.push_back("If " + b +
                        " is a pure lookup, read its tape as a cache: forge::tape_policy::cache");
            s.push_back("Re-record the tape if the extra calls are intended");
            break;
        case divergence_code::out_of_order:
            s.push_back("The calls of " + b +
                        " come in a different order than recorded; if the order does not "
                        "matter, match by input: replay_options{}.set_policy(" +
                        b + ", forge::tape_policy::sequence)");
            s.push_back(
                "If the calls are meant to run in parallel, start them together so that "
                "they overlap in the recording too, and re-record");
            s.push_back("Re-record the tape if the new order is intended");
            break;
        case divergence_code::beyond_recorded:
            s.push_back("The task now calls " + b + " more often than the recorded run (" +
                        std::to_string(d.recorded_entries) +
                        " calls); if that is intended, match by input instead of position: "
                        "replay_options{}.set_policy(" +
                        b + ", forge::tape_policy::sequence)");
            s.push_back("Let the extra calls go live: forge::mode::proxy_pass for " + b);
            s.push_back("Re-record the tape");
            break;
        case divergence_code::unused_entries:
            s.push_back(
                "The task made fewer calls than the recorded run; if that is intended, "
                "replay without strict");
            s.push_back(
                "Otherwise find the call the task no longer makes (the entries above) "
                "and restore it");
            break;
    }
}

}  // namespace forge::detail
