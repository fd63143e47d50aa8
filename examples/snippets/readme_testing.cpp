// The README's Testing section: a boundary mocked without a test framework (failures throw).
#include <forge/task/mock.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>

int main() {
    auto fetch_price = forge::boundary("fetchPrice", [](const std::string&) { return 0.0; });
    forge::task quote(
        "quote", forge::boundaries(fetch_price),
        [&](const std::string& ticker, forge::run& run) { return 2 * run(fetch_price, ticker); });
    // readme-snippet: testing
    using namespace forge::mock;  // any, eq, lt, pred, field, at, all_of, ...
    {
        auto price = forge::mock_boundary(quote, fetch_price);  // strict: unmatched calls fail
        price.expect(eq("AAPL")).times(2).returns(101.5);
        price.expect(any()).throws(std::runtime_error("price service down"));

        auto ok = quote.safe_run("AAPL");    // 203, recorded with provenance "mock"
        auto ok2 = quote.safe_run("AAPL");   // 203
        auto down = quote.safe_run("MSFT");  // fails: "price service down"
        std::printf("%g %g %s\n", *ok.output, *ok2.output, down.record.error->c_str());
    }  // here the real boundary is back; an unmet expectation would throw forge::mock_failure
    // readme-snippet-end
    return 0;
}
