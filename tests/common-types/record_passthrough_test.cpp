// Pass-through: a record that was read re-encodes to the bytes it was read from
// (docs/record-format.md §11.3, spec §12 "Pass-through" and "Extension fields").
#include "record_generator.hpp"
#include "spec_examples.hpp"

#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>

using forge::decode_record;
using forge::encode_options;
using forge::execution_record;
using forge::json;
using forge::to_json_text;

namespace {

const encode_options ts_compat{.extensions = false};
const encode_options canonical{.as_read = false};

// The §13 examples as the TypeScript packages write them: TS key order, no extension keys.
constexpr std::string_view ts_error_record =
    R"json({"input":{"customerId":"c-2001","currency":"EUR"},"boundaries":{"loadInvoiceLines":[{"input":["c-2001"],"output":[{"sku":"C-9","qty":3,"unitPrice":12.25}],"timing":{"startTime":1717000003417,"endTime":1717000003456,"duration":39}}],"convertCurrency":[{"input":[36.75,"USD","EUR"],"error":"FX service unreachable: connection refused","timing":{"startTime":1717000003457,"endTime":1717000003462,"duration":5}}]},"taskName":"invoice:total","metadata":{"customerId":"c-2001"},"metrics":[{"type":"business","name":"line_items","value":1}],"type":"error","error":"FX service unreachable: connection refused","timing":{"startTime":1717000003417,"endTime":1717000003462,"duration":45},"uuid":"018fc52c-df59-7a10-8f22-c04b1e9d3a65"})json";

constexpr std::string_view ts_validation_record =
    R"json({"input":{"customerId":"c-1042","currency":7},"boundaries":{"loadInvoiceLines":[],"convertCurrency":[]},"taskName":"invoice:total","metadata":{},"metrics":[],"type":"error","error":"Invalid input on: currency: Invalid input: expected string, received number","uuid":"018fc52c-e1a0-7c55-a3d4-6b0e2f917c08"})json";

// A TS replay record: timing before type, no replayFrom.
constexpr std::string_view ts_replay_record =
    R"json({"input":{"customerId":"c-1042","currency":"EUR"},"boundaries":{"loadInvoiceLines":[{"input":["c-1042"],"output":[{"sku":"A-7","qty":2,"unitPrice":19.5}],"timing":{"startTime":1717000000010,"endTime":1717000000050,"duration":40}}]},"taskName":"invoice:total","metadata":{"customerId":"c-1042"},"metrics":[],"timing":{"startTime":1717000000010,"endTime":1717000000072,"duration":62},"type":"success","output":{"total":39}})json";

// A record as TS RecordTape.push writes it: input, output, boundaries first, error null.
constexpr std::string_view ts_pushed_record =
    R"json({"input":{"a":1},"output":{"sum":3},"boundaries":{"add":[{"input":[1,2],"output":3,"timing":{"startTime":1717000000100,"endTime":1717000000101,"duration":1}}]},"taskName":"calc:add","error":null,"timing":{"startTime":1717000000100,"endTime":1717000000102,"duration":2},"type":"success","metadata":{}})json";

// round_trips: decoding then encoding with opts gives the text back.
void check_round_trip(std::string_view text, const encode_options& opts) {
    INFO(text);
    CHECK(to_json_text(decode_record(text), opts) == text);
}

}  // namespace

TEST_CASE("the TS forms of the spec examples round-trip byte for byte", "[passthrough][golden]") {
    for (auto text : {forge::test::success_record_ts, ts_error_record, ts_validation_record}) {
        check_round_trip(text, ts_compat);
        check_round_trip(text, encode_options{});
    }
}

TEST_CASE("the TS forms of the spec examples are what the TS-compat writer makes of them",
          "[passthrough][golden]") {
    CHECK(to_json_text(decode_record(forge::test::error_record), ts_compat) == ts_error_record);
    CHECK(to_json_text(decode_record(forge::test::validation_record), ts_compat) ==
          ts_validation_record);
}

TEST_CASE("a TS replay record keeps timing before type", "[passthrough][order]") {
    execution_record r = decode_record(ts_replay_record);
    CHECK_FALSE(r.replay_from.has_value());
    check_round_trip(ts_replay_record, ts_compat);
    check_round_trip(ts_replay_record, encode_options{});
    CHECK(to_json_text(r, canonical).find(R"("type":"success","output":{"total":39},"timing")") !=
          std::string::npos);
}

