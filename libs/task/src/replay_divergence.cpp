#include <forge/task/replay_divergence.hpp>
#include <forge/types/json_text.hpp>

#include <array>
#include <string>
#include <utility>

namespace forge {

namespace {

std::string call_headline(const divergence_details& d) {
    return "No tape value for this inputs (boundary: " + d.boundary +
           ", input: " + to_json_text(d.actual) + ")";
}

std::string describe(const divergence_details& d) {
    std::string text;
    if (d.code == divergence_code::unused_entries) {
        text = "Replay left " + std::to_string(d.unused.size()) + " recorded " +
               (d.unused.size() == 1 ? "entry" : "entries") + " unused\n[" +
               std::string(to_string(d.code)) + "] task \"" + d.task + "\", tape: " + d.tape +
               "\nUnused entries:";
        for (const auto& u : d.unused) text += "\n  " + u;
    } else {
        text = call_headline(d) + "\n[" + std::string(to_string(d.code)) + "] task \"" + d.task +
               "\", boundary \"" + d.boundary + "\", call #" + std::to_string(d.call_index) +
               ", mode " + std::string(to_string(d.mode)) + ", policy " +
               std::string(to_string(d.policy)) + ", tape: " + d.tape;
        switch (d.code) {
            case divergence_code::no_boundary:
                text += "\nThe tape holds no entries for boundary \"" + d.boundary + "\".";
                break;
            case divergence_code::already_used:
                text += "\nA matching entry exists but was already used by an earlier call.";
                break;
            case divergence_code::out_of_order:
                text += "\nA matching entry exists, but it was recorded for another call of \"" +
                        d.boundary + "\" (the calls come in a different order).";
                break;
            case divergence_code::beyond_recorded:
                text += "\nThe recorded run called \"" + d.boundary + "\" only " +
                        std::to_string(d.recorded_entries) + " time" +
                        (d.recorded_entries == 1 ? "" : "s") + ".";
                break;
            default:
                break;
        }
        if (!d.candidates.empty()) {
            text += "\nNearest recorded entries (of " + std::to_string(d.recorded_entries) + "):";
            for (const auto& c : d.candidates) {
                text += "\n  #" + std::to_string(c.index) + " " + to_json_text(c.input);
                if (c.used) text += " (already used)";
                for (const auto& diff : c.differences) text += "\n      " + diff;
            }
        }
    }
    if (!d.suggestions.empty()) {
        text += "\nWhat to do:";
        for (std::size_t i = 0; i < d.suggestions.size(); ++i) {
            text += "\n  " + std::to_string(i + 1) + ". " + d.suggestions[i];
        }
    }
    return text;
}

}  // namespace

std::string_view to_string(divergence_code c) noexcept {
    static constexpr std::array<std::string_view, 6> codes{
        "FORGE_TAPE_NO_MATCH",     "FORGE_TAPE_ALREADY_USED",    "FORGE_TAPE_NO_BOUNDARY",
        "FORGE_TAPE_OUT_OF_ORDER", "FORGE_TAPE_BEYOND_RECORDED", "FORGE_TAPE_UNUSED_ENTRIES"};
    return codes[static_cast<std::size_t>(c)];
}

replay_divergence::replay_divergence(divergence_details d)
    : std::runtime_error(describe(d)), details_(std::move(d)) {}

}  // namespace forge
