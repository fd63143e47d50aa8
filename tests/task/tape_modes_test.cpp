// Tape modes, row by row of docs/record-format.md §10.3, with policies, repeats and matching.
#include <forge/task/mock.hpp>
#include <forge/task/task.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using forge::json;
using forge::mode;
using forge::provenance;
using forge::tape_policy;

// encode_only: a result type forge can record but not decode.
struct encode_only {
    int v = 0;
};

forge::boundary_record success(json input, json output) {
    forge::boundary_record e;
    e.input = std::move(input);
    e.output = std::move(output);
    return e;
}

forge::boundary_record failure(json input, std::string error) {
    forge::boundary_record e;
    e.input = std::move(input);
    e.error = std::move(error);
    return e;
}

json args(std::initializer_list<json> a) { return json(forge::json_array(a)); }

// pricing: a task with one boundary, price(ticker) -> double, whose live function counts its
// calls and fails for tickers starting with "!".
struct pricing {
    std::atomic<int> live{0};
    forge::boundary<std::function<double(const std::string&)>> price{
        "price", [this](const std::string& ticker) -> double {
            live.fetch_add(1);
            if (!ticker.empty() && ticker[0] == '!') throw std::runtime_error("price feed down");
            return 100.0;
        }};
    forge::task<std::vector<std::string>, std::vector<double>> t{
        "pricing", forge::boundaries(price),
        [this](const std::vector<std::string>& in, forge::run& run) {
            std::vector<double> out;
            for (const auto& ticker : in) out.push_back(run(price, ticker));
            return out;
        }};
};

const forge::boundary_record& entry(const forge::execution_record& r, std::size_t i) {
    return r.find_boundary("price")->at(i);
}

}  // namespace

template <>
struct forge::codec<encode_only> {
    static json to_json(const encode_only& e) { return json(e.v); }
};

TEST_CASE("mode names round-trip and unknown names are rejected", "[task][modes]") {
    for (mode m : {mode::proxy, mode::replay, mode::proxy_pass, mode::proxy_catch,
                   mode::record_once, mode::passthrough}) {
        CHECK(forge::parse_mode(forge::to_string(m)) == m);
    }
    CHECK(forge::to_string(mode::proxy_pass) == "proxy-pass");
    CHECK(forge::parse_mode("record_once") == mode::record_once);
    CHECK_FALSE(forge::parse_mode("replays").has_value());
    CHECK(forge::parse_tape_policy("journal") == tape_policy::journal);
    CHECK_FALSE(forge::parse_tape_policy("fifo").has_value());
}

TEST_CASE("proxy calls live and records live entries", "[task][modes]") {
    pricing p;
    p.t.set_tape(forge::tape().add("price", success(args({"A"}), 1.0)));
    auto r = p.t.safe_run({"A"});
    REQUIRE_FALSE(r.error);
    CHECK(*r.output == std::vector<double>{100.0});
    CHECK(p.live == 1);
    CHECK(entry(r.record, 0).provenance == provenance::live);
}

TEST_CASE("proxy-pass answers eligible matches from the tape and misses live", "[task][modes]") {
    pricing p;
    p.t.set_mode(mode::proxy_pass)
        .set_tape(forge::tape()
                      .add("price", success(args({"A"}), 1.5))
                      .add("price", failure(args({"B"}), "recorded failure")));
    auto r = p.t.safe_run({"A", "B", "C"});
    REQUIRE_FALSE(r.error);
    // B's entry is an error: never eligible in proxy-pass, so B goes live, as C does.
    CHECK(*r.output == std::vector<double>{1.5, 100.0, 100.0});
    CHECK(p.live == 2);
    CHECK(entry(r.record, 0).provenance == provenance::tape);
    CHECK(entry(r.record, 0).output == json(1.5));
    CHECK(entry(r.record, 0).timing.has_value());
    CHECK(entry(r.record, 1).provenance == provenance::live);
    CHECK(entry(r.record, 2).provenance == provenance::live);
}

