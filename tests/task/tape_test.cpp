#include <forge/task/tape.hpp>
#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

forge::boundary_record entry(forge::json input, forge::json output) {
    forge::boundary_record b;
    b.input = std::move(input);
    b.output = std::move(output);
    return b;
}

forge::boundary_record failed_entry(forge::json input, std::string error) {
    forge::boundary_record b;
    b.input = std::move(input);
    b.error = std::move(error);
    return b;
}

forge::execution_record record_with(forge::boundary_log log) {
    forge::execution_record r;
    r.input = forge::json::object();
    r.boundaries = std::move(log);
    r.type = forge::record_type::success;
    return r;
}

std::string map_text(const forge::tape& t, const forge::encode_options& opts = {}) {
    return forge::to_json_text(t.to_json(opts));
}

}  // namespace

TEST_CASE("tape::from_record keeps every boundary of the record, with and without entries",
          "[tape]") {
    auto r = record_with({{"fetchPrice",
                           {entry(forge::json::array({"AAPL"}), 101.0),
                            failed_entry(forge::json::array({"X"}), "unknown ticker")}},
                          {"audit", {}}});
    auto t = forge::tape::from_record(r);
    CHECK(t.boundaries() == r.boundaries);
    CHECK(t.size() == 2);
    REQUIRE(t.find("fetchPrice") != nullptr);
    CHECK(t.find("fetchPrice")->at(1).error == "unknown ticker");
    REQUIRE(t.find("audit") != nullptr);
    CHECK(t.find("audit")->empty());
    CHECK(t.find("missing") == nullptr);
}

TEST_CASE("tape::from_records appends entries in record order, names in first-seen order",
          "[tape][compile]") {
    std::vector<forge::execution_record> records{
        record_with(
            {{"fetchPrice",
              {entry(forge::json::array({"A"}), 1), entry(forge::json::array({"B"}), 2)}},
             {"fetchHoldings", {entry(forge::json::array({"ada"}), forge::json::array())}}}),
        record_with({{"audit", {entry(forge::json::array({1}), true)}},
                     {"fetchPrice", {entry(forge::json::array({"C"}), 3)}}})};
    auto t = forge::tape::from_records(records);
    CHECK(map_text(t) ==
          R"({"fetchPrice":[{"input":["A"],"output":1},{"input":["B"],"output":2},)"
          R"({"input":["C"],"output":3}],"fetchHoldings":[{"input":["ada"],"output":[]}],)"
          R"("audit":[{"input":[1],"output":true}]})");
    CHECK(t.size() == 5);
    CHECK(forge::tape::from_records({}).size() == 0);
    CHECK(forge::tape::from_records({}).boundaries().empty());
}

TEST_CASE("tape::add appends to a boundary, adding a new name at the end", "[tape]") {
    forge::tape t;
    t.add("b", entry(forge::json::array({1}), 1))
        .add("a", entry(forge::json::array({2}), 2))
        .add("b", entry(forge::json::array({3}), 3));
    REQUIRE(t.boundaries().size() == 2);
    CHECK(t.boundaries()[0].first == "b");
    CHECK(t.boundaries()[1].first == "a");
    REQUIRE(t.find("b")->size() == 2);
    CHECK(t.find("b")->at(1).output == forge::json(3));
    CHECK(t.size() == 3);
}

TEST_CASE("tape::append merges another tape boundary by boundary, itself included", "[tape]") {
    forge::tape a;
    a.add("x", entry(forge::json::array({1}), 1));
    forge::tape b;
    b.add("y", entry(forge::json::array({2}), 2)).add("x", entry(forge::json::array({3}), 3));
    a.append(b);
    CHECK(
        map_text(a) ==
        R"({"x":[{"input":[1],"output":1},{"input":[3],"output":3}],"y":[{"input":[2],"output":2}]})");
    a.append(a);
    CHECK(a.size() == 6);
    CHECK(a.find("x")->at(2).output == forge::json(1));
    CHECK(a.find("y")->at(1).output == forge::json(2));
}

