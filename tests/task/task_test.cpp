#include <forge/task/task.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/metric.hpp>
#include <forge/types/record_json.hpp>
#include <forge/types/uuid.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace shop {

struct holding {
    std::string ticker;
    int qty = 0;
};
FORGE_FIELDS(holding, ticker, qty);

struct input {
    std::string user;
};
FORGE_FIELDS(input, user);

struct output {
    double total = 0;
};
FORGE_FIELDS(output, total);

}  // namespace shop

namespace {

forge::schema user_schema() {
    return forge::schema::object().required("user", forge::schema::string().min_length(1));
}

struct portfolio_fixture {
    forge::boundary<std::vector<shop::holding> (*)(const std::string&)> fetch_holdings{
        "fetchHoldings", [](const std::string& user) {
            return user == "ada" ? std::vector<shop::holding>{{"AAPL", 3}, {"MSFT", 2}}
                                 : std::vector<shop::holding>{};
        }};
    forge::boundary<double (*)(const std::string&)> fetch_price{
        "fetchPrice", [](const std::string& t) { return 100.0 + static_cast<double>(t.size()); }};

    auto make() {
        forge::task t("getPortfolio", user_schema(), forge::boundaries(fetch_holdings, fetch_price),
                      [this](const shop::input& in, forge::run& run) {
                          double total = 0;
                          for (const shop::holding& h : run(fetch_holdings, in.user))
                              total += h.qty * run(fetch_price, h.ticker);
                          run.set_metrics({"business", "portfolio_value", total});
                          run.set_metadata("user", in.user);
                          return shop::output{total};
                      });
        return t;
    }
};

}  // namespace

TEST_CASE("safe_run returns the output and a success record with every field", "[task]") {
    portfolio_fixture f;
    auto t = f.make();
    auto [output, error, record] = t.safe_run(shop::input{"ada"});
    REQUIRE_FALSE(error);
    CHECK(output->total == 520);
    CHECK(record.input == forge::json::object({{"user", "ada"}}));
    CHECK(record.task_name == "getPortfolio");
    CHECK(record.type == forge::record_type::success);
    CHECK(record.output == forge::json::object({{"total", 520.0}}));
    CHECK(record.metadata == forge::json_object{{"user", "ada"}});
    REQUIRE(record.metrics.size() == 1);
    CHECK(record.metrics[0].name == "portfolio_value");
    CHECK(record.metrics[0].value == 520);
    CHECK(record.timing.has_value());
    CHECK_FALSE(record.error_category.has_value());
    REQUIRE(record.uuid.has_value());
    CHECK(forge::is_uuid_v7(*record.uuid));
    REQUIRE(record.boundaries.size() == 2);
    CHECK(record.boundaries[0].second.size() == 1);
    CHECK(record.boundaries[1].second.size() == 2);
    CHECK(record.find_boundary("setMetadata") == nullptr);
    CHECK(record.find_boundary("setMetrics") == nullptr);
}

TEST_CASE("run returns the output and rethrows the original exception type", "[task]") {
    struct domain_error : std::logic_error {
        using std::logic_error::logic_error;
    };
    forge::task t("t", [](const int& x, forge::run&) {
        if (x < 0) throw domain_error("negative");
        return x + 1;
    });
    CHECK(t.run(1) == 2);
    CHECK_THROWS_AS(t.run(-1), domain_error);
    auto r = t.safe_run(-1);
    CHECK_FALSE(r.ok());
    CHECK(r.error_message() == "negative");
    CHECK(r.record.type == forge::record_type::error);
    CHECK(r.record.error == "negative");
    CHECK(r.record.error_category == forge::error_category::other);
    CHECK_FALSE(r.record.output.has_value());
    CHECK(r.record.timing.has_value());
}

