// expect: add FORGE_FIELDS(T, ...) in T's namespace, or specialise forge::codec<T>
// A task input type without FORGE_FIELDS.
#include <forge/task/task.hpp>

namespace shop {
struct order {
    int id = 0;
};
}  // namespace shop

int main() {
    forge::task t("t", [](const shop::order& o, forge::run&) { return o.id; });
    return t.safe_run(shop::order{}).ok() ? 0 : 1;
}
