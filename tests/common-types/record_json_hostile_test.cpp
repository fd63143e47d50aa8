#include "spec_examples.hpp"

#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using forge::decode_record;
using forge::json;

namespace {

// path_item: one step from the root to a value.
struct path_item {
    bool is_index;
    std::string key;
    std::size_t index;
};

// wrong_values: values of a type no field of the record format accepts in place of v.
std::vector<json> wrong_values(const json& v) {
    std::vector<json> out;
    if (!v.is_string()) out.emplace_back("str");
    if (!v.is_number()) out.emplace_back(1.5);
    if (!v.is_array() && !v.is_object()) out.push_back(json::array({1}));
    if (!v.is_bool()) out.emplace_back(true);
    return out;
}

void collect(const json& v,
             std::vector<path_item>& path,
             std::vector<std::vector<path_item>>& out) {
    out.push_back(path);
    if (v.is_object()) {
        for (const auto& m : v.as_object()) {
            path.push_back({false, m.first, 0});
            collect(m.second, path, out);
            path.pop_back();
        }
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.as_array().size(); ++i) {
            path.push_back({true, {}, i});
            collect(v.as_array()[i], path, out);
            path.pop_back();
        }
    }
}

json* at(json& root, const std::vector<path_item>& path) {
    json* cur = &root;
    for (const auto& p : path) cur = p.is_index ? &cur->as_array()[p.index] : cur->find(p.key);
    return cur;
}

std::string spec_path(const std::vector<path_item>& path) {
    std::string out;
    for (const auto& p : path) {
        if (!out.empty()) out += ".";
        out += p.is_index ? std::to_string(p.index) : p.key;
    }
    return out;
}

// is_typed_field: true for the record-format fields whose type the decoder checks (user data
// under input, output and metadata, and boundary/metric inputs, accept any value).
bool is_typed_field(const std::vector<path_item>& path) {
    if (path.empty()) return false;
    const std::string& first = path[0].key;
    if (first == "input" || first == "output" || first == "metadata") return false;
    if (first == "boundaries") {
        if (path.size() < 4) return true;
        const std::string& field = path[3].key;
        if (path.size() == 4) return field != "output";
        return path.size() == 5 && field == "timing";
    }
    return true;
}

}  // namespace

TEST_CASE("every truncated prefix of the success example fails cleanly", "[record_json][hostile]") {
    std::string_view text = forge::test::success_record;
    for (std::size_t n = 0; n < text.size(); ++n) {
        INFO("prefix length " << n);
        CHECK_THROWS_AS(decode_record(text.substr(0, n)), forge::json_parse_error);
    }
}

TEST_CASE("a wrong type at any field fails with that field's path", "[record_json][hostile]") {
    json root = forge::parse_json(forge::test::error_record);
    std::vector<std::vector<path_item>> paths;
    std::vector<path_item> scratch;
    collect(root, scratch, paths);
    std::size_t checked = 0;
    for (const auto& path : paths) {
        if (!is_typed_field(path)) continue;
        json* target = at(root, path);
        json original = *target;
        for (const json& bad : wrong_values(original)) {
            *target = bad;
            std::string expected_path = spec_path(path);
            INFO("field " << expected_path << " set to " << forge::to_json_text(bad));
            try {
                (void)forge::record_from_json(root);
                FAIL("no error");
            } catch (const forge::decode_error& e) {
                CHECK(e.path() == expected_path);
                CHECK(std::string(e.what()).rfind(expected_path + ": ", 0) == 0);
                ++checked;
            }
        }
        *target = original;
    }
    CHECK(checked > 60);
}

TEST_CASE("a wrong type deep in a boundary names the full path", "[record_json][hostile]") {
    CHECK_THROWS_MATCHES(
        decode_record(
            R"({"boundaries":{"fetchPrice":[{"input":[]},{"input":[],"timing":{"startTime":"x"}}]}})"),
        forge::decode_error,
        Catch::Matchers::Message("boundaries.fetchPrice.1.timing.startTime: expected number"));
    CHECK_THROWS_MATCHES(decode_record(R"({"metrics":[{"type":"a","name":"b"}]})"),
                         forge::decode_error, Catch::Matchers::Message("metrics.0.value: missing"));
    CHECK_THROWS_MATCHES(decode_record(R"({"type":"done"})"), forge::decode_error,
                         Catch::Matchers::Message("type: expected one of success, error, pending"));
    CHECK_THROWS_MATCHES(decode_record("[]"), forge::decode_error,
                         Catch::Matchers::Message("(root): expected object, got array"));
}

TEST_CASE("huge numbers in a record parse or fail without crashing", "[record_json][hostile]") {
    CHECK_THROWS_AS(decode_record(R"({"input":1e400})"), forge::json_parse_error);
    auto r = decode_record(
        R"({"input":[12345678901234567890,123456789012345678901],"output":-12345678901234567890})");
    CHECK(r.input->as_array()[0].as_uint64() == 12345678901234567890ULL);
    CHECK(r.input->as_array()[1].kind() == forge::json_kind::number);
    CHECK(r.output->kind() == forge::json_kind::number);
    CHECK_THROWS_MATCHES(
        decode_record(R"({"timing":{"startTime":12345678901234567890,"endTime":1}})"),
        forge::decode_error, Catch::Matchers::Message("timing.startTime: integer out of range"));
    CHECK_THROWS_AS(decode_record(R"({"boundaries":{"b":[{"seq":-1}]}})"), forge::decode_error);
}

TEST_CASE("deeply nested user data fails with the depth, not a crash", "[record_json][hostile]") {
    std::string text = "{\"input\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK_THROWS_WITH(decode_record(text), Catch::Matchers::Contains("nesting deeper than"));
}

TEST_CASE("invalid UTF-8 in a record is an error", "[record_json][hostile]") {
    CHECK_THROWS_WITH(decode_record("{\"taskName\":\"a\xC3\"}"),
                      Catch::Matchers::Contains("invalid UTF-8"));
}

TEST_CASE("arbitrary bytes never crash the decoder", "[record_json][hostile]") {
    auto seed = GENERATE(take(200, random(0u, 0xFFFFFFFFu)));
    std::string text(forge::test::success_record);
    std::uint32_t x = seed | 1u;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
    };
    for (int i = 0; i < 8; ++i) text[next() % text.size()] = static_cast<char>(next() & 0xFF);
    try {
        auto r = decode_record(text);
        std::string again = forge::to_json_text(r);
        CHECK(decode_record(again) == r);
    } catch (const forge::json_parse_error&) {
        SUCCEED();
    } catch (const forge::decode_error&) {
        SUCCEED();
    }
}
