// ExecutionRecord <-> JSON: the one record encoder and decoder (docs/record-format.md §3-§8, §11).
#include "append_integer.hpp"
#include "record_encoder.hpp"

#include <forge/types/errors.hpp>
#include <forge/types/json_path.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

// ---- encoding ------------------------------------------------------------------------------

// object_writer: writes one object's members with their separators.
class object_writer {
public:
    explicit object_writer(std::string& out) : out_(out) { out_.push_back('{'); }
    // key: writes the separator (unless first) and "name": for a literal key that needs no
    // escaping; returns out for the value.
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
    // member: one member of a json_object, key escaped.
    void member(const json_member& m) {
        if (!first_) out_.push_back(',');
        first_ = false;
        write_json_string(out_, m.first);
        out_.push_back(':');
        write_json(out_, m.second);
    }
    void close() { out_.push_back('}'); }

private:
    std::string& out_;
    bool first_ = true;
};

void write_object(std::string& out, const json_object& o) {
    object_writer w(out);
    for (const auto& m : o) w.member(m);
    w.close();
}

// is_entry_extension: the extension keys of a boundary entry that forge keeps in `extra`
// (docs/record-format.md §8); the TS-compat writer drops them by name.
bool is_entry_extension(std::string_view key) noexcept {
    return key == "childRecord" || key == "attempt";
}

// extra_cursor: writes an object's unknown keys in order, up to a given index.
struct extra_cursor {
    const json_object& members;
    bool drop_entry_extensions;
    std::size_t next = 0;

    void write_until(object_writer& w, std::size_t end) {
        if (end <= next) return;
        if (end > members.size()) end = members.size();
        for (; next < end; ++next) {
            if (drop_entry_extensions && is_entry_extension(members[next].first)) continue;
            w.member(members[next]);
        }
    }
};

// slot: why a known key is being written.
//   canonical  the object has no read layout: the key is written when present, and a key that is
//              always present (boundaries, metadata, metrics, an entry's input, timing values)
//              always;
//   read       the key was read in form f: written as it now is, or as read (null, {}) when the
//              field is still absent;
//   added      the object was read without the key: written only when it now holds something a
//              reader would not have derived (a set optional, a non-empty always-present value).
enum class slot : std::uint8_t { canonical, read, added };

// write_members: the members of one object. With a read layout: the keys read, in their order
// and with the unknown keys where they stood, then the keys added since in canonical order, then
// unknown keys added since. Without: the canonical order, then the unknown keys.
template <typename Key, std::size_t N, std::size_t M, typename WriteKey>
void write_members(object_writer& w,
                   const read_layout<Key, N>& layout,
                   bool as_read,
                   const json_object& extra,
                   bool drop_entry_extensions,
                   const std::array<Key, M>& canonical,
                   WriteKey&& write_key) {
    extra_cursor extras{extra, drop_entry_extensions};
    if (as_read) {
        for (std::size_t i = 0; i < layout.size(); ++i) {
            extras.write_until(w, layout.extras_before(i));
            write_key(layout.key(i), slot::read, layout.form(i));
        }
        extras.write_until(w, layout.extras_read());
        for (Key k : canonical) {
            if (!layout.contains(k)) write_key(k, slot::added, key_form::value);
        }
    } else {
        for (Key k : canonical) write_key(k, slot::canonical, key_form::value);
    }
    extras.write_until(w, extra.size());
}

// write_absent: for a field that is absent now, writes what was read (null or {}), if anything.
template <std::size_t N>
void write_absent(object_writer& w, const char (&name)[N], slot s, key_form f) {
    if (s != slot::read) return;
    if (f == key_form::null) w.key(name).append("null");
    if (f == key_form::empty_object) w.key(name).append("{}");
}

template <std::size_t N>
void write_string(object_writer& w,
                  const char (&name)[N],
                  const std::optional<std::string>& v,
                  slot s,
                  key_form f) {
    if (v) {
        write_json_string(w.key(name), *v);
    } else {
        write_absent(w, name, s, f);
    }
}

