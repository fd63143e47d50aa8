// expect: forge::codec<T> cannot decode this type T: use an owning type
// A task input must decode from JSON (run_json, replay); std::string_view can only be encoded.
#include <forge/task/task.hpp>

#include <string_view>

int main() {
    forge::task t("t", [](const std::string_view& s, forge::run&) { return s.size(); });
    return t.safe_run("x").ok() ? 0 : 1;
}
