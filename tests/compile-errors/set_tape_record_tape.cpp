// expect: forge::task::set_tape takes a forge::tape: compile the record tape first
// A RecordTape is handed to set_tape instead of the tape it compiles to.
#include <forge/task/record_tape.hpp>
#include <forge/task/task.hpp>

int main() {
    auto twice = forge::boundary("twice", [](int x) { return 2 * x; });
    forge::task t("t", forge::boundaries(twice),
                  [&](const int& x, forge::run& run) { return run(twice, x); });
    forge::record_tape runs("runs.log");
    t.set_tape(runs);
    return t.safe_run(1).ok() ? 0 : 1;
}