template <std::size_t N>
void write_category(object_writer& w,
                    const char (&name)[N],
                    const std::optional<error_category>& v,
                    slot s,
                    key_form f) {
    if (v) {
        write_json_string(w.key(name), to_string(*v));
    } else {
        write_absent(w, name, s, f);
    }
}

constexpr std::array<timing_key, 5> timing_order{timing_key::start_time, timing_key::end_time,
                                                 timing_key::duration, timing_key::duration_ns,
                                                 timing_key::offset_ns};

constexpr std::array<metric_key, 3> metric_order{metric_key::type, metric_key::name,
                                                 metric_key::value};

constexpr std::array<boundary_key, 8> entry_order{
    boundary_key::input,      boundary_key::output,        boundary_key::error,
    boundary_key::timing,     boundary_key::provenance,    boundary_key::seq,
    boundary_key::live_error, boundary_key::error_category};

constexpr std::array<record_key, 12> run_order{
    record_key::input,    record_key::boundaries,  record_key::task_name,
    record_key::metadata, record_key::metrics,     record_key::type,
    record_key::output,   record_key::error,       record_key::timing,
    record_key::uuid,     record_key::replay_from, record_key::error_category};

// replay_order: a replay writes timing before type (docs/record-format.md §7).
constexpr std::array<record_key, 12> replay_order{
    record_key::input,    record_key::boundaries,  record_key::task_name,
    record_key::metadata, record_key::metrics,     record_key::timing,
    record_key::type,     record_key::output,      record_key::error,
    record_key::uuid,     record_key::replay_from, record_key::error_category};

template <std::size_t N>
void write_timing_member(object_writer& w,
                         const char (&name)[N],
                         const std::optional<timing_info>& t,
                         slot s,
                         key_form f,
                         const encode_options& opts) {
    if (t) {
        encode_timing(w.key(name), *t, opts);
    } else {
        write_absent(w, name, s, f);
    }
}

// tape_fill: completion of a tape line (detail::encode_tape_record): whether it is on, and
// whether type and metadata were written.
struct tape_fill {
    bool enabled = false;
    bool wrote_type = false;
    bool wrote_metadata = false;
};

void encode_metrics(std::string& o,
                    const std::vector<metric>& metrics,
                    const encode_options& opts) {
    o.push_back('[');
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        if (i != 0) o.push_back(',');
        encode_metric(o, metrics[i], opts);
    }
    o.push_back(']');
}

// writes_always_present: whether an always-present member (boundaries, metadata, metrics, an
// entry's input) is written with its value: always in canonical order; when read, unless it was
// read as null and is still empty; when added, only if non-empty.
bool writes_always_present(slot s, key_form f, bool empty) noexcept {
    switch (s) {
        case slot::canonical:
            return true;
        case slot::read:
            return !(f == key_form::null && empty);
        case slot::added:
            return !empty;
    }
    return true;
}

