#include "../common-types/spec_examples.hpp"

#include <forge/task/clock.hpp>
#include <forge/task/task.hpp>
#include <forge/task/uuid_source.hpp>
#include <forge/types/error_category.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>
#include <forge/types/uuid.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace invoice {

struct request {
    std::string customer_id;
    std::string currency;
};
FORGE_FIELDS_AS(request, (customer_id, "customerId"), (currency, "currency"));

struct line {
    std::string sku;
    int qty = 0;
    double unit_price = 0;
};
FORGE_FIELDS_AS(line, (sku, "sku"), (qty, "qty"), (unit_price, "unitPrice"));

struct total {
    std::string customer_id;
    std::string currency;
    double amount = 0;
};
FORGE_FIELDS_AS(total, (customer_id, "customerId"), (currency, "currency"), (amount, "total"));

// fixed_uuid: a uuid source giving one uuid and remembering the run start it was given.
struct fixed_uuid final : forge::uuid_source {
    std::string uuid;
    mutable std::atomic<std::int64_t> unix_ms{-1};
    explicit fixed_uuid(std::string u) : uuid(std::move(u)) {}
    std::string make(std::int64_t ms) const override {
        unix_ms.store(ms, std::memory_order_relaxed);
        return uuid;
    }
};

// worked_example: the task of docs/record-format.md's worked examples on a manual clock. Each
// boundary advances the clock by its durationNs; the task function advances it before each
// boundary call to reach that call's offsetNs, and on leaving (returning or throwing) to reach
// the task's durationNs.
struct worked_example {
    forge::manual_clock clock;
    std::vector<line> lines;
    std::int64_t load_offset_ns, load_ns, convert_offset_ns, convert_ns, task_ns;

    forge::boundary<std::function<std::vector<line>(const std::string&)>> load{
        "loadInvoiceLines", [this](const std::string&) {
            clock.advance(load_ns);
            return lines;
        }};
    forge::boundary<std::function<double(double, const std::string&, const std::string&)>> convert{
        "convertCurrency", [this](double amount, const std::string&, const std::string&) {
            clock.advance(convert_ns);
            if (amount != 81.0) {
                throw forge::categorized_error(forge::error_category::network,
                                               "FX service unreachable: connection refused");
            }
            return 74.52;
        }};

    forge::task<request, total> make() {
        forge::task<request, total> t(
            "invoice:total",
            forge::schema::object()
                .required("customerId", forge::schema::string())
                .required("currency", forge::schema::string()),
            forge::boundaries(load, convert), [this](const request& in, forge::run& run) {
                struct tail {
                    worked_example& ex;
                    std::int64_t start;
                    ~tail() { ex.clock.advance(ex.task_ns - (ex.clock.steady_ns() - start)); }
                } at_exit{*this, clock.steady_ns()};
                clock.advance(load_offset_ns);
                const std::vector<line> got = run(load, in.customer_id);
                double sum = 0;
                for (const line& l : got) sum += l.qty * l.unit_price;
                run.set_metadata("customerId", in.customer_id);
                run.set_metrics({"business", "line_items", static_cast<double>(got.size())});
                clock.advance(convert_offset_ns - load_offset_ns - load_ns);
                const double converted = run(convert, sum, "USD", in.currency);
                run.set_metadata("currency", in.currency);
                run.set_metrics({"performance", "fx_lookups", 1});
                return total{in.customer_id, in.currency, converted};
            });
        t.set_clock(clock);
        return t;
    }
};

}  // namespace invoice

TEST_CASE("the success example of the record format is reproduced byte for byte",
          "[task][timing][spec]") {
    // The anchor has sub-millisecond precision: 0.2 ms past the spec's startTime is one of the
    // anchors for which every startTime and endTime of the example comes out as printed.
    invoice::worked_example ex{forge::manual_clock(1'717'000'000'010'200'000, 777),
                               {{"A-7", 2, 19.5}, {"B-3", 1, 42}},
                               310'200,
                               40'115'800,
                               40'902'000,
                               20'384'100,
                               61'840'500};
    invoice::fixed_uuid ids("018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17");
    auto t = ex.make();
    t.set_uuid_source(ids);
    auto r = t.safe_run(invoice::request{"c-1042", "EUR"});
    REQUIRE(r.ok());
    CHECK(ids.unix_ms.load() == 1'717'000'000'010);
    CHECK(forge::uuid_v7_unix_ms(ids.uuid) == 1'717'000'000'010);
    CHECK(forge::to_json_text(r.record) == forge::test::success_record);
    CHECK(forge::to_json_text(r.record, forge::encode_options{.extensions = false}) ==
          forge::test::success_record_ts);
}