TEST_CASE("a failed validation gives the spec's validation-error record and skips the function",
          "[task][validation]") {
    portfolio_fixture f;
    auto t = f.make();
    bool ran = false;
    forge::task guarded("guarded", user_schema(), [&](const shop::input&, forge::run&) {
        ran = true;
        return 0;
    });
    auto r = t.safe_run(shop::input{""});
    CHECK_FALSE(r.ok());
    CHECK(r.record.error ==
          "Invalid input on: user: Too small: expected string to have >=1 characters");
    CHECK(r.record.error_category == forge::error_category::validation);
    CHECK_FALSE(r.record.timing.has_value());
    CHECK_FALSE(r.record.output.has_value());
    CHECK(r.record.boundaries.size() == 2);
    CHECK(r.record.boundaries[0].second.empty());
    (void)guarded.safe_run(shop::input{""});
    CHECK_FALSE(ran);
    CHECK_THROWS_AS(t.run(shop::input{""}), forge::validation_error);
    auto text = forge::to_json_text(r.record);
    auto uuid_at = text.find(R"(,"uuid":")");
    REQUIRE(uuid_at != std::string::npos);
    CHECK(
        text.substr(0, uuid_at) ==
        R"({"input":{"user":""},"boundaries":{"fetchHoldings":[],"fetchPrice":[]},"taskName":"getPortfolio",)"
        R"("metadata":{},"metrics":[],"type":"error","error":"Invalid input on: user: Too small: expected )"
        R"(string to have >=1 characters")");
    CHECK(text.substr(text.size() - 30) == R"(,"errorCategory":"validation"})");
}

TEST_CASE("the JSON entry point records the raw input, validates it and returns JSON output",
          "[task][validation]") {
    portfolio_fixture f;
    auto t = f.make();
    auto ok = t.safe_run_json(forge::parse_json(R"({"user":"ada","ignored":true})"));
    REQUIRE(ok.ok());
    CHECK(*ok.output == forge::json::object({{"total", 520.0}}));
    CHECK(ok.record.input == forge::parse_json(R"({"user":"ada","ignored":true})"));
    auto bad = t.safe_run_json(forge::parse_json(R"({"value":null})"));
    CHECK(bad.record.error ==
          "Invalid input on: user: Invalid input: expected string, received undefined");
    CHECK(t.run_json(forge::parse_json(R"({"user":"bob"})")) ==
          forge::json::object({{"total", 0}}));
}

TEST_CASE(
    "without a schema a JSON input that does not decode is a validation failure naming the path",
    "[task][validation]") {
    forge::task t("sum", [](const std::vector<int>& xs, forge::run&) {
        int s = 0;
        for (int x : xs) s += x;
        return s;
    });
    auto r = t.safe_run_json(forge::parse_json(R"([1,"2"])"));
    CHECK(r.record.error == "Invalid input on: 1: expected integer, received string");
    CHECK(r.record.error_category == forge::error_category::validation);
    CHECK_FALSE(r.record.timing.has_value());
    CHECK(t.run_json(forge::parse_json("[1,2]")) == forge::json(3));
}

TEST_CASE("metadata keeps first position and the last value", "[task][metadata]") {
    forge::task t("t", [](const int&, forge::run& run) {
        run.set_metadata("a", "1");
        run.set_metadata("b", "2");
        run.set_metadata("a", "3");
        return 0;
    });
    auto r = t.safe_run(0);
    CHECK(r.record.metadata == forge::json_object{{"a", "3"}, {"b", "2"}});
}

TEST_CASE("each run starts with empty metadata and metrics", "[task][metadata]") {
    forge::task t("t", [](const int& x, forge::run& run) {
        if (x == 1) {
            run.set_metadata("only", "first");
            run.set_metrics({"business", "n", 1});
        }
        return x;
    });
    (void)t.safe_run(1);
    auto r = t.safe_run(2);
    CHECK(r.record.metadata.empty());
    CHECK(r.record.metrics.empty());
}

TEST_CASE("metrics keep call order without de-duplication", "[task][metrics]") {
    forge::task t("t", [](const int&, forge::run& run) {
        run.set_metrics({"business", "a", 1});
        run.set_metrics({"performance", "b", -2.5});
        run.set_metrics({"business", "a", 0});
        return 0;
    });
    auto r = t.safe_run(0);
    REQUIRE(r.record.metrics.size() == 3);
    CHECK(r.record.metrics[1].value == -2.5);
    CHECK(r.record.metrics[2].value == 0);
}

