#include <forge/task/mock.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using forge::mock::any;
using forge::mock::eq;

struct order {
    std::string ticker;
    int qty = 0;
};
FORGE_FIELDS(order, ticker, qty);

// where: "mock_test.cpp:<line>", as messages locate an expectation.
std::string where(int line) { return "mock_test.cpp:" + std::to_string(line); }

// failures_of: what verify() throws for m (empty when nothing).
std::string failures_of(forge::boundary_mock& m) {
    try {
        m.verify();
    } catch (const forge::mock_failure& e) {
        return e.what();
    }
    return "";
}

// reporter_scope: collects reported messages while it lives.
struct reporter_scope {
    std::vector<std::string> messages;
    forge::mock_reporter previous;
    reporter_scope()
        : previous(
              forge::set_mock_reporter([this](const std::string& m) { messages.push_back(m); })) {}
    ~reporter_scope() { forge::set_mock_reporter(std::move(previous)); }
};

struct fixture {
    std::atomic<int> live_calls{0};
    forge::boundary<std::function<double(const std::string&)>> price{
        "fetchPrice", [this](const std::string& t) {
            ++live_calls;
            return static_cast<double>(t.size());
        }};
    forge::boundary<std::function<void(const std::string&)>> audit{"audit",
                                                                   [](const std::string&) {}};
    forge::task<std::vector<std::string>, double> quote{
        "quote", forge::boundaries(price, audit),
        [this](const std::vector<std::string>& tickers, forge::run& run) {
            double total = 0;
            for (const auto& t : tickers) {
                run(audit, t);
                total += run(price, t);
            }
            return total;
        }};
};

}  // namespace

TEST_CASE("a mock answers a boundary's calls, recorded with provenance mock", "[task][mock]") {
    fixture f;
    auto m = forge::mock_boundary(f.quote, f.price);
    auto a = forge::mock_boundary(f.quote, f.audit);
    m.expect(eq("AAPL")).times(2).returns(101.5);
    a.expect(any()).times(2);

    auto r = f.quote.safe_run({"AAPL", "AAPL"});
    REQUIRE(r.ok());
    CHECK(*r.output == 203.0);
    CHECK(f.live_calls == 0);
    const auto& e = r.record.boundaries[0].second.at(1);
    CHECK(e.provenance == forge::provenance::mock);
    CHECK(e.output == forge::json(101.5));
    CHECK(forge::to_json_text(r.record).find(R"("provenance":"mock")") != std::string::npos);
    CHECK(forge::mock::called_times(r.record, "fetchPrice") == 2);
    CHECK(forge::mock::calls(r.record, "fetchPrice") ==
          std::vector<forge::json>{forge::json::array({"AAPL"}), forge::json::array({"AAPL"})});
    CHECK(forge::mock::called_times(r.record, "nope") == 0);
    CHECK(m.called_times() == 2);
    CHECK(m.calls().at(0) == forge::json::array({"AAPL"}));
    CHECK(failures_of(m).empty());
}

TEST_CASE("a strict mock fails an unexpected call in the run and reports it", "[task][mock]") {
    fixture f;
    auto a = forge::mock_boundary(f.quote, f.audit, forge::mock_mode::nice);
    auto m = forge::mock_boundary(f.quote, f.price);
    const int line = __LINE__ + 1;
    m.expect(eq("AAPL")).times(1).returns(1.0);

    auto r = f.quote.safe_run({"AAPL", "MSFT"});
    REQUIRE_FALSE(r.ok());
    const std::string expected =
        "forge::mock: unexpected call of boundary \"fetchPrice\" in task \"quote\"\n"
        "  arguments: [\"MSFT\"]\n"
        "  tried expectation 1 (" +
        where(line) +
        "): expect(eq(\"AAPL\")).times(1), called 1 time:\n"
        "    argument 0: expected eq(\"AAPL\"), got \"MSFT\"\n"
        "  calls so far (2):\n"
        "    [\"AAPL\"]\n"
        "    [\"MSFT\"]";
    CHECK(r.record.error == expected);
    const auto& e = r.record.boundaries[0].second.at(1);
    CHECK(e.error == expected);
    CHECK(e.provenance == forge::provenance::mock);
    CHECK(f.live_calls == 0);
    CHECK_THROWS_AS(std::rethrow_exception(r.error), forge::mock_failure);
    CHECK(failures_of(m) == expected);
    CHECK(failures_of(m).empty());
}

