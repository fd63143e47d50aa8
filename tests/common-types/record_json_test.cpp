#include "spec_examples.hpp"

#include <forge/types/errors.hpp>
#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

using forge::decode_record;
using forge::encode_options;
using forge::execution_record;
using forge::json;
using forge::to_json_text;

namespace {

const encode_options ts_compat{false};
const encode_options canonical{.as_read = false};

}  // namespace

TEST_CASE("the spec's success example round-trips byte for byte", "[record_json][golden]") {
    execution_record r = decode_record(forge::test::success_record);
    CHECK(to_json_text(r) == forge::test::success_record);
}

TEST_CASE("the spec's error example round-trips byte for byte", "[record_json][golden]") {
    execution_record r = decode_record(forge::test::error_record);
    CHECK(to_json_text(r) == forge::test::error_record);
}

TEST_CASE("the spec's validation example round-trips byte for byte", "[record_json][golden]") {
    execution_record r = decode_record(forge::test::validation_record);
    CHECK_FALSE(r.timing.has_value());
    CHECK_FALSE(r.output.has_value());
    CHECK(to_json_text(r) == forge::test::validation_record);
}

TEST_CASE("the TS-compat writer gives the spec's tape line", "[record_json][golden]") {
    execution_record r = decode_record(forge::test::success_record);
    CHECK(to_json_text(r, ts_compat) == forge::test::success_record_ts);
    execution_record ts = decode_record(forge::test::success_record_ts);
    CHECK(to_json_text(ts) == forge::test::success_record_ts);
    CHECK(to_json_text(ts, ts_compat) == forge::test::success_record_ts);
}

TEST_CASE("decoding the success example fills every field", "[record_json]") {
    execution_record r = decode_record(forge::test::success_record);
    CHECK(r.task_name == "invoice:total");
    REQUIRE(r.boundaries.size() == 2);
    CHECK(r.boundaries[0].first == "loadInvoiceLines");
    const auto& call = r.boundaries[1].second.at(0);
    CHECK(call.input == json::array({81, "USD", "EUR"}));
    CHECK(call.output == json(74.52));
    CHECK(call.provenance == forge::provenance::live);
    CHECK(call.seq == 1u);
    REQUIRE(call.timing.has_value());
    CHECK(call.timing->offset_ns == 40902000);
    CHECK(r.metrics.size() == 2);
    CHECK(r.metrics[0].name == "line_items");
    CHECK(r.metrics[0].value == 2.0);
    CHECK(r.type == forge::record_type::success);
    CHECK(r.timing->duration == 62);
    CHECK(r.uuid == "018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17");
    CHECK(r.error_category == std::nullopt);
}

TEST_CASE("the TS-compat writer drops exactly the extension keys", "[record_json]") {
    execution_record r = decode_record(forge::test::error_record);
    r.replay_from = "018fc52c-0000-7000-8000-000000000000";
    r.boundaries[1].second[0].live_error = "down";
    std::string text = to_json_text(r, ts_compat);
    for (const char* key : {"replayFrom", "errorCategory", "provenance", "seq", "liveError",
                            "durationNs", "offsetNs"}) {
        CHECK(text.find(key) == std::string::npos);
    }
    CHECK(text.find("\"uuid\"") != std::string::npos);
    CHECK(text.find("\"timing\"") != std::string::npos);
}

TEST_CASE("a replay writes timing before type and replayFrom after uuid", "[record_json][order]") {
    execution_record r;
    r.input = json::object();
    r.type = forge::record_type::success;
    r.output.emplace(1);
    r.timing = forge::timing_info{1, 2, 1, 1000000, std::nullopt, {}};
    r.uuid = "u";
    r.replay_from = "src";
    CHECK(
        to_json_text(r) ==
        R"({"input":{},"boundaries":{},"metadata":{},"metrics":[],"timing":{"startTime":1,"endTime":2,"duration":1,"durationNs":1000000},"type":"success","output":1,"uuid":"u","replayFrom":"src"})");
    r.type = forge::record_type::error;
    r.output.reset();
    r.error = "boom";
    r.error_category = forge::error_category::other;
    CHECK(
        to_json_text(r) ==
        R"({"input":{},"boundaries":{},"metadata":{},"metrics":[],"timing":{"startTime":1,"endTime":2,"duration":1,"durationNs":1000000},"type":"error","error":"boom","uuid":"u","replayFrom":"src","errorCategory":"other"})");
}

TEST_CASE("a replay validation failure puts replayFrom before errorCategory",
          "[record_json][order]") {
    execution_record r;
    r.input = json::object();
    r.type = forge::record_type::error;
    r.error = "Invalid input";
    r.uuid = "u";
    r.replay_from = "src";
    r.error_category = forge::error_category::validation;
    CHECK(
        to_json_text(r) ==
        R"({"input":{},"boundaries":{},"metadata":{},"metrics":[],"type":"error","error":"Invalid input","uuid":"u","replayFrom":"src","errorCategory":"validation"})");
}

TEST_CASE("boundary entries follow the spec's key order", "[record_json][order]") {
    forge::boundary_record b;
    b.input = json::array({1});
    b.output.emplace(nullptr);
    b.timing = forge::timing_info{5, 6, 1, 10, 3, {}};
    b.provenance = forge::provenance::tape_fallback;
    b.seq = 4;
    b.live_error = "refused";
    std::string out;
    forge::encode_boundary_record(out, b);
    CHECK(
        out ==
        R"({"input":[1],"output":null,"timing":{"startTime":5,"endTime":6,"duration":1,"durationNs":10,"offsetNs":3},"provenance":"tape-fallback","seq":4,"liveError":"refused"})");
}

