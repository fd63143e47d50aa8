// Repeated object keys: collapse_repeated_keys and the reader (issue 9, first finding).
#include <forge/types/json.hpp>
#include <forge/types/json_text.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <string_view>

using forge::json;
using forge::json_object;

namespace {

// folded: o rebuilt through insert_or_assign member by member, the rule collapse_repeated_keys
// must reproduce.
json_object folded(const json_object& o) {
    json_object out;
    for (const auto& m : o) forge::insert_or_assign(out, m.first, m.second);
    return out;
}

// key_name: "k" and i as 7 digits, so every key has the same length.
std::string key_name(std::size_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "k%07zu", i);
    return buf;
}

// object_text: {"k0000000":0,...} with one member per entry of keys, valued by its position.
std::string object_text(const std::vector<std::size_t>& keys) {
    std::string text = "{";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) text += ',';
        text += '"' + key_name(keys[i]) + "\":" + std::to_string(i);
    }
    return text + "}";
}

std::size_t parse_comparisons(std::string_view text, json* out = nullptr) {
    forge::parse_stats stats;
    forge::parse_options opts;
    opts.stats = &stats;
    json v = forge::parse_json(text, opts);
    if (out != nullptr) *out = std::move(v);
    return stats.key_comparisons;
}

}  // namespace

TEST_CASE("parsing 80000 keys plus one repeated key makes a linear number of key comparisons",
          "[json][repeated_keys]") {
    constexpr std::size_t n = 80'000;
    std::vector<std::size_t> keys(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = i;
    const std::size_t distinct = parse_comparisons(object_text(keys));
    keys.push_back(0);
    json v;
    const std::size_t repeated = parse_comparisons(object_text(keys), &v);

    CHECK(distinct < 4 * n);
    CHECK(repeated < 4 * n);
    CHECK(repeated - distinct < 64);
    REQUIRE(v.size() == n);
    CHECK(v.as_object()[0].first == key_name(0));
    CHECK(v.as_object()[0].second == json(static_cast<std::int64_t>(n)));
    CHECK(v.as_object()[n - 1].first == key_name(n - 1));
}

TEST_CASE("a repeated key keeps its first position and takes its last value",
          "[json][repeated_keys]") {
    SECTION("in a small object") {
        json v = forge::parse_json(R"({"a":1,"b":2,"a":3,"c":4,"b":5})");
        CHECK(v == json::object({{"a", 3}, {"b", 5}, {"c", 4}}));
    }
    SECTION("in an object past the pairwise scan") {
        std::vector<std::size_t> keys;
        for (std::size_t i = 0; i < 40; ++i) keys.push_back(i);
        keys.push_back(39);
        keys.push_back(0);
        keys.push_back(17);
        keys.push_back(0);
        json v = forge::parse_json(object_text(keys));
        const json_object& o = v.as_object();
        REQUIRE(o.size() == 40);
        for (std::size_t i = 0; i < 40; ++i) CHECK(o[i].first == key_name(i));
        CHECK(o[0].second == json(43));
        CHECK(o[17].second == json(42));
        CHECK(o[39].second == json(40));
        CHECK(o[1].second == json(1));
    }
    SECTION("in nested objects, each resolved on its own") {
        json v =
            forge::parse_json(R"({"x":{"a":1,"a":2},"y":[{"a":1,"b":0,"a":3}],"x":{"b":1,"b":2}})");
        CHECK(v == json::object({{"x", json::object({{"b", 2}})},
                                 {"y", json::array({json::object({{"a", 3}, {"b", 0}})})}}));
    }
}

TEST_CASE("repeated keys are resolved at every level of a deep nesting", "[json][repeated_keys]") {
    constexpr int depth = 200;
    std::string text;
    for (int i = 0; i < depth; ++i) text += R"({"k":)" + std::to_string(i) + R"(,"d":)";
    text += R"({"k":0,"k":1})";
    for (int i = depth - 1; i >= 0; --i) text += R"(,"k":-)" + std::to_string(i) + "}";

    json v = forge::parse_json(text);
    const json* level = &v;
    for (int i = 0; i < depth; ++i) {
        const json_object& o = level->as_object();
        REQUIRE(o.size() == 2);
        CHECK(o[0].first == "k");
        CHECK(o[0].second == json(-i));
        CHECK(o[1].first == "d");
        level = &o[1].second;
    }
    CHECK(*level == json::object({{"k", 1}}));
}

TEST_CASE("collapse_repeated_keys gives what rebuilding through insert_or_assign gives",
          "[json][repeated_keys]") {
    auto seed = GENERATE(take(200, random(0u, 0xFFFFFFFFu)));
    std::mt19937 rng(seed);
    const std::size_t size = std::uniform_int_distribution<std::size_t>(0, 300)(rng);
    const std::size_t alphabet = std::uniform_int_distribution<std::size_t>(1, 2 * size + 1)(rng);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet - 1);
    json_object o;
    for (std::size_t i = 0; i < size; ++i) {
        o.emplace_back(key_name(pick(rng)), json(static_cast<std::int64_t>(i)));
    }
    const json_object expected = folded(o);

    SECTION("called directly") {
        std::size_t comparisons = 0;
        forge::collapse_repeated_keys(o, &comparisons);
        CHECK(json(o) == json(expected));
        CHECK(comparisons <= 8 * size);
    }
    SECTION("through the reader") {
        std::vector<std::size_t> keys;
        for (const auto& m : o) keys.push_back(std::stoul(m.first.substr(1)));
        CHECK(forge::parse_json(object_text(keys)) == json(expected));
    }
}

