// Replay (docs/record-format.md §11), divergence messages, parallel fan-out, FORGE_MODE.
#include "temp_dir.hpp"

#include <forge/task/task.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>
#include <forge/types/tape_file.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <latch>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using forge::json;
using forge::mode;
using forge::provenance;

struct invoice_in {
    std::string customerId;
    std::string currency;
};
struct line {
    std::string sku;
    int qty = 0;
    double unitPrice = 0;
};
struct invoice_out {
    std::string customerId;
    std::string currency;
    double total = 0;
};
FORGE_FIELDS(invoice_in, customerId, currency);
FORGE_FIELDS(line, sku, qty, unitPrice);
FORGE_FIELDS(invoice_out, customerId, currency, total);

// invoice: the task of the spec's worked examples (docs/record-format.md §13).
struct invoice {
    std::atomic<int> live{0};
    forge::boundary<std::function<std::vector<line>(const std::string&)>> load_lines{
        "loadInvoiceLines", [this](const std::string&) -> std::vector<line> {
            live.fetch_add(1);
            return {{"Z-1", 1, 1.0}};
        }};
    forge::boundary<std::function<double(double, const std::string&, const std::string&)>> convert{
        "convertCurrency", [this](double amount, const std::string&, const std::string&) {
            live.fetch_add(1);
            return amount;
        }};
    forge::task<invoice_in, invoice_out> t{
        "invoice:total", forge::boundaries(load_lines, convert),
        [this](const invoice_in& in, forge::run& run) {
            double sum = 0;
            const auto lines = run(load_lines, in.customerId);
            for (const auto& l : lines) sum += l.qty * l.unitPrice;
            run.set_metrics(
                forge::make_metric("business", "line_items", static_cast<double>(lines.size())));
            run.set_metadata("replayed", "yes");
            return invoice_out{in.customerId, in.currency,
                               run(convert, sum, std::string("USD"), in.currency)};
        }};
};

// The TS-compat line of the spec's success example.
constexpr const char* spec_success =
    R"({"input":{"customerId":"c-1042","currency":"EUR"},"boundaries":{"loadInvoiceLines":[{"input":["c-1042"],"output":[{"sku":"A-7","qty":2,"unitPrice":19.5},{"sku":"B-3","qty":1,"unitPrice":42}],"timing":{"startTime":1717000000010,"endTime":1717000000050,"duration":40}}],"convertCurrency":[{"input":[81,"USD","EUR"],"output":74.52,"timing":{"startTime":1717000000051,"endTime":1717000000071,"duration":20}}]},"taskName":"invoice:total","metadata":{"customerId":"c-1042","currency":"EUR"},"metrics":[{"type":"business","name":"line_items","value":2},{"type":"performance","name":"fx_lookups","value":1}],"type":"success","output":{"customerId":"c-1042","currency":"EUR","total":74.52},"timing":{"startTime":1717000000010,"endTime":1717000000072,"duration":62},"uuid":"018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17"})";

// opaque: a result type forge can record but not decode.
struct opaque {
    int v = 0;
};

// env_var: sets an environment variable for a scope (tests run on one thread).
class env_var {
public:
    env_var(const char* name, const std::string& value) : name_(name) {
        ::setenv(name, value.c_str(), 1);
    }
    ~env_var() { ::unsetenv(name_); }
    env_var(const env_var&) = delete;
    env_var& operator=(const env_var&) = delete;

private:
    const char* name_;
};

}  // namespace

template <>
struct forge::codec<opaque> {
    static json to_json(const opaque& o) { return json(o.v); }
};

