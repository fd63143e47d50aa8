// The README's getPortfolio task under test: its boundaries mocked as a user would, with Catch2.
#define CATCH_CONFIG_MAIN
#include "portfolio.hpp"

#include <forge/task/mock_catch2.hpp>

#include <stdexcept>
#include <string>
#include <vector>

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

    auto [out, error, record] = get_portfolio.safe_run({"ada"});
    REQUIRE(out);
    CHECK(out->total == 3 * 190.5 + 2 * 410.0);
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
