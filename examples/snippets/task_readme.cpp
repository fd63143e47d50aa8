// readme-snippet: libs/task/README.md
#include <forge/task/task.hpp>
#include <forge/types/json_text.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace billing {

struct line {
    std::string sku;
    int qty = 0;
    double unit_price = 0;
};
FORGE_FIELDS_AS(line, (sku, "sku"), (qty, "qty"), (unit_price, "unitPrice"));  // wire keys

struct invoice {
    std::string customer_id;
    std::vector<line> lines;
};
FORGE_FIELDS_AS(invoice, (customer_id, "customerId"), (lines, "lines"));

}  // namespace billing

int main() {
    auto convert = forge::boundary("convertCurrency", [](double amount, const std::string& to) {
        return to == "EUR" ? amount * 0.92 : amount;
    });
    forge::task total("invoice:total", forge::boundaries(convert),
                      [&](const billing::invoice& in, forge::run& run) {
                          double sum = 0;
                          for (const billing::line& l : in.lines) sum += l.qty * l.unit_price;
                          run.set_metadata("customerId", in.customer_id);
                          return run(convert, sum, "EUR");
                      });

    // JSON in, JSON out (what runners and replay use): the input is decoded by its wire keys.
    forge::json out = total.run_json(forge::parse_json(
        R"({"customerId":"c-1042","lines":[{"sku":"A-7","qty":2,"unitPrice":19.5}]})"));
    std::puts(forge::to_json_text(out).c_str());
}
// readme-snippet-end
