// readme-snippet: README.md, "A task in a few lines"
#include <forge/task/task.hpp>
#include <forge/types/record_json.hpp>  // forge::to_json_text

#include <cstdio>
#include <string>
#include <vector>

struct holding {
    std::string ticker;
    int qty = 0;
};
FORGE_FIELDS(holding, ticker, qty);  // one line makes a type JSON-codable

struct input {
    std::string user;
};
FORGE_FIELDS(input, user);

int main() {
    auto fetch_holdings = forge::boundary("fetchHoldings", [](const std::string& user) {
        return std::vector<holding>{{"AAPL", 3}, {"MSFT", user == "ada" ? 2 : 0}};  // an API call
    });
    auto fetch_price = forge::boundary("fetchPrice", [](const std::string& ticker) {
        return ticker == "AAPL" ? 190.5 : 410.0;  // a price service
    });
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
                                  return total;
                              });

    auto [output, error, record] = get_portfolio.safe_run(input{"ada"});
    std::puts(forge::to_json_text(record).c_str());  // the ExecutionRecord, in the wire format
    return error ? 1 : 0;
}
// readme-snippet-end