TEST_CASE("a RecordTape.push record keeps its key order and its explicit null",
          "[passthrough][order]") {
    execution_record r = decode_record(ts_pushed_record);
    CHECK_FALSE(r.error.has_value());
    CHECK(r.effective_type() == forge::record_type::success);
    check_round_trip(ts_pushed_record, ts_compat);
    check_round_trip(ts_pushed_record, encode_options{});
}

TEST_CASE("absent metrics, metadata, boundaries and input stay absent", "[passthrough][presence]") {
    for (
        std::string_view text : {
            R"({"input":{"a":1},"boundaries":{},"taskName":"t","metadata":{"k":"v"},"type":"success","output":1})",
            R"({"input":{"a":1},"boundaries":{},"taskName":"t","metrics":[],"type":"success","output":1})",
            R"({"boundaries":{"f":[]},"metadata":{},"metrics":[],"type":"success"})",
            R"({"type":"pending"})",
            R"({})",
        }) {
        check_round_trip(text, ts_compat);
        check_round_trip(text, encode_options{});
    }
}

TEST_CASE("explicit nulls are written back as read", "[passthrough][presence]") {
    for (
        std::string_view text : {
            R"({"input":null,"boundaries":{},"metadata":{},"metrics":[],"type":"error","error":"x","output":null})",
            R"({"input":{},"boundaries":null,"taskName":null,"metadata":null,"metrics":null,"type":null,"output":null,"error":null,"timing":null,"uuid":null})",
            R"({"boundaries":{"f":[{"input":[],"output":null,"error":null,"timing":null}]},"type":"success"})",
            R"({"timing":{"startTime":1,"endTime":3,"duration":null},"type":"success"})",
        }) {
        check_round_trip(text, ts_compat);
        check_round_trip(text, encode_options{});
    }
}

TEST_CASE("an empty timing object is written back as read", "[passthrough][presence]") {
    std::string_view text =
        R"({"input":[],"boundaries":{"f":[{"input":[1],"output":2,"timing":{}}]},"metadata":{},"metrics":[],"timing":{},"type":"success","output":2})";
    execution_record r = decode_record(text);
    CHECK_FALSE(r.timing.has_value());
    CHECK_FALSE(r.boundaries[0].second[0].timing.has_value());
    check_round_trip(text, ts_compat);
}

TEST_CASE("unknown keys keep their position at every level", "[passthrough][extra]") {
    std::string_view text =
        R"({"input":{},"x-trace":"abc","boundaries":{"f":[{"note":1,"output":2,"input":[1],"timing":{"endTime":9,"q":[true],"startTime":5,"duration":4}}]},"metadata":{},"metrics":[{"name":"n","unit":"ms","type":"t","value":1.5}],"type":"success","x-more":{"k":null},"output":2})";
    execution_record r = decode_record(text);
    REQUIRE(r.extra.size() == 2);
    CHECK(r.extra[0].first == "x-trace");
    check_round_trip(text, ts_compat);
    check_round_trip(text, encode_options{});
}

TEST_CASE("a timing without duration stays without it", "[passthrough][timing]") {
    std::string_view text =
        R"({"boundaries":{"f":[{"input":[],"timing":{"startTime":5,"endTime":9}}]},"type":"success"})";
    execution_record r = decode_record(text);
    CHECK(r.boundaries[0].second[0].timing->duration == 4);
    check_round_trip(text, ts_compat);
    // A duration that no longer matches the ends is an edit and is written.
    r.boundaries[0].second[0].timing->end_time = 12;
    CHECK(
        to_json_text(r, ts_compat) ==
        R"({"boundaries":{"f":[{"input":[],"timing":{"startTime":5,"endTime":12,"duration":4}}]},"type":"success"})");
}

