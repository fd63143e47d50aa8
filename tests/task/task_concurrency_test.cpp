#include <forge/task/task.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

struct order {
    std::string id;
    int qty = 0;
};
FORGE_FIELDS(order, id, qty);

}  // namespace

TEST_CASE("one task runs on 8 threads at once and every record is exact", "[task][concurrency]") {
    constexpr int thread_count = 8;
    constexpr int runs_per_thread = 2000;
    auto price = forge::boundary(
        "price", [](const std::string& id) { return static_cast<double>(id.size()); });
    auto stock = forge::boundary("stock", [](int qty) { return qty * 2; });
    forge::task t("order", forge::boundaries(price, stock), [&](const order& o, forge::run& run) {
        run.set_metadata("id", o.id);
        double p = run(price, o.id);
        int s = run(stock, o.qty);
        if (o.qty % 7 == 0) {
            run.set_metrics({"business", "sevens", static_cast<double>(o.qty)});
        }
        return p * s;
    });
    std::atomic<int> listener_calls{0};
    auto h = t.add_listener([&](const forge::execution_record&) {
        listener_calls.fetch_add(1, std::memory_order_relaxed);
    });
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < thread_count; ++k) {
        threads.emplace_back([&, k] {
            for (int i = 0; i < runs_per_thread; ++i) {
                order o{"t" + std::to_string(k) + "-" + std::to_string(i), i};
                auto r = t.safe_run(o);
                const auto& rec = r.record;
                double expected = static_cast<double>(o.id.size()) * (i * 2);
                bool ok = r.ok() && r.output && *r.output == expected &&
                          rec.metadata == forge::json_object{{"id", o.id}} &&
                          rec.metrics.size() == (i % 7 == 0 ? 1u : 0u) &&
                          rec.boundaries.size() == 2 && rec.boundaries[0].second.size() == 1 &&
                          rec.boundaries[1].second.size() == 1 &&
                          rec.boundaries[0].second[0].input == forge::json::array({o.id}) &&
                          rec.boundaries[0].second[0].seq == 0u &&
                          rec.boundaries[1].second[0].input == forge::json::array({i}) &&
                          rec.boundaries[1].second[0].output == forge::json(i * 2) &&
                          rec.boundaries[1].second[0].seq == 1u &&
                          rec.input == forge::json::object({{"id", o.id}, {"qty", i}});
                if (!ok) bad.fetch_add(1, std::memory_order_relaxed);
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(bad.load() == 0);
    CHECK(listener_calls.load() == thread_count * runs_per_thread);
}
