// ExecutionRecord <-> JSON: the one record encoder and decoder (docs/record-format.md §3-§8, §11).
#include "append_integer.hpp"

#include <forge/types/errors.hpp>
#include <forge/types/json_path.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <charconv>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

// ---- encoding ------------------------------------------------------------------------------

// key: writes the separator (unless first) and "name": for a literal key that needs no escaping.
class object_writer {
public:
    explicit object_writer(std::string& out) : out_(out) { out_.push_back('{'); }
    template <std::size_t N>
    std::string& key(const char (&name)[N]) {
        // ,"name": assembled on the stack and appended at once.
        char buf[N + 3];
        buf[0] = ',';
        buf[1] = '"';
        for (std::size_t i = 0; i + 1 < N; ++i) buf[2 + i] = name[i];
        buf[N + 1] = '"';
        buf[N + 2] = ':';
        std::size_t skip = first_ ? 1 : 0;
        first_ = false;
        out_.append(buf + skip, N + 3 - skip);
        return out_;
    }
    void extra(const json_object& members) {
        for (const auto& m : members) {
            if (!first_) out_.push_back(',');
            first_ = false;
            write_json_string(out_, m.first);
            out_.push_back(':');
            write_json(out_, m.second);
        }
    }
    void close() { out_.push_back('}'); }

private:
    std::string& out_;
    bool first_ = true;
};

void write_object(std::string& out, const json_object& o) {
    object_writer w(out);
    w.extra(o);
    w.close();
}

// ---- decoding ------------------------------------------------------------------------------

[[noreturn]] void fail(const json_path& path, std::string_view key, std::string reason) {
    throw decode_error(json_path(path, key).str(), std::move(reason));
}

std::string take_string(json& v, const json_path& path, std::string_view key) {
    if (!v.is_string()) fail(path, key, "expected string");
    return std::move(std::get<std::string>(v.raw()));
}

std::int64_t take_integer(const json& v, const json_path& path, std::string_view key) {
    switch (v.kind()) {
        case json_kind::integer:
            return std::get<std::int64_t>(v.raw());
        case json_kind::uinteger:
            fail(path, key, "integer out of range");
        case json_kind::number: {
            double d = std::get<double>(v.raw());
            if (std::trunc(d) != d) fail(path, key, "expected integer");
            if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
                fail(path, key, "integer out of range");
            return static_cast<std::int64_t>(d);
        }
        default:
            fail(path, key, "expected number");
    }
}

std::uint64_t take_unsigned(const json& v, const json_path& path, std::string_view key) {
    switch (v.kind()) {
        case json_kind::integer: {
            auto i = std::get<std::int64_t>(v.raw());
            if (i < 0) fail(path, key, "expected a non-negative integer");
            return static_cast<std::uint64_t>(i);
        }
        case json_kind::uinteger:
            return std::get<std::uint64_t>(v.raw());
        case json_kind::number: {
            double d = std::get<double>(v.raw());
            if (std::trunc(d) != d || d < 0) fail(path, key, "expected a non-negative integer");
            if (!(d < 18446744073709551616.0)) fail(path, key, "integer out of range");
            return static_cast<std::uint64_t>(d);
        }
        default:
            fail(path, key, "expected number");
    }
}

json_object& expect_object(json& v, const json_path& path) {
    if (!v.is_object()) {
        throw decode_error(path.str(), "expected object, got " + std::string(kind_name(v.kind())));
    }
    return std::get<json_object>(v.raw());
}

error_category take_category(json& v, const json_path& path, std::string_view key) {
    if (!v.is_string()) fail(path, key, "expected string");
    auto c = parse_error_category(std::get<std::string>(v.raw()));
    if (!c) fail(path, key, "expected one of validation, timeout, network, other");
    return *c;
}

std::optional<timing_info> timing_from(json& v, const json_path& path) {
    if (v.is_null()) return std::nullopt;
    auto& o = expect_object(v, path);
    timing_info t;
    bool has_start = false;
    bool has_end = false;
    bool has_duration = false;
    for (auto& m : o) {
        const std::string_view k = m.first;
        if (k == "startTime" || k == "endTime" || k == "duration" || k == "durationNs" ||
            k == "offsetNs") {
            if (m.second.is_null()) continue;
            std::int64_t value = take_integer(m.second, path, k);
            if (k == "startTime") {
                t.start_time = value;
                has_start = true;
            } else if (k == "endTime") {
                t.end_time = value;
                has_end = true;
            } else if (k == "duration") {
                t.duration = value;
                has_duration = true;
            } else if (k == "durationNs") {
                t.duration_ns = value;
            } else {
                t.offset_ns = value;
            }
        } else {
            t.extra.push_back(std::move(m));
        }
    }
    if (!has_start || !has_end) return std::nullopt;
    if (!has_duration) t.duration = t.end_time - t.start_time;
    return t;
}