TEST_CASE("proxy-catch falls back to the tape only when the live call fails", "[task][modes]") {
    pricing p;
    p.t.set_mode(mode::proxy_catch)
        .set_tape(forge::tape()
                      .add("price", success(args({"A"}), 1.5))
                      .add("price", success(args({"!B"}), 2.5)));
    SECTION("live success wins") {
        auto r = p.t.safe_run({"A"});
        CHECK(*r.output == std::vector<double>{100.0});
        CHECK(entry(r.record, 0).provenance == provenance::live);
    }
    SECTION("live failure with an eligible match: tape-fallback with liveError") {
        auto r = p.t.safe_run({"!B"});
        REQUIRE_FALSE(r.error);
        CHECK(*r.output == std::vector<double>{2.5});
        const auto& e = entry(r.record, 0);
        CHECK(e.provenance == provenance::tape_fallback);
        CHECK(e.live_error == "price feed down");
        CHECK(e.output == json(2.5));
        CHECK_FALSE(e.error.has_value());
        const std::string text = forge::to_json_text(r.record);
        CHECK(text.find(R"("provenance":"tape-fallback","seq":0,"liveError":"price feed down")") !=
              std::string::npos);
    }
    SECTION("live failure without a match: the live error stands") {
        auto r = p.t.safe_run({"!C"});
        REQUIRE(r.error);
        const auto& e = entry(r.record, 0);
        CHECK(e.provenance == provenance::live);
        CHECK(e.error == "price feed down");
        CHECK_FALSE(e.live_error.has_value());
    }
}

TEST_CASE("replay answers from the tape, rethrows recorded errors and misses with the TS text",
          "[task][modes]") {
    pricing p;
    forge::boundary_record err = failure(args({"B"}), "quote service timed out");
    p.t.set_mode(mode::replay)
        .set_tape(forge::tape().add("price", success(args({"A"}), 1.5)).add("price", err));
    SECTION("match, success entry") {
        auto r = p.t.safe_run({"A"});
        CHECK(*r.output == std::vector<double>{1.5});
        CHECK(p.live == 0);
        CHECK(entry(r.record, 0).provenance == provenance::tape);
    }
    SECTION("match, error entry: what() is the recorded text, category kept") {
        auto r = p.t.safe_run({"B"});
        REQUIRE(r.error);
        CHECK(r.record.error == "quote service timed out");
        CHECK(r.record.error_category == forge::error_category::timeout);
        CHECK(entry(r.record, 0).error == "quote service timed out");
        CHECK(entry(r.record, 0).provenance == provenance::tape);
        CHECK(p.live == 0);
    }
    SECTION("no match: the miss error, recorded as a tape entry") {
        auto r = p.t.safe_run({"C"});
        REQUIRE(r.error);
        CHECK(p.live == 0);
        const auto& e = entry(r.record, 0);
        REQUIRE(e.error.has_value());
        CHECK(e.error->rfind(R"(No tape value for this inputs (boundary: price, input: ["C"]))",
                             0) == 0);
        CHECK(e.provenance == provenance::tape);
        try {
            std::rethrow_exception(r.error);
        } catch (const forge::replay_divergence& d) {
            CHECK(d.code() == forge::divergence_code::no_match);
            CHECK(d.details().actual == args({"C"}));
            CHECK(d.details().candidates.size() == 2);
        }
    }
}

TEST_CASE("record-once replays boundaries the tape holds and runs the others live",
          "[task][modes]") {
    std::atomic<int> clock_calls{0};
    pricing p;
    auto now = forge::boundary("now", [&] {
        clock_calls.fetch_add(1);
        return 42;
    });
    forge::task t("quote", forge::boundaries(p.price, now),
                  [&](forge::run& run) { return run(p.price, std::string("A")) + run(now); });
    t.set_mode(mode::record_once).set_tape(forge::tape().add("price", success(args({"A"}), 1.5)));
    auto r = t.safe_run();
    REQUIRE_FALSE(r.error);
    CHECK(*r.output == 43.5);
    CHECK(p.live == 0);
    CHECK(clock_calls == 1);
    CHECK(r.record.find_boundary("price")->at(0).provenance == provenance::tape);
    CHECK(r.record.find_boundary("now")->at(0).provenance == provenance::live);
}

