#include <forge/task/codec.hpp>
#include <forge/task/schema.hpp>
#include <forge/types/errors.hpp>
#include <forge/types/json_path.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

TEST_CASE("json_path joins keys and indices with dots and prints the root as empty",
          "[json_path]") {
    const forge::json_path root;
    const forge::json_path holdings(root, std::string_view("holdings"));
    const forge::json_path second(holdings, std::size_t{1});
    const forge::json_path qty(second, std::string_view("qty"));
    CHECK(root.str().empty());
    CHECK(holdings.str() == "holdings");
    CHECK(qty.str() == "holdings.1.qty");
    CHECK(forge::json_path(root, std::size_t{0}).str() == "0");
}

TEST_CASE("a decode error and a validation issue name the same value with the same path",
          "[json_path][codec][schema]") {
    const auto doc = forge::parse_json(R"({"orders":[{"tags":["a","b"]},{"tags":["c",7]}]})");
    using orders =
        std::map<std::string, std::vector<std::map<std::string, std::vector<std::string>>>>;
    std::string decode_path = "no error";
    try {
        (void)forge::from_json<orders>(doc);
    } catch (const forge::decode_error& e) {
        decode_path = e.path();
    }
    const auto s = forge::schema::object().required(
        "orders", forge::schema::array(forge::schema::object().required(
                      "tags", forge::schema::array(forge::schema::string()))));
    const auto issues = s.validate(doc);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "orders.1.tags.1");
    CHECK(decode_path == issues[0].path);
}
