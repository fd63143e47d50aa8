// expect: add FORGE_FIELDS(T, ...) in T's namespace, or specialise forge::codec<T>
// FORGE_FIELDS written in the global namespace for a type of namespace shop: argument-dependent
// lookup cannot find it.
#include <forge/task/task.hpp>

namespace shop {
struct order {
    int id = 0;
};
}  // namespace shop
FORGE_FIELDS(shop::order, id);

int main() {
    forge::task t("t", [](const shop::order& o, forge::run&) { return o.id; });
    return t.safe_run(shop::order{}).ok() ? 0 : 1;
}
