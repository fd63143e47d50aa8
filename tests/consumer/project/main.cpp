// A program outside the source tree that uses the installed SDK through find_package(forge).
#include <forge/task/task.hpp>
#include <forge/types/record_json.hpp>

#include <cstdio>
#include <string>

int main() {
    auto greet = forge::boundary("greet", [](const std::string& who) { return "hello " + who; });
    forge::task hello("consumer:hello", forge::boundaries(greet),
                      [&](const std::string& who, forge::run& run) { return run(greet, who); });
    auto result = hello.safe_run(std::string("world"));
    std::printf("%s\n", forge::to_json_text(result.record).c_str());
    return result.error ? 1 : 0;
}
