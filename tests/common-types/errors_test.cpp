#include <forge/types/errors.hpp>

#include <catch2/catch.hpp>

TEST_CASE("json_parse_error names the offset and the reason", "[errors]") {
    forge::json_parse_error e(17, "missing a comma");
    CHECK(std::string(e.what()) == "offset 17: missing a comma");
    CHECK(e.offset() == 17);
}

TEST_CASE("decode_error starts with the path of the offending value", "[errors]") {
    forge::decode_error e("boundaries.fetchPrice.1.timing.startTime", "expected number");
    CHECK(std::string(e.what()) == "boundaries.fetchPrice.1.timing.startTime: expected number");
    CHECK(e.path() == "boundaries.fetchPrice.1.timing.startTime");
    CHECK(e.reason() == "expected number");
    CHECK(std::string(forge::decode_error("", "expected object").what()) ==
          "(root): expected object");
}
