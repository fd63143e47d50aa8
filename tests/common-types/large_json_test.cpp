// The reader on texts of 1 MiB and more, where it reserves its value stack up front and a large
// array that is the whole stack becomes the result without a copy.
#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

using forge::json;

namespace {

constexpr std::int64_t count = 200'000;  // about 1.3 MB of text

// numbers: "0,1,2,...,count-1" (no brackets).
std::string numbers() {
    std::string text;
    for (std::int64_t i = 0; i < count; ++i) {
        if (i > 0) text += ',';
        text += std::to_string(i);
    }
    return text;
}

void check_numbers(const json& v) {
    const auto& a = v.as_array();
    REQUIRE(a.size() == static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) {
        if (a[static_cast<std::size_t>(i)] != json(i)) FAIL("element " << i);
    }
}

}  // namespace

TEST_CASE("a large flat array keeps every element in order wherever it sits", "[json][large]") {
    const std::string items = numbers();
    REQUIRE(items.size() >= (std::size_t{1} << 20));

    SECTION("at the root") { check_numbers(forge::parse_json("[" + items + "]")); }
    SECTION("first inside another array, followed by more elements") {
        json v = forge::parse_json("[[" + items + "],\"after\",[1]]");
        REQUIRE(v.size() == 3);
        check_numbers(v.as_array()[0]);
        CHECK(v.as_array()[1] == json("after"));
        CHECK(v.as_array()[2] == json::array({1}));
    }
    SECTION("at the root after a larger array has come and gone") {
        json v = forge::parse_json("[[" + items + "," + items + "]," + items + "]");
        const auto& a = v.as_array();
        REQUIRE(a.size() == static_cast<std::size_t>(count) + 1);
        CHECK(a[0].size() == 2 * static_cast<std::size_t>(count));
        CHECK(a[1] == json(0));
        CHECK(a.back() == json(count - 1));
    }
    SECTION("as an object member") {
        json v = forge::parse_json("{\"a\":[" + items + "],\"b\":true}");
        check_numbers(*v.find("a"));
        CHECK(*v.find("b") == json(true));
    }
}

TEST_CASE("a large text parsed after a failed one gives the same value", "[json][large]") {
    const std::string items = numbers();
    CHECK_THROWS_AS(forge::parse_json("[" + items + ",]"), forge::json_parse_error);
    check_numbers(forge::parse_json("[" + items + "]"));
}
