// The task from the README: sums a user's holdings at current prices and prints the record.
#include <forge/task/task.hpp>
#include <forge/types/record_json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace demo {

struct holding {
    std::string ticker;
    int qty = 0;
};
FORGE_FIELDS(holding, ticker, qty);

struct input {
    std::string user;
};
FORGE_FIELDS(input, user);

struct output {
    double total = 0;
};
FORGE_FIELDS(output, total);

std::vector<holding> holdings_of(const std::string& user) {
    if (user == "ada") return {{"AAPL", 3}, {"MSFT", 2}};
    return {};
}

double price_of(const std::string& ticker) { return 100.0 + static_cast<double>(ticker.size()); }

}  // namespace demo

int main() {
    using demo::holding;
    using demo::input;
    using demo::output;

    auto fetch_holdings = forge::boundary(
        "fetchHoldings", [](const std::string& user) { return demo::holdings_of(user); });
    auto fetch_price = forge::boundary(
        "fetchPrice", [](const std::string& ticker) { return demo::price_of(ticker); });
    auto input_schema =
        forge::schema::object().required("user", forge::schema::string().min_length(1));

    // The task owns its boundaries: each appears in every record, [] when not called.
    forge::task get_portfolio("getPortfolio", input_schema,
                              forge::boundaries(fetch_holdings, fetch_price),
                              [&](const input& in, forge::run& run) {
                                  double total = 0;
                                  for (const holding& h : run(fetch_holdings, in.user))
                                      total += h.qty * run(fetch_price, h.ticker);
                                  run.set_metrics({"business", "portfolio_value", total});
                                  run.set_metadata("user", in.user);
                                  return output{total};
                              });

    auto [out, error, record] = get_portfolio.safe_run(input{"ada"});
    std::printf("%s\n", forge::to_json_text(record).c_str());
    if (error) return 1;
    std::printf("total: %g\n", out->total);

    auto invalid = get_portfolio.safe_run_json(forge::json::object({{"user", 42}}));
    std::printf("%s\n", forge::to_json_text(invalid.record).c_str());
    return 0;
}
