// A program outside the source tree that uses the installed SDK through find_package(forge).
#include <forge/task/record_tape.hpp>
#include <forge/task/task.hpp>
#include <forge/types/record_json.hpp>

#include <cstdio>
#include <string>

int main() {
    int live_calls = 0;
    auto greet = forge::boundary("greet", [&](const std::string& who) {
        ++live_calls;
        return "hello " + who;
    });
    forge::task hello("consumer:hello", forge::boundaries(greet),
                      [&](const std::string& who, forge::run& run) { return run(greet, who); });
    auto result = hello.safe_run(std::string("world"));
    std::printf("%s\n", forge::to_json_text(result.record).c_str());

    // Replayed from its own record: no live call, the entry says "tape".
    auto replayed = hello.safe_replay(result.record);
    std::printf("%s\n", forge::to_json_text(replayed.record).c_str());
    const auto& entry = replayed.record.boundaries.front().second.front();
    const bool replay_ok = !replayed.error && live_calls == 1 &&
                           entry.provenance == forge::provenance::tape &&
                           replayed.record.replay_from == result.record.uuid;
    return result.error || !replay_ok ? 1 : 0;
}