TEST_CASE("a caught invalid metric is not stored and the run goes on", "[task][metrics]") {
    std::string message;
    forge::task t("t", [&](const int&, forge::run& run) {
        try {
            run.set_metrics({"", "invalid_metric", 42});
        } catch (const forge::invalid_metric_error& e) {
            message = e.what();
        }
        run.set_metrics({"business", "ok", 1});
        return 1;
    });
    auto r = t.safe_run(0);
    CHECK(r.ok());
    CHECK(message == R"(Invalid metric provided: {"type":"","name":"invalid_metric","value":42})");
    REQUIRE(r.record.metrics.size() == 1);
    CHECK(r.record.metrics[0].name == "ok");
}

TEST_CASE("an uncaught invalid metric fails the run with the spec's text", "[task][metrics]") {
    forge::task t("t", [](const int&, forge::run& run) {
        run.set_metrics({"performance", "latency", std::numeric_limits<double>::quiet_NaN()});
        return 1;
    });
    auto r = t.safe_run(0);
    CHECK(r.record.type == forge::record_type::error);
    CHECK(r.record.error ==
          R"(Invalid metric provided: {"type":"performance","name":"latency","value":null})");
    CHECK(r.record.metrics.empty());
    CHECK_THROWS_AS(t.run(0), forge::invalid_metric_error);
}

TEST_CASE("a task without input records {} and a void task records no output", "[task]") {
    int calls = 0;
    forge::task t("noop", [&](forge::run&) { ++calls; });
    auto r = t.safe_run();
    CHECK(r.ok());
    CHECK(calls == 1);
    CHECK(r.record.input == forge::json::object());
    CHECK(r.record.type == forge::record_type::success);
    CHECK_FALSE(r.record.output.has_value());
    t.run(forge::no_input{});
    CHECK(calls == 2);
}

TEST_CASE("a task returning nullptr records a null output", "[task]") {
    forge::task t("nothing", [](forge::run&) { return nullptr; });
    auto r = t.safe_run();
    REQUIRE(r.ok());
    REQUIRE(r.record.output.has_value());
    CHECK(r.record.output->is_null());
    CHECK(t.run_json(forge::json::object()).is_null());
}

TEST_CASE("an explicitly unnamed task's record has no taskName", "[task]") {
    forge::task t("", [](const int& x, forge::run&) { return x; });
    CHECK_FALSE(t.safe_run(1).record.task_name.has_value());
}

TEST_CASE("describe lists name, description, input schema and boundaries", "[task]") {
    portfolio_fixture f;
    auto t = f.make();
    t.set_description("Sums a portfolio");
    CHECK(
        forge::to_json_text(t.describe()) ==
        R"({"name":"getPortfolio","description":"Sums a portfolio","inputSchema":{"type":"object","properties":{"user":{"type":"string","minLength":1}},"required":["user"]},"boundaries":["fetchHoldings","fetchPrice"]})");
}

TEST_CASE("a task used as a boundary records the inner run inside the outer entry",
          "[task][composition]") {
    portfolio_fixture f;
    auto inner = f.make();
    std::vector<std::string> seen;
    auto h = inner.add_listener([&](const forge::execution_record& r) { seen.push_back(*r.uuid); });
    auto portfolio = inner.as_boundary();
    forge::task outer("report", forge::boundaries(portfolio),
                      [&](const std::vector<std::string>& users, forge::run& run) {
                          double sum = 0;
                          for (const auto& u : users) {
                              try {
                                  sum += run(portfolio, shop::input{u}).total;
                              } catch (const forge::validation_error&) {
                                  sum -= 1;
                              }
                          }
                          return sum;
                      });
    auto r = outer.safe_run({"ada", ""});
    REQUIRE(r.ok());
    CHECK(*r.output == 519);
    REQUIRE(seen.size() == 2);
    const auto& entries = r.record.boundaries.at(0).second;
    CHECK(r.record.boundaries.at(0).first == "getPortfolio");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].input == forge::json::array({forge::json::object({{"user", "ada"}})}));
    CHECK(entries[0].output == forge::json::object({{"total", 520.0}}));
    REQUIRE(entries[0].extra.size() == 1);
    CHECK(entries[0].extra[0].first == "childRecord");
    auto child = forge::record_from_json(entries[0].extra[0].second);
    CHECK(child.uuid == seen[0]);
    CHECK(child.task_name == "getPortfolio");
    CHECK(child.find_boundary("fetchPrice")->size() == 2);
    CHECK(entries[1].error_category == forge::error_category::validation);
    CHECK(forge::record_from_json(entries[1].extra[0].second).uuid == seen[1]);
}