TEST_CASE("tape::from_boundary_map reads a TS boundariesData map", "[tape][ts]") {
    // TS entries carry no timing; a single entry object stands for a one-element array.
    const std::string ts = R"({"fetchPrice":[{"input":["AAPL"],"output":101},)"
                           R"({"input":["MSFT"],"error":"rate limited"}],)"
                           R"("fetchHoldings":{"input":["ada"],"output":[{"ticker":"AAPL"}]},)"
                           R"("audit":[]})";
    auto t = forge::tape::from_boundary_map(forge::parse_json(ts));
    REQUIRE(t.boundaries().size() == 3);
    CHECK(t.boundaries()[0].first == "fetchPrice");
    CHECK(t.boundaries()[1].first == "fetchHoldings");
    CHECK(t.boundaries()[2].first == "audit");
    const auto& prices = *t.find("fetchPrice");
    REQUIRE(prices.size() == 2);
    CHECK(prices[0].input == forge::json::array({"AAPL"}));
    CHECK(prices[0].output == forge::json(101));
    CHECK_FALSE(prices[0].timing.has_value());
    CHECK(prices[1].is_error());
    CHECK(prices[1].error == "rate limited");
    REQUIRE(t.find("fetchHoldings")->size() == 1);
    CHECK(t.find("audit")->empty());
    CHECK(
        map_text(t) ==
        R"({"fetchPrice":[{"input":["AAPL"],"output":101},{"input":["MSFT"],"error":"rate limited"}],)"
        R"("fetchHoldings":[{"input":["ada"],"output":[{"ticker":"AAPL"}]}],"audit":[]})");
}

TEST_CASE("tape::from_boundary_map and to_json round-trip a record's boundaries", "[tape]") {
    auto b = entry(forge::json::array({"A"}), 1);
    b.provenance = forge::provenance::live;
    b.seq = 1;
    b.timing = forge::timing_info{10, 12, 2, 2000000, 5};
    auto t = forge::tape::from_record(
        record_with({{"f", {b, failed_entry(forge::json::array({"B"}), "boom")}}, {"g", {}}}));
    auto back = forge::tape::from_boundary_map(t.to_json());
    CHECK(back == t);
    CHECK(map_text(back) == map_text(t));
    forge::encode_options ts;
    ts.extensions = false;
    CHECK(map_text(t, ts) ==
          R"({"f":[{"input":["A"],"output":1,"timing":{"startTime":10,"endTime":12,"duration":2}},)"
          R"({"input":["B"],"error":"boom"}],"g":[]})");
}

TEST_CASE("tape::from_boundary_map names the path of a bad map or entry", "[tape][hostile]") {
    auto message = [](const std::string& text) {
        try {
            (void)forge::tape::from_boundary_map(forge::parse_json(text));
        } catch (const forge::decode_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("[]") == "(root): expected object, got array");
    CHECK(message("null") == "(root): expected object, got null");
    CHECK(message(R"({"fetchPrice":[{"input":["A"]},{"input":"B"}]})") ==
          "fetchPrice.1.input: expected array");
    CHECK(message(R"({"fetchPrice":{"input":["A"],"seq":-1}})") ==
          "fetchPrice.seq: expected a non-negative integer");
    CHECK(message(R"({"ok":[],"fetchPrice":[3]})") == "fetchPrice.0: expected object, got number");
    CHECK(message(R"({"fetchPrice":"AAPL"})") == "fetchPrice: expected array, got string");
}

TEST_CASE("tape::from_boundary_map reads a null boundary value as no entries", "[tape]") {
    auto t = forge::tape::from_boundary_map(forge::parse_json(R"({"a":null})"));
    REQUIRE(t.find("a") != nullptr);
    CHECK(t.find("a")->empty());
}

TEST_CASE("tapes compare by content", "[tape]") {
    forge::tape a;
    a.add("f", entry(forge::json::array({1}), 1));
    forge::tape b;
    b.add("f", entry(forge::json::array({1}), 1));
    CHECK(a == b);
    b.add("f", entry(forge::json::array({1}), 1));
    CHECK_FALSE(a == b);
    CHECK(forge::tape{} == forge::tape{});
}
