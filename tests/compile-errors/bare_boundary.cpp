// expect: forge::task: wrap the task's boundaries in forge::boundaries(...)
// A boundary passed where the task's boundary list goes, without forge::boundaries(...).
#include <forge/task/task.hpp>

int main() {
    auto twice = forge::boundary("twice", [](int x) { return 2 * x; });
    forge::task t("t", twice, [&](const int& x, forge::run& run) { return run(twice, x); });
    return t.safe_run(1).ok() ? 0 : 1;
}
