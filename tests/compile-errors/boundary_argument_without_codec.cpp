// expect: add FORGE_FIELDS(T, ...) in T's namespace, or specialise forge::codec<T>
// A boundary called with an argument type that has no codec (arguments are recorded as JSON).
#include <forge/task/task.hpp>

namespace shop {
struct line {
    int qty = 0;
};
}  // namespace shop

int main() {
    auto b = forge::boundary("qty", [](const shop::line& l) { return l.qty; });
    forge::task t("t", forge::boundaries(b),
                  [&](const int& x, forge::run& run) { return run(b, shop::line{x}); });
    return t.safe_run(1).ok() ? 0 : 1;
}
