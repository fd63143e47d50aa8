// Worst cases for the JSON reader at 8 MiB each (issue 9): its cost must stay linear in the size
// of its input whatever the input holds.
//
// Figure published for perf/run (see its header): hostile_parse_8mib_ms, the slowest case's
// parse_json time (thread CPU time, ms, mean over the iterations after one untimed warm-up parse of
// each case). Per case, "<case>_ms" (parse) and "<case>_free_ms" (destroying the value) are plain
// counters in the JSON output.
#include <forge/types/json.hpp>
#include <forge/types/json_text.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t target_bytes = std::size_t{8} << 20;

struct hostile_case {
    std::string name;
    std::string text;
};

// fill_array: "[" + item(i) for i = 0, 1, ... joined by "," + "]", stopping before 8 MiB.
std::string fill_array(const std::function<std::string(std::size_t)>& item) {
    std::string text = "[";
    text.reserve(target_bytes);
    for (std::size_t i = 0;; ++i) {
        std::string next = item(i);
        if (text.size() + next.size() + 2 > target_bytes) break;
        if (i > 0) text += ',';
        text += next;
    }
    text += ']';
    return text;
}

std::string key_name(std::size_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "k%07zu", i);
    return buf;
}

// repeated_keys: one object of about 320,000 keys, each given twice (all keys, then all again).
std::string repeated_keys() {
    const std::size_t member = key_name(0).size() + 5;  // "k0000000":0,
    const std::size_t keys = target_bytes / member / 2 - 1;
    std::string text = "{";
    text.reserve(target_bytes);
    for (std::size_t round = 0; round < 2; ++round) {
        for (std::size_t i = 0; i < keys; ++i) {
            if (text.size() > 1) text += ',';
            text += '"' + key_name(i) + "\":0";
        }
    }
    return text + "}";
}

// pairwise_keys: objects of 16 members (the pairwise scan's limit) whose 256-byte keys share
// length, first and last byte, so the scan compares every pair; the last member repeats the first.
std::string pairwise_keys() {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < 15; ++i) {
        std::string k(256, 'a');
        k[254] = static_cast<char>('b' + i);
        keys.push_back(std::move(k));
    }
    keys.push_back(keys[0]);
    std::string object = "{";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) object += ',';
        object += '"' + keys[i] + "\":" + std::to_string(i);
    }
    object += '}';
    return fill_array([&](std::size_t) { return object; });
}

// colliding_keys: objects of 1000 members whose keys all fall on one slot of the reader's
// 2048-slot hash index (libstdc++'s std::hash), which exhausts the probe budget and makes every
// object take the sorting fallback.
std::string colliding_keys() {
    std::vector<std::string> keys;
    const std::size_t target_slot = std::hash<std::string_view>{}(key_name(0)) & 2047;
    for (std::size_t i = 0; keys.size() < 1000; ++i) {
        std::string k = key_name(i);
        if ((std::hash<std::string_view>{}(k)&2047) == target_slot) keys.push_back(std::move(k));
    }
    std::string object = "{";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) object += ',';
        object += '"' + keys[i] + "\":0";
    }
    object += '}';
    return fill_array([&](std::size_t) { return object; });
}

// deep_arrays / deep_objects: nestings at the default depth limit (256 with the outer array).
std::string deep_arrays() {
    const std::string nest = std::string(255, '[') + std::string(255, ']');
    return fill_array([&](std::size_t) { return nest; });
}

std::string deep_objects() {
    std::string nest;
    for (int i = 0; i < 255; ++i) nest += R"({"a":)";
    nest += "0";
    nest += std::string(255, '}');
    return fill_array([&](std::size_t) { return nest; });
}

// escaped_strings: 64 KiB strings mixing escapes (short, \u, surrogate pairs) and raw 2-, 3- and
// 4-byte UTF-8.
std::string escaped_strings() {
    const std::string piece = R"(\n\"\\\u00e9\ud83d\ude00\t)"
                              "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
                              "ab";
    std::string s = "\"";
    while (s.size() + piece.size() < 64 * 1024) s += piece;
    s += '"';
    return fill_array([&](std::size_t) { return s; });
}

std::string small_integers() {
    return fill_array(
        [](std::size_t i) { return std::string(1, static_cast<char>('0' + i % 10)); });
}

std::string small_doubles() {
    return fill_array(
        [](std::size_t i) { return std::string(1, static_cast<char>('1' + i % 9)) + ".5"; });
}

std::string small_objects() {
    return fill_array([](std::size_t) { return std::string(R"({"a":0})"); });
}

std::string empty_objects() {
    return fill_array([](std::size_t) { return std::string("{}"); });
}

std::vector<hostile_case> make_cases() {
    return {{"repeated_keys", repeated_keys()},   {"pairwise_keys", pairwise_keys()},
            {"colliding_keys", colliding_keys()}, {"deep_arrays", deep_arrays()},
            {"deep_objects", deep_objects()},     {"escaped_strings", escaped_strings()},
            {"small_integers", small_integers()}, {"small_doubles", small_doubles()},
            {"small_objects", small_objects()},   {"empty_objects", empty_objects()}};
}

double thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

void bm_hostile_parse_8mib(benchmark::State& state) {
    static const std::vector<hostile_case> cases = make_cases();
    std::vector<double> parse_ns(cases.size());
    std::vector<double> free_ns(cases.size());
    for (const auto& c : cases) {
        forge::json warm_up = forge::parse_json(c.text);
        benchmark::DoNotOptimize(&warm_up);
    }
    for (auto _ : state) {
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const double start = thread_cpu_ns();
            double parsed = 0;
            {
                forge::json v = forge::parse_json(cases[i].text);
                parsed = thread_cpu_ns();
                benchmark::DoNotOptimize(&v);
            }
            parse_ns[i] += parsed - start;
            free_ns[i] += thread_cpu_ns() - parsed;
        }
    }
    const auto iterations = static_cast<double>(state.iterations());
    double slowest = 0;
    std::int64_t bytes = 0;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const double ms = parse_ns[i] / iterations / 1e6;
        state.counters[cases[i].name + "_ms"] = ms;
        state.counters[cases[i].name + "_free_ms"] = free_ns[i] / iterations / 1e6;
        slowest = std::max(slowest, ms);
        bytes += static_cast<std::int64_t>(cases[i].text.size());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * bytes);
    state.counters["figure:hostile_parse_8mib_ms"] = slowest;
}
BENCHMARK(bm_hostile_parse_8mib)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