TEST_CASE("the task-function error example of the record format is reproduced byte for byte",
          "[task][timing][spec]") {
    invoice::worked_example ex{forge::manual_clock(1'717'000'003'417'600'000, 0),
                               {{"C-9", 3, 12.25}},
                               280'000,
                               38'900'000,
                               39'500'000,
                               5'012'300,
                               45'300'000};
    invoice::fixed_uuid ids("018fc52c-df59-7a10-8f22-c04b1e9d3a65");
    auto t = ex.make();
    t.set_uuid_source(ids);
    auto r = t.safe_run(invoice::request{"c-2001", "EUR"});
    REQUIRE_FALSE(r.ok());
    CHECK(ids.unix_ms.load() == 1'717'000'003'417);
    CHECK(forge::to_json_text(r.record) == forge::test::error_record);
}

TEST_CASE("the validation error example of the record format is reproduced byte for byte",
          "[task][timing][spec]") {
    invoice::worked_example ex{
        forge::manual_clock(1'717'000'004'000'000'000, 0), {}, 0, 0, 0, 0, 0};
    invoice::fixed_uuid ids("018fc52c-e1a0-7c55-a3d4-6b0e2f917c08");
    auto t = ex.make();
    t.set_uuid_source(ids);
    auto r = t.safe_run_json(forge::parse_json(R"({"customerId":"c-1042","currency":7})"));
    REQUIRE_FALSE(r.ok());
    CHECK(ids.unix_ms.load() == 1'717'000'004'000);
    CHECK(forge::to_json_text(r.record) == forge::test::validation_record);
}

namespace {

constexpr std::int64_t anchor_ns = 1'717'000'000'010'000'000LL;

}  // namespace

TEST_CASE("a failing boundary call is timed up to its exception", "[task][timing]") {
    forge::manual_clock clock(anchor_ns, 0);
    auto fail = forge::boundary("fail", [&] {
        clock.advance(5'000'000);
        throw std::runtime_error("timed out waiting");
    });
    forge::task t("t", forge::boundaries(fail), [&](const int&, forge::run& run) {
        clock.advance(1'000);
        run(fail);
        return 0;
    });
    t.set_clock(clock);
    auto r = t.safe_run(0);
    CHECK(r.record.type == forge::record_type::error);
    const auto& e = r.record.boundaries.at(0).second.at(0);
    CHECK(e.timing->duration_ns == 5'000'000);
    CHECK(e.timing->offset_ns == 1'000);
    CHECK(e.timing->start_time == 1'717'000'000'010);
    CHECK(e.timing->end_time == 1'717'000'000'015);
    CHECK(r.record.timing->duration_ns == 5'001'000);
}

TEST_CASE("the task function is timed when it throws", "[task][timing]") {
    forge::manual_clock clock(anchor_ns, 0);
    forge::task t("t", [&](const int&, forge::run&) -> int {
        clock.advance(2'500'000);
        throw std::runtime_error("boom");
    });
    t.set_clock(clock);
    auto r = t.safe_run(0);
    REQUIRE(r.record.timing.has_value());
    CHECK(r.record.timing->start_time == 1'717'000'000'010);
    CHECK(r.record.timing->end_time == 1'717'000'000'012);
    CHECK(r.record.timing->duration == 2);
    CHECK(r.record.timing->duration_ns == 2'500'000);
    CHECK_FALSE(r.record.timing->offset_ns.has_value());
}

TEST_CASE("a wall-clock jump during a run does not distort its timing", "[task][timing]") {
    forge::manual_clock clock(anchor_ns, 0);
    auto jump = forge::boundary("jump", [&] {
        clock.set_wall(0);
        clock.advance(1'000'000);
    });
    forge::task t("t", forge::boundaries(jump), [&](const int&, forge::run& run) {
        run(jump);
        return 0;
    });
    t.set_clock(clock);
    auto r = t.safe_run(0);
    CHECK(r.record.timing->start_time == 1'717'000'000'010);
    CHECK(r.record.timing->end_time == 1'717'000'000'011);
    CHECK(r.record.boundaries[0].second[0].timing->start_time == 1'717'000'000'010);
}

TEST_CASE("the uuid timestamp is the run start", "[task][timing]") {
    forge::manual_clock clock(anchor_ns, 0);
    forge::task t("t", [](const int& x, forge::run&) { return x; });
    t.set_clock(clock);
    auto r = t.safe_run(0);
    CHECK(forge::uuid_v7_unix_ms(*r.record.uuid) == 1'717'000'000'010);
}