TEST_CASE("passthrough calls live and records nothing", "[task][modes]") {
    pricing p;
    p.t.set_mode(mode::passthrough);
    auto r = p.t.safe_run({"A", "B"});
    CHECK(*r.output == std::vector<double>{100.0, 100.0});
    CHECK(p.live == 2);
    CHECK(r.record.find_boundary("price")->empty());
}

TEST_CASE("mocks take precedence over every mode and mix with tape modes in one run",
          "[task][modes]") {
    pricing p;
    auto fx = forge::boundary("fx", [](const std::string&) { return 2.0; });
    forge::task t("mixed", forge::boundaries(p.price, fx), [&](forge::run& run) {
        return run(p.price, std::string("A")) * run(fx, std::string("EUR"));
    });
    t.set_mode(mode::replay).set_tape(forge::tape().add("price", success(args({"A"}), 1.5)));
    auto m = forge::mock_boundary(t, fx);
    m.expect(forge::mock::eq(std::string("EUR"))).returns(3.0);
    auto r = t.safe_run();
    REQUIRE_FALSE(r.error);
    CHECK(*r.output == 4.5);
    CHECK(r.record.find_boundary("price")->at(0).provenance == provenance::tape);
    CHECK(r.record.find_boundary("fx")->at(0).provenance == provenance::mock);
}

TEST_CASE("a per-boundary mode wins over the task-wide mode", "[task][modes]") {
    pricing p;
    p.t.set_mode(p.price, mode::proxy).set_mode(mode::replay);
    auto r = p.t.safe_run({"A"});
    REQUIRE_FALSE(r.error);
    CHECK(p.live == 1);
}

TEST_CASE("sequence: repeats get entries in recorded order, then the last is reused",
          "[task][modes][policy]") {
    pricing p;
    forge::tape tape;
    tape.add("price", success(args({"A"}), 1.0))
        .add("price", success(args({"B"}), 9.0))
        .add("price", success(args({"A"}), 2.0));
    SECTION("reuse_last") {
        p.t.set_mode(mode::replay).set_tape(tape);
        auto r = p.t.safe_run({"A", "A", "A", "B"});
        CHECK(*r.output == std::vector<double>{1.0, 2.0, 2.0, 9.0});
        SECTION("cursors reset for every run") {
            auto again = p.t.safe_run({"A"});
            CHECK(*again.output == std::vector<double>{1.0});
        }
    }
    SECTION("strict repeats make running out a miss that says the match was used") {
        p.t.set_mode(mode::replay).set_tape(tape, tape_policy::sequence, forge::repeats::strict);
        auto r = p.t.safe_run({"A", "A", "A"});
        REQUIRE(r.error);
        try {
            std::rethrow_exception(r.error);
        } catch (const forge::replay_divergence& d) {
            CHECK(d.code() == forge::divergence_code::already_used);
            CHECK(d.details().call_index == 2);
            CHECK(std::string(d.what()).find("already used") != std::string::npos);
        }
    }
}

TEST_CASE("cache: every call gets the first matching entry", "[task][modes][policy]") {
    pricing p;
    p.t.set_mode(mode::replay)
        .set_tape(forge::tape()
                      .add("price", success(args({"A"}), 1.0))
                      .add("price", success(args({"A"}), 2.0)),
                  tape_policy::cache);
    auto r = p.t.safe_run({"A", "A", "A"});
    CHECK(*r.output == std::vector<double>{1.0, 1.0, 1.0});
}

TEST_CASE("journal: the k-th call must match the k-th entry", "[task][modes][policy]") {
    pricing p;
    forge::tape tape;
    tape.add("price", success(args({"A"}), 1.0)).add("price", success(args({"B"}), 2.0));
    p.t.set_mode(mode::replay).set_tape(tape, tape_policy::journal);
    SECTION("in order") {
        auto r = p.t.safe_run({"A", "B"});
        REQUIRE_FALSE(r.error);
        CHECK(*r.output == std::vector<double>{1.0, 2.0});
    }
    SECTION("out of order") {
        auto r = p.t.safe_run({"B", "A"});
        REQUIRE(r.error);
        try {
            std::rethrow_exception(r.error);
        } catch (const forge::replay_divergence& d) {
            CHECK(d.code() == forge::divergence_code::out_of_order);
            CHECK(d.details().call_index == 0);
        }
    }
    SECTION("more calls than recorded") {
        auto r = p.t.safe_run({"A", "B", "A"});
        REQUIRE(r.error);
        try {
            std::rethrow_exception(r.error);
        } catch (const forge::replay_divergence& d) {
            CHECK(d.code() == forge::divergence_code::beyond_recorded);
            CHECK(std::string(d.what()).find("only 2 times") != std::string::npos);
        }
    }
}