TEST_CASE("equality ignores how a record was read", "[passthrough]") {
    execution_record pushed = decode_record(ts_pushed_record);
    execution_record canonical_copy = decode_record(to_json_text(pushed, canonical));
    CHECK(pushed == canonical_copy);
    CHECK(to_json_text(pushed) != to_json_text(canonical_copy));

    execution_record built;
    built.input = json::object({{"a", 1}});
    built.output = json::object({{"sum", 3}});
    built.task_name = "calc:add";
    built.type = forge::record_type::success;
    built.timing = forge::timing_info{1717000000100, 1717000000102, 2, std::nullopt, std::nullopt};
    forge::boundary_record call;
    call.input = json::array({1, 2});
    call.output = json(3);
    call.timing = forge::timing_info{1717000000100, 1717000000101, 1, std::nullopt, std::nullopt};
    built.boundaries.emplace_back("add", forge::boundary_calls{call});
    CHECK(built == pushed);
}

TEST_CASE("a record built in code is written in canonical order", "[passthrough][order]") {
    execution_record r;
    r.input = json::object();
    r.boundaries.emplace_back("f", forge::boundary_calls{});
    r.task_name = "no-input";
    r.type = forge::record_type::success;
    r.timing = forge::timing_info{10, 12, 2, 2000000, std::nullopt};
    r.uuid = "018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17";
    r.extra.emplace_back("x", json(1));
    const std::string full = to_json_text(r);
    CHECK(
        full ==
        R"({"input":{},"boundaries":{"f":[]},"taskName":"no-input","metadata":{},"metrics":[],"type":"success","timing":{"startTime":10,"endTime":12,"duration":2,"durationNs":2000000},"uuid":"018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17","x":1})");
    CHECK(
        to_json_text(r, ts_compat) ==
        R"({"input":{},"boundaries":{"f":[]},"taskName":"no-input","metadata":{},"metrics":[],"type":"success","timing":{"startTime":10,"endTime":12,"duration":2},"uuid":"018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17","x":1})");
    CHECK(to_json_text(decode_record(full)) == full);
}

TEST_CASE("keys set after reading are written after the keys read, in canonical order",
          "[passthrough][edit]") {
    execution_record r = decode_record(R"({"output":1,"x":0,"input":{"a":1}})");
    r.extra.emplace_back("y", json(2));
    r.uuid = "u";
    r.type = forge::record_type::success;
    r.metadata.emplace_back("k", json("v"));
    r.metrics.push_back(forge::make_metric("business", "n", 1));
    CHECK(
        to_json_text(r) ==
        R"({"output":1,"x":0,"input":{"a":1},"metadata":{"k":"v"},"metrics":[{"type":"business","name":"n","value":1}],"type":"success","uuid":"u","y":2})");
}

TEST_CASE("a key read as null and set since is written in place", "[passthrough][edit]") {
    execution_record r = decode_record(ts_pushed_record);
    r.error = "late";
    r.type = forge::record_type::error;
    r.output.reset();
    CHECK(
        to_json_text(r, ts_compat) ==
        R"({"input":{"a":1},"boundaries":{"add":[{"input":[1,2],"output":3,"timing":{"startTime":1717000000100,"endTime":1717000000101,"duration":1}}]},"taskName":"calc:add","error":"late","timing":{"startTime":1717000000100,"endTime":1717000000102,"duration":2},"type":"error","metadata":{}})");
}

TEST_CASE("as_read = false writes a read record in canonical order", "[passthrough][order]") {
    execution_record r = decode_record(ts_replay_record);
    CHECK(to_json_text(r, canonical) == to_json_text(decode_record(to_json_text(r, canonical))));
    execution_record pushed = decode_record(ts_pushed_record);
    CHECK(
        to_json_text(pushed, encode_options{.extensions = false, .as_read = false}) ==
        R"({"input":{"a":1},"boundaries":{"add":[{"input":[1,2],"output":3,"timing":{"startTime":1717000000100,"endTime":1717000000101,"duration":1}}]},"taskName":"calc:add","metadata":{},"metrics":[],"type":"success","output":{"sum":3},"timing":{"startTime":1717000000100,"endTime":1717000000102,"duration":2}})");
}

// ---- extensions ----------------------------------------------------------------------------

