#include <forge/types/errors.hpp>
#include <forge/types/json.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

using forge::json;
using forge::json_array;
using forge::json_kind;
using forge::json_object;

TEST_CASE("json constructors pick the matching kind", "[json]") {
    CHECK(json().kind() == json_kind::null);
    CHECK(json(true).kind() == json_kind::boolean);
    CHECK(json(7).kind() == json_kind::integer);
    CHECK(json(7u).kind() == json_kind::integer);
    CHECK(json(std::numeric_limits<std::uint64_t>::max()).kind() == json_kind::uinteger);
    CHECK(json(std::uint64_t{5}).kind() == json_kind::integer);
    CHECK(json(1.5).kind() == json_kind::number);
    CHECK(json("x").kind() == json_kind::string);
    CHECK(json::array({1, 2}).kind() == json_kind::array);
    CHECK(json::object({{"a", 1}}).kind() == json_kind::object);
}

TEST_CASE("json accessors throw json_type_error naming both kinds", "[json]") {
    json s("text");
    CHECK(s.as_string() == "text");
    CHECK_THROWS_MATCHES(s.as_int64(), forge::json_type_error,
                         Catch::Matchers::Message("json: expected number, got string"));
    CHECK_THROWS_AS(json(1).as_string(), forge::json_type_error);
    CHECK_THROWS_AS(json().as_array(), forge::json_type_error);
    CHECK_THROWS_AS(json(1).as_object(), forge::json_type_error);
    CHECK_THROWS_AS(json(1).as_bool(), forge::json_type_error);
}

TEST_CASE("json numeric accessors convert exactly or throw", "[json]") {
    CHECK(json(3).as_double() == 3.0);
    CHECK(json(4.0).as_int64() == 4);
    CHECK_THROWS_AS(json(4.5).as_int64(), forge::json_type_error);
    CHECK(json(std::numeric_limits<std::uint64_t>::max()).as_uint64() ==
          std::numeric_limits<std::uint64_t>::max());
    CHECK_THROWS_AS(json(std::numeric_limits<std::uint64_t>::max()).as_int64(),
                    forge::json_type_error);
    CHECK_THROWS_AS(json(-1).as_uint64(), forge::json_type_error);
    CHECK(json(1e300).as_double() == 1e300);
    CHECK_THROWS_AS(json(1e300).as_int64(), forge::json_type_error);
}

TEST_CASE("json set keeps the first position and the last value", "[json]") {
    json o;
    o.set("a", 1);
    o.set("b", 2);
    o.set("a", 3);
    REQUIRE(o.size() == 2);
    CHECK(o.as_object()[0].first == "a");
    CHECK(o.as_object()[0].second == json(3));
    CHECK(o.find("b")->as_int64() == 2);
    CHECK(o.find("zz") == nullptr);
    CHECK(json(1).find("a") == nullptr);
    CHECK_THROWS_AS(json(1).set("a", 1), forge::json_type_error);
}

TEST_CASE("insert_or_assign assigns an existing key in place and appends a new one", "[json]") {
    forge::json_object o;
    forge::insert_or_assign(o, "b", 1);
    forge::insert_or_assign(o, "a", 2);
    json& stored = forge::insert_or_assign(o, "b", "three");
    REQUIRE(o.size() == 2);
    CHECK(o[0].first == "b");
    CHECK(o[0].second == json("three"));
    CHECK(&stored == &o[0].second);
    CHECK(o[1].first == "a");
    CHECK(o[1].second == json(2));
}

TEST_CASE("json push_back turns null into an array", "[json]") {
    json a;
    a.push_back(1);
    a.push_back("x");
    CHECK(a == json::array({1, "x"}));
    CHECK(a.size() == 2);
    CHECK(json(5).size() == 0);
}

TEST_CASE("json equality compares numbers by value and objects in order", "[json]") {
    CHECK(json(1) == json(1.0));
    CHECK(json(1.5) != json(1));
    CHECK(json(0.0) == json(-0.0));
    CHECK(json(std::numeric_limits<std::uint64_t>::max()) != json(-1));
    CHECK(json("1") != json(1));
    CHECK(json(false) != json(0));
    CHECK(json() != json(0));
    CHECK(json::object({{"a", 1}, {"b", 2}}) != json::object({{"b", 2}, {"a", 1}}));
    CHECK(json::array({1, 2}) == json::array({1.0, 2}));
}

TEST_CASE("an integer equals the double its text denotes in JavaScript", "[json]") {
    json from_text(std::int64_t{197777777777777800});
    json as_double(197777777777777777.5);
    CHECK(from_text == as_double);
    CHECK(forge::canonical_equal(from_text, as_double));
    CHECK(forge::canonical_hash(from_text) == forge::canonical_hash(as_double));
    CHECK(json(std::int64_t{9007199254740993}) != json(std::int64_t{9007199254740992}));
}

TEST_CASE("canonical_equal ignores key order but never mixes types", "[json][canonical]") {
    CHECK(forge::canonical_equal(json::object({{"a", 1}, {"b", 2}}),
                                 json::object({{"b", 2}, {"a", 1}})));
    CHECK_FALSE(forge::canonical_equal(json(1), json("1")));
    CHECK_FALSE(forge::canonical_equal(json(0), json(false)));
    CHECK_FALSE(forge::canonical_equal(json(), json(0)));
    CHECK_FALSE(forge::canonical_equal(json::array(), json::object()));
    CHECK(forge::canonical_equal(json(1), json(1.0)));
    CHECK(forge::canonical_equal(json(-0.0), json(0)));
    CHECK_FALSE(forge::canonical_equal(json::array({1, 2}), json::array({2, 1})));
    CHECK_FALSE(
        forge::canonical_equal(json::object({{"a", 1}}), json::object({{"a", 1}, {"b", 1}})));
    CHECK_FALSE(forge::canonical_equal(json::object({{"a", 1}}), json::object({{"b", 1}})));
}

TEST_CASE("canonical_hash agrees with canonical_equal", "[json][canonical]") {
    using forge::canonical_hash;
    CHECK(canonical_hash(json(1)) == canonical_hash(json(1.0)));
    CHECK(canonical_hash(json(-0.0)) == canonical_hash(json(0)));
    CHECK(canonical_hash(json::object({{"a", 1}, {"b", json::array({"x"})}})) ==
          canonical_hash(json::object({{"b", json::array({"x"})}, {"a", 1.0}})));
    CHECK(canonical_hash(json(1)) != canonical_hash(json("1")));
    CHECK(canonical_hash(json::array({1, 2})) != canonical_hash(json::array({2, 1})));
}

TEST_CASE("kind_name reports integers as number", "[json]") {
    CHECK(forge::kind_name(json_kind::integer) == "number");
    CHECK(forge::kind_name(json_kind::uinteger) == "number");
    CHECK(forge::kind_name(json_kind::object) == "object");
    CHECK(forge::kind_name(json_kind::boolean) == "boolean");
}
