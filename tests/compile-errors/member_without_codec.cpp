// expect: add FORGE_FIELDS(T, ...) in T's namespace, or specialise forge::codec<T>
// The input type has FORGE_FIELDS, but the element type of one of its members does not.
#include <forge/task/task.hpp>

#include <vector>

namespace shop {
struct line {
    int qty = 0;
};
struct order {
    std::vector<line> lines;
};
FORGE_FIELDS(order, lines);
}  // namespace shop

int main() {
    forge::task t("t", [](const shop::order& o, forge::run&) { return o.lines.size(); });
    return t.safe_run(shop::order{}).ok() ? 0 : 1;
}