#if defined(__GLIBCXX__) && SIZE_MAX == UINT64_MAX
namespace {

// colliding_keys: 2^bits distinct keys of 16 * bits bytes with one std::hash value under
// libstdc++'s 64-bit _Hash_bytes (MurmurHash64A-like): each 8-byte block k enters as
// h = (h ^ d(k)) * m with d(k) = shift_mix(k * m) * m and m odd, so flipping the top bit of d in
// two consecutive blocks cancels out whatever h was. Each pair of blocks has two such variants.
std::vector<std::string> colliding_keys(int bits) {
    constexpr std::uint64_t m = 0xc6a4a7935bd1e995ULL;
    constexpr std::uint64_t top = std::uint64_t{1} << 63;
    auto shift_mix = [](std::uint64_t v) { return v ^ (v >> 47); };
    std::uint64_t m_inverse = m;  // Newton's iteration: each step doubles the correct low bits.
    for (int i = 0; i < 5; ++i) m_inverse *= 2 - m * m_inverse;
    auto d = [&](std::uint64_t k) { return shift_mix(k * m) * m; };
    auto d_inverse = [&](std::uint64_t x) { return shift_mix(x * m_inverse) * m_inverse; };

    std::vector<std::uint64_t> plain, flipped;
    for (int p = 0; p < 2 * bits; ++p) {
        std::uint64_t k = std::uint64_t{0x0123456789abcdef} * static_cast<std::uint64_t>(p + 1);
        plain.push_back(k);
        flipped.push_back(d_inverse(d(k) ^ top));
    }
    std::vector<std::string> keys;
    for (std::uint64_t choice = 0; choice < (std::uint64_t{1} << bits); ++choice) {
        std::string key(16 * static_cast<std::size_t>(bits), '\0');
        for (int p = 0; p < 2 * bits; ++p) {
            const bool flip = ((choice >> (p / 2)) & 1) != 0;
            std::uint64_t block =
                flip ? flipped[static_cast<std::size_t>(p)] : plain[static_cast<std::size_t>(p)];
            std::memcpy(key.data() + 8 * p, &block, 8);
        }
        keys.push_back(std::move(key));
    }
    return keys;
}

}  // namespace

TEST_CASE("keys built to share one hash still cost O(n log n) comparisons, not O(n^2)",
          "[json][repeated_keys]") {
    const std::vector<std::string> keys = colliding_keys(12);
    const std::size_t n = keys.size();
    const std::size_t h = std::hash<std::string_view>{}(keys[0]);
    for (const auto& k : keys) REQUIRE(std::hash<std::string_view>{}(k) == h);

    json_object o;
    for (std::size_t i = 0; i < n; ++i) o.emplace_back(keys[i], json(static_cast<std::int64_t>(i)));
    o.emplace_back(keys[5], json(-1));
    const json_object expected = folded(o);

    std::size_t comparisons = 0;
    forge::collapse_repeated_keys(o, &comparisons);
    CHECK(json(o) == json(expected));
    CHECK(o.size() == n);
    CHECK(comparisons < 20 * n);  // n log2 n is 12 n; the scan of the first i keys is n^2 / 2.
}
#endif
