// libFuzzer target: arbitrary bytes as an NDJSON tape. Strict reading must load the tape or raise
// tape_error; skip_invalid reading must never throw, and keeps at least the records strict reading
// found. Anything else (a crash, a sanitizer report, another exception) is a bug.
#include <forge/types/tape_file.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<std::size_t> strict_count;
    try {
        strict_count = forge::parse_tape(text, "fuzz.log").records.size();
    } catch (const forge::tape_error&) {
    }
    forge::tape_contents lenient = forge::parse_tape(text, "fuzz.log", {.skip_invalid = true});
    if (strict_count && (*strict_count != lenient.records.size() || lenient.skipped_lines != 0)) {
        std::abort();
    }
    return 0;
}