TEST_CASE("matching is canonical and type-strict", "[task][modes][matching]") {
    auto echo = forge::boundary("echo", [](const json& v) { return v; });
    forge::task t("echo", forge::boundaries(echo),
                  [&](const json& in, forge::run& run) { return run(echo, in); });
    t.set_mode(mode::replay)
        .set_tape(
            forge::tape()
                .add("echo", success(args({1}), "int one"))
                .add("echo", success(args({0}), "zero"))
                .add("echo", success(args({forge::parse_json(R"({"a":1,"b":[1,2]})")}), "object")),
            tape_policy::cache);
    CHECK(t.run(json(1.0)) == json("int one"));
    CHECK(t.run(json(-0.0)) == json("zero"));
    CHECK(t.run(forge::parse_json(R"({"b":[1,2.0],"a":1})")) == json("object"));
    for (const char* other :
         {R"("1")", "true", "false", "null", "[]", "{}", R"({"a":1})", R"({"a":1,"b":[2,1]})"}) {
        INFO(other);
        CHECK_FALSE(t.safe_run(forge::parse_json(other)).output.has_value());
    }
}

TEST_CASE("ignore paths and custom matchers", "[task][modes][matching]") {
    auto log = forge::boundary("log", [](const json& event, const std::string& request_id) {
        return event.is_object() ? request_id.size() : std::size_t{0};
    });
    forge::task t("audit", forge::boundaries(log), [&](const json& in, forge::run& run) {
        return run(log, in, std::string("req-live"));
    });
    forge::tape tape;
    tape.add("log", success(args({forge::parse_json(R"({"kind":"buy","at":1000})"), "req-1"}), 7));
    t.set_mode(mode::replay).set_tape(tape);
    SECTION("without ignore paths the call misses") {
        CHECK(t.safe_run(forge::parse_json(R"({"kind":"buy","at":2000})")).error);
    }
    SECTION("ignoring the timestamp and the request id matches") {
        t.ignore_paths(log, {"0.at", "1"});
        auto r = t.safe_run(forge::parse_json(R"({"kind":"buy","at":2000})"));
        REQUIRE_FALSE(r.error);
        CHECK(*r.output == 7u);
        CHECK(t.safe_run(forge::parse_json(R"({"kind":"sell","at":2000})")).error);
    }
    SECTION("a custom matcher decides and its reason shows in the divergence") {
        t.set_matcher(log,
                      [](const json& actual, const json& recorded) -> std::optional<std::string> {
                          const json* a = actual.as_array()[0].find("kind");
                          const json* b = recorded.as_array()[0].find("kind");
                          if (a && b && *a == *b) return std::nullopt;
                          return std::string("kind differs");
                      });
        CHECK(t.safe_run(forge::parse_json(R"({"kind":"buy","at":5})")).output ==
              std::optional<std::size_t>(7));
        auto miss = t.safe_run(forge::parse_json(R"({"kind":"sell"})"));
        REQUIRE(miss.error);
        CHECK(miss.record.error->find("kind differs") != std::string::npos);
    }
}

TEST_CASE("a seed tape is never changed by runs", "[task][modes]") {
    pricing p;
    auto seed = std::make_shared<forge::tape>();
    seed->add("price", success(args({"A"}), 1.0));
    const forge::tape before = *seed;
    p.t.set_mode(mode::proxy_pass).set_tape(seed);
    auto r = p.t.safe_run({"A", "B", "B"});
    REQUIRE_FALSE(r.error);
    CHECK(*seed == before);
    CHECK(seed->size() == 1);
}

