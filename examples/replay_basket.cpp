// Records runs of a task to a RecordTape, replays one, then replays it against changed code and
// prints the divergence (README "Replay"; docs/testing.md).
#include <forge/task/record_tape.hpp>
#include <forge/task/task.hpp>
#include <forge/types/record_json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace demo {

struct basket {
    std::vector<std::string> tickers;
    std::string currency;
};
FORGE_FIELDS(basket, tickers, currency);

std::atomic<int> live_calls{0};

double quote_price(const std::string& ticker) {
    ++live_calls;
    return 100.0 + static_cast<double>(ticker.size());
}

double quote_rate(const std::string& from, const std::string& to) {
    ++live_calls;
    return from == to ? 1.0 : 0.92;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace demo

int main(int argc, char** argv) {
    const std::filesystem::path path =
        argc > 1 ? std::filesystem::path(argv[1])
                 : std::filesystem::temp_directory_path() / "forge-replay-basket.log";
    std::filesystem::remove(path);

    auto fetch_price = forge::boundary("fetchPrice", demo::quote_price);
    auto fetch_rate = forge::boundary("fetchRate", demo::quote_rate);
    auto total_in = [&](bool lower_case) {
        return [&, lower_case](const demo::basket& in, forge::run& run) {
            double total = 0;
            for (const auto& t : in.tickers) {
                total += run(fetch_price, lower_case ? demo::lower(t) : t);
            }
            return total * run(fetch_rate, std::string("USD"), in.currency);
        };
    };
    forge::task price_basket("priceBasket", forge::boundaries(fetch_price, fetch_rate),
                             total_in(false));
    forge::task changed("priceBasket", forge::boundaries(fetch_price, fetch_rate), total_in(true));

    // readme-snippet: replay
    forge::record_tape tape(path);  // an NDJSON file of records
    {
        auto recording = price_basket.add_listener(tape.listener());
        price_basket.safe_run({{"AAPL", "MSFT"}, "EUR"});
        price_basket.safe_run({{"GOOG"}, "USD"});
    }
    tape.save();

    forge::record_tape reread(path);
    reread.load();
    const forge::execution_record first = reread.records().front();

    const int before = demo::live_calls;
    auto same = price_basket.safe_replay(first);  // every call answered from the record
    std::printf("replayed %s: %s, live calls %d\n", first.uuid->c_str(),
                forge::to_json_text(*same.output).c_str(), demo::live_calls - before);

    // The code changed (tickers now go out in lower case): the replay says where and why.
    auto diverged = changed.safe_replay(first);
    std::printf("%s\n", diverged.record.error->c_str());
    // readme-snippet-end
    return same.error || !diverged.error ? 1 : 0;
}
