// JSON text <-> forge::json: the one reader and the one writer of the SDK
// (docs/record-format.md §2).
#pragma once

#include <forge/types/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace forge {

// parse_stats: counts of the work a parse did, for tests and benchmarks that check its cost stays
// linear in the input.
struct parse_stats {
    // key_comparisons: comparisons between keys of one object made to resolve repeated keys (see
    // collapse_repeated_keys).
    std::size_t key_comparisons = 0;
};

// parse_memory
//
// A budget a parse charges for the memory its values hold, so a server can bound what untrusted
// bodies expand to. The parse estimates what it holds (sizeof(json) per value, the bytes of each
// string and key, the extra size of an object member) and charges it ahead of use, in steps that
// double from parse_memory_min_step to parse_memory_max_step bytes (so a small document makes one
// small charge and a large one a charge per MiB). charge(n) returns false to refuse; the parse then
// stops with json_memory_error. What was charged stays charged: the implementation releases it when
// the values are gone. Called from the parsing thread only.
class parse_memory {
public:
    virtual bool charge(std::size_t bytes) = 0;

protected:
    ~parse_memory() = default;
};

// parse_memory_min_step / parse_memory_max_step: the first and the largest step of the charges.
inline constexpr std::size_t parse_memory_min_step = 256;
inline constexpr std::size_t parse_memory_max_step = std::size_t{1} << 20;

// parse_options: limits applied while reading untrusted text.
struct parse_options {
    // max_depth: arrays/objects nested deeper than this fail with "nesting deeper than <n>".
    std::size_t max_depth = 256;
    // stats: when set, the parse adds its work counts to *stats (also when it fails).
    parse_stats* stats = nullptr;
    // memory: when set, the parse charges the memory its values hold to *memory (see
    // parse_memory) and throws json_memory_error when a charge is refused.
    parse_memory* memory = nullptr;
};

// parse_json
//
// Parses RFC 8259 JSON text (whitespace allowed, any key order). Duplicate keys: the last wins and
// keeps the first position. A lone surrogate in a \u escape decodes to U+FFFD. Integers that fit
// int64/uint64 stay integers; other numbers become doubles. Invalid UTF-8 and trailing garbage are
// errors. Throws json_parse_error (with the byte offset), or json_memory_error when opts.memory
// refuses a charge. Never reads out of bounds; nesting is
// bounded by opts.max_depth, so recursion cannot overflow the stack. Cost: one pass, linear in
// the text's size, repeated keys included (keys built to collide in a hash cost at most a log
// factor more, see collapse_repeated_keys); allocations as the resulting containers need. A text
// of 1 MiB or more reserves address space for text.size() / 2 values (40 bytes each, at most
// 2^24) up front, touched only as values arrive; a large flat array then keeps that capacity.
json parse_json(std::string_view text, const parse_options& opts = {});

// try_parse_json: as parse_json, but returns nullopt and sets *error (when given) instead of
// throwing json_parse_error (json_memory_error still propagates).
std::optional<json> try_parse_json(std::string_view text,
                                   std::string* error = nullptr,
                                   const parse_options& opts = {});

// write_json: appends the compact text of v to out, per §2.1-§2.3: lowercase \u00xx escapes, raw
// non-ASCII, invalid UTF-8 as U+FFFD, doubles in ECMAScript Number-to-String form, NaN/Inf as
// null. Never throws except std::bad_alloc.
void write_json(std::string& out, const json& v);

// to_json_text: write_json into a fresh string.
std::string to_json_text(const json& v);

// write_json_string: appends s as a quoted, escaped JSON string.
void write_json_string(std::string& out, std::string_view s);

// write_json_number: appends d in ECMAScript Number-to-String form (100.0 -> "100",
// 1e21 -> "1e+21", 1e-7 -> "1e-7"; NaN and ±Infinity -> "null").
void write_json_number(std::string& out, double d);

// format_js_number: d as JavaScript's String(d): like write_json_number, but NaN -> "NaN",
// ±Infinity -> "Infinity" / "-Infinity".
std::string format_js_number(double d);

}  // namespace forge