TEST_CASE("a tape mode on a boundary whose result cannot be decoded fails at configuration",
          "[task][modes]") {
    auto raw = forge::boundary("raw", [](int x) { return encode_only{x}; });
    forge::task t("raw", forge::boundaries(raw), [&](forge::run& run) { return run(raw, 1).v; });
    CHECK_NOTHROW(t.set_mode(raw, mode::passthrough));
    try {
        t.set_mode(raw, mode::replay);
        FAIL("set_mode accepted a tape mode it cannot answer");
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        CHECK(what.find(R"(boundary "raw" returns)") != std::string::npos);
        CHECK(what.find("encode_only") != std::string::npos);
    }
    forge::task u("raw2", forge::boundaries(raw), [&](forge::run& run) { return run(raw, 1).v; });
    CHECK_THROWS_AS(u.set_mode(mode::proxy_pass), std::invalid_argument);
    auto r = u.safe_replay(forge::execution_record{});
    REQUIRE(r.error);
    CHECK(r.record.error->find("encode_only") != std::string::npos);
}

TEST_CASE("journal: repeated inputs replay in recorded order", "[task][modes][policy]") {
    pricing p;
    p.t.set_mode(mode::replay)
        .set_tape(forge::tape()
                      .add("price", success(args({"A"}), 1.0))
                      .add("price", success(args({"A"}), 2.0)),
                  tape_policy::journal);
    auto r = p.t.safe_run({"A", "A"});
    REQUIRE_FALSE(r.error);
    CHECK(*r.output == std::vector<double>{1.0, 2.0});
}

TEST_CASE("proxy-catch under journal counts live successes in the positions",
          "[task][modes][policy]") {
    pricing p;
    p.t.set_mode(mode::proxy_catch)
        .set_tape(forge::tape()
                      .add("price", success(args({"A"}), 1.5))
                      .add("price", success(args({"!B"}), 2.5)),
                  tape_policy::journal);
    auto r = p.t.safe_run({"A", "!B"});
    REQUIRE_FALSE(r.error);
    CHECK(*r.output == std::vector<double>{100.0, 2.5});
    CHECK(entry(r.record, 0).provenance == provenance::live);
    CHECK(entry(r.record, 1).provenance == provenance::tape_fallback);
}

TEST_CASE("cache lookups answered from the index slot agree with the tape entries",
          "[task][modes][matching]") {
    auto lookup = forge::boundary("lookup", [](const json& v) { return v; });
    forge::task t("lookup", forge::boundaries(lookup),
                  [&](const json& in, forge::run& run) { return run(lookup, in); });
    // Keys and outputs of every scalar kind, around the 15-byte inline string limit, and
    // containers (never inline).
    const std::vector<std::pair<const char*, const char*>> recorded{
        {"null", R"("was null")"},
        {"true", "false"},
        {"7", "7.5"},
        {"-3", "-3"},
        {"18446744073709551615", "18446744073709551615"},
        {"0.25", "null"},
        {R"("")", R"("")"},
        {R"("fifteen-bytes!!")", R"("fifteen-bytes!!")"},
        {R"("sixteen-bytes!!!")", R"("sixteen-bytes!!!")"},
        {R"("é€")", R"({"nested":[1,2]})"},
        {R"([1,2])", "[3]"},
    };
    forge::tape tape;
    for (const auto& [in, out] : recorded) {
        tape.add("lookup", success(args({forge::parse_json(in)}), forge::parse_json(out)));
    }
    t.set_mode(mode::replay).set_tape(tape, tape_policy::cache);
    for (const auto& [in, out] : recorded) {
        INFO(in);
        auto r = t.safe_run(forge::parse_json(in));
        REQUIRE_FALSE(r.error);
        CHECK(forge::to_json_text(*r.output) == forge::to_json_text(forge::parse_json(out)));
        CHECK(forge::to_json_text(*r.record.find_boundary("lookup")->at(0).output) ==
              forge::to_json_text(forge::parse_json(out)));
    }
    // Canonical equality holds on the inline path too: 7 == 7.0; other kinds and near misses miss.
    CHECK(t.safe_run(forge::parse_json("7.0")).output == forge::parse_json("7.5"));
    for (const char* other : {R"("7")", "false", "0", R"("fifteen-bytes!")", R"("FIFTEEN-bytes!!")",
                              R"("sixteen-bytes!!?")", "[1]", "-0"}) {
        INFO(other);
        CHECK(t.safe_run(forge::parse_json(other)).error);
    }
}