TEST_CASE("a saturated expectation and a wrong argument count are named", "[task][mock]") {
    fixture f;
    auto a = forge::mock_boundary(f.quote, f.audit, forge::mock_mode::nice);
    auto m = forge::mock_boundary(f.quote, f.price);
    const int line = __LINE__ + 1;
    m.expect(any()).returns(2.0);
    m.expect({any(), any()}).returns(3.0);
    CHECK_FALSE(f.quote.safe_run({"A", "B"}).ok());
    const std::string s = failures_of(m);
    CHECK(s.find("  tried expectation 1 (" + where(line) +
                 "): expect(any()).times(1), called 1 time:\n"
                 "    saturated: already called 1 time (times(1))\n"
                 "  tried expectation 2 (" +
                 where(line + 1) +
                 "): expect(any(), any()).times(1), called 0 times:\n"
                 "    expected 2 arguments, got 1\n") != std::string::npos);
    CHECK(s.find("forge::mock: unmet expectation of boundary \"fetchPrice\" in task \"quote\"\n"
                 "  expectation 2 (" +
                 where(line + 1) +
                 "): expect(any(), any()).times(1), called 0 times\n"
                 "  calls so far (2):\n    [\"A\"]\n    [\"B\"]") != std::string::npos);
}

TEST_CASE("strict mode with no expectation refuses live calls; nice mode lets them through",
          "[task][mock]") {
    fixture f;
    SECTION("strict") {
        auto m = forge::mock_boundary(f.quote, f.price);
        auto r = f.quote.safe_run({"AAPL"});
        CHECK_FALSE(r.ok());
        CHECK(f.live_calls == 0);
        CHECK(r.record.error ==
              "forge::mock: unexpected call of boundary \"fetchPrice\" in task \"quote\"\n"
              "  arguments: [\"AAPL\"]\n"
              "  no expectations (strict mode: the live function is not called)\n"
              "  calls so far (1):\n"
              "    [\"AAPL\"]");
        CHECK_THROWS_AS(m.verify(), forge::mock_failure);
    }
    SECTION("nice") {
        auto m = forge::mock_boundary(f.quote, f.price, forge::mock_mode::nice);
        m.expect(eq("MSFT")).returns(7.0);
        auto r = f.quote.safe_run({"AAPL", "MSFT"});
        REQUIRE(r.ok());
        CHECK(*r.output == 11.0);
        CHECK(f.live_calls == 1);
        CHECK(r.record.boundaries[0].second[0].provenance == forge::provenance::live);
        CHECK(r.record.boundaries[0].second[1].provenance == forge::provenance::mock);
        CHECK(m.called_times() == 2);
        CHECK(failures_of(m).empty());
    }
}

TEST_CASE("strict_mocks: every boundary of the task without a mock of its own refuses calls",
          "[task][mock]") {
    fixture f;
    reporter_scope reported;
    {
        auto strict = forge::strict_mocks(f.quote);
        {
            auto m = forge::mock_boundary(f.quote, f.price);
            m.expect(any()).at_most(1).returns(1.0);
            auto r = f.quote.safe_run({"AAPL"});
            CHECK_FALSE(r.ok());
            CHECK(f.live_calls == 0);
            // audit has no mock of its own: the task-wide strict mode refuses it.
            CHECK(r.record.boundaries[1].first == "audit");
            REQUIRE(r.record.boundaries[1].second.size() == 1);
            CHECK(r.record.boundaries[1].second[0].provenance == forge::provenance::mock);
            CHECK_THAT(*r.record.error,
                       Catch::StartsWith("forge::mock: unexpected call of boundary \"audit\" in "
                                         "task \"quote\""));
        }
        auto a = forge::mock_boundary(f.quote, f.audit, forge::mock_mode::nice);
        auto r = f.quote.safe_run({"AAPL"});
        // price's own mock is gone: the strict blocker is back, so price refuses.
        CHECK_FALSE(r.ok());
        CHECK_THAT(*r.record.error, Catch::Contains("boundary \"fetchPrice\""));
        CHECK(f.live_calls == 0);
    }
    // At scope end the refused calls were reported (audit once, fetchPrice once).
    REQUIRE(reported.messages.size() == 2);
    CHECK_THAT(reported.messages[0] + reported.messages[1],
               Catch::Contains("\"audit\"") && Catch::Contains("\"fetchPrice\""));
    // Without strict_mocks the boundaries are live again.
    auto r = f.quote.safe_run({"AAPL"});
    CHECK(r.ok());
    CHECK(f.live_calls == 1);
}

