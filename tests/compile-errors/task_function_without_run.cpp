// expect: a task function takes (const In&, forge::run&) or (forge::run&)
// The task function forgets the run context.
#include <forge/task/task.hpp>

int main() {
    forge::task t("t", [](const int& x) { return x * 2; });
    return t.safe_run(1).ok() ? 0 : 1;
}
