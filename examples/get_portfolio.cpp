// The task from the README: sums a user's holdings at current prices and prints the record.
#include "portfolio.hpp"

#include <forge/types/record_json.hpp>

#include <cstdio>

int main() {
    demo::portfolio p;
    auto [out, error, record] = p.get_portfolio.safe_run(demo::input{"ada"});
    std::printf("%s\n", forge::to_json_text(record).c_str());
    if (error) return 1;
    std::printf("total: %g\n", out->total);

    auto invalid = p.get_portfolio.safe_run_json(forge::json::object({{"user", 42}}));
    std::printf("%s\n", forge::to_json_text(invalid.record).c_str());
    return 0;
}