TEST_CASE("the mock goes away with its scope or on reset, restoring the real boundary",
          "[task][mock]") {
    fixture f;
    {
        auto m = forge::mock_boundary(f.quote, f.price, forge::mock_mode::nice);
        m.expect().at_least(1).returns(5.0);
        CHECK(f.quote.run({"AAPL"}) == 5.0);
    }
    CHECK(f.quote.run({"AAPL"}) == 4.0);
    auto m = forge::mock_boundary(f.quote, f.price);
    m.expect().returns(9.0);
    CHECK(f.quote.run({"AAPL"}) == 9.0);
    m.reset();
    m.reset();
    CHECK(f.quote.run({"AAPL"}) == 4.0);

    SECTION("an unmet expectation throws mock_failure when the scope ends") {
        auto unmet = [&] {
            auto m2 = forge::mock_boundary(f.quote, f.price);
            m2.expect(eq("X"));
        };
        CHECK_THROWS_WITH(unmet(), Catch::Contains("unmet expectation of boundary"));
    }
    SECTION("but not while another exception unwinds the scope") {
        auto unwinding = [&] {
            auto m2 = forge::mock_boundary(f.quote, f.price);
            m2.expect(eq("X"));
            throw std::runtime_error("test failed first");
        };
        CHECK_THROWS_WITH(unwinding(), "test failed first");
    }
    SECTION("with a reporter installed, failures go to it and nothing throws") {
        reporter_scope rep;
        {
            auto m2 = forge::mock_boundary(f.quote, f.price);
            m2.expect(eq("X"));
            CHECK_FALSE(f.quote.safe_run({"Y"}).ok());
        }
        REQUIRE(rep.messages.size() == 2);
        CHECK(rep.messages[0].rfind("forge::mock: unexpected call", 0) == 0);
        CHECK(rep.messages[1].rfind("forge::mock: unmet expectation", 0) == 0);
    }
}

TEST_CASE("matchers work on the encoded arguments", "[task][mock]") {
    using namespace forge::mock;
    std::string why;
    const forge::json o = forge::to_json(order{"AAPL", 3});
    CHECK(any().matches(forge::json(), why));
    CHECK(eq(order{"AAPL", 3}).matches(o, why));
    CHECK(eq(1).matches(forge::json(1.0), why));
    CHECK_FALSE(eq(1).matches(forge::json("1"), why));
    CHECK(why == R"(expected eq(1), got "1")");
    CHECK(lt(2).matches(forge::json(1), why));
    CHECK_FALSE(lt(2).matches(forge::json(2), why));
    CHECK(why == "expected lt(2), got 2");
    CHECK(le(2).matches(forge::json(2), why));
    CHECK(gt(2).matches(forge::json(2.5), why));
    CHECK(ge(2).matches(forge::json(2), why));
    CHECK_FALSE(ge(2).matches(forge::json("x"), why));
    CHECK(why == R"(expected a number ge(2), got "x")");
    auto big = pred<order>([](const order& x) { return x.qty > 2; }, "qty > 2");
    CHECK(big.matches(o, why));
    CHECK_FALSE(big.matches(forge::to_json(order{"A", 1}), why));
    CHECK(why == R"(expected qty > 2 to hold, got {"ticker":"A","qty":1})");
    CHECK_FALSE(big.matches(forge::json(3), why));
    CHECK(why.rfind("expected qty > 2, got 3 (", 0) == 0);
    CHECK(field("qty", ge(3)).matches(o, why));
    CHECK_FALSE(field("qty", gt(3)).matches(o, why));
    CHECK(why == R"(field "qty": expected gt(3), got 3)");
    CHECK_FALSE(field("price", any()).matches(o, why));
    CHECK(why == R"(expected a field "price", got {"ticker":"AAPL","qty":3})");
    const forge::json doc = forge::json::object(
        {{"holdings", forge::json::array({forge::json::object({{"qty", 1}}),
                                          forge::json::object({{"qty", 5}})})}});
    CHECK(at("holdings.1.qty", eq(5)).matches(doc, why));
    CHECK_FALSE(at("holdings.0.qty", eq(5)).matches(doc, why));
    CHECK(why == R"(at "holdings.0.qty": expected eq(5), got 1)");
    CHECK_FALSE(at("holdings.2.qty", any()).matches(doc, why));
    CHECK(why.rfind(R"(expected a value at "holdings.2.qty", got)", 0) == 0);
    CHECK(all_of({gt(1), lt(3)}).matches(forge::json(2), why));
    CHECK_FALSE(all_of({gt(1), lt(3)}).matches(forge::json(3), why));
    CHECK(why == "expected lt(3), got 3");
    CHECK(any_of({eq("a"), eq("b")}).matches(forge::json("b"), why));
    CHECK_FALSE(any_of({eq("a"), eq("b")}).matches(forge::json("c"), why));
    CHECK(why == R"(expected any_of(eq("a"), eq("b")), got "c")");
    CHECK(not_(eq("a")).matches(forge::json("b"), why));
    CHECK_FALSE(not_(eq("a")).matches(forge::json("a"), why));
    CHECK(why == R"(expected not_(eq("a")), got "a")");
    CHECK(field("ticker", eq("AAPL")).description() == R"(field("ticker", eq("AAPL")))");
}

