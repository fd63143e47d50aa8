// expect: forge::task::set_mode takes a forge::mode, not text
// The mode is given as its name instead of a forge::mode value.
#include <forge/task/task.hpp>

int main() {
    auto twice = forge::boundary("twice", [](int x) { return 2 * x; });
    forge::task t("t", forge::boundaries(twice),
                  [&](const int& x, forge::run& run) { return run(twice, x); });
    t.set_mode("replay");
    return t.safe_run(1).ok() ? 0 : 1;
}