TEST_CASE("replaying a TypeScript record gives a replay record of this run", "[task][replay]") {
    invoice inv;
    const forge::execution_record source = forge::decode_record(spec_success);
    const std::string source_text = forge::to_json_text(source, {false, true});
    auto r = inv.t.safe_replay(source);
    REQUIRE_FALSE(r.error);
    CHECK(inv.live == 0);
    CHECK(*r.output ==
          forge::parse_json(R"({"customerId":"c-1042","currency":"EUR","total":74.52})"));
    const auto& rec = r.record;
    CHECK(rec.replay_from == "018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17");
    CHECK(rec.uuid != source.uuid);
    CHECK(rec.task_name == "invoice:total");
    // Metadata starts from the source's; replay writes overwrite or append.
    CHECK(forge::to_json_text(json(rec.metadata)) ==
          R"({"customerId":"c-1042","currency":"EUR","replayed":"yes"})");
    // Only the metrics emitted during the replay.
    REQUIRE(rec.metrics.size() == 1);
    CHECK(rec.metrics[0].name == "line_items");
    CHECK(rec.metrics[0].value == 2);
    REQUIRE(rec.timing.has_value());
    for (const auto& [name, calls] : rec.boundaries) {
        REQUIRE(calls.size() == 1);
        CHECK(calls[0].provenance == provenance::tape);
    }
    const std::string text = forge::to_json_text(rec);
    CHECK(text.find(R"("timing":)") < text.find(R"("type":"success")"));
    CHECK(text.find(R"("replayFrom":"018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17")") != std::string::npos);
    // The source is not changed.
    CHECK(forge::to_json_text(source, {false, true}) == source_text);
}

TEST_CASE("replay rethrows recorded boundary errors and repeats entries in order",
          "[task][replay]") {
    invoice inv;
    auto source = forge::decode_record(
        R"({"input":{"customerId":"c-9","currency":"EUR"},"boundaries":{"loadInvoiceLines":[{"input":["c-9"],"output":[{"sku":"Q","qty":1,"unitPrice":10}]}],"convertCurrency":{"input":[10,"USD","EUR"],"error":"FX service unreachable: connection refused"}},"taskName":"invoice:total","type":"error","error":"FX service unreachable: connection refused"})");
    auto r = inv.t.safe_replay(source);
    REQUIRE(r.error);
    CHECK(inv.live == 0);
    CHECK(r.record.error == "FX service unreachable: connection refused");
    CHECK(r.record.error_category == forge::error_category::network);
    const auto& fx = r.record.find_boundary("convertCurrency")->at(0);
    CHECK(fx.provenance == provenance::tape);
    CHECK(fx.error_category == forge::error_category::network);
    CHECK_FALSE(r.record.replay_from.has_value());
}

TEST_CASE("a TypeScript record with repeated and error entries replays in recorded order",
          "[task][replay]") {
    int live = 0;
    auto price = forge::boundary("price", [&](const std::string&) {
        ++live;
        return 0.0;
    });
    forge::task sum("sumPrices", forge::boundaries(price),
                    [&](const std::vector<std::string>& tickers, forge::run& run) {
                        double total = 0;
                        for (const auto& t : tickers) {
                            try {
                                total += run(price, t);
                            } catch (const std::exception& e) {
                                run.set_metadata("failed", t + ": " + e.what());
                            }
                        }
                        return total;
                    });
    auto source = forge::decode_record(
        R"({"input":["A","B","A"],"boundaries":{"price":[{"input":["A"],"output":1},{"input":["B"],"error":"boom"},{"input":["A"],"output":3}]},"taskName":"sumPrices","metadata":{},"metrics":[],"type":"success","output":4})");
    auto r = sum.safe_replay(source, forge::replay_options{}.set_strict());
    REQUIRE_FALSE(r.error);
    CHECK(*r.output == json(4));
    CHECK(live == 0);
    CHECK(forge::to_json_text(json(r.record.metadata)) == R"({"failed":"B: boom"})");
    const auto& calls = *r.record.find_boundary("price");
    REQUIRE(calls.size() == 3);
    CHECK(calls[1].error == "boom");
    CHECK(calls[1].provenance == provenance::tape);
}

