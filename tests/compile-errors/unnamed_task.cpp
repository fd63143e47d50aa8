// expect: forge::task needs a name first
// The name is the first argument ("" for a deliberately unnamed task); here it is missing.
#include <forge/task/task.hpp>

int main() {
    forge::task t([](const int& x, forge::run&) { return x * 2; });
    return t.safe_run(1).ok() ? 0 : 1;
}
