// Everything the other programs get wrong, done right: this must compile without warnings.
#include <forge/task/task.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shop {

struct line {
    std::string sku;
    double unit_price = 0;
};
FORGE_FIELDS_AS(line, (sku, "sku"), (unit_price, "unitPrice"));

struct order {
    std::string customer_id;
    std::vector<line> lines;
};
FORGE_FIELDS_AS(order, (customer_id, "customerId"), (lines, "lines"));

}  // namespace shop

int main() {
    auto price = forge::boundary("price", [](const shop::line& l) { return l.unit_price; });
    forge::task total("total", forge::boundaries(price),
                      [&](const shop::order& in, forge::run& run) {
                          double sum = 0;
                          for (const shop::line& l : in.lines) sum += run(price, l);
                          return sum;
                      });
    forge::task nothing("nothing", [](forge::run&) { return nullptr; });
    forge::task unnamed("", [](const std::string& s, forge::run&) { return s.size(); });
    const bool ok = total.safe_run(shop::order{"c-1", {{"A-7", 19.5}}}).ok() &&
                    nothing.safe_run().ok() && unnamed.safe_run("x").ok();
    return ok ? 0 : 1;
}