namespace {

// composed: a record whose one entry holds a childRecord whose entry holds another childRecord,
// each level with every extension key.
execution_record composed() {
    execution_record inner;
    inner.input = json::array({1});
    inner.task_name = "inner";
    inner.type = forge::record_type::error;
    inner.error = "timed out";
    inner.error_category = forge::error_category::timeout;
    inner.replay_from = "src-inner";
    inner.uuid = "u-inner";
    inner.timing = forge::timing_info{1, 2, 1, 1000000, std::nullopt};

    execution_record middle;
    middle.input = json::object();
    middle.task_name = "middle";
    middle.type = forge::record_type::success;
    middle.output = json(7);
    middle.uuid = "u-middle";
    forge::boundary_record inner_call;
    inner_call.input = json::array({1});
    inner_call.error = "timed out";
    inner_call.timing = forge::timing_info{1, 2, 1, 1000000, 500};
    inner_call.provenance = forge::provenance::live;
    inner_call.seq = 0;
    inner_call.error_category = forge::error_category::timeout;
    inner_call.extra.emplace_back("attempt", json(2));
    inner_call.extra.emplace_back("childRecord", forge::record_to_json(inner));
    middle.boundaries.emplace_back("inner", forge::boundary_calls{inner_call});

    execution_record outer;
    outer.input = json::object();
    outer.task_name = "outer";
    outer.type = forge::record_type::success;
    outer.output = json(7);
    outer.uuid = "u-outer";
    forge::boundary_record middle_call;
    middle_call.input = json::array();
    middle_call.output = json(7);
    middle_call.timing = forge::timing_info{0, 3, 3, 3000000, 100};
    middle_call.provenance = forge::provenance::tape_fallback;
    middle_call.seq = 0;
    middle_call.live_error = "refused";
    middle_call.extra.emplace_back("childRecord", forge::record_to_json(middle));
    middle_call.extra.emplace_back("note", json("kept"));
    outer.boundaries.emplace_back("middle", forge::boundary_calls{middle_call});
    return outer;
}

constexpr std::string_view composed_ts =
    R"({"input":{},"boundaries":{"middle":[{"input":[],"output":7,"timing":{"startTime":0,"endTime":3,"duration":3},"note":"kept"}]},"taskName":"outer","metadata":{},"metrics":[],"type":"success","output":7,"uuid":"u-outer"})";

}  // namespace

TEST_CASE("the TS-compat writer drops childRecord and attempt at every depth",
          "[passthrough][extensions]") {
    execution_record r = composed();
    const std::string ts = to_json_text(r, ts_compat);
    CHECK(ts == composed_ts);
    for (const char* key : {"childRecord", "attempt", "replayFrom", "errorCategory", "provenance",
                            "seq", "liveError", "durationNs", "offsetNs"}) {
        CHECK(ts.find(key) == std::string::npos);
    }
    const std::string full = to_json_text(r);
    CHECK(full.find(R"("childRecord":{"input":{},)") != std::string::npos);
    CHECK(full.find(R"("attempt":2,"childRecord":{"input":[1],)") != std::string::npos);

    // The same when the record was read, with the extension keys in unusual places.
    std::string_view read_text =
        R"({"input":{},"boundaries":{"middle":[{"childRecord":{"boundaries":{"inner":[{"childRecord":{"type":"error"},"input":[1],"attempt":2}]}},"input":[],"attempt":3,"output":7,"seq":0,"timing":{"startTime":0,"offsetNs":100,"endTime":3,"duration":3},"note":"kept"}]},"taskName":"outer","metadata":{},"metrics":[],"type":"success","output":7,"uuid":"u-outer"})";
    CHECK(to_json_text(decode_record(read_text), ts_compat) == composed_ts);
}

TEST_CASE("the full writer gives read records with extension keys back byte for byte",
          "[passthrough][extensions]") {
    const std::string full = to_json_text(composed());
    check_round_trip(full, encode_options{});
    for (auto text :
         {forge::test::success_record, forge::test::error_record, forge::test::validation_record}) {
        check_round_trip(text, encode_options{});
    }
    std::string_view unusual =
        R"({"errorCategory":"network","uuid":"u","replayFrom":"s","input":{},"boundaries":{"f":[{"seq":3,"provenance":"tape","errorCategory":"other","input":[1],"liveError":"x","error":"y","childRecord":{"uuid":"c","boundaries":{"g":[{"attempt":2,"childRecord":{}}]}},"timing":{"offsetNs":5,"durationNs":6,"startTime":1,"endTime":2,"duration":1}}]},"error":"down","type":"error"})";
    check_round_trip(unusual, encode_options{});
    CHECK(
        to_json_text(decode_record(unusual), ts_compat) ==
        R"({"uuid":"u","input":{},"boundaries":{"f":[{"input":[1],"error":"y","timing":{"startTime":1,"endTime":2,"duration":1}}]},"error":"down","type":"error"})");
}

