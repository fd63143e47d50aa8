// ExecutionRecord <-> JSON text: forge's key order for records built in code, the order as read
// for records that were decoded (docs/record-format.md §7, §8, §11).
#pragma once

#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>
#include <forge/types/json_text.hpp>

#include <string>
#include <string_view>

namespace forge {

// encode_options: writer switches.
struct encode_options {
    // extensions: false gives the TS-compat writer, which drops exactly the extension keys of §8,
    // at every depth: replayFrom and errorCategory on records; provenance, seq, liveError,
    // errorCategory and the unknown keys named childRecord and attempt on entries; durationNs and
    // offsetNs on timing. Other unknown keys are kept.
    bool extensions = true;
    // as_read: true writes an object that was decoded with the key order and presence it was
    // read with (its `layout`; pass-through, §11.3). false ignores layouts and writes every object
    // as if it had been built in code.
    bool as_read = true;
};

// encode_record
//
// Appends the compact JSON text of r to out. An object built in code (empty layout) is written in
// the order of §7 for its kind (replay order when replay_from is set), unknown keys last, and
// always with boundaries, metadata and metrics. An object that was read is written as read: its
// keys in the order read, unknown keys where they stood, explicit nulls and `"timing":{}` kept,
// absent keys left absent; keys set since reading follow, in §7 order, then unknown keys added
// since. This holds at every level (record, entry, timing, metric). Never throws except
// std::bad_alloc. Cost: one pass, no allocation beyond growing out.
void encode_record(std::string& out, const execution_record& r, const encode_options& opts = {});

// to_json_text: encode_record into a fresh string.
std::string to_json_text(const execution_record& r, const encode_options& opts = {});

// encode_boundary_record / encode_timing / encode_metric: the same writer for the parts.
void encode_boundary_record(std::string& out,
                            const boundary_record& b,
                            const encode_options& opts = {});
void encode_timing(std::string& out, const timing_info& t, const encode_options& opts = {});
// encode_boundary_log: a record's `boundaries` object ({"name":[entry,...],...}, names in order),
// also the shape of a tape's boundary-data map.
void encode_boundary_log(std::string& out,
                         const boundary_log& log,
                         const encode_options& opts = {});
void encode_metric(std::string& out, const metric& m, const encode_options& opts = {});

// decode_record
//
// Reads a record from JSON text, per §11: unknown keys kept in order; null optional keys are
// absent (except input/output where null is a value); a single boundary object is read as a
// one-element array; missing/partial timing handled per §11.1. Every object's `layout` records
// the keys as read, so encode_record gives the text back (§11.3). Throws json_parse_error for bad
// text and decode_error naming the path for a bad shape, e.g.
// "boundaries.fetchPrice[1].timing.startTime: expected number". Nesting is bounded, so hostile
// input cannot overflow the stack.
execution_record decode_record(std::string_view text);

// record_from_json / record_to_json: the same mapping from/to an already-parsed json value.
execution_record record_from_json(const json& v);
json record_to_json(const execution_record& r, const encode_options& opts = {});

// boundary_record_from_json: one entry; `path` prefixes error paths.
boundary_record boundary_record_from_json(const json& v, std::string_view path = "");

// timing_from_json: nullopt when the value is absent, {} or partial per §11.1.
std::optional<timing_info> timing_from_json(const json& v, std::string_view path = "timing");

}  // namespace forge