void metric_from(json& v, const json_path& path, metric& m) {
    auto& o = expect_object(v, path);
    bool has_type = false;
    bool has_name = false;
    bool has_value = false;
    for (auto& member : o) {
        const std::string_view k = member.first;
        if (k == "type") {
            m.type = take_string(member.second, path, k);
            has_type = true;
        } else if (k == "name") {
            m.name = take_string(member.second, path, k);
            has_name = true;
        } else if (k == "value") {
            if (!member.second.is_number()) fail(path, k, "expected number");
            m.value = member.second.as_double();
            has_value = true;
        } else {
            m.extra.push_back(std::move(member));
        }
    }
    if (!has_type) fail(path, "type", "missing");
    if (!has_name) fail(path, "name", "missing");
    if (!has_value) fail(path, "value", "missing");
}

void boundary_from(json& v, const json_path& path, boundary_record& b) {
    auto& o = expect_object(v, path);
    for (auto& m : o) {
        const std::string_view k = m.first;
        json& val = m.second;
        if (k == "input") {
            if (!val.is_array()) fail(path, k, "expected array");
            b.input = std::move(val);
        } else if (k == "output") {
            b.output = std::move(val);
        } else if (val.is_null() && (k == "error" || k == "timing" || k == "provenance" ||
                                     k == "seq" || k == "liveError" || k == "errorCategory")) {
            if (k == "error") b.error.reset();
            if (k == "timing") b.timing.reset();
            if (k == "provenance") b.provenance.reset();
            if (k == "seq") b.seq.reset();
            if (k == "liveError") b.live_error.reset();
            if (k == "errorCategory") b.error_category.reset();
        } else if (k == "error") {
            b.error = take_string(val, path, k);
        } else if (k == "timing") {
            b.timing = timing_from(val, json_path(path, k));
        } else if (k == "provenance") {
            if (!val.is_string()) fail(path, k, "expected string");
            auto p = parse_provenance(std::get<std::string>(val.raw()));
            if (!p) fail(path, k, "expected one of live, tape, tape-fallback, mock");
            b.provenance = *p;
        } else if (k == "seq") {
            b.seq = take_unsigned(val, path, k);
        } else if (k == "liveError") {
            b.live_error = take_string(val, path, k);
        } else if (k == "errorCategory") {
            b.error_category = take_category(val, path, k);
        } else {
            b.extra.push_back(std::move(m));
        }
    }
}

boundary_log boundaries_from(json& v) {
    boundary_log log;
    if (v.is_null()) return log;
    const json_path root;
    const json_path boundaries_path(root, std::string_view("boundaries"));
    auto& o = expect_object(v, boundaries_path);
    log.reserve(o.size());
    for (auto& m : o) {
        const json_path name_path(boundaries_path, std::string_view(m.first));
        boundary_calls calls;
        if (m.second.is_object()) {
            boundary_from(m.second, name_path, calls.emplace_back());
        } else if (m.second.is_array()) {
            auto& a = std::get<json_array>(m.second.raw());
            calls.reserve(a.size());
            for (std::size_t i = 0; i < a.size(); ++i) {
                boundary_from(a[i], json_path(name_path, i), calls.emplace_back());
            }
        } else if (!m.second.is_null()) {
            throw decode_error(name_path.str(), "expected array");
        }
        log.emplace_back(std::move(m.first), std::move(calls));
    }
    return log;
}

execution_record record_from(json& v) {
    const json_path root;
    auto& o = expect_object(v, root);
    execution_record r;
    for (auto& m : o) {
        const std::string_view k = m.first;
        json& val = m.second;
        if (k == "input") {
            r.input = std::move(val);
        } else if (k == "output") {
            r.output = std::move(val);
        } else if (k == "boundaries") {
            r.boundaries = boundaries_from(val);
        } else if (k == "metadata") {
            if (val.is_null()) {
                r.metadata.clear();
            } else {
                r.metadata = std::move(expect_object(val, json_path(root, k)));
            }
        } else if (k == "metrics") {
            r.metrics.clear();
            if (val.is_null()) continue;
            if (!val.is_array()) fail(root, k, "expected array");
            auto& a = std::get<json_array>(val.raw());
            r.metrics.reserve(a.size());
            const json_path metrics_path(root, k);
            for (std::size_t i = 0; i < a.size(); ++i) {
                metric_from(a[i], json_path(metrics_path, i), r.metrics.emplace_back());
            }
        } else if (val.is_null() &&
                   (k == "taskName" || k == "type" || k == "error" || k == "timing" ||
                    k == "uuid" || k == "replayFrom" || k == "errorCategory")) {
            if (k == "taskName") r.task_name.reset();
            if (k == "type") r.type.reset();
            if (k == "error") r.error.reset();
            if (k == "timing") r.timing.reset();
            if (k == "uuid") r.uuid.reset();
            if (k == "replayFrom") r.replay_from.reset();
            if (k == "errorCategory") r.error_category.reset();
        } else if (k == "taskName") {
            r.task_name = take_string(val, root, k);
        } else if (k == "type") {
            if (!val.is_string()) fail(root, k, "expected string");
            auto t = parse_record_type(std::get<std::string>(val.raw()));
            if (!t) fail(root, k, "expected one of success, error, pending");
            r.type = *t;
        } else if (k == "error") {
            r.error = take_string(val, root, k);
        } else if (k == "timing") {
            r.timing = timing_from(val, json_path(root, k));
        } else if (k == "uuid") {
            r.uuid = take_string(val, root, k);
        } else if (k == "replayFrom") {
            r.replay_from = take_string(val, root, k);
        } else if (k == "errorCategory") {
            r.error_category = take_category(val, root, k);
        } else {
            r.extra.push_back(std::move(m));
        }
    }
    return r;
}

}  // namespace

