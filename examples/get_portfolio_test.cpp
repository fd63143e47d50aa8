// The README's getPortfolio task under test: its boundaries mocked as a user would, with Catch2.
#define CATCH_CONFIG_MAIN
#include <forge/task/mock_catch2.hpp>
#include <forge/task/task.hpp>

#include <stdexcept>
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

// portfolio: the task and the boundaries it owns (in an application, a header of its own).
struct portfolio {
    forge::boundary<std::vector<holding> (*)(const std::string&)> fetch_holdings{
        "fetchHoldings", [](const std::string&) -> std::vector<holding> {
            throw std::runtime_error("no network in tests");
        }};
    forge::boundary<double (*)(const std::string&)> fetch_price{
        "fetchPrice",
        [](const std::string&) -> double { throw std::runtime_error("no network in tests"); }};
    forge::task<input, double> get_portfolio{
        "getPortfolio", forge::boundaries(fetch_holdings, fetch_price),
        [this](const input& in, forge::run& run) {
            double total = 0;
            for (const holding& h : run(fetch_holdings, in.user))
                total += h.qty * run(fetch_price, h.ticker);
            return total;
        }};
};

}  // namespace demo

using demo::holding;

TEST_CASE("getPortfolio sums holdings at mocked prices") {
    demo::portfolio p;
    auto& fetch_holdings = p.fetch_holdings;
    auto& fetch_price = p.fetch_price;
    auto& get_portfolio = p.get_portfolio;
    // readme-snippet: testing-catch2
    using forge::mock::eq;
    forge::catch2_mock_reporter report_to_catch2;  // mock failures become FAIL_CHECKs

    auto holdings = forge::mock_boundary(get_portfolio, fetch_holdings);
    auto prices = forge::mock_boundary(get_portfolio, fetch_price);
    holdings.expect(eq("ada")).returns(std::vector<holding>{{"AAPL", 3}, {"MSFT", 2}});
    prices.expect(eq("AAPL")).returns(190.5);
    prices.expect(eq("MSFT")).returns(410.0);

    auto [total, error, record] = get_portfolio.safe_run({"ada"});
    REQUIRE(total);
    CHECK(*total == 3 * 190.5 + 2 * 410.0);
    CHECK(forge::mock::called_times(record, "fetchPrice") == 2);
    CHECK(record.boundaries[1].second[0].provenance == forge::provenance::mock);
    // readme-snippet-end
}

TEST_CASE("getPortfolio fails when the price service is down") {
    demo::portfolio p;
    forge::catch2_mock_reporter report_to_catch2;
    auto holdings = forge::mock_boundary(p.get_portfolio, p.fetch_holdings);
    auto prices = forge::mock_boundary(p.get_portfolio, p.fetch_price);
    holdings.expect().returns(std::vector<holding>{{"AAPL", 1}});
    prices.expect(forge::mock::any()).throws(std::runtime_error("price service down"));

    auto r = p.get_portfolio.safe_run({"ada"});
    CHECK_FALSE(r.ok());
    CHECK(r.record.error == "price service down");
}
