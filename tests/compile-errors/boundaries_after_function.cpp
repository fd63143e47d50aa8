// expect: forge::task: the boundaries come before the function
// The boundary list is given after the task function (it goes between the name, or the input
// schema, and the function).
#include <forge/task/task.hpp>

int main() {
    auto twice = forge::boundary("twice", [](int x) { return 2 * x; });
    forge::task t(
        "t", [&](const int& x, forge::run& run) { return run(twice, x); },
        forge::boundaries(twice));
    return t.safe_run(1).ok() ? 0 : 1;
}