void write_record_key(object_writer& w,
                      const execution_record& r,
                      record_key k,
                      slot s,
                      key_form f,
                      const encode_options& opts,
                      tape_fill& fill) {
    switch (k) {
        case record_key::input:
            if (r.input) write_json(w.key("input"), *r.input);
            break;
        case record_key::boundaries:
            if (writes_always_present(s, f, r.boundaries.empty())) {
                encode_boundary_log(w.key("boundaries"), r.boundaries, opts);
            } else {
                write_absent(w, "boundaries", s, f);
            }
            break;
        case record_key::task_name:
            write_string(w, "taskName", r.task_name, s, f);
            break;
        case record_key::metadata:
            // A tape line writes {} where metadata was read as null.
            if (writes_always_present(s, f, r.metadata.empty()) ||
                (fill.enabled && s == slot::read)) {
                write_object(w.key("metadata"), r.metadata);
                fill.wrote_metadata = true;
            } else {
                write_absent(w, "metadata", s, f);
            }
            break;
        case record_key::metrics:
            if (writes_always_present(s, f, r.metrics.empty())) {
                encode_metrics(w.key("metrics"), r.metrics, opts);
            } else {
                write_absent(w, "metrics", s, f);
            }
            break;
        case record_key::type:
            // A tape line writes the classified type where type was read as null.
            if (r.type || (fill.enabled && s == slot::read)) {
                write_json_string(w.key("type"), to_string(r.effective_type()));
                fill.wrote_type = true;
            } else {
                write_absent(w, "type", s, f);
            }
            break;
        case record_key::output:
            if (r.output) write_json(w.key("output"), *r.output);
            break;
        case record_key::error:
            write_string(w, "error", r.error, s, f);
            break;
        case record_key::timing:
            write_timing_member(w, "timing", r.timing, s, f, opts);
            break;
        case record_key::uuid:
            write_string(w, "uuid", r.uuid, s, f);
            break;
        case record_key::replay_from:
            if (opts.extensions) write_string(w, "replayFrom", r.replay_from, s, f);
            break;
        case record_key::error_category:
            if (opts.extensions) write_category(w, "errorCategory", r.error_category, s, f);
            break;
    }
}

void encode_record_impl(std::string& out,
                        const execution_record& r,
                        const encode_options& opts,
                        tape_fill& fill) {
    object_writer w(out);
    const bool as_read = opts.as_read && r.layout.was_read();
    const auto& order = r.replay_from ? replay_order : run_order;
    write_members(
        w, r.layout, as_read, r.extra, false, order,
        [&](record_key k, slot s, key_form f) { write_record_key(w, r, k, s, f, opts, fill); });
    if (fill.enabled) {
        if (!fill.wrote_type) write_json_string(w.key("type"), to_string(r.effective_type()));
        if (!fill.wrote_metadata) w.key("metadata").append("{}");
    }
    w.close();
}

void write_timing_key(object_writer& w,
                      const timing_info& t,
                      timing_key k,
                      slot s,
                      key_form f,
                      const encode_options& opts) {
    switch (k) {
        case timing_key::start_time:
            detail::append_integer(w.key("startTime"), t.start_time);
            break;
        case timing_key::end_time:
            detail::append_integer(w.key("endTime"), t.end_time);
            break;
        case timing_key::duration:
            // A duration the reader derived (key absent or null) stays so while it still matches.
            if (t.duration == t.end_time - t.start_time &&
                (s == slot::added || f == key_form::null)) {
                write_absent(w, "duration", s, f);
            } else {
                detail::append_integer(w.key("duration"), t.duration);
            }
            break;
        case timing_key::duration_ns:
            if (!opts.extensions) break;
            if (t.duration_ns) {
                detail::append_integer(w.key("durationNs"), *t.duration_ns);
            } else {
                write_absent(w, "durationNs", s, f);
            }
            break;
        case timing_key::offset_ns:
            if (!opts.extensions) break;
            if (t.offset_ns) {
                detail::append_integer(w.key("offsetNs"), *t.offset_ns);
            } else {
                write_absent(w, "offsetNs", s, f);
            }
            break;
    }
}

