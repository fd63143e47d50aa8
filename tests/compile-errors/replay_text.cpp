// expect: forge::task::safe_replay takes an execution_record, not JSON text
// A record's JSON text is replayed without decoding it first.
#include <forge/task/task.hpp>

#include <string>

int main() {
    auto twice = forge::boundary("twice", [](int x) { return 2 * x; });
    forge::task t("t", forge::boundaries(twice),
                  [&](const int& x, forge::run& run) { return run(twice, x); });
    const std::string line = R"({"input":1,"boundaries":{"twice":[]}})";
    return t.safe_replay(line).ok() ? 0 : 1;
}