TEST_CASE("a replay whose code changed reports the divergence in full", "[task][replay]") {
    invoice inv;
    auto recorded = inv.t.safe_run(invoice_in{"c-7", "EUR"});
    REQUIRE_FALSE(recorded.error);
    forge::task<invoice_in, invoice_out> changed{
        "invoice:total", forge::boundaries(inv.load_lines, inv.convert),
        [&](const invoice_in& in, forge::run& run) {
            run(inv.load_lines, in.customerId);
            return invoice_out{in.customerId, in.currency,
                               run(inv.convert, 1.5, std::string("GBP"), in.currency)};
        }};
    auto r = changed.safe_replay(recorded.record);
    REQUIRE(r.error);
    const std::string expected =
        R"(No tape value for this inputs (boundary: convertCurrency, input: [1.5,"GBP","EUR"]))"
        "\n[FORGE_TAPE_NO_MATCH] task \"invoice:total\", boundary \"convertCurrency\", call #0, "
        "mode replay, policy journal, tape: source record " +
        *recorded.record.uuid +
        "\nNearest recorded entries (of 1):"
        "\n  #0 [1,\"USD\",\"EUR\"]"
        "\n      0: recorded 1, actual 1.5"
        "\n      1: recorded \"USD\", actual \"GBP\""
        "\nWhat to do:"
        "\n  1. If a field differs from run to run (a timestamp, a request id), ignore it: "
        "task.ignore_paths(<the \"convertCurrency\" boundary>, {\"0\"})"
        "\n  2. If the input changed on purpose, re-record the tape (mode proxy or record-once)"
        "\n  3. To let calls the tape cannot answer go live, use forge::mode::proxy_pass for "
        "\"convertCurrency\"";
    CHECK(r.record.error == expected);
    CHECK(r.record.find_boundary("convertCurrency")->at(0).error == expected);

    SECTION("a boundary the tape lacks altogether") {
        auto source = recorded.record;
        source.boundaries[1].second.clear();
        auto miss = inv.t.safe_replay(source);
        REQUIRE(miss.error);
        CHECK(miss.record.error->find("[FORGE_TAPE_NO_BOUNDARY]") != std::string::npos);
        CHECK(miss.record.error->find("The tape holds no entries for boundary "
                                      "\"convertCurrency\".") != std::string::npos);
        CHECK(miss.record.error->find("1. If \"convertCurrency\" is new since the recording") !=
              std::string::npos);
    }
    SECTION("a per-boundary override lets it run live") {
        auto live = changed.safe_replay(recorded.record,
                                        forge::replay_options{}.set_mode(inv.convert, mode::proxy));
        REQUIRE_FALSE(live.error);
        CHECK(live.record.find_boundary("convertCurrency")->at(0).provenance == provenance::live);
        CHECK(live.record.find_boundary("loadInvoiceLines")->at(0).provenance == provenance::tape);
    }
}

TEST_CASE("a strict replay fails when recorded entries were left unused", "[task][replay]") {
    invoice inv;
    auto recorded = inv.t.safe_run(invoice_in{"c-7", "EUR"});
    forge::task<invoice_in, invoice_out> fewer{
        "invoice:total", forge::boundaries(inv.load_lines, inv.convert),
        [&](const invoice_in& in, forge::run& run) {
            run(inv.load_lines, in.customerId);
            return invoice_out{in.customerId, in.currency, 0};
        }};
    CHECK_FALSE(fewer.safe_replay(recorded.record).error);
    auto r = fewer.safe_replay(recorded.record, forge::replay_options{}.set_strict());
    REQUIRE(r.error);
    CHECK(r.record.type == forge::record_type::error);
    CHECK_FALSE(r.record.output.has_value());
    CHECK(r.record.error->rfind("Replay left 1 recorded entry unused\n"
                                "[FORGE_TAPE_UNUSED_ENTRIES] task \"invoice:total\"",
                                0) == 0);
    CHECK(r.record.error->find("convertCurrency #0 [1,\"USD\",\"EUR\"]") != std::string::npos);
    try {
        std::rethrow_exception(r.error);
    } catch (const forge::replay_divergence& d) {
        CHECK(d.code() == forge::divergence_code::unused_entries);
    }
}

