// The main job's program: runs the example tasks with the background shipper pointed at a hive
// server, then reads back from the server what it stored. Configuration comes from forge.json
// (argv[1]) and HIVE_HOST, HIVE_API_KEY, HIVE_API_SECRET.
#include <forge/hive/log_client.hpp>
#include <forge/hive/shipper.hpp>
#include <forge/task/task.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace demo {

struct holding {
    std::string ticker;
    int qty = 0;
};
FORGE_FIELDS(holding, ticker, qty);

struct portfolio_input {
    std::string user;
};
FORGE_FIELDS(portfolio_input, user);

struct conversion {
    double amount = 0;
    std::string from;
    std::string to;
};
FORGE_FIELDS(conversion, amount, from, to);

std::vector<holding> holdings_of(const std::string& user) {
    if (user == "ada") return {{"AAPL", 3}, {"MSFT", 2}};
    if (user == "grace") return {{"IBM", 10}, {"DELISTED", 1}};
    return {};
}

double price_of(const std::string& ticker) {
    if (ticker == "DELISTED") {
        throw forge::categorized_error(forge::error_category::network,
                                       "price feed unreachable: connection refused");
    }
    return 100.0 + static_cast<double>(ticker.size());
}

double fx_rate(const std::string& from, const std::string& to) {
    if (from == to) return 1.0;
    if (from == "USD" && to == "EUR") return 0.92;
    throw std::invalid_argument("no rate for " + from + "->" + to);
}

}  // namespace demo

int main(int argc, char** argv) {
    const std::string forge_json = argc > 1 ? argv[1] : "forge.json";
    auto config = forge::hive::client_config::from_env(
        forge::hive::client_config::from_forge_json(forge_json));
    forge::hive::shipper shipper(config);
    forge::hive::log_client client(config);
    if (!shipper.is_active()) {
        std::fprintf(stderr, "hive_demo: no credentials (HIVE_API_KEY, HIVE_API_SECRET)\n");
        return 2;
    }
    auto shipping = forge::listener_registry::global().add(shipper.listener());

    auto fetch_holdings = forge::boundary("fetchHoldings", demo::holdings_of);
    auto fetch_price = forge::boundary("fetchPrice", demo::price_of);
    auto input_schema =
        forge::schema::object().required("user", forge::schema::string().min_length(1));
    forge::task get_portfolio("getPortfolio", input_schema,
                              forge::boundaries(fetch_holdings, fetch_price),
                              [&](const demo::portfolio_input& in, forge::run& run) {
                                  double total = 0;
                                  for (const demo::holding& h : run(fetch_holdings, in.user)) {
                                      total += h.qty * run(fetch_price, h.ticker);
                                  }
                                  run.set_metrics({"business", "portfolio_value", total});
                                  run.set_metadata("user", in.user);
                                  return total;
                              });

    auto rate = forge::boundary("fxRate", demo::fx_rate);
    forge::task convert_currency("convertCurrency", forge::boundaries(rate),
                                 [&](const demo::conversion& c, forge::run& run) {
                                     return c.amount * run(rate, c.from, c.to);
                                 });

    std::vector<std::pair<std::string, std::string>> shipped;  // task name, uuid
    auto remember = [&](const forge::execution_record& r) {
        shipped.emplace_back(r.task_name.value_or(""), r.uuid.value_or(""));
    };
    for (const char* user : {"ada", "grace", "nobody"}) {
        remember(get_portfolio.safe_run(demo::portfolio_input{user}).record);
    }
    remember(get_portfolio.safe_run_json(forge::json::object({{"user", ""}})).record);
    remember(convert_currency.safe_run(demo::conversion{100, "USD", "EUR"}).record);
    remember(convert_currency.safe_run(demo::conversion{5, "GBP", "JPY"}).record);

    auto report = shipper.flush(std::chrono::steady_clock::now() + std::chrono::seconds(10));
    std::printf("shipped: sent=%llu failed=%llu dropped=%llu pending=%llu\n",
                static_cast<unsigned long long>(report.sent),
                static_cast<unsigned long long>(report.failed),
                static_cast<unsigned long long>(report.dropped),
                static_cast<unsigned long long>(report.pending));

    std::printf("\nstored by the server (%s):\n", config.host.c_str());
    std::printf("%-16s %-36s %-8s %s\n", "task", "uuid", "type", "duration");
    int missing = 0;
    for (const auto& [task_name, uuid] : shipped) {
        auto got = client.get_log(task_name, uuid);
        if (got.status != forge::hive::get_log_status::found) {
            std::printf("%-16s %-36s MISSING (%s)\n", task_name.c_str(), uuid.c_str(),
                        got.error.c_str());
            ++missing;
            continue;
        }
        const forge::json* item = got.log.find("logItem");
        const forge::json* type = item ? item->find("type") : nullptr;
        const forge::json* timing = item ? item->find("timing") : nullptr;
        const forge::json* duration_ns = timing ? timing->find("durationNs") : nullptr;
        std::string duration = "-";
        if (duration_ns && duration_ns->is_number()) {
            char text[32];
            std::snprintf(text, sizeof text, "%.1f us", duration_ns->as_double() / 1e3);
            duration = text;
        }
        std::printf("%-16s %-36s %-8s %s\n", task_name.c_str(), uuid.c_str(),
                    type && type->is_string() ? type->as_string().c_str() : "?", duration.c_str());
    }
    shipping.reset();
    shipper.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));
    return missing == 0 && report.failed == 0 ? 0 : 1;
}
