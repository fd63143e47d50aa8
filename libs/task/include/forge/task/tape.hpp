// forge::tape: recorded boundary entries by boundary name, the data replay answers from
// (docs/record-format.md §10.2).
#pragma once

#include <forge/types/boundary_record.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>
#include <forge/types/record_json.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace forge {

// tape
//
// A boundary-data map: boundary name -> its recorded entries, names in first-seen order, entries
// in the order added. The shape of a record's `boundaries` and of the TypeScript packages'
// `boundariesData` / `compileCache()`, so either side's map seeds the other. A tape is a plain
// value: replay and tape modes read it and never change it (live calls are recorded in the run's
// record, not here). Copyable; == compares content.
class tape {
public:
    tape() = default;

    // from_record: the entries of r's boundaries (every entry, success and error, as recorded).
    static tape from_record(const execution_record& r);

    // from_records: each record's entries appended in order, names in first-seen order (TS
    // compileCache()).
    static tape from_records(std::span<const execution_record> records);

    // from_boundary_map: a boundary-data map as JSON ({"name": [entry, ...], ...}; a single entry
    // object is read as a one-element array). Throws decode_error naming the path of a bad entry,
    // e.g. "fetchPrice.1.input: expected array".
    static tape from_boundary_map(const json& map);

    // add: appends entry to boundary's entries (the name is added at the end when new). Returns
    // *this for chaining. Cost: a scan of the names.
    tape& add(std::string_view boundary, boundary_record entry);

    // append: adds every entry of other, boundary by boundary (from_records uses it).
    tape& append(const tape& other);

    // append: adds a record's boundaries the same way: each name (also one without entries) is
    // added at the end when new, its entries after those already there. Cost: copies the entries.
    tape& append(const boundary_log& boundaries);

    // find: the entries recorded for boundary, or nullptr when the tape has none for it.
    const boundary_calls* find(std::string_view boundary) const noexcept;

    // boundaries: every boundary and its entries, in first-seen order.
    const boundary_log& boundaries() const noexcept { return log_; }

    // size: the number of entries over all boundaries.
    std::size_t size() const noexcept;

    // to_json: the boundary-data map (entries written as encode_boundary_record writes them).
    json to_json(const encode_options& opts = {}) const;

    friend bool operator==(const tape&, const tape&) = default;

private:
    boundary_log log_;
};

}  // namespace forge
