// The getPortfolio task of examples/get_portfolio.cpp and examples/get_portfolio_test.cpp: its
// types, the boundaries it owns (demo implementations standing in for an API and a price
// service) and the task. In an application this is the task's own header.
#pragma once

#include <forge/task/task.hpp>

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

inline std::vector<holding> holdings_of(const std::string& user) {
    if (user == "ada") return {{"AAPL", 3}, {"MSFT", 2}};
    return {};
}

inline double price_of(const std::string& ticker) {
    return 100.0 + static_cast<double>(ticker.size());
}

// portfolio: the task and the boundaries it owns. Not copyable (the task refers to its members).
struct portfolio {
    forge::boundary<std::vector<holding> (*)(const std::string&)> fetch_holdings{"fetchHoldings",
                                                                                 &holdings_of};
    forge::boundary<double (*)(const std::string&)> fetch_price{"fetchPrice", &price_of};
    forge::task<input, output> get_portfolio{
        "getPortfolio",
        forge::schema::object().required("user", forge::schema::string().min_length(1)),
        // The task owns its boundaries: each appears in every record, [] when not called.
        forge::boundaries(fetch_holdings, fetch_price), [this](const input& in, forge::run& run) {
            double total = 0;
            for (const holding& h : run(fetch_holdings, in.user))
                total += h.qty * run(fetch_price, h.ticker);
            run.set_metrics({"business", "portfolio_value", total});
            run.set_metadata("user", in.user);
            return output{total};
        }};

    portfolio() = default;
    portfolio(const portfolio&) = delete;
    portfolio& operator=(const portfolio&) = delete;
};

}  // namespace demo