TEST_CASE("concurrent boundary calls inside one run are ordered by call start",
          "[task][boundary][concurrency]") {
    auto echo = forge::boundary("echo", [](int x) { return x; });
    auto other = forge::boundary("other", [](int x) { return -x; });
    constexpr int threads = 4;
    constexpr int per_thread = 200;
    forge::task t("fanout", forge::boundaries(echo, other), [&](const int&, forge::run& run) {
        std::vector<std::thread> pool;
        for (int k = 0; k < threads; ++k) {
            pool.emplace_back([&, k] {
                for (int i = 0; i < per_thread; ++i) {
                    if (i % 2 == 0) {
                        (void)run(echo, k * 1000 + i);
                    } else {
                        (void)run(other, k * 1000 + i);
                    }
                }
            });
        }
        for (auto& th : pool) th.join();
        return 0;
    });
    auto r = t.safe_run(0);
    REQUIRE(r.ok());
    std::vector<std::uint64_t> seqs;
    std::vector<int> inputs;
    for (const auto& [name, calls] : r.record.boundaries) {
        std::uint64_t last_seq = 0;
        std::int64_t last_offset = -1;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            const auto& c = calls[i];
            if (i > 0) CHECK(*c.seq > last_seq);
            CHECK(*c.timing->offset_ns >= last_offset);
            last_seq = *c.seq;
            last_offset = *c.timing->offset_ns;
            seqs.push_back(*c.seq);
            int x = static_cast<int>(c.input.as_array().at(0).as_int64());
            inputs.push_back(x);
            CHECK(c.output->as_int64() == (name == "echo" ? x : -x));
        }
    }
    std::sort(seqs.begin(), seqs.end());
    std::sort(inputs.begin(), inputs.end());
    REQUIRE(seqs.size() == threads * per_thread);
    for (std::size_t i = 0; i < seqs.size(); ++i) CHECK(seqs[i] == i);
    CHECK(std::adjacent_find(inputs.begin(), inputs.end()) == inputs.end());
}

TEST_CASE("hostile JSON inputs give validation-error records and never crash",
          "[task][validation]") {
    forge::task t("getPortfolio",
                  [](const shop::input& in, forge::run&) { return in.user.size(); });
    std::string deep(200, '[');
    deep += std::string(200, ']');
    const std::vector<std::pair<std::string, std::string>> cases{
        {"[1,2]", "Invalid input on: : expected object, received array"},
        {"null", "Invalid input on: : expected object, received null"},
        {R"({"user":18446744073709551615})",
         "Invalid input on: user: expected string, received number"},
        {R"({"user":{"nested":[]}})", "Invalid input on: user: expected string, received object"},
        {deep, "Invalid input on: : expected object, received array"},
    };
    for (const auto& [text, message] : cases) {
        auto r = t.safe_run_json(forge::parse_json(text));
        CHECK_FALSE(r.ok());
        CHECK(r.record.error_category == forge::error_category::validation);
        CHECK_FALSE(r.record.timing.has_value());
        CHECK(r.record.input == forge::parse_json(text));
        CHECK(r.record.error == message);
    }
    CHECK(t.run_json(forge::parse_json(R"({"user":"ada","extra":[1,2,3]})")) == forge::json(3));
}