// ---- random records in scrambled form -----------------------------------------------------

namespace {

// scrambler: rewrites a record's JSON the way another writer might: members of the record, of
// each entry, timing and metric in random order; empty metadata/metrics and derivable durations
// sometimes left out; absent optional keys sometimes written as null.
class scrambler {
public:
    explicit scrambler(std::uint32_t seed) : rng_(seed) {}

    void record(json& v) {
        auto& members = v.as_object();
        for (auto& [key, value] : members) {
            if (key == "boundaries") {
                for (auto& calls : value.as_object()) {
                    for (auto& entry : calls.second.as_array()) this->entry(entry);
                }
            } else if (key == "metrics") {
                for (auto& m : value.as_array()) shuffle(m);
            } else if (key == "timing") {
                timing(value);
            }
        }
        drop_if(members, "metadata", json::object());
        drop_if(members, "metrics", json::array());
        for (const char* key : {"error", "uuid", "taskName", "type"}) null_if_absent(members, key);
        shuffle(v);
    }

private:
    void entry(json& e) {
        if (auto* t = e.find("timing")) timing(*t);
        null_if_absent(e.as_object(), "error");
        shuffle(e);
    }

    void timing(json& t) {
        if (coin()) {
            auto& m = t.as_object();
            m.erase(
                std::remove_if(m.begin(), m.end(),
                               [](const forge::json_member& x) { return x.first == "duration"; }),
                m.end());
        }
        shuffle(t);
    }

    void drop_if(forge::json_object& o, std::string_view key, const json& empty) {
        if (!coin()) return;
        o.erase(std::remove_if(o.begin(), o.end(),
                               [&](const forge::json_member& m) {
                                   return m.first == key && m.second == empty;
                               }),
                o.end());
    }

    void null_if_absent(forge::json_object& o, std::string_view key) {
        if (coin() && !std::any_of(o.begin(), o.end(),
                                   [&](const forge::json_member& m) { return m.first == key; })) {
            o.emplace_back(std::string(key), json());
        }
    }

    void shuffle(json& o) {
        auto& m = o.as_object();
        std::shuffle(m.begin(), m.end(), rng_);
    }

    bool coin() { return (rng_() & 1u) != 0; }

    std::mt19937 rng_;
};

// strip_extensions: removes from v the extension keys of spec §12, at every level.
void strip_extensions(json& v) {
    auto drop = [](forge::json_object& o, std::initializer_list<std::string_view> keys) {
        o.erase(std::remove_if(o.begin(), o.end(),
                               [&](const forge::json_member& m) {
                                   return std::find(keys.begin(), keys.end(), m.first) !=
                                          keys.end();
                               }),
                o.end());
    };
    auto strip_timing = [&](json* t) {
        if (t != nullptr && t->is_object()) drop(t->as_object(), {"durationNs", "offsetNs"});
    };
    drop(v.as_object(), {"replayFrom", "errorCategory"});
    strip_timing(v.find("timing"));
    if (auto* b = v.find("boundaries")) {
        for (auto& calls : b->as_object()) {
            for (auto& e : calls.second.as_array()) {
                drop(e.as_object(),
                     {"provenance", "seq", "liveError", "errorCategory", "childRecord", "attempt"});
                strip_timing(e.find("timing"));
            }
        }
    }
}

}  // namespace

TEST_CASE("random records in scrambled key order come back byte for byte from both writers",
          "[passthrough][property]") {
    auto seed = GENERATE(take(300, random(0u, 0xFFFFFFFFu)));
    INFO("seed " << seed);
    forge::test::generator gen(seed);
    execution_record r = gen.record();
    json v = forge::record_to_json(r);
    scrambler(seed).record(v);
    const std::string text = forge::to_json_text(v);
    INFO(text);
    execution_record back = decode_record(text);
    CHECK(to_json_text(back) == text);
    strip_extensions(v);
    CHECK(to_json_text(back, ts_compat) == forge::to_json_text(v));
    // The content is the record's, whatever the order.
    CHECK(back == r);
    CHECK(to_json_text(back, canonical) == to_json_text(r));
}