void write_entry_key(object_writer& w,
                     const boundary_record& b,
                     boundary_key k,
                     slot s,
                     key_form f,
                     const encode_options& opts) {
    switch (k) {
        case boundary_key::input:
            if (writes_always_present(s, f, b.input.is_array() && b.input.as_array().empty()))
                write_json(w.key("input"), b.input);
            break;
        case boundary_key::output:
            if (b.output) write_json(w.key("output"), *b.output);
            break;
        case boundary_key::error:
            write_string(w, "error", b.error, s, f);
            break;
        case boundary_key::timing:
            write_timing_member(w, "timing", b.timing, s, f, opts);
            break;
        case boundary_key::provenance:
            if (!opts.extensions) break;
            if (b.provenance) {
                write_json_string(w.key("provenance"), to_string(*b.provenance));
            } else {
                write_absent(w, "provenance", s, f);
            }
            break;
        case boundary_key::seq:
            if (!opts.extensions) break;
            if (b.seq) {
                detail::append_integer(w.key("seq"), *b.seq);
            } else {
                write_absent(w, "seq", s, f);
            }
            break;
        case boundary_key::live_error:
            if (opts.extensions) write_string(w, "liveError", b.live_error, s, f);
            break;
        case boundary_key::error_category:
            if (opts.extensions) write_category(w, "errorCategory", b.error_category, s, f);
            break;
    }
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

std::optional<timing_key> timing_key_of(std::string_view k) noexcept {
    switch (k.size()) {
        case 7:
            if (k == "endTime") return timing_key::end_time;
            break;
        case 8:
            if (k == "duration") return timing_key::duration;
            if (k == "offsetNs") return timing_key::offset_ns;
            break;
        case 9:
            if (k == "startTime") return timing_key::start_time;
            break;
        case 10:
            if (k == "durationNs") return timing_key::duration_ns;
            break;
        default:
            break;
    }
    return std::nullopt;
}

// timing_form: the form in which a timing member was read.
key_form timing_form(const json& v) noexcept {
    if (v.is_null()) return key_form::null;
    if (v.is_object() && v.size() == 0) return key_form::empty_object;
    return key_form::value;
}

std::optional<timing_info> timing_from(json& v, const json_path& path) {
    if (v.is_null()) return std::nullopt;
    auto& o = expect_object(v, path);
    timing_info t;
    t.layout.mark_read();
    bool has_start = false;
    bool has_end = false;
    bool has_duration = false;
    for (auto& m : o) {
        const std::string_view k = m.first;
        const auto id = timing_key_of(k);
        if (!id) {
            t.extra.push_back(std::move(m));
            t.layout.add_extra();
            continue;
        }
        t.layout.add_key(*id, m.second.is_null() ? key_form::null : key_form::value);
        if (m.second.is_null()) continue;
        std::int64_t value = take_integer(m.second, path, k);
        switch (*id) {
            case timing_key::start_time:
                t.start_time = value;
                has_start = true;
                break;
            case timing_key::end_time:
                t.end_time = value;
                has_end = true;
                break;
            case timing_key::duration:
                t.duration = value;
                has_duration = true;
                break;
            case timing_key::duration_ns:
                t.duration_ns = value;
                break;
            case timing_key::offset_ns:
                t.offset_ns = value;
                break;
        }
    }
    if (!has_start || !has_end) return std::nullopt;
    if (!has_duration) t.duration = t.end_time - t.start_time;
    return t;
}

void metric_from(json& v, const json_path& path, metric& m) {
    auto& o = expect_object(v, path);
    m.layout.mark_read();
    bool has_type = false;
    bool has_name = false;
    bool has_value = false;
    for (auto& member : o) {
        const std::string_view k = member.first;
        if (k == "type") {
            m.type = take_string(member.second, path, k);
            m.layout.add_key(metric_key::type, key_form::value);
            has_type = true;
        } else if (k == "name") {
            m.name = take_string(member.second, path, k);
            m.layout.add_key(metric_key::name, key_form::value);
            has_name = true;
        } else if (k == "value") {
            if (!member.second.is_number()) fail(path, k, "expected number");
            m.value = member.second.as_double();
            m.layout.add_key(metric_key::value, key_form::value);
            has_value = true;
        } else {
            m.extra.push_back(std::move(member));
            m.layout.add_extra();
        }
    }
    if (!has_type) fail(path, "type", "missing");
    if (!has_name) fail(path, "name", "missing");
    if (!has_value) fail(path, "value", "missing");
}

// take_optional_string: a string key where null means absent.
void take_optional_string(std::optional<std::string>& field,
                          json& v,
                          const json_path& path,
                          std::string_view key) {
    if (v.is_null()) {
        field.reset();
    } else {
        field = take_string(v, path, key);
    }
}

std::optional<boundary_key> boundary_key_of(std::string_view k) noexcept {
    switch (k.size()) {
        case 3:
            if (k == "seq") return boundary_key::seq;
            break;
        case 5:
            if (k == "input") return boundary_key::input;
            if (k == "error") return boundary_key::error;
            break;
        case 6:
            if (k == "output") return boundary_key::output;
            if (k == "timing") return boundary_key::timing;
            break;
        case 9:
            if (k == "liveError") return boundary_key::live_error;
            break;
        case 10:
            if (k == "provenance") return boundary_key::provenance;
            break;
        case 13:
            if (k == "errorCategory") return boundary_key::error_category;
            break;
        default:
            break;
    }
    return std::nullopt;
}

void boundary_from(json& v, const json_path& path, boundary_record& b) {
    auto& o = expect_object(v, path);
    b.layout.mark_read();
    for (auto& m : o) {
        const std::string_view k = m.first;
        json& val = m.second;
        const auto id = boundary_key_of(k);
        if (!id) {
            b.extra.push_back(std::move(m));
            b.layout.add_extra();
            continue;
        }
        const bool is_null = val.is_null();
        key_form form = is_null ? key_form::null : key_form::value;
        switch (*id) {
            case boundary_key::input:
                if (!val.is_array()) fail(path, k, "expected array");
                b.input = std::move(val);
                break;
            case boundary_key::output:
                form = key_form::value;
                b.output = std::move(val);
                break;
            case boundary_key::error:
                take_optional_string(b.error, val, path, k);
                break;
            case boundary_key::timing:
                form = timing_form(val);
                b.timing = timing_from(val, json_path(path, k));
                break;
            case boundary_key::provenance:
                if (is_null) {
                    b.provenance.reset();
                } else {
                    if (!val.is_string()) fail(path, k, "expected string");
                    auto p = parse_provenance(std::get<std::string>(val.raw()));
                    if (!p) fail(path, k, "expected one of live, tape, tape-fallback, mock");
                    b.provenance = *p;
                }
                break;
            case boundary_key::seq:
                if (is_null) {
                    b.seq.reset();
                } else {
                    b.seq = take_unsigned(val, path, k);
                }
                break;
            case boundary_key::live_error:
                take_optional_string(b.live_error, val, path, k);
                break;
            case boundary_key::error_category:
                if (is_null) {
                    b.error_category.reset();
                } else {
                    b.error_category = take_category(val, path, k);
                }
                break;
        }
        b.layout.add_key(*id, form);
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

std::optional<record_key> record_key_of(std::string_view k) noexcept {
    switch (k.size()) {
        case 4:
            if (k == "type") return record_key::type;
            if (k == "uuid") return record_key::uuid;
            break;
        case 5:
            if (k == "input") return record_key::input;
            if (k == "error") return record_key::error;
            break;
        case 6:
            if (k == "output") return record_key::output;
            if (k == "timing") return record_key::timing;
            break;
        case 7:
            if (k == "metrics") return record_key::metrics;
            break;
        case 8:
            if (k == "taskName") return record_key::task_name;
            if (k == "metadata") return record_key::metadata;
            break;
        case 10:
            if (k == "boundaries") return record_key::boundaries;
            if (k == "replayFrom") return record_key::replay_from;
            break;
        case 13:
            if (k == "errorCategory") return record_key::error_category;
            break;
        default:
            break;
    }
    return std::nullopt;
}

execution_record record_from(json& v) {
    const json_path root;
    auto& o = expect_object(v, root);
    execution_record r;
    r.layout.mark_read();
    for (auto& m : o) {
        const std::string_view k = m.first;
        json& val = m.second;
        const auto id = record_key_of(k);
        if (!id) {
            r.extra.push_back(std::move(m));
            r.layout.add_extra();
            continue;
        }
        const bool is_null = val.is_null();
        key_form form = is_null ? key_form::null : key_form::value;
        switch (*id) {
            case record_key::input:
                form = key_form::value;
                r.input = std::move(val);
                break;
            case record_key::output:
                form = key_form::value;
                r.output = std::move(val);
                break;
            case record_key::boundaries:
                r.boundaries = boundaries_from(val);
                break;
            case record_key::metadata:
                if (is_null) {
                    r.metadata.clear();
                } else {
                    r.metadata = std::move(expect_object(val, json_path(root, k)));
                }
                break;
            case record_key::metrics: {
                r.metrics.clear();
                if (is_null) break;
                if (!val.is_array()) fail(root, k, "expected array");
                auto& a = std::get<json_array>(val.raw());
                r.metrics.reserve(a.size());
                const json_path metrics_path(root, k);
                for (std::size_t i = 0; i < a.size(); ++i) {
                    metric_from(a[i], json_path(metrics_path, i), r.metrics.emplace_back());
                }
                break;
            }
            case record_key::task_name:
                take_optional_string(r.task_name, val, root, k);
                break;
            case record_key::type:
                if (is_null) {
                    r.type.reset();
                } else {
                    if (!val.is_string()) fail(root, k, "expected string");
                    auto t = parse_record_type(std::get<std::string>(val.raw()));
                    if (!t) fail(root, k, "expected one of success, error, pending");
                    r.type = *t;
                }
                break;
            case record_key::error:
                take_optional_string(r.error, val, root, k);
                break;
            case record_key::timing:
                form = timing_form(val);
                r.timing = timing_from(val, json_path(root, k));
                break;
            case record_key::uuid:
                take_optional_string(r.uuid, val, root, k);
                break;
            case record_key::replay_from:
                take_optional_string(r.replay_from, val, root, k);
                break;
            case record_key::error_category:
                if (is_null) {
                    r.error_category.reset();
                } else {
                    r.error_category = take_category(val, root, k);
                }
                break;
        }
        r.layout.add_key(*id, form);
    }
    return r;
}

}  // namespace

void encode_boundary_log(std::string& o, const boundary_log& log, const encode_options& opts) {
    o.push_back('{');
    bool first = true;
    for (const auto& [name, calls] : log) {
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

void encode_timing(std::string& out, const timing_info& t, const encode_options& opts) {
    object_writer w(out);
    const bool as_read = opts.as_read && t.layout.was_read();
    write_members(w, t.layout, as_read, t.extra, false, timing_order,
                  [&](timing_key k, slot s, key_form f) { write_timing_key(w, t, k, s, f, opts); });
    w.close();
}

void encode_metric(std::string& out, const metric& m, const encode_options& opts) {
    object_writer w(out);
    const bool as_read = opts.as_read && m.layout.was_read();
    write_members(w, m.layout, as_read, m.extra, false, metric_order,
                  [&](metric_key k, slot, key_form) {
                      switch (k) {
                          case metric_key::type:
                              write_json_string(w.key("type"), m.type);
                              break;
                          case metric_key::name:
                              write_json_string(w.key("name"), m.name);
                              break;
                          case metric_key::value:
                              write_json_number(w.key("value"), m.value);
                              break;
                      }
                  });
    w.close();
}

void encode_boundary_record(std::string& out,
                            const boundary_record& b,
                            const encode_options& opts) {
    object_writer w(out);
    const bool as_read = opts.as_read && b.layout.was_read();
    write_members(
        w, b.layout, as_read, b.extra, !opts.extensions, entry_order,
        [&](boundary_key k, slot s, key_form f) { write_entry_key(w, b, k, s, f, opts); });
    w.close();
}

void encode_record(std::string& out, const execution_record& r, const encode_options& opts) {
    tape_fill none;
    encode_record_impl(out, r, opts, none);
}

void detail::encode_tape_record(std::string& out,
                                const execution_record& r,
                                const encode_options& opts) {
    tape_fill fill;
    fill.enabled = true;
    encode_record_impl(out, r, opts, fill);
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
