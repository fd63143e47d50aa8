// NDJSON tape files: one ExecutionRecord per line (docs/record-format.md §12).
#pragma once

#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>
#include <forge/types/record_json.hpp>

#include <cstddef>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace forge {

// tape_error: a tape file could not be read or written. what() starts with the path, and for a bad
// line with "<path>:<line>: " (1-based line).
class tape_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// tape_read_options: skip_invalid skips bad lines (counted) instead of failing the load.
struct tape_read_options {
    bool skip_invalid = false;
};

// tape_contents: the records of a tape, in file order, and how many bad lines were skipped.
struct tape_contents {
    std::vector<execution_record> records;
    std::size_t skipped_lines = 0;
};

// read_tape: loads a tape. Splits on \n, drops a trailing \r, skips blank lines. Throws tape_error.
tape_contents read_tape(const std::filesystem::path& path, const tape_read_options& opts = {});

// parse_tape: the same from text already in memory (`name` is used in error messages).
tape_contents parse_tape(std::string_view text,
                         std::string_view name,
                         const tape_read_options& opts = {});

// to_tape_line: the line append_to_tape writes for r, without its trailing \n: a record without
// type gets one by the classification rule, without metadata gets {} (appended at the end, as
// TS). decode_record of it gives r as a tape reader sees it. Cost as encode_record.
std::string to_tape_line(const execution_record& r, const encode_options& opts = {});

// append_to_tape: appends records, one line each, one write(2) per line, to path (created when
// missing; the parent directory must exist). A record without type gets one by the
// classification rule, without metadata gets {} (appended at the end, as TS). Throws tape_error.
void append_to_tape(const std::filesystem::path& path,
                    std::span<const execution_record> records,
                    const encode_options& opts = {});

// write_tape_atomically: replaces path with exactly these records: writes a temporary file in the
// same directory, fsyncs it, renames it over path and fsyncs the directory. Readers see the old
// or the new file, never a mix. Throws tape_error.
void write_tape_atomically(const std::filesystem::path& path,
                           std::span<const execution_record> records,
                           const encode_options& opts = {});

}  // namespace forge
