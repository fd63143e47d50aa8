// The record writer's entry point for tape lines, shared by record_json.cpp and tape_file.cpp.
#pragma once

#include <forge/types/execution_record.hpp>
#include <forge/types/record_json.hpp>

#include <string>

namespace forge::detail {

// encode_tape_record: encode_record for a tape line (docs/record-format.md §12.1): a record
// without `type` gets the classified one and a record without `metadata` gets `{}`; a key read
// as `null` is filled in place, a missing key is appended as the last key (type, then metadata).
// Cost as encode_record.
void encode_tape_record(std::string& out, const execution_record& r, const encode_options& opts);

}  // namespace forge::detail
