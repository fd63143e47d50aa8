// A random record generator for codec property tests.
#pragma once

#include <forge/types/execution_record.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

namespace forge::test {

// generator: builds random records from a seed, covering every optional field, odd strings and
// numbers that stress the writer.
class generator {
public:
    explicit generator(std::uint32_t seed) : rng_(seed) {}

    execution_record record() {
        execution_record r;
        if (chance(4)) r.input = value(3);
        int nb = pick(3);
        for (int i = 0; i < nb; ++i) {
            forge::boundary_calls calls;
            int nc = pick(3);
            for (int j = 0; j < nc; ++j) calls.push_back(boundary());
            r.boundaries.emplace_back(text() + std::to_string(i), std::move(calls));
        }
        if (chance(2)) r.task_name = text();
        int nm = pick(3);
        for (int i = 0; i < nm; ++i) r.metadata.emplace_back("k" + std::to_string(i), text());
        int nmet = pick(3);
        for (int i = 0; i < nmet; ++i)
            r.metrics.push_back(forge::metric{text() + "t", text() + "n", number(), {}});
        if (chance(4)) r.type = static_cast<forge::record_type>(pick(3));
        if (chance(2)) r.output = value(3);
        if (chance(2)) r.error = text();
        if (chance(2)) r.timing = timing(false);
        if (chance(2)) r.uuid = text();
        if (chance(2)) r.replay_from = text();
        if (chance(2)) r.error_category = static_cast<forge::error_category>(pick(4));
        if (chance(3)) r.extra.emplace_back("x-extra", value(2));
        return r;
    }

private:
    int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint32_t>(n)); }
    bool chance(int n) { return pick(n) != 0; }

    forge::boundary_record boundary() {
        forge::boundary_record b;
        json_array_fill(b.input, pick(3));
        if (chance(2)) b.output = value(2);
        if (chance(2)) b.error = text();
        if (chance(2)) b.timing = timing(true);
        if (chance(2)) b.provenance = static_cast<forge::provenance>(pick(4));
        if (chance(2)) b.seq = static_cast<std::uint64_t>(rng_());
        if (chance(3)) b.live_error = text();
        if (chance(3)) b.error_category = static_cast<forge::error_category>(pick(4));
        return b;
    }

    void json_array_fill(json& a, int n) {
        a = json::array();
        for (int i = 0; i < n; ++i) a.push_back(value(2));
    }

    forge::timing_info timing(bool with_offset) {
        forge::timing_info t;
        t.start_time = 1717000000000 + pick(100000);
        t.end_time = t.start_time + pick(1000);
        t.duration = t.end_time - t.start_time;
        if (chance(2)) t.duration_ns = static_cast<std::int64_t>(rng_());
        if (with_offset && chance(2)) t.offset_ns = pick(1000000);
        return t;
    }

    double number() {
        switch (pick(6)) {
            case 0:
                return pick(1000);
            case 1:
                return std::ldexp(static_cast<double>(rng_()), pick(200) - 100);
            case 2:
                return -static_cast<double>(rng_()) / 7.0;
            case 3:
                return 1e21 * (1 + pick(10));
            case 4:
                return 1e-7 / (1 + pick(10));
            default:
                return 0.1 * pick(100);
        }
    }

    std::string text() {
        static const char* pieces[] = {
            "a",    "Z",   "\"",   "\\",       "\n",           "\x01",
            "\x1f", "/",   "\x7f", "\xC3\xA9", "\xE2\x80\xA8", "\xF0\x9F\x98\x80",
            " ",    "key", "0"};
        std::string out;
        int n = pick(6);
        for (int i = 0; i < n; ++i) out += pieces[pick(15)];
        return out;
    }

    json value(int depth) {
        int k = depth > 0 ? pick(8) : pick(6);
        switch (k) {
            case 0:
                return json();
            case 1:
                return json(chance(2));
            case 2:
                return json(static_cast<std::int64_t>(static_cast<std::int64_t>(rng_()) *
                                                      (chance(2) ? 1 : -977)));
            case 3:
                return json(number());
            case 4:
                return json(text());
            case 5:
                return json(static_cast<std::uint64_t>(UINT64_MAX - rng_()));
            case 6: {
                json a = json::array();
                int n = pick(4);
                for (int i = 0; i < n; ++i) a.push_back(value(depth - 1));
                return a;
            }
            default: {
                json o = json::object();
                int n = pick(4);
                for (int i = 0; i < n; ++i) o.set(text() + std::to_string(i), value(depth - 1));
                return o;
            }
        }
    }

    std::mt19937 rng_;
};

}  // namespace forge::test
