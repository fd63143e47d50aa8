// expect: a generic lambda (an auto parameter) cannot be a task function
// With an auto parameter the task cannot know its input type.
#include <forge/task/task.hpp>

int main() {
    forge::task t("t", [](const auto& x, forge::run&) { return x; });
    return t.safe_run(1).ok() ? 0 : 1;
}