TEST_CASE("actions: throws, invokes, values in sequence", "[task][mock]") {
    fixture f;
    auto a = forge::mock_boundary(f.quote, f.audit, forge::mock_mode::nice);
    auto m = forge::mock_boundary(f.quote, f.price);
    m.expect(eq("DOWN")).throws(forge::categorized_error(forge::error_category::timeout, "down"));
    m.expect(eq("SEQ")).returns_in_sequence({1.0, 2.0, 3.0});
    m.expect(eq("FN")).at_least(1).invokes(
        [](const std::string& t) { return static_cast<double>(t.size()) * 10; });
    m.expect(eq("BAD")).invokes(
        [](const std::string&) -> double { throw std::runtime_error("bad ticker"); });

    auto down = f.quote.safe_run({"DOWN"});
    CHECK(down.record.error == "down");
    CHECK(down.record.boundaries[0].second[0].error_category == forge::error_category::timeout);
    CHECK(down.record.boundaries[0].second[0].provenance == forge::provenance::mock);
    CHECK(f.quote.run({"SEQ", "SEQ", "FN", "SEQ"}) == 26.0);
    auto bad = f.quote.safe_run({"BAD"});
    CHECK(bad.record.error == "bad ticker");
    CHECK(bad.record.boundaries[0].second[0].provenance == forge::provenance::mock);
    CHECK(failures_of(m).empty());
}

TEST_CASE("cardinality: times, at_least, at_most, never", "[task][mock]") {
    fixture f;
    auto a = forge::mock_boundary(f.quote, f.audit, forge::mock_mode::nice);
    auto m = forge::mock_boundary(f.quote, f.price);
    m.expect(eq("N")).never();
    m.expect(eq("M")).at_most(2).returns(1.0);
    m.expect(eq("L")).at_least(2).returns(1.0);
    CHECK(f.quote.safe_run({"M", "M", "L"}).ok());
    const std::string s = failures_of(m);
    CHECK(s.find("expect(eq(\"L\")).at_least(2), called 1 time") != std::string::npos);
    CHECK(s.find("eq(\"M\")") == std::string::npos);
    CHECK_FALSE(f.quote.safe_run({"N"}).ok());
    CHECK_FALSE(f.quote.safe_run({"M"}).ok());
    CHECK(f.quote.safe_run({"L", "L"}).ok());
    CHECK(failures_of(m).find("expect(eq(\"N\")).times(0), called 0 times:\n"
                              "    argument 0: expected eq(\"M\")") == std::string::npos);
}

