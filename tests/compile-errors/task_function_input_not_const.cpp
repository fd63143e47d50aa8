// expect: a task function takes (const In&, forge::run&) or (forge::run&)
// The input is taken by non-const reference: the task cannot hand its input over that way.
#include <forge/task/task.hpp>

int main() {
    forge::task t("t", [](int& x, forge::run&) { return x * 2; });
    return t.safe_run(1).ok() ? 0 : 1;
}
