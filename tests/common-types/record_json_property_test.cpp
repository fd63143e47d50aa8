#include "record_generator.hpp"

#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

#include <string>

using forge::execution_record;
using forge::json;
using forge::test::generator;

TEST_CASE("random records: encode, decode, encode gives the same bytes and the same record",
          "[record_json][property]") {
    auto seed = GENERATE(take(300, random(0u, 0xFFFFFFFFu)));
    INFO("seed " << seed);
    generator gen(seed);
    execution_record r = gen.record();
    std::string first = forge::to_json_text(r);
    execution_record back = forge::decode_record(first);
    CHECK(forge::to_json_text(back) == first);
    // Strings hold only valid UTF-8 and numbers are finite, so nothing is lost.
    CHECK(back == r);
}

TEST_CASE("random records also round-trip through the TS-compat writer",
          "[record_json][property]") {
    auto seed = GENERATE(take(100, random(0u, 0xFFFFFFFFu)));
    INFO("seed " << seed);
    generator gen(seed);
    execution_record r = gen.record();
    // A replay's key order (timing before type) survives without replayFrom: the decoded record
    // keeps the order it was read in.
    std::string ts = forge::to_json_text(r, forge::encode_options{false});
    execution_record back = forge::decode_record(ts);
    CHECK(forge::to_json_text(back, forge::encode_options{false}) == ts);
    CHECK_FALSE(back.error_category.has_value());
    CHECK_FALSE(back.replay_from.has_value());
}
