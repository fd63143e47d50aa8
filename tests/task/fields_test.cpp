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

namespace checkout {

struct line {
    std::string sku;
    double unit_price = 0;
    std::optional<int> qty;
    friend bool operator==(const line&, const line&) = default;
};
FORGE_FIELDS_AS(line, (sku, "sku"), (unit_price, "unitPrice"), (qty, "qty"));

struct request {
    std::string customer_id;
    std::vector<line> lines;
    friend bool operator==(const request&, const request&) = default;
};
FORGE_FIELDS_AS(request, (customer_id, "customerId"), (lines, "lines"));

}  // namespace checkout

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
        CHECK(e.path() == "holdings.1.qty");
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

TEST_CASE("FORGE_FIELDS_AS writes and reads each field under its JSON key", "[codec][fields]") {
    checkout::request r{"c-1042", {{"A-7", 19.5, 2}, {"B-3", 42, std::nullopt}}};
    const std::string text =
        R"({"customerId":"c-1042","lines":[{"sku":"A-7","unitPrice":19.5,"qty":2},)"
        R"({"sku":"B-3","unitPrice":42,"qty":null}]})";
    CHECK(forge::to_json_text(forge::to_json(r)) == text);
    CHECK(forge::from_json<checkout::request>(forge::parse_json(text)) == r);
    CHECK_THROWS_AS(forge::from_json<checkout::request>(
                        forge::parse_json(R"({"customer_id":"c-1042","lines":[]})")),
                    forge::decode_error);
}

TEST_CASE("FORGE_FIELDS_AS decoding errors name the JSON key, not the member", "[codec][fields]") {
    auto j = forge::parse_json(
        R"({"customerId":"c-1","lines":[{"sku":"A","unitPrice":1},{"sku":"B","unitPrice":"2"}]})");
    try {
        (void)forge::from_json<checkout::request>(j);
        FAIL("expected a decode_error");
    } catch (const forge::decode_error& e) {
        CHECK(e.path() == "lines.1.unitPrice");
        CHECK(e.reason() == "expected number, received string");
    }
    try {
        (void)forge::from_json<checkout::request>(forge::parse_json(R"({"lines":[]})"));
        FAIL("expected a decode_error");
    } catch (const forge::decode_error& e) {
        CHECK(e.path() == "customerId");
        CHECK(e.reason() == "missing required field");
    }
}
