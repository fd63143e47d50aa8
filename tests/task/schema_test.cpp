#include <forge/task/schema.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

namespace {

std::string message_for(const forge::schema& s, const char* text) {
    auto issues = s.validate(forge::parse_json(text));
    return issues.empty() ? std::string("valid") : forge::format_validation_message(issues);
}

forge::schema counter_schema() {
    return forge::schema::object()
        .required("value", forge::schema::number())
        .required("increment", forge::schema::number());
}

}  // namespace

TEST_CASE("validation reports every issue in one message in declaration order",
          "[schema][validation]") {
    CHECK(message_for(counter_schema(), R"({"value":null})") ==
          "Invalid input on: value: Invalid input: expected number, received null, "
          "increment: Invalid input: expected number, received undefined");
    CHECK(message_for(counter_schema(), R"({"value":1,"increment":2})") == "valid");
}

TEST_CASE("a root type mismatch has an empty path", "[schema][validation]") {
    CHECK(message_for(counter_schema(), "null") ==
          "Invalid input on: : Invalid input: expected object, received null");
    CHECK(message_for(counter_schema(), "[1]") ==
          "Invalid input on: : Invalid input: expected object, received array");
}

TEST_CASE("no issue detail gives exactly Invalid input", "[schema][validation]") {
    CHECK(forge::format_validation_message({}) == "Invalid input");
}

TEST_CASE("number bounds use the TS validator's wording", "[schema][validation]") {
    auto s = forge::schema::object()
                 .required("a", forge::schema::number().minimum(1))
                 .required("b", forge::schema::number().minimum(0, true))
                 .required("c", forge::schema::number().maximum(10))
                 .required("d", forge::schema::number().maximum(2.5, true));
    CHECK(message_for(s, R"({"a":0,"b":0,"c":11,"d":2.5})") ==
          "Invalid input on: a: Too small: expected number to be >=1, b: Too small: expected "
          "number to "
          "be >0, c: Too big: expected number to be <=10, d: Too big: expected number to be <2.5");
    CHECK(message_for(s, R"({"a":1,"b":0.1,"c":10,"d":2})") == "valid");
}

TEST_CASE("integers reject fractional numbers", "[schema][validation]") {
    auto s = forge::schema::object().required("n", forge::schema::integer().minimum(0));
    CHECK(message_for(s, R"({"n":1.5})") ==
          "Invalid input on: n: Invalid input: expected int, received number");
    CHECK(message_for(s, R"({"n":2.0})") == "valid");
    CHECK(message_for(s, R"({"n":-1})") ==
          "Invalid input on: n: Too small: expected number to be >=0");
}

TEST_CASE("strings check length, pattern and email", "[schema][validation]") {
    auto s = forge::schema::object()
                 .required("name", forge::schema::string().min_length(2).max_length(4))
                 .optional("code", forge::schema::string().pattern("^[a-z]+$"))
                 .optional("mail", forge::schema::string().email());
    CHECK(message_for(s, R"({"name":"a"})") ==
          "Invalid input on: name: Too small: expected string to have >=2 characters");
    CHECK(message_for(s, R"({"name":"abcde"})") ==
          "Invalid input on: name: Too big: expected string to have <=4 characters");
    CHECK(message_for(s, R"({"name":"ab","code":"AB"})") ==
          "Invalid input on: code: Invalid string: must match pattern /^[a-z]+$/");
    CHECK(message_for(s, R"({"name":"ab","mail":"nope"})") ==
          "Invalid input on: mail: Invalid email address");
    CHECK(message_for(s, R"({"name":"ab","code":"ab","mail":"ada@example.com"})") == "valid");
    CHECK(message_for(s, R"({"name":"日本"})") == "valid");
}

TEST_CASE("optional fields may be absent but not null", "[schema][validation]") {
    auto s = forge::schema::object().optional("limit", forge::schema::integer());
    CHECK(message_for(s, "{}") == "valid");
    CHECK(message_for(s, R"({"limit":null})") ==
          "Invalid input on: limit: Invalid input: expected number, received null");
}

TEST_CASE("enumerations, booleans and arrays with item schemas are validated",
          "[schema][validation]") {
    auto s = forge::schema::object()
                 .required("mode", forge::schema::enumeration({"fast", "slow"}))
                 .required("flag", forge::schema::boolean())
                 .required("tags",
                           forge::schema::array(forge::schema::string()).min_items(1).max_items(3));
    CHECK(message_for(s, R"({"mode":"medium","flag":1,"tags":["a",2]})") ==
          "Invalid input on: mode: Invalid option: expected one of \"fast\"|\"slow\", flag: "
          "Invalid input: "
          "expected boolean, received number, tags.1: Invalid input: expected string, received "
          "number");
    CHECK(message_for(s, R"({"mode":"fast","flag":true,"tags":[]})") ==
          "Invalid input on: tags: Too small: expected array to have >=1 items");
    CHECK(message_for(s, R"({"mode":"fast","flag":true,"tags":["a","b","c","d"]})") ==
          "Invalid input on: tags: Too big: expected array to have <=3 items");
}

TEST_CASE("nested objects report dotted paths depth-first", "[schema][validation]") {
    auto s = forge::schema::object()
                 .required("user", forge::schema::object()
                                       .required("name", forge::schema::string())
                                       .required("age", forge::schema::integer()))
                 .required("items", forge::schema::array(forge::schema::object().required(
                                        "id", forge::schema::string())));
    CHECK(message_for(s, R"({"user":{"age":"x"},"items":[{"id":"a"},{}]})") ==
          "Invalid input on: user.name: Invalid input: expected string, received undefined, "
          "user.age: Invalid "
          "input: expected number, received string, items.1.id: Invalid input: expected string, "
          "received undefined");
}

TEST_CASE("check throws a validation_error in the validation category", "[schema][validation]") {
    try {
        counter_schema().check(forge::json());
        FAIL("expected a validation_error");
    } catch (const forge::validation_error& e) {
        CHECK(e.category() == forge::error_category::validation);
        CHECK(e.issues().size() == 1);
        CHECK(std::string(e.what()) ==
              "Invalid input on: : Invalid input: expected object, received null");
    }
}

TEST_CASE("a pattern that does not compile is rejected when the schema is built", "[schema]") {
    CHECK_THROWS_AS(forge::schema::string().pattern("(["), std::invalid_argument);
}

TEST_CASE("describe returns the schema as JSON Schema", "[schema]") {
    auto s =
        forge::schema::object()
            .required("user", forge::schema::string().min_length(1).pattern("^[a-z]+$"))
            .optional("limit", forge::schema::integer().minimum(1).maximum(100, true))
            .optional("tags",
                      forge::schema::array(forge::schema::enumeration({"a", "b"})).max_items(2))
            .description("portfolio input");
    CHECK(
        forge::to_json_text(s.describe()) ==
        R"({"type":"object","description":"portfolio input","properties":{"user":{"type":"string","minLength":1,"pattern":"^[a-z]+$"},"limit":{"type":"integer","minimum":1,"exclusiveMaximum":100},"tags":{"type":"array","items":{"type":"string","enum":["a","b"]},"maxItems":2}},"required":["user"]})");
}