void encode_timing(std::string& out, const timing_info& t, const encode_options& opts) {
    object_writer w(out);
    detail::append_integer(w.key("startTime"), t.start_time);
    detail::append_integer(w.key("endTime"), t.end_time);
    detail::append_integer(w.key("duration"), t.duration);
    if (opts.extensions) {
        if (t.duration_ns) detail::append_integer(w.key("durationNs"), *t.duration_ns);
        if (t.offset_ns) detail::append_integer(w.key("offsetNs"), *t.offset_ns);
    }
    w.extra(t.extra);
    w.close();
}

void encode_metric(std::string& out, const metric& m) {
    object_writer w(out);
    write_json_string(w.key("type"), m.type);
    write_json_string(w.key("name"), m.name);
    write_json_number(w.key("value"), m.value);
    w.extra(m.extra);
    w.close();
}

void encode_boundary_record(std::string& out,
                            const boundary_record& b,
                            const encode_options& opts) {
    object_writer w(out);
    write_json(w.key("input"), b.input);
    if (b.output) write_json(w.key("output"), *b.output);
    if (b.error) write_json_string(w.key("error"), *b.error);
    if (b.timing) encode_timing(w.key("timing"), *b.timing, opts);
    if (opts.extensions) {
        if (b.provenance) write_json_string(w.key("provenance"), to_string(*b.provenance));
        if (b.seq) detail::append_integer(w.key("seq"), *b.seq);
        if (b.live_error) write_json_string(w.key("liveError"), *b.live_error);
        if (b.error_category)
            write_json_string(w.key("errorCategory"), to_string(*b.error_category));
    }
    w.extra(b.extra);
    w.close();
}

void encode_record(std::string& out, const execution_record& r, const encode_options& opts) {
    object_writer w(out);
    if (r.input) write_json(w.key("input"), *r.input);
    {
        std::string& o = w.key("boundaries");
        o.push_back('{');
        bool first = true;
        for (const auto& [name, calls] : r.boundaries) {
            if (!first) o.push_back(',');
            first = false;
            write_json_string(o, name);
            o.append(":[");
            for (std::size_t i = 0; i < calls.size(); ++i) {
                if (i != 0) o.push_back(',');
                encode_boundary_record(o, calls[i], opts);
            }
            o.push_back(']');
        }
        o.push_back('}');
    }
    if (r.task_name) write_json_string(w.key("taskName"), *r.task_name);
    write_object(w.key("metadata"), r.metadata);
    {
        std::string& o = w.key("metrics");
        o.push_back('[');
        for (std::size_t i = 0; i < r.metrics.size(); ++i) {
            if (i != 0) o.push_back(',');
            encode_metric(o, r.metrics[i]);
        }
        o.push_back(']');
    }
    // A replay writes timing before type (docs/record-format.md §7); for a record without timing
    // both orders agree.
    const bool replay = r.replay_from.has_value();
    if (replay && r.timing) encode_timing(w.key("timing"), *r.timing, opts);
    if (r.type) write_json_string(w.key("type"), to_string(*r.type));
    if (r.output) write_json(w.key("output"), *r.output);
    if (r.error) write_json_string(w.key("error"), *r.error);
    if (!replay && r.timing) encode_timing(w.key("timing"), *r.timing, opts);
    if (r.uuid) write_json_string(w.key("uuid"), *r.uuid);
    if (opts.extensions) {
        if (r.replay_from) write_json_string(w.key("replayFrom"), *r.replay_from);
        if (r.error_category)
            write_json_string(w.key("errorCategory"), to_string(*r.error_category));
    }
    w.extra(r.extra);
    w.close();
}

std::string to_json_text(const execution_record& r, const encode_options& opts) {
    std::string out;
    out.reserve(1024);
    encode_record(out, r, opts);
    return out;
}

json record_to_json(const execution_record& r, const encode_options& opts) {
    parse_options unlimited;
    unlimited.max_depth = static_cast<std::size_t>(-1);
    return parse_json(to_json_text(r, opts), unlimited);
}

execution_record decode_record(std::string_view text) {
    json v = parse_json(text);
    return record_from(v);
}

execution_record record_from_json(const json& v) {
    json copy = v;
    return record_from(copy);
}

boundary_record boundary_record_from_json(const json& v, std::string_view path) {
    json copy = v;
    const json_path root;
    const json_path named(root, path);
    boundary_record b;
    boundary_from(copy, path.empty() ? root : named, b);
    return b;
}

std::optional<timing_info> timing_from_json(const json& v, std::string_view path) {
    json copy = v;
    const json_path root;
    const json_path named(root, path);
    return timing_from(copy, path.empty() ? root : named);
}

}  // namespace forge
