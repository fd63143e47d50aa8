// expect: forge::task::declare is gone: pass the boundaries when constructing the task
// The boundaries are listed with the removed declare() instead of at construction.
#include <forge/task/task.hpp>

int main() {
    auto twice = forge::boundary("twice", [](int x) { return 2 * x; });
    forge::task t("t", [&](const int& x, forge::run& run) { return run(twice, x); });
    t.declare(twice);
    return t.safe_run(1).ok() ? 0 : 1;
}