TEST_CASE("replay failures come back as results, not exceptions", "[task][replay]") {
    invoice inv;
    SECTION("a source without a boundaries object") {
        auto source = forge::decode_record(
            R"({"input":{"customerId":"c","currency":"EUR"},"taskName":"invoice:total","type":"success","output":null})");
        auto r = inv.t.safe_replay(source);
        REQUIRE(r.error);
        CHECK(r.record.error->find("no \"boundaries\" object") != std::string::npos);
        CHECK(inv.live == 0);
    }
    SECTION("a validation failure gives a plain validation-error record") {
        auto source = forge::decode_record(
            R"({"input":{"customerId":"c","currency":7},"boundaries":{},"uuid":"018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17","type":"success","output":null})");
        auto r = inv.t.safe_replay(source);
        REQUIRE(r.error);
        CHECK(r.record.error_category == forge::error_category::validation);
        CHECK_FALSE(r.record.timing.has_value());
        CHECK_FALSE(r.record.output.has_value());
        CHECK(r.record.replay_from == "018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17");
        for (const auto& [name, calls] : r.record.boundaries) CHECK(calls.empty());
    }
}

TEST_CASE("a parallel fan-out replays deterministically whatever order its calls start in",
          "[task][replay][concurrency]") {
    constexpr int fan = 8;
    auto square = forge::boundary("square", [](int x) { return x * x; });
    std::unique_ptr<std::latch> all_started;
    // The recording: every live call waits until all eight have started, so their windows
    // overlap in the record.
    auto recorded_square = forge::boundary("square", [&](int x) {
        all_started->count_down();
        all_started->wait();
        return x * x;
    });
    auto fan_out = [](auto& b) {
        return [&b](const std::vector<int>& order, forge::run& run) {
            std::vector<int> out(order.size());
            std::vector<std::exception_ptr> errors(order.size());
            std::vector<std::thread> threads;
            for (std::size_t i = 0; i < order.size(); ++i) {
                threads.emplace_back([&, i] {
                    try {
                        out[i] = run(b, order[i]);
                    } catch (...) {
                        errors[i] = std::current_exception();
                    }
                });
            }
            for (auto& t : threads) t.join();
            for (const auto& e : errors) {
                if (e) std::rethrow_exception(e);
            }
            return out;
        };
    };
    forge::task<std::vector<int>, std::vector<int>> recorder{
        "fanout", forge::boundaries(recorded_square), fan_out(recorded_square)};
    std::vector<int> inputs(fan);
    for (int i = 0; i < fan; ++i) inputs[static_cast<std::size_t>(i)] = i + 1;
    all_started = std::make_unique<std::latch>(fan);
    auto recorded = recorder.safe_run(inputs);
    REQUIRE_FALSE(recorded.error);

    forge::task<std::vector<int>, std::vector<int>> replayer{"fanout", forge::boundaries(square),
                                                             fan_out(square)};
    std::mt19937 rng(20261202);
    for (int round = 0; round < 20; ++round) {
        auto source = recorded.record;
        std::vector<int> order = inputs;
        std::shuffle(order.begin(), order.end(), rng);
        source.input = forge::to_json(order);
        auto r = replayer.safe_replay(source, forge::replay_options{}.set_strict());
        REQUIRE_FALSE(r.error);
        const json expected = forge::to_json([&] {
            std::vector<int> sq;
            for (int x : order) sq.push_back(x * x);
            return sq;
        }());
        CHECK(*r.output == expected);
        for (const auto& e : *r.record.find_boundary("square")) {
            CHECK(e.provenance == provenance::tape);
        }
    }

    SECTION("calls that did not overlap still replay by position") {
        auto sequential = recorded.record;
        auto& calls = sequential.boundaries[0].second;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            const int x = static_cast<int>(i) + 1;
            calls[i].input = forge::to_json(std::vector<int>{x});
            calls[i].output = json(x * x);
            calls[i].timing->offset_ns = static_cast<std::int64_t>(i) * 1000;
            calls[i].timing->duration_ns = 10;
        }
        std::vector<int> order = inputs;
        std::reverse(order.begin(), order.end());
        sequential.input = forge::to_json(std::vector<int>{order[0]});
        auto r = replayer.safe_replay(sequential);
        REQUIRE(r.error);
        CHECK(r.record.error->find("[FORGE_TAPE_OUT_OF_ORDER]") != std::string::npos);
    }
}

