// libFuzzer target: arbitrary bytes into the JSON reader. Every input must either parse (and then
// re-encode to text that parses to the same value) or raise json_parse_error; anything else (a
// crash, a sanitizer report, another exception) is a bug.
#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        forge::json v = forge::parse_json(text);
        std::string again = forge::to_json_text(v);
        if (!(forge::parse_json(again) == v)) std::abort();
    } catch (const forge::json_parse_error&) {
    }
    return 0;
}
