#include <forge/task/fields.hpp>
#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace portfolio {

struct holding {
    std::string ticker;
    int qty = 0;
    friend bool operator==(const holding&, const holding&) = default;
};
FORGE_FIELDS(holding, ticker, qty);

struct account {
    std::string owner;
    std::vector<holding> holdings;
    std::optional<std::string> note;
    std::map<std::string, double> cash;
    friend bool operator==(const account&, const account&) = default;
};
FORGE_FIELDS(account, owner, holdings, note, cash);

}  // namespace portfolio

TEST_CASE("FORGE_FIELDS encodes members in declaration order", "[codec][fields]") {
    portfolio::holding h{"AAPL", 3};
    CHECK(forge::to_json_text(forge::to_json(h)) == R"({"ticker":"AAPL","qty":3})");
}

TEST_CASE("FORGE_FIELDS structs round-trip when nested and with optionals", "[codec][fields]") {
    portfolio::account a{"ada", {{"AAPL", 3}, {"MSFT", 2}}, std::nullopt, {{"EUR", 10.5}}};
    CHECK(forge::from_json<portfolio::account>(forge::to_json(a)) == a);
    a.note = "vip";
    CHECK(forge::from_json<portfolio::account>(forge::to_json(a)) == a);
}

TEST_CASE("FORGE_FIELDS decoding treats a missing optional as empty and ignores unknown keys",
          "[codec][fields]") {
    auto j = forge::parse_json(R"({"owner":"bob","holdings":[],"cash":{},"extra":1})");
    auto a = forge::from_json<portfolio::account>(j);
    CHECK(a.owner == "bob");
    CHECK_FALSE(a.note.has_value());
}

TEST_CASE("FORGE_FIELDS decoding errors name the field path", "[codec][fields]") {
    auto j = forge::parse_json(
        R"({"owner":"bob","holdings":[{"ticker":"A","qty":1},{"ticker":"B","qty":"2"}],"cash":{}})");
    try {
        (void)forge::from_json<portfolio::account>(j);
        FAIL("expected a decode_error");
    } catch (const forge::decode_error& e) {
        CHECK(e.path() == "holdings[1].qty");
        CHECK(e.reason() == "expected integer, received string");
    }
    auto missing = forge::parse_json(R"({"owner":"bob","cash":{}})");
    try {
        (void)forge::from_json<portfolio::account>(missing);
        FAIL("expected a decode_error");
    } catch (const forge::decode_error& e) {
        CHECK(e.path() == "holdings");
        CHECK(e.reason() == "missing required field");
    }
    try {
        (void)forge::from_json<portfolio::holding>(forge::json(5));
        FAIL("expected a decode_error");
    } catch (const forge::decode_error& e) {
        CHECK(e.path() == "");
        CHECK(e.reason() == "expected object, received number");
    }
}