TEST_CASE("unknown keys survive a round trip, in place or after the known keys",
          "[record_json][extra]") {
    std::string_view text =
        R"({"zeta":1,"input":null,"boundaries":{"b":[{"input":[],"x":[1],"timing":{"startTime":1,"endTime":3,"duration":2,"q":true}}]},"metadata":{},"metrics":[{"type":"t","name":"n","value":1.5,"unit":"ms"}],"type":"success","output":null,"alpha":{"k":"v"}})";
    execution_record r = decode_record(text);
    REQUIRE(r.extra.size() == 2);
    CHECK(r.extra[0].first == "zeta");
    CHECK(r.input == json(nullptr));
    CHECK(r.output == json(nullptr));
    CHECK(to_json_text(r) == text);
    CHECK(
        to_json_text(r, canonical) ==
        R"({"input":null,"boundaries":{"b":[{"input":[],"timing":{"startTime":1,"endTime":3,"duration":2,"q":true},"x":[1]}]},"metadata":{},"metrics":[{"type":"t","name":"n","value":1.5,"unit":"ms"}],"type":"success","output":null,"zeta":1,"alpha":{"k":"v"}})");
}

TEST_CASE("null optional keys read as absent, except input and output", "[record_json][read]") {
    execution_record r = decode_record(
        R"({"input":null,"boundaries":null,"taskName":null,"metadata":null,"metrics":null,"type":null,"output":null,"error":null,"timing":null,"uuid":null,"replayFrom":null,"errorCategory":null})");
    CHECK(r.input == json(nullptr));
    CHECK(r.output == json(nullptr));
    CHECK_FALSE(r.task_name.has_value());
    CHECK_FALSE(r.type.has_value());
    CHECK_FALSE(r.error.has_value());
    CHECK_FALSE(r.timing.has_value());
    CHECK_FALSE(r.uuid.has_value());
    CHECK(r.boundaries.empty());
    CHECK(r.effective_type() == forge::record_type::pending);
}

TEST_CASE("a single boundary object is read as a one-element array", "[record_json][read]") {
    execution_record r = decode_record(R"({"boundaries":{"f":{"input":[1],"output":2}}})");
    REQUIRE(r.boundaries.size() == 1);
    REQUIRE(r.boundaries[0].second.size() == 1);
    CHECK(r.boundaries[0].second[0].output == json(2));
}

TEST_CASE("timing may be missing, empty or partial", "[record_json][read][timing]") {
    CHECK_FALSE(decode_record(R"({"timing":{}})").timing.has_value());
    CHECK_FALSE(decode_record(R"({"timing":{"startTime":5}})").timing.has_value());
    auto t = decode_record(R"({"timing":{"endTime":9,"startTime":5}})").timing;
    REQUIRE(t.has_value());
    CHECK(t->duration == 4);
    CHECK(to_json_text(decode_record(R"({"timing":{"endTime":9,"startTime":5}})")) ==
          R"({"timing":{"endTime":9,"startTime":5}})");
    CHECK(
        to_json_text(decode_record(R"({"timing":{"endTime":9,"startTime":5}})"), canonical) ==
        R"({"boundaries":{},"metadata":{},"metrics":[],"timing":{"startTime":5,"endTime":9,"duration":4}})");
}

TEST_CASE("keys may come in any order and with whitespace", "[record_json][read]") {
    execution_record a = decode_record(forge::test::success_record);
    json v = forge::record_to_json(a);
    auto& members = v.as_object();
    std::reverse(members.begin(), members.end());
    std::string shuffled = " \n" + forge::to_json_text(v) + "\t ";
    execution_record b = decode_record(shuffled);
    CHECK(a == b);
    CHECK(to_json_text(b) == forge::to_json_text(v));
    CHECK(to_json_text(b, canonical) == forge::test::success_record);
}

TEST_CASE("record_from_json and record_to_json mirror the text codec", "[record_json]") {
    execution_record r = decode_record(forge::test::error_record);
    json v = forge::record_to_json(r);
    CHECK(forge::record_from_json(v) == r);
    CHECK(forge::to_json_text(v) == forge::test::error_record);
}

TEST_CASE("boundary_record_from_json and timing_from_json prefix error paths", "[record_json]") {
    CHECK_THROWS_MATCHES(forge::boundary_record_from_json(json::object({{"seq", "x"}}), "entry"),
                         forge::decode_error,
                         Catch::Matchers::Message("entry.seq: expected number"));
    CHECK_THROWS_MATCHES(forge::timing_from_json(json::object({{"startTime", 1.5}}), "t"),
                         forge::decode_error,
                         Catch::Matchers::Message("t.startTime: expected integer"));
    CHECK_FALSE(forge::timing_from_json(json()).has_value());
}

TEST_CASE("a record without type is encoded without it", "[record_json]") {
    execution_record r;
    r.error = "x";
    CHECK(to_json_text(r) == R"({"boundaries":{},"metadata":{},"metrics":[],"error":"x"})");
}

TEST_CASE("metric values are written in JavaScript number form", "[record_json]") {
    std::string out;
    forge::encode_metric(out, forge::metric{"a", "b", 1e21, {}});
    CHECK(out == R"({"type":"a","name":"b","value":1e+21})");
}