TEST_CASE("FORGE_MODE locks tasks into a mode, reading $FORGE_TAPE_DIR/<task>.log",
          "[task][replay][env]") {
    forge::test::temp_dir dir;
    invoice inv;
    auto recorded = inv.t.safe_run(invoice_in{"c-7", "EUR"});
    const std::vector<forge::execution_record> records{recorded.record};
    forge::append_to_tape(dir.path() / "invoice:total.log", records);
    inv.live = 0;

    env_var mode_var("FORGE_MODE", "replay");
    env_var dir_var("FORGE_TAPE_DIR", dir.path().string());
    SECTION("the task replays from its tape file") {
        invoice locked;
        auto r = locked.t.safe_run(invoice_in{"c-7", "EUR"});
        REQUIRE_FALSE(r.error);
        CHECK(locked.live == 0);
        CHECK(r.record.find_boundary("convertCurrency")->at(0).provenance == provenance::tape);
        auto miss = locked.t.safe_run(invoice_in{"c-8", "EUR"});
        REQUIRE(miss.error);
        CHECK(miss.record.error->find("tape: " + (dir.path() / "invoice:total.log").string()) !=
              std::string::npos);
    }
    SECTION("a task can opt out") {
        invoice free;
        free.t.follow_environment(false);
        REQUIRE_FALSE(free.t.safe_run(invoice_in{"c-8", "EUR"}).error);
        CHECK(free.live == 2);
    }
    SECTION("a tape given in code wins over the file") {
        invoice coded;
        coded.t.set_tape(forge::tape());
        auto r = coded.t.safe_run(invoice_in{"c-7", "EUR"});
        REQUIRE(r.error);
        CHECK(r.record.error->find("[FORGE_TAPE_NO_BOUNDARY]") != std::string::npos);
    }
    SECTION("a missing tape file names the path") {
        env_var other_dir("FORGE_TAPE_DIR", (dir.path() / "nowhere").string());
        invoice lost;
        auto r = lost.t.safe_run(invoice_in{"c-7", "EUR"});
        REQUIRE(r.error);
        CHECK(r.record.error->find("invoice:total.log (no such file)") != std::string::npos);
    }
    SECTION("a boundary a tape cannot answer fails each run, naming FORGE_MODE and the type") {
        auto raw = forge::boundary("raw", [](int x) { return opaque{x}; });
        forge::task t("raw", forge::boundaries(raw),
                      [&](forge::run& run) { return run(raw, 1).v; });
        auto r = t.safe_run();
        REQUIRE(r.error);
        CHECK(r.record.error->find("FORGE_MODE (mode replay) cannot answer it") !=
              std::string::npos);
        CHECK(r.record.error->find("opaque") != std::string::npos);
        CHECK_FALSE(r.record.timing.has_value());
        t.set_mode(raw, mode::proxy);
        CHECK(t.safe_run().output == 1);
    }
    SECTION("an unknown FORGE_MODE fails the task's construction, naming the variable") {
        env_var bad("FORGE_MODE", "replay-all");
        try {
            invoice broken;
            FAIL("constructed with FORGE_MODE=replay-all");
        } catch (const std::invalid_argument& e) {
            CHECK(std::string(e.what()).rfind("FORGE_MODE=\"replay-all\" is not a mode", 0) == 0);
        }
    }
}
