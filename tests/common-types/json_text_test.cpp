#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

using forge::json;
using forge::parse_json;
using forge::to_json_text;

namespace {

std::string num(double d) {
    std::string out;
    forge::write_json_number(out, d);
    return out;
}

std::string str(std::string_view s) {
    std::string out;
    forge::write_json_string(out, s);
    return out;
}

}  // namespace

TEST_CASE("doubles are written in ECMAScript form per the spec table", "[json_text][number]") {
    CHECK(num(100.0) == "100");
    CHECK(num(-0.0) == "0");
    CHECK(num(19.5) == "19.5");
    CHECK(num(0.1 + 0.2) == "0.30000000000000004");
    CHECK(num(1e21) == "1e+21");
    CHECK(num(1e20) == "100000000000000000000");
    CHECK(num(1e-7) == "1e-7");
    CHECK(num(0.000001) == "0.000001");
    CHECK(num(1.5e300) == "1.5e+300");
    CHECK(num(std::nan("")) == "null");
    CHECK(num(std::numeric_limits<double>::infinity()) == "null");
    CHECK(num(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("more doubles match JavaScript's String(x)", "[json_text][number]") {
    CHECK(num(74.52) == "74.52");
    CHECK(num(-1.25) == "-1.25");
    CHECK(num(123456789012345680000.0) == "123456789012345680000");
    CHECK(num(1.2345e-7) == "1.2345e-7");
    CHECK(num(5e-324) == "5e-324");
    CHECK(num(1.7976931348623157e308) == "1.7976931348623157e+308");
    CHECK(num(0.5) == "0.5");
    CHECK(num(123.456) == "123.456");
    CHECK(num(-1e21) == "-1e+21");
    CHECK(num(2e-6) == "0.000002");
}

TEST_CASE("format_js_number spells non-finite values as JavaScript does", "[json_text][number]") {
    CHECK(forge::format_js_number(std::nan("")) == "NaN");
    CHECK(forge::format_js_number(std::numeric_limits<double>::infinity()) == "Infinity");
    CHECK(forge::format_js_number(-std::numeric_limits<double>::infinity()) == "-Infinity");
    CHECK(forge::format_js_number(42) == "42");
}

TEST_CASE("integers are written with all their digits", "[json_text][number]") {
    CHECK(to_json_text(json(std::numeric_limits<std::int64_t>::min())) == "-9223372036854775808");
    CHECK(to_json_text(json(std::numeric_limits<std::uint64_t>::max())) == "18446744073709551615");
    CHECK(to_json_text(json(0)) == "0");
}

TEST_CASE("strings escape only what the spec lists, with lowercase hex", "[json_text][string]") {
    CHECK(str("a\"b\\c") == R"("a\"b\\c")");
    CHECK(str("\b\t\n\f\r") == R"("\b\t\n\f\r")");
    CHECK(str(std::string("\x01\x1f\x0b", 3)) == R"("\u0001\u001f\u000b")");
    CHECK(str(std::string_view("\0", 1)) == R"("\u0000")");
    CHECK(str("/\x7f") == "\"/\x7f\"");
    CHECK(str("\xE2\x80\xA8\xE2\x80\xA9") == "\"\xE2\x80\xA8\xE2\x80\xA9\"");
    CHECK(str("caf\xC3\xA9 \xF0\x9F\x98\x80") == "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
}

TEST_CASE("invalid UTF-8 is written as U+FFFD", "[json_text][string]") {
    CHECK(str("a\xFFz") == "\"a\xEF\xBF\xBDz\"");
    CHECK(str("\xC3") == "\"\xEF\xBF\xBD\"");
    CHECK(str("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    CHECK(str("\xE2\x80z") == "\"\xEF\xBF\xBDz\"");
    CHECK(str("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST_CASE("write_json writes nested values compactly in member order", "[json_text]") {
    json v =
        json::object({{"b", json::array({1, 2.5, "x", nullptr, true})}, {"a", json::object()}});
    CHECK(to_json_text(v) == R"({"b":[1,2.5,"x",null,true],"a":{}})");
    CHECK(to_json_text(json::array()) == "[]");
}

TEST_CASE("parse_json reads every kind and keeps member order", "[json_text][parse]") {
    json v = parse_json(R"( { "z" : [1, -2, 3.5, 1e2, true, false, null, "s"], "a" : {} } )");
    REQUIRE(v.is_object());
    CHECK(v.as_object()[0].first == "z");
    const auto& a = v.find("z")->as_array();
    CHECK(a[0].kind() == forge::json_kind::integer);
    CHECK(a[1].as_int64() == -2);
    CHECK(a[2].as_double() == 3.5);
    CHECK(a[3].kind() == forge::json_kind::number);
    CHECK(a[3].as_double() == 100.0);
    CHECK(a[7].as_string() == "s");
}

TEST_CASE("parse_json keeps big integers exact", "[json_text][parse]") {
    CHECK(parse_json("18446744073709551615").kind() == forge::json_kind::uinteger);
    CHECK(parse_json("-9223372036854775808").as_int64() ==
          std::numeric_limits<std::int64_t>::min());
    json big = parse_json("123456789012345678901234");
    CHECK(big.kind() == forge::json_kind::number);
    CHECK(big.as_double() == 1.2345678901234568e23);
    CHECK(parse_json("-0").as_int64() == 0);
    CHECK(parse_json("1e-400").as_double() == 0.0);
}

TEST_CASE("parse_json rejects numbers beyond double range", "[json_text][parse]") {
    CHECK_THROWS_MATCHES(parse_json("[1e400]"), forge::json_parse_error,
                         Catch::Matchers::Message("offset 1: number out of range for a double"));
    CHECK_THROWS_AS(parse_json("-1e400"), forge::json_parse_error);
}

TEST_CASE("duplicate keys: the last wins at the first position", "[json_text][parse]") {
    json v = parse_json(R"({"a":1,"b":2,"a":3})");
    CHECK(to_json_text(v) == R"({"a":3,"b":2})");
    std::string big = "{";
    for (int i = 0; i < 40; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    big += "\"k5\":99}";
    json w = parse_json(big);
    CHECK(w.size() == 40);
    CHECK(w.as_object()[5].second.as_int64() == 99);
}

TEST_CASE("escapes decode and lone surrogates become U+FFFD", "[json_text][parse]") {
    CHECK(parse_json(R"("\u00e9\n\/\"")").as_string() == "\xC3\xA9\n/\"");
    CHECK(parse_json(R"("\ud83d\ude00")").as_string() == "\xF0\x9F\x98\x80");
    CHECK(parse_json(R"("\ud83dx")").as_string() == "\xEF\xBF\xBDx");
    CHECK(parse_json(R"("\ude00")").as_string() == "\xEF\xBF\xBD");
    CHECK(parse_json(R"("\ud83d\u0041")").as_string() ==
          "\xEF\xBF\xBD"
          "A");
}

TEST_CASE("parse_json reports malformed text with its offset", "[json_text][parse]") {
    CHECK_THROWS_MATCHES(
        parse_json(""), forge::json_parse_error,
        Catch::Matchers::Message("offset 0: unexpected end of input, expected a value"));
    CHECK_THROWS_MATCHES(
        parse_json("[1 2]"), forge::json_parse_error,
        Catch::Matchers::Message("offset 3: expected ',' or ']' after an array element"));
    CHECK_THROWS_MATCHES(
        parse_json("{} x"), forge::json_parse_error,
        Catch::Matchers::Message("offset 3: unexpected text after the JSON value"));
    CHECK_THROWS_AS(parse_json("{\"a\" 1}"), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json("[01]"), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json("[1.]"), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json("[tru]"), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json("[\"a\tb\"]"), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json(R"(["\x"])"), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json(R"(["\u12g4"])"), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json("{\"a\":1,}"), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json("[,]"), forge::json_parse_error);
}

TEST_CASE("parse_json rejects invalid UTF-8", "[json_text][parse][hostile]") {
    CHECK_THROWS_WITH(parse_json("\"a\xFF\""), Catch::Matchers::Contains("invalid UTF-8"));
    CHECK_THROWS_AS(parse_json("\"\xED\xA0\x80\""), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json("\"\xC0\xAF\""), forge::json_parse_error);
    CHECK_THROWS_AS(parse_json("\"\xF0\x9F\x98\""), forge::json_parse_error);
}

TEST_CASE("deep nesting fails with the depth in the message, without recursion",
          "[json_text][hostile]") {
    std::string deep(100000, '[');
    CHECK_THROWS_WITH(parse_json(deep), Catch::Matchers::Contains("nesting deeper than 256"));
    std::string objects;
    for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
    CHECK_THROWS_WITH(parse_json(objects), Catch::Matchers::Contains("nesting deeper than 256"));
    std::string ok = std::string(256, '[') + std::string(256, ']');
    CHECK(parse_json(ok).is_array());
    forge::parse_options tight;
    tight.max_depth = 2;
    CHECK_THROWS_AS(parse_json("[[[]]]", tight), forge::json_parse_error);
}

TEST_CASE("try_parse_json reports instead of throwing", "[json_text][parse]") {
    std::string error;
    CHECK_FALSE(forge::try_parse_json("[", &error).has_value());
    CHECK(error.find("offset 1") == 0);
    auto v = forge::try_parse_json("[1]");
    REQUIRE(v.has_value());
    CHECK(*v == json::array({1}));
}

TEST_CASE("a 50 MB string parses and writes back", "[json_text][hostile]") {
    std::string text;
    text.reserve(50 * 1024 * 1024 + 2);
    text.push_back('"');
    text.append(50 * 1024 * 1024, 'x');
    text.push_back('"');
    json v = parse_json(text);
    CHECK(v.as_string().size() == 50u * 1024 * 1024);
    CHECK(to_json_text(v).size() == text.size());
}

TEST_CASE("parse then write round-trips text that is already canonical", "[json_text]") {
    const char* samples[] = {
        R"({"a":[1,-2,3.5,1e+21,1e-7,"\u0001\n",null,true,false],"b":{"c":{}}})",
        R"([18446744073709551615,-9223372036854775808,0.30000000000000004])",
        "\"\xF0\x9F\x98\x80\"",
    };
    for (const char* s : samples) CHECK(to_json_text(parse_json(s)) == s);
}

namespace {

// counting_memory: a parse_memory that admits up to `limit` bytes and records each charge.
class counting_memory final : public forge::parse_memory {
public:
    explicit counting_memory(std::size_t limit) : limit_(limit) {}
    bool charge(std::size_t bytes) override {
        if (charged + bytes > limit_) return false;
        charged += bytes;
        ++charges;
        return true;
    }
    std::size_t charged = 0;
    std::size_t charges = 0;

private:
    std::size_t limit_;
};

}  // namespace

TEST_CASE("parse_json charges the memory its values hold, in growing steps", "[json][memory]") {
    SECTION("a small document: the first step, doubled as needed") {
        counting_memory memory(SIZE_MAX);
        forge::parse_options opts;
        opts.memory = &memory;
        // 7 values, 1 key string, 2 members: 7 * 40 + 6 + 2 * 32 bytes, past one step of 256.
        auto v = forge::parse_json(R"({"a":[1,2,3],"b":"text"})", opts);
        CHECK(v.find("b")->as_string() == "text");
        CHECK(memory.charges == 2);
        CHECK(memory.charged == 3 * forge::parse_memory_min_step);
    }
    SECTION("small values expand: 1 MiB of [0,0,...] charges about 20 bytes per text byte") {
        std::string text = "[0";
        while (text.size() < (std::size_t{1} << 20)) text += ",0";
        text += ']';
        counting_memory memory(SIZE_MAX);
        forge::parse_options opts;
        opts.memory = &memory;
        auto v = forge::parse_json(text, opts);
        std::size_t held = v.as_array().size() * sizeof(json);
        CHECK(memory.charged >= held);
        CHECK(memory.charged < held + forge::parse_memory_max_step * 2);
    }
    SECTION("a refused charge stops the parse with json_memory_error, not a parse error") {
        std::string text = "[" + std::string(100, ' ') + "\"" + std::string(100'000, 'x') + "\"]";
        counting_memory memory(64 * 1024);
        forge::parse_options opts;
        opts.memory = &memory;
        CHECK_THROWS_AS(forge::parse_json(text, opts), forge::json_memory_error);
        CHECK_THROWS_WITH(forge::parse_json(text, opts),
                          Catch::Contains("parsed values over the memory budget"));
        std::string error;
        CHECK_THROWS_AS(forge::try_parse_json(text, &error, opts), forge::json_memory_error);
    }
    SECTION("without a budget nothing is charged") {
        auto v = forge::parse_json("[1,2,3]");
        CHECK(v.as_array().size() == 3);
    }
}