TEST_CASE("a sequence orders expectations across boundaries", "[task][mock]") {
    fixture f;
    auto a = forge::mock_boundary(f.quote, f.audit);
    auto m = forge::mock_boundary(f.quote, f.price);
    forge::mock_sequence seq;
    a.expect(eq("A")).in(seq);
    m.expect(eq("A")).in(seq).returns(1.0);
    a.expect(eq("B")).in(seq);
    m.expect(eq("B")).in(seq).returns(2.0);
    CHECK(f.quote.run({"A", "B"}) == 3.0);
    CHECK(failures_of(a).empty());
    CHECK(failures_of(m).empty());

    auto a2 = forge::mock_boundary(f.quote, f.audit, forge::mock_mode::nice);
    auto m2 = forge::mock_boundary(f.quote, f.price);
    forge::mock_sequence seq2;
    m2.expect(eq("X")).in(seq2).returns(1.0);
    const int line = __LINE__ + 1;
    m2.expect(eq("Y")).in(seq2).returns(2.0);
    auto r = f.quote.safe_run({"Y", "X"});
    CHECK_FALSE(r.ok());
    CHECK(r.record.error->find("    out of sequence: waits for expectation 1 (") !=
          std::string::npos);
    CHECK(r.record.error->find("tried expectation 2 (" + where(line) + ")") != std::string::npos);
    CHECK_THROWS_AS(m2.verify(), forge::mock_failure);
}

TEST_CASE("a mock applies only to its task, and survives moving the task", "[task][mock]") {
    fixture f;
    forge::task other("other", forge::boundaries(f.price),
                      [&](const std::string& t, forge::run& run) { return run(f.price, t); });
    auto a = forge::mock_boundary(f.quote, f.audit, forge::mock_mode::nice);
    auto m = forge::mock_boundary(f.quote, f.price);
    m.expect().at_least(1).returns(50.0);
    CHECK(other.run("AAPL") == 4.0);
    CHECK(f.quote.run({"AAPL"}) == 50.0);

    auto moved = std::move(f.quote);
    CHECK(moved.run({"AAPL"}) == 50.0);
    m.reset();
    CHECK(moved.run({"AAPL"}) == 4.0);
}

TEST_CASE("composed tasks: mock the inner task's boundary or the composed boundary",
          "[task][mock]") {
    fixture f;
    auto inner = f.quote.as_boundary("quoteAll");
    forge::task outer("outer", forge::boundaries(inner),
                      [&](const std::string& t, forge::run& run) {
                          return run(inner, std::vector<std::string>{t, t});
                      });
    {
        auto a = forge::mock_boundary(f.quote, f.audit, forge::mock_mode::nice);
        auto m = forge::mock_boundary(f.quote, f.price);
        m.expect(eq("AAPL")).times(2).returns(3.0);
        auto r = outer.safe_run("AAPL");
        REQUIRE(r.ok());
        CHECK(*r.output == 6.0);
        const auto& child = r.record.boundaries[0].second[0].extra.at(0).second;
        CHECK(forge::to_json_text(child).find(R"("provenance":"mock")") != std::string::npos);
    }
    auto c = forge::mock_boundary(outer, inner);
    c.expect(eq(std::vector<std::string>{"X", "X"})).returns(99.0);
    auto r = outer.safe_run("X");
    CHECK(*r.output == 99.0);
    CHECK(r.record.boundaries[0].second[0].provenance == forge::provenance::mock);
    CHECK(f.live_calls == 0);
}

TEST_CASE("a mocked task runs on 8 threads at once", "[task][mock][concurrency]") {
    fixture f;
    constexpr int threads = 8;
    constexpr int runs = 50;
    auto a = forge::mock_boundary(f.quote, f.audit, forge::mock_mode::nice);
    auto m = forge::mock_boundary(f.quote, f.price);
    m.expect(eq("AAPL")).times(threads * runs).returns(2.0);
    m.expect(forge::mock::field("never", any())).never();
    std::atomic<int> ok{0};
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
        pool.emplace_back([&] {
            for (int k = 0; k < runs; ++k) {
                auto r = f.quote.safe_run({"AAPL"});
                if (r.ok() && *r.output == 2.0 &&
                    r.record.boundaries[0].second[0].provenance == forge::provenance::mock) {
                    ++ok;
                }
            }
        });
    }
    for (auto& t : pool) t.join();
    CHECK(ok == threads * runs);
    CHECK(m.called_times() == static_cast<std::size_t>(threads * runs));
    CHECK(failures_of(m).empty());
    CHECK(f.live_calls == 0);
}

TEST_CASE("mocking a boundary the task does not own is an error", "[task][mock]") {
    fixture f;
    auto stray = forge::boundary("stray", [] { return 1; });
    CHECK_THROWS_AS(forge::mock_boundary(f.quote, stray), std::invalid_argument);
}
